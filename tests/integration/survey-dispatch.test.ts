import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleSurveyTimer } from '../../functions/survey-send/handler';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { advanceClock, busEventDetails, eventually, uniqueDigits } from '../support/waiting';
import { allocateSmsSender } from '../support/operator';

/**
 * Survey dispatch on the local twin: Contact Closed → the decision → the timer → the first SMS.
 * Every test has its own tenant (rules are per tenant) and its own numbers. Other test files'
 * twins see this file's events too, so timers are a few minutes out and the clock moves in small
 * steps, set back to real time before each test.
 */

let twin: TestTwin;
const minute = 60_000;
const tenantNumber = () => `+8862${uniqueDigits()}`;
const mobile = () => `+8869${uniqueDigits()}`;

interface SurveyTenant {
  key: string;
  tenantId: string;
  number: string;
}

beforeAll(async () => {
  // Closing a contact and the survey decision take the twin's clock as now, so a test places them at a time of day.
  twin = await startTestTwin({ functionsFollowClock: true });
});
afterAll(() => twin.close());
beforeEach(() => {
  twin.clock.set(new Date());
});
afterEach(() => twin.bus.setDeliverTwice(false));

async function surveyTenant(rules: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Promise<SurveyTenant> {
  const created = await createTenant(twin, { name: 'Survey Co', locale: 'en', ...overrides });
  const number = tenantNumber();
  await allocateSmsSender(twin, created.tenant.tenantId, number);
  const patched = await api(twin.url, 'PATCH', '/v1/settings', {
    key: created.apiKey,
    body: { sms: { originationIdentity: number }, surveys: { enabled: true, delayMinutes: 5, quietHours: null, ...rules } },
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  return { key: created.apiKey, tenantId: created.tenant.tenantId, number };
}

/** A customer with a phone; `unknown`: never asked for SMS consent. */
async function customer(t: SurveyTenant, consent: 'granted' | 'denied' | 'unknown' = 'granted') {
  const phone = mobile();
  const created = await api(twin.url, 'POST', '/v1/customers', {
    key: t.key,
    body: { displayName: 'Ms Lin', phone, language: 'en', ...(consent !== 'unknown' && { consent: { sms: { status: consent, source: 'web-form' } } }) },
  });
  expect(created.status).toBe(201);
  return { customerId: created.body.customerId as string, phone };
}

async function openContact(t: SurveyTenant, customerId: string, extra: Record<string, unknown> = {}) {
  const opened = await api(twin.url, 'POST', '/v1/contacts', {
    key: t.key,
    body: { channel: 'voice', direction: 'inbound', purpose: 'service', customerId, agentId: 'agent-7', queue: 'billing', ...extra },
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  return opened.body.contactId as string;
}

async function closedContact(t: SurveyTenant, customerId: string, extra: Record<string, unknown> = {}) {
  const contactId = await openContact(t, customerId, extra);
  const closed = await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key: t.key, body: { outcome: 'resolved' } });
  expect(closed.status).toBe(200);
  return { contactId, closedAt: closed.body.closedAt as string };
}


// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function surveysOf(t: SurveyTenant, query = ''): Promise<any[]> {
  const page = await api(twin.url, 'GET', `/v1/surveys?limit=100${query}`, { key: t.key });
  expect(page.status).toBe(200);
  return page.body.items;
}

/** The contact's survey decision, once dispatch has made it. */
const decisionFor = (t: SurveyTenant, contactId: string) =>
  eventually(async () => (await surveysOf(t)).find((survey) => survey.contactId === contactId), `the survey decision of ${contactId}`);

const smsTo = (phone: string) => twin.sms.sentTo(phone);

/** Moves the timers' clock in a small step and lets what fell due run. */

const busEvents = (t: SurveyTenant, detailType: string) => busEventDetails(twin, t.tenantId, detailType);

describe('a closed contact', () => {
  it('is surveyed by SMS once the delay has passed: the first question in the customer’s language, recorded on the survey', async () => {
    const t = await surveyTenant({ delayMinutes: 5 });
    const c = await customer(t);
    const { contactId, closedAt } = await closedContact(t, c.customerId);

    const pending = await decisionFor(t, contactId);
    expect(pending).toMatchObject({ status: 'pending', origin: 'rules', deliveryChannel: 'sms', customerId: c.customerId, agentId: 'agent-7', queue: 'billing', templateVersion: 1, language: 'en' });
    expect(Date.parse(pending.scheduledAt) - Date.parse(closedAt)).toBe(5 * minute);

    await advanceClock(twin, 4 * minute);
    expect(smsTo(c.phone)).toHaveLength(0);

    await advanceClock(twin, 2 * minute);
    const [sms] = await eventually(() => (smsTo(c.phone).length > 0 ? smsTo(c.phone) : undefined), 'the first survey SMS');
    // A new tenant's default: greeting and CSAT in one GSM-7 segment, no web link (smsWebLink false).
    expect(sms!.body).toBe(
      'Survey Co: thanks for contacting us! Reply STOP to opt out.\nHow satisfied were you with our service? (1 = Very dissatisfied, 5 = Very satisfied)',
    );
    expect(sms).toMatchObject({ segments: 1, encoding: 'GSM-7' });
    expect(sms).toMatchObject({ originationIdentity: t.number, messageType: 'TRANSACTIONAL', context: { tenantId: t.tenantId, surveyId: pending.surveyId } });

    const sent = await eventually(async () => {
      const read = await api(twin.url, 'GET', `/v1/surveys/${pending.surveyId}`, { key: t.key });
      return read.body.status === 'sent' ? read.body : undefined;
    }, 'the survey marked sent');
    expect(sent.sms).toEqual([{ messageId: sms!.messageId, segments: sms!.segments, encoding: sms!.encoding, sentAt: sent.sentAt }]);
    expect(Date.parse(sent.expiresAt) - Date.parse(sent.sentAt)).toBe(72 * 60 * minute);

    const events = await eventually(() => (busEvents(t, 'Survey Sent').length > 0 ? busEvents(t, 'Survey Sent') : undefined), 'Survey Sent');
    expect(events[0].data).toMatchObject({ surveyId: pending.surveyId, contactId, deliveryChannel: 'sms', templateVersion: 1 });
    expect(JSON.stringify(events)).not.toContain(c.phone);
    // The expiry timer is set at the survey's expiry, aimed at survey-send.
    const expiry = twin.scheduler.list().find((schedule) => schedule.Name === `survey-expire-${pending.surveyId}`);
    expect(expiry?.at.toISOString()).toBe(new Date(Math.ceil(Date.parse(sent.expiresAt) / 1000) * 1000).toISOString());
  });

  it('gets one survey and one SMS however often Contact Closed arrives', async () => {
    const t = await surveyTenant({ delayMinutes: 5 });
    const c = await customer(t);
    twin.bus.setDeliverTwice(true);
    const { contactId } = await closedContact(t, c.customerId);
    const survey = await decisionFor(t, contactId);
    // And the same event published once more, as a redrive from the dead-letter queue would.
    const original = twin.bus.recent.find(
      (record) => record.event['detail-type'] === 'Contact Closed' && (record.event.detail as { data: { contactId: string } }).data.contactId === contactId,
    )!;
    twin.bus.putEvents([{ EventBusName: twin.bus.name, Source: 'switchboard', DetailType: 'Contact Closed', Detail: JSON.stringify(original.event.detail) }]);
    await twin.bus.settled();

    await advanceClock(twin, 6 * minute);
    await eventually(() => (smsTo(c.phone).length > 0 ? true : undefined), 'the survey SMS');
    await advanceClock(twin, 1_000);
    await twin.bus.settled();
    expect((await surveysOf(t)).filter((s) => s.contactId === contactId).map((s) => s.surveyId)).toEqual([survey.surveyId]);
    expect(smsTo(c.phone)).toHaveLength(1);
  });
});

describe('each rule, with the reason recorded and Survey Not Sent emitted', () => {
  const notSentEvent = (t: SurveyTenant, contactId: string) =>
    eventually(() => busEvents(t, 'Survey Not Sent').find((detail) => detail.data.contactId === contactId), 'Survey Not Sent');

  it('no consent: a customer who never gave SMS consent is not surveyed', async () => {
    const t = await surveyTenant();
    const c = await customer(t, 'unknown');
    const { contactId } = await closedContact(t, c.customerId);
    const survey = await decisionFor(t, contactId);
    expect(survey).toMatchObject({ status: 'not_sent', notSentReason: 'no-consent' });
    const event = await notSentEvent(t, contactId);
    expect(event.data).toMatchObject({ surveyId: survey.surveyId, reason: 'no-consent' });
    expect(JSON.stringify(event)).not.toContain(c.phone);
    await advanceClock(twin, 6 * minute);
    expect(smsTo(c.phone)).toHaveLength(0);
  });

  it('suppression: the same customer is not surveyed again within suppressionDays', async () => {
    const t = await surveyTenant({ suppressionDays: 30 });
    const c = await customer(t);
    const first = await closedContact(t, c.customerId);
    expect(await decisionFor(t, first.contactId)).toMatchObject({ status: 'pending' });
    const second = await closedContact(t, c.customerId);
    expect(await decisionFor(t, second.contactId)).toMatchObject({ status: 'not_sent', notSentReason: 'suppressed' });
    await advanceClock(twin, 6 * minute);
    await eventually(() => (smsTo(c.phone).length > 0 ? true : undefined), 'the first survey SMS');
    expect(smsTo(c.phone)).toHaveLength(1);
  });

  it('sampling 0 %: nobody is surveyed', async () => {
    const t = await surveyTenant({ samplingPercent: 0 });
    const c = await customer(t);
    const { contactId } = await closedContact(t, c.customerId);
    expect(await decisionFor(t, contactId)).toMatchObject({ status: 'not_sent', notSentReason: 'sampled-out' });
    expect((await notSentEvent(t, contactId)).data.reason).toBe('sampled-out');
  });

  it('daily cap 1: the second survey of the day is capped', async () => {
    const t = await surveyTenant({ dailyCap: 1 });
    const first = await customer(t);
    const second = await customer(t);
    const a = await closedContact(t, first.customerId);
    expect(await decisionFor(t, a.contactId)).toMatchObject({ status: 'pending' });
    const b = await closedContact(t, second.customerId);
    expect(await decisionFor(t, b.contactId)).toMatchObject({ status: 'not_sent', notSentReason: 'capped' });
    await advanceClock(twin, 6 * minute);
    await eventually(() => (smsTo(first.phone).length > 0 ? true : undefined), 'the first survey SMS');
    expect(smsTo(second.phone)).toHaveLength(0);
  });

  it('quiet hours: a survey due inside them waits until they end, then goes out', async () => {
    // Quiet hours that began a minute ago on the tenant's clock and end three minutes on: closing
    // now is closing at night. (22:30 → 08:00 itself is covered by the unit tests of surveySendTime.)
    // The twin's clock is placed 10 s into a minute, so no step below races a minute's turn.
    const start = new Date(Math.ceil(Date.now() / minute) * minute + 10_000);
    twin.clock.set(start);
    const local = (offsetMinutes: number) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Taipei', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(start.getTime() + offsetMinutes * minute));
    const t = await surveyTenant({ delayMinutes: 0, quietHours: { start: local(-1), end: local(3) } }, { timezone: 'Asia/Taipei' });
    const c = await customer(t);
    const { contactId, closedAt } = await closedContact(t, c.customerId);
    const survey = await decisionFor(t, contactId);
    expect(survey.status).toBe('pending');
    const waits = Date.parse(survey.scheduledAt) - Date.parse(closedAt);
    expect(waits).toBeGreaterThan(2 * minute);
    expect(waits).toBeLessThanOrEqual(3 * minute);
    expect(new Date(survey.scheduledAt).getUTCSeconds()).toBe(0);

    await advanceClock(twin, 1 * minute);
    expect(smsTo(c.phone)).toHaveLength(0);
    await advanceClock(twin, 3 * minute);
    await eventually(() => (smsTo(c.phone).length > 0 ? true : undefined), 'the survey SMS after the quiet hours');
  });

  it('consent withdrawn between the decision and the send: nothing is sent, reason no-consent', async () => {
    const t = await surveyTenant();
    const c = await customer(t);
    const { contactId } = await closedContact(t, c.customerId);
    const survey = await decisionFor(t, contactId);
    const read = await api(twin.url, 'GET', `/v1/customers/${c.customerId}`, { key: t.key });
    const withdrawn = await api(twin.url, 'PATCH', `/v1/customers/${c.customerId}`, {
      key: t.key,
      body: { consent: { sms: { status: 'denied', source: 'call' } } },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    expect(withdrawn.status).toBe(200);
    await advanceClock(twin, 6 * minute);
    const after = await eventually(async () => {
      const got = await api(twin.url, 'GET', `/v1/surveys/${survey.surveyId}`, { key: t.key });
      return got.body.status === 'pending' ? undefined : got.body;
    }, 'the survey leaving pending');
    expect(after).toMatchObject({ status: 'not_sent', notSentReason: 'no-consent' });
    expect(smsTo(c.phone)).toHaveLength(0);
  });
});

describe('POST /v1/surveys (ad hoc)', () => {
  it('surveys a closed contact by SMS at once, ignoring sampling; an Idempotency-Key replay creates nothing more', async () => {
    const t = await surveyTenant({ samplingPercent: 0 });
    const c = await customer(t);
    const { contactId } = await closedContact(t, c.customerId);
    expect(await decisionFor(t, contactId)).toMatchObject({ notSentReason: 'sampled-out' });

    const headers = { 'idempotency-key': `adhoc-${uniqueDigits()}` };
    const created = await api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId, deliveryChannel: 'sms' }, headers });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', origin: 'ad-hoc', contactId, deliveryChannel: 'sms' });
    expect(created.headers.get('location')).toBe(`/v1/surveys/${created.body.surveyId}`);
    const replay = await api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId, deliveryChannel: 'sms' }, headers });
    expect(replay.status).toBe(201);
    expect(replay.body.surveyId).toBe(created.body.surveyId);

    await advanceClock(twin, 1_000);
    await eventually(() => (smsTo(c.phone).length > 0 ? true : undefined), 'the ad hoc survey SMS');
    expect(smsTo(c.phone)).toHaveLength(1);

    const again = await api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: expect.stringContaining('survey-exists'), surveyId: created.body.surveyId });
  });

  it('hands a survey link to admin keys only: an agent key cannot get a link to answer its own CSAT', async () => {
    const t = await surveyTenant({ enabled: false, deliveryChannel: 'link' });
    const c = await customer(t, 'unknown');
    const { contactId } = await closedContact(t, c.customerId);
    const agent = await api(twin.url, 'POST', '/v1/api-keys', { key: t.key, body: { name: 'Agent 7', scopes: ['agent'] } });
    for (const body of [{ contactId, deliveryChannel: 'link' }, { contactId }]) {
      const refused = await api(twin.url, 'POST', '/v1/surveys', { key: agent.body.secret, body });
      expect(refused.status, JSON.stringify(refused.body)).toBe(403);
      expect(JSON.stringify(refused.body)).not.toMatch(/\/s\//);
    }
    expect(await surveysOf(t)).toEqual([]);
    const created = await api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId } });
    expect(created.body).toMatchObject({ deliveryChannel: 'link', linkPath: expect.stringMatching(/^\/s\//) });
  });

  it('as a link: answers the one-time link path once, stores only its hash, and emits Survey Sent with it', async () => {
    const t = await surveyTenant({ enabled: false });
    const c = await customer(t, 'unknown');
    const { contactId } = await closedContact(t, c.customerId);
    const created = await api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId, deliveryChannel: 'link' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'sent', deliveryChannel: 'link', linkPath: expect.stringMatching(/^\/s\/[A-Za-z0-9_-]{16}$/) });
    const token = created.body.linkPath.slice(3);
    const read = await api(twin.url, 'GET', `/v1/surveys/${created.body.surveyId}`, { key: t.key });
    expect(read.body.status).toBe('sent');
    expect(JSON.stringify(read.body)).not.toContain(token);
    const sent = await eventually(() => busEvents(t, 'Survey Sent').find((detail) => detail.data.surveyId === created.body.surveyId), 'Survey Sent');
    expect(sent.data).toMatchObject({ deliveryChannel: 'link', linkPath: created.body.linkPath, expiresAt: read.body.expiresAt });
    expect(smsTo(c.phone)).toHaveLength(0);

    // The expiry timer fires (invoked here directly: 72 hours is too far to move the twin's clock).
    expect(twin.scheduler.list().some((schedule) => schedule.Name === `survey-expire-${created.body.surveyId}`)).toBe(true);
    await expect(handleSurveyTimer({ tenantId: t.tenantId, surveyId: created.body.surveyId, action: 'expire' })).resolves.toBe('expired');
    await expect(handleSurveyTimer({ tenantId: t.tenantId, surveyId: created.body.surveyId, action: 'expire' })).resolves.toBe('ignored');
    expect((await api(twin.url, 'GET', `/v1/surveys/${created.body.surveyId}`, { key: t.key })).body).toMatchObject({ status: 'expired', expiredAt: expect.any(String) });
    const expired = await eventually(() => busEvents(t, 'Survey Expired').find((detail) => detail.data.surveyId === created.body.surveyId), 'Survey Expired');
    expect(expired.data.contactId).toBe(contactId);
  });

  it('refuses without consent, for an open contact, and for a contact that is not there, writing nothing', async () => {
    const t = await surveyTenant({ enabled: false });
    const denied = await customer(t, 'denied');
    const { contactId } = await closedContact(t, denied.customerId);
    const noConsent = await api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId, deliveryChannel: 'sms' } });
    expect(noConsent.status).toBe(422);
    expect(noConsent.body.errors).toEqual([{ path: '$.contactId', message: "The contact's customer has not consented to SMS" }]);

    const open = await openContact(t, denied.customerId);
    const notClosed = await api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId: open, deliveryChannel: 'link' } });
    expect(notClosed.status).toBe(409);
    const missing = await api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId: 'con_01JZZZZZZZZZZZZZZZZZZZZZZZ' } });
    expect(missing.status).toBe(422);
    const badBody = await api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId, deliveryChannel: 'pigeon' } });
    expect(badBody.status).toBe(400);
    expect(badBody.body.errors[0].path).toBe('$.deliveryChannel');
    expect(await surveysOf(t)).toEqual([]);
  });

  it('needs at least the agent scope', async () => {
    const t = await surveyTenant({ enabled: false });
    const readonlyKey = await api(twin.url, 'POST', '/v1/api-keys', { key: t.key, body: { name: 'reports', scopes: ['readonly'] } });
    expect(readonlyKey.status, JSON.stringify(readonlyKey.body)).toBe(201);
    const refused = await api(twin.url, 'POST', '/v1/surveys', { key: readonlyKey.body.secret, body: { contactId: 'con_01JZZZZZZZZZZZZZZZZZZZZZZZ' } });
    expect(refused.status).toBe(403);
  });
});

