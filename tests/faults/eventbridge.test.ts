import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
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

/**
 * EventBridge PutEvents failing under the relay, with the real consumers behind the bus: what a
 * tenant sees once EventBridge is back. The relay's own retry logic (partial failures, only the
 * failed entries sent again) is proven in tests/unit/event-publisher.test.ts and
 * tests/unit/event-relay.test.ts; the stream retrying a whole outage in
 * tests/integration/event-backbone.test.ts, with stand-in consumers.
 */

let twin: FaultyTwin;
let sdkAttempts: number;
beforeAll(async () => {
  twin = await startFaultyTwin({ events: { busRetryBaseDelayMs: 10 } });
  sdkAttempts = await new EventBridgeClient({ region: 'local' }).config.maxAttempts();
});
afterAll(() => twin.close());
beforeEach(() => twin.clock.set(new Date()));
afterEach(() => twin.faults.clear());

const minute = 60_000;
type ClosedDetail = { eventId: string; tenantId: string; data: { contactId: string } };
const onBus = (contactId: string) =>
  twin.bus.recent.filter((r) => r.event['detail-type'] === 'Contact Closed' && (r.event.detail as ClosedDetail).data.contactId === contactId);

describe('EventBridge failing under the relay', () => {
  it('an outage longer than one relay invocation’s retries delays Contact Closed; it arrives and is acted on once', async () => {
    const tenant = await surveyTenant(twin);
    const customer = await smsCustomer(twin, tenant);
    const invocationsBefore = twin.aws.stream!.invocations;
    // Publisher: 5 attempts per invocation, each one SDK call of `sdkAttempts` requests. One more fails the next invocation's first.
    const outage = twin.faults.inject({
      operation: 'PutEvents',
      bodyIncludes: [tenant.tenantId, 'Contact Closed'],
      times: 5 * sdkAttempts + 1,
      answer: { type: 'ThrottlingException', message: 'Rate exceeded' },
    });
    const contactId = await closedContact(twin, tenant, customer.customerId);

    await eventually(() => (onBus(contactId).length > 0 ? true : undefined), 'Contact Closed on the bus', 40_000);
    expect(outage.injected).toBe(5 * sdkAttempts + 1);
    expect(twin.aws.stream!.invocations - invocationsBefore).toBeGreaterThan(1);
    await twin.bus.settled();
    const survey = await eventually(async () => (await surveysOf(twin, tenant)).find((s) => s.contactId === contactId), 'the survey decision');
    expect((await surveysOf(twin, tenant)).filter((s) => s.contactId === contactId)).toHaveLength(1);
    expect(survey.status).toBe('pending');
    await advanceClock(twin, 6 * minute);
    await eventually(() => (twin.sms.sentTo(customer.phone).length > 0 ? true : undefined), 'the survey SMS');
    expect(twin.sms.sentTo(customer.phone)).toHaveLength(1);
  }, 60_000);

  it('entries refused in a 200 answer (a partial failure) are sent again; the event is not lost and acts once', async () => {
    const tenant = await surveyTenant(twin);
    const customer = await smsCustomer(twin, tenant);
    const partial = twin.faults.inject({
      operation: 'PutEvents',
      bodyIncludes: [tenant.tenantId, 'Contact Closed'],
      times: 3,
      answer: (body) => {
        const entries = (JSON.parse(body) as { Entries: unknown[] }).Entries;
        return {
          status: 200,
          body: { FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'Simulated' })) },
        };
      },
    });
    const contactId = await closedContact(twin, tenant, customer.customerId);

    await eventually(() => (onBus(contactId).length > 0 ? true : undefined), 'Contact Closed on the bus', 30_000);
    await twin.bus.settled();
    expect(partial.injected).toBe(3);
    expect(onBus(contactId)).toHaveLength(1);
    await eventually(async () => (await surveysOf(twin, tenant)).find((s) => s.contactId === contactId), 'the survey decision');
    expect((await surveysOf(twin, tenant)).filter((s) => s.contactId === contactId)).toHaveLength(1);
  }, 60_000);
});
