import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FaultyTwin,
  advanceClock,
  closedContact,
  eventually,
  smsCustomer,
  startFaultyTwin,
  surveyTenant,
  surveysOf,
} from '../support/faults';
import { api } from '../support/twin';

/**
 * Event consumers that fail part-way, and events that come back: survey-dispatch on Contact
 * Closed (a decision write, then a Scheduler call), with its dependencies failing through the
 * fault proxies. What counts is what a tenant would see: one survey, one timer, one SMS.
 */

let twin: FaultyTwin;
beforeAll(async () => {
  twin = await startFaultyTwin({ events: { busRetryBaseDelayMs: 10 } });
});
afterAll(() => twin.close());
// Timers are due 5 minutes after a contact closes, in real time: a clock left ahead would fire them at once.
beforeEach(() => twin.clock.set(new Date()));
afterEach(() => twin.faults.clear());

const minute = 60_000;
const serverError = { type: 'InternalServerException', status: 500, message: 'Unexpected error' };

type ContactClosedDetail = { eventId: string; tenantId: string; data: { contactId: string } };
const contactClosedOf = (contactId: string) =>
  twin.bus.recent.find(
    (record) => record.event['detail-type'] === 'Contact Closed' && (record.event.detail as ContactClosedDetail).data.contactId === contactId,
  );
const dispatchDeliveries = (contactId: string) =>
  twin.bus.deliveries.filter((d) => d.consumer === 'survey-dispatch' && (d.event.detail as ContactClosedDetail).data.contactId === contactId);

async function oneSurveyAndOneSms(tenant: Awaited<ReturnType<typeof surveyTenant>>, contactId: string, phone: string) {
  const surveys = (await surveysOf(twin, tenant)).filter((s) => s.contactId === contactId);
  expect(surveys).toHaveLength(1);
  await advanceClock(twin, 6 * minute);
  await eventually(() => (twin.sms.sentTo(phone).length > 0 ? true : undefined), 'the survey SMS');
  await advanceClock(twin, 1_000);
  await twin.bus.settled();
  expect(twin.sms.sentTo(phone)).toHaveLength(1);
  const sent = await api(twin.url, 'GET', `/v1/surveys/${surveys[0].surveyId}`, { key: tenant.key });
  expect(sent.body).toMatchObject({ status: 'sent', sms: [{ messageId: twin.sms.sentTo(phone)[0]!.messageId }] });
}

describe('a consumer crashing mid-way', () => {
  it('after its DynamoDB write and before its Scheduler call: the redelivery sets the timer; one survey, one SMS', async () => {
    const tenant = await surveyTenant(twin);
    const customer = await smsCustomer(twin, tenant);
    // Every attempt of the first delivery's CreateSchedule fails (the SDK retries 500s itself).
    const fault = twin.faults.inject({ operation: 'CreateSchedule', bodyIncludes: [tenant.tenantId, 'survey-send'], times: 3, answer: serverError });
    const contactId = await closedContact(twin, tenant, customer.customerId);

    await eventually(() => (dispatchDeliveries(contactId)[0]?.status === 'delivered' ? true : undefined), 'survey-dispatch to succeed');
    expect(fault.injected).toBe(3);
    expect(dispatchDeliveries(contactId)).toMatchObject([{ status: 'delivered', attempts: 2 }]);
    expect(dispatchDeliveries(contactId)[0]!.lastError).toContain('InternalServerException');
    const [survey] = (await surveysOf(twin, tenant)).filter((s) => s.contactId === contactId);
    expect(twin.scheduler.list().filter((schedule) => schedule.Name === `survey-send-${survey.surveyId}`)).toHaveLength(1);
    await oneSurveyAndOneSms(tenant, contactId, customer.phone);
  }, 60_000);

  it('before anything is written (the decision write fails): the redelivery decides once', async () => {
    const tenant = await surveyTenant(twin);
    const customer = await smsCustomer(twin, tenant);
    const fault = twin.faults.inject({
      operation: 'TransactWriteItems',
      bodyIncludes: [tenant.tenantId, 'SurveyDecision'],
      times: 4,
      answer: { type: 'InternalServerError', status: 500 },
    });
    const contactId = await closedContact(twin, tenant, customer.customerId);
    await eventually(() => (dispatchDeliveries(contactId)[0]?.status === 'delivered' ? true : undefined), 'survey-dispatch to succeed');
    expect(fault.injected).toBe(4);
    expect(dispatchDeliveries(contactId)[0]!.attempts).toBe(2);
    await oneSurveyAndOneSms(tenant, contactId, customer.phone);
  }, 60_000);
});