describe('GET /v1/surveys', () => {
  it('reads one survey, and lists by agent, queue, status and time, a page at a time', async () => {
    const t = await surveyTenant({ samplingPercent: 0 });
    const c = await customer(t);
    // One decision at a time: dispatch runs asynchronously, and the time filters below need the
    // second survey to be recorded strictly after the first.
    const a = await closedContact(t, c.customerId, { agentId: 'agent-a', queue: 'sales-line' });
    const first = await decisionFor(t, a.contactId);
    twin.clock.advance(1_000);
    const b = await closedContact(t, c.customerId, { agentId: 'agent-b', queue: 'billing' });
    const second = await decisionFor(t, b.contactId);

    const one = await api(twin.url, 'GET', `/v1/surveys/${first.surveyId}`, { key: t.key });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(first);
    expect((await api(twin.url, 'GET', '/v1/surveys/svy_01JZZZZZZZZZZZZZZZZZZZZZZZ', { key: t.key })).status).toBe(404);
    expect((await api(twin.url, 'GET', '/v1/surveys/not-an-id', { key: t.key })).status).toBe(404);

    expect((await surveysOf(t, '&agentId=agent-a')).map((s) => s.surveyId)).toEqual([first.surveyId]);
    expect((await surveysOf(t, '&queue=billing')).map((s) => s.surveyId)).toEqual([second.surveyId]);
    expect((await surveysOf(t, '&agentId=agent-a&queue=billing')).map((s) => s.surveyId)).toEqual([]);
    expect((await surveysOf(t, '&status=not_sent')).map((s) => s.surveyId).sort()).toEqual([first.surveyId, second.surveyId].sort());
    expect(await surveysOf(t, '&status=sent')).toEqual([]);
    const from = encodeURIComponent(second.createdAt);
    expect((await surveysOf(t, `&from=${from}`)).map((s) => s.surveyId)).toEqual([second.surveyId]);
    expect((await surveysOf(t, `&to=${from}`)).map((s) => s.surveyId)).toEqual([first.surveyId]);

    const page1 = await api(twin.url, 'GET', '/v1/surveys?limit=1', { key: t.key });
    expect(page1.body.items.map((s: { surveyId: string }) => s.surveyId)).toEqual([first.surveyId]);
    const page2 = await api(twin.url, 'GET', `/v1/surveys?limit=1&cursor=${page1.body.nextCursor}`, { key: t.key });
    expect(page2.body.items.map((s: { surveyId: string }) => s.surveyId)).toEqual([second.surveyId]);
    const wrongList = await api(twin.url, 'GET', `/v1/surveys?limit=1&agentId=agent-a&cursor=${page1.body.nextCursor}`, { key: t.key });
    expect(wrongList.status).toBe(400);
    expect((await api(twin.url, 'GET', '/v1/surveys?status=lost', { key: t.key })).status).toBe(400);
  });
});
