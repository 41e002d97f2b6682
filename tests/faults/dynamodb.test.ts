import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AwsErrorAnswer, type FaultyTwin, closedContact, eventually, smsCustomer, startFaultyTwin, surveyTenant, surveysOf } from '../support/faults';
import { api, createTenant } from '../support/twin';

/**
 * DynamoDB throttling and transient errors, answered by a proxy in front of DynamoDB Local in
 * AWS's own wire format, so the functions' SDK clients raise the real exceptions and apply their
 * real retries.
 */

let twin: FaultyTwin;
/** Attempts the SDK makes per call (the first included): 4 for DynamoDB in standard mode. */
let sdkAttempts: number;
beforeAll(async () => {
  twin = await startFaultyTwin({ events: { busRetryBaseDelayMs: 20 } });
  sdkAttempts = await new DynamoDBClient({ region: 'local' }).config.maxAttempts();
});
afterAll(() => twin.close());
afterEach(() => twin.faults.clear());

const transientErrors: AwsErrorAnswer[] = [
  { type: 'ProvisionedThroughputExceededException', message: 'The level of configured provisioned throughput for the table was exceeded' },
  { type: 'ThrottlingException', message: 'Rate of requests exceeds the allowed throughput' },
  { type: 'InternalServerError', status: 500, message: 'Internal server error' },
];

describe('on the request path', () => {
  let key: string;
  let tenantId: string;
  beforeEach(async () => {
    const created = await createTenant(twin);
    key = created.apiKey;
    tenantId = created.tenant.tenantId;
  });

  const customerNames = async () => {
    const page = await api(twin.url, 'GET', '/v1/customers?limit=100', { key });
    expect(page.status).toBe(200);
    return (page.body.items as { displayName: string }[]).map((customer) => customer.displayName);
  };

  it.each(transientErrors)('absorbs a passing $type in the SDK’s retries: 201, one customer', async (error) => {
    const writesBefore = twin.faults.count('TransactWriteItems', tenantId);
    const fault = twin.faults.inject({ operation: 'TransactWriteItems', bodyIncludes: tenantId, times: sdkAttempts - 1, answer: error });
    const created = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Ms Chen', phone: '+886912345678' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(fault.injected).toBe(sdkAttempts - 1);
    expect(twin.faults.count('TransactWriteItems', tenantId) - writesBefore).toBe(sdkAttempts);
    expect(await customerNames()).toEqual(['Ms Chen']);
  });

  it.each(transientErrors)('answers a lasting $type with 503 problem+json and Retry-After, writing nothing; the same retry then succeeds once', async (error) => {
    const writesBefore = twin.faults.count('TransactWriteItems', tenantId);
    twin.faults.inject({ operation: 'TransactWriteItems', bodyIncludes: tenantId, times: Infinity, answer: error });
    const request = { key, body: { displayName: 'Mr Wu', phone: '+886922345678' }, headers: { 'idempotency-key': `wu-${tenantId}` } };
    const refused = await api(twin.url, 'POST', '/v1/customers', request);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/temporarily-unavailable$/), status: 503, instance: '/v1/customers' });
    expect(JSON.stringify(refused.body)).not.toContain(error.type);
    expect(twin.faults.count('TransactWriteItems', tenantId) - writesBefore).toBe(sdkAttempts);
    expect(await customerNames()).toEqual([]);

    twin.faults.clear();
    const retried = await api(twin.url, 'POST', '/v1/customers', request);
    expect(retried.status).toBe(201);
    const replayed = await api(twin.url, 'POST', '/v1/customers', request);
    expect(replayed.status).toBe(201);
    expect(replayed.body.customerId).toBe(retried.body.customerId);
    expect(await customerNames()).toEqual(['Mr Wu']);
  });

  it('answers a transaction cancelled by a conflicting transaction with 503 (the SDK does not retry it), writing nothing', async () => {
    const fault = twin.faults.inject({
      operation: 'TransactWriteItems',
      bodyIncludes: tenantId,
      times: 1,
      answer: {
        type: 'TransactionCanceledException',
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]',
        fields: { CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }] },
      },
    });
    const refused = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Ms Lai', phone: '+886932345678' } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(fault.injected).toBe(1);
    expect(await customerNames()).toEqual([]);
  });

  it('still answers a failed condition as the conflict it is, not as 503', async () => {
    const first = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Ms Kao', phone: '+886942345678' } });
    expect(first.status).toBe(201);
    const second = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Ms Kao again', phone: '+886942345678' } });
    expect(second.status).toBe(409);
  });
});

describe('in an event consumer', () => {
  it('retries a Contact Closed whose decision write is throttled past the SDK’s retries, and decides the survey once', async () => {
    const tenant = await surveyTenant(twin);
    const customer = await smsCustomer(twin, tenant);
    // One delivery's three attempts fail and the first attempt of the next: the bus must redeliver.
    const fault = twin.faults.inject({
      operation: 'TransactWriteItems',
      bodyIncludes: [tenant.tenantId, 'SurveyDecision'],
      times: sdkAttempts + 1,
      answer: transientErrors[0]!,
    });
    const contactId = await closedContact(twin, tenant, customer.customerId);

    const survey = await eventually(async () => (await surveysOf(twin, tenant)).find((s) => s.contactId === contactId), 'the survey decision');
    await twin.bus.settled();
    expect(fault.injected).toBe(sdkAttempts + 1);
    expect(survey).toMatchObject({ status: 'pending', customerId: customer.customerId });
    expect((await surveysOf(twin, tenant)).map((s) => s.contactId)).toEqual([contactId]);
    const deliveries = twin.bus.deliveries.filter(
      (d) => d.consumer === 'survey-dispatch' && (d.event.detail as { data: { contactId: string } }).data.contactId === contactId,
    );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(deliveries[0]!.lastError).toContain('ProvisionedThroughputExceededException');
    expect(twin.scheduler.list().filter((schedule) => schedule.Name === `survey-send-${survey.surveyId}`)).toHaveLength(1);
  }, 60_000);
});