describe('a timer target crashing mid-way', () => {
  it('survey-send after recording the SMS and before setting the expiry timer: its retry sets the timer, and sends nothing more', async () => {
    const tenant = await surveyTenant(twin);
    const customer = await smsCustomer(twin, tenant);
    const contactId = await closedContact(twin, tenant, customer.customerId);
    const survey = await eventually(async () => (await surveysOf(twin, tenant)).find((s) => s.contactId === contactId), 'the survey decision');
    const fault = twin.faults.inject({ operation: 'CreateSchedule', bodyIncludes: [tenant.tenantId, 'expire'], times: 3, answer: serverError });

    await advanceClock(twin, 6 * minute);
    expect(fault.injected).toBe(3);
    expect(twin.scheduler.firings.find((firing) => firing.name === `survey-send-${survey.surveyId}`)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(twin.scheduler.list().filter((schedule) => schedule.Name === `survey-expire-${survey.surveyId}`)).toHaveLength(1);
    expect(twin.sms.sentTo(customer.phone)).toHaveLength(1);
    expect((await api(twin.url, 'GET', `/v1/surveys/${survey.surveyId}`, { key: tenant.key })).body.status).toBe('sent');
  }, 60_000);
});

describe('dead letters on the twin', () => {
  it('a consumer failing past its retries dead-letters the event; once fixed, the redrive applies it once', async () => {
    const tenant = await surveyTenant(twin);
    const customer = await smsCustomer(twin, tenant);
    const outage = twin.faults.inject({
      operation: 'TransactWriteItems',
      bodyIncludes: [tenant.tenantId, 'SurveyDecision'],
      times: Infinity,
      answer: { type: 'InternalServerError', status: 500 },
    });
    const contactId = await closedContact(twin, tenant, customer.customerId);
    const letter = await eventually(
      () => twin.bus.deadLetters.find((dead) => dead.consumer === 'survey-dispatch' && (dead.event.detail as ContactClosedDetail).data.contactId === contactId),
      'the dead letter',
      45_000,
    );
    expect(letter.error).toContain('InternalServerError');
    expect(await surveysOf(twin, tenant)).toEqual([]);
    const eventId = (letter.event.detail as ContactClosedDetail).eventId;

    // DynamoDB is back. The operator redrives that consumer's dead letters (docs/operations.md).
    twin.faults.clear(outage);
    const redrive = () => api(twin.url, 'POST', '/local/events/dead-letters/redrive', { body: { consumer: 'survey-dispatch', eventIds: [eventId] } });
    const redriven = await redrive();
    expect(redriven.status).toBe(200);
    expect(redriven.body).toEqual({ redriven: 1 });
    await twin.bus.settled();
    expect(twin.bus.deadLetters.filter((dead) => (dead.event.detail as ContactClosedDetail).eventId === eventId)).toEqual([]);
    expect(dispatchDeliveries(contactId).map((d) => d.status)).toEqual(['dead-lettered', 'delivered']);

    // A second redrive finds nothing; the event put on the bus again (as the DLQ tool does) changes nothing.
    expect((await redrive()).body).toEqual({ redriven: 0 });
    const original = contactClosedOf(contactId)!;
    twin.bus.putEvents([{ EventBusName: twin.bus.name, Source: 'switchboard', DetailType: 'Contact Closed', Detail: JSON.stringify(original.event.detail) }]);
    await twin.bus.settled();
    await oneSurveyAndOneSms(tenant, contactId, customer.phone);
  }, 90_000);
});

describe('the same event twice and out of order', () => {
  it('Contact Closed delivered twice at once, then again after the survey went out: still one survey and one SMS', async () => {
    const tenant = await surveyTenant(twin);
    const customer = await smsCustomer(twin, tenant);
    twin.bus.setDeliverTwice(true);
    try {
      const contactId = await closedContact(twin, tenant, customer.customerId);
      await eventually(() => (dispatchDeliveries(contactId).filter((d) => d.status === 'delivered').length === 2 ? true : undefined), 'both deliveries');
      await oneSurveyAndOneSms(tenant, contactId, customer.phone);

      // Late: the decision is made and the SMS sent; the old event must not start anything again.
      const original = contactClosedOf(contactId)!;
      twin.bus.putEvents([{ EventBusName: twin.bus.name, Source: 'switchboard', DetailType: 'Contact Closed', Detail: JSON.stringify(original.event.detail) }]);
      await twin.bus.settled();
      await advanceClock(twin, 6 * minute);
      expect(twin.sms.sentTo(customer.phone)).toHaveLength(1);
      expect((await surveysOf(twin, tenant)).filter((s) => s.contactId === contactId).map((s) => s.status)).toEqual(['sent']);
    } finally {
      twin.bus.setDeliverTwice(false);
    }
  }, 60_000);
});

describe('analytics counters under faults', () => {
  it('a closed contact whose counter write is throttled past the SDK’s retries, then delivered twice more, is counted once', async () => {
    const repo = await import('../../shared/data/analytics-repo');
    const tenant = await surveyTenant(twin, { enabled: false });
    // One invocation's four attempts and the first of the next.
    const throttle = twin.faults.inject({
      operation: 'TransactWriteItems',
      bodyIncludes: [tenant.tenantId, 'DONE#analytics-aggregate'],
      times: 5,
      answer: { type: 'ProvisionedThroughputExceededException', message: 'Throughput exceeds the current capacity' },
    });
    const day = { from: new Date('2026-11-10T00:00:00Z'), to: new Date('2026-11-11T00:00:00Z') };
    const offered = async () => {
      const rows = await repo.readCounterRows(tenant.tenantId, 'all', day.from, day.to);
      return rows.reduce((sum, row) => sum + (row.counters.offered ?? 0), 0);
    };
    const opened = await api(twin.url, 'POST', '/v1/contacts', {
      key: tenant.key,
      body: { channel: 'voice', direction: 'inbound', purpose: 'service', queue: 'billing', queuedAt: '2026-11-10T03:00:00Z', answeredAt: '2026-11-10T03:00:20Z' },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const contactId: string = opened.body.contactId;
    const closed = await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key: tenant.key, body: { outcome: 'resolved', endedAt: '2026-11-10T03:05:20Z' } });
    expect(closed.status).toBe(200);

    await eventually(async () => ((await offered()) > 0 ? true : undefined), 'the contact counted');
    await twin.bus.settled();
    expect(throttle.injected).toBe(5);
    const deliveries = () =>
      twin.bus.deliveries.filter((d) => d.consumer === 'analytics-aggregate' && (d.event.detail as ContactClosedDetail).data?.contactId === contactId);
    expect(deliveries()).toMatchObject([{ status: 'delivered', attempts: 2 }]);
    expect(await offered()).toBe(1);

    // The same event twice at once, as a late duplicate and a redrive might bring it.
    const original = contactClosedOf(contactId)!;
    const again = { EventBusName: twin.bus.name, Source: 'switchboard', DetailType: 'Contact Closed', Detail: JSON.stringify(original.event.detail) };
    twin.bus.putEvents([again, again]);
    await twin.bus.settled();
    expect(deliveries().map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(await offered()).toBe(1);
  }, 60_000);
});
