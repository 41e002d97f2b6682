import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { localClientConfig } from '../../infra/local/dynamodb';
import type * as TwinSupport from '../support/twin';
import type { TestTwin } from '../support/twin';

/**
 * Items are parsed when read (docs/developers/data-model.md): an item written by older code without a field
 * its reader now needs, or corrupted, is refused with StoredItemInvalid naming its key and the
 * failing paths, never a stored value. Each repo family is given such an item, written straight
 * to the table; an API handler answers a logged 500 problem, an event consumer throws.
 */

let twin: TestTwin;
let support: typeof TwinSupport;
let client: DynamoDBDocumentClient;
let tableName: string;
const lines: string[] = [];

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  support = await import('../support/twin');
  // Errors are logged to stderr, the rest to stdout.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      lines.push(...text.split('\n').filter((line) => line.startsWith('{')));
      return true;
    });
  }
  twin = await support.startTestTwin();
  const database = support.testDatabase();
  tableName = database.tableName;
  client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint: database.endpoint }));
});
afterAll(async () => {
  vi.restoreAllMocks();
  client.destroy();
  await twin.close();
});

const put = (item: Record<string, unknown>) => client.send(new PutCommand({ TableName: tableName, Item: item }));
/** A tenant of its own per case, written straight to the table: no API call reaches these items. */
const freshTenant = () => `ten_${randomUUID().replace(/-/g, '')}`;
const at = '2026-11-30T02:00:00.000Z';

async function expectRefused(read: Promise<unknown>, key: { pk: string; sk: string }, path: string) {
  const { StoredItemInvalid } = await import('../../shared/data/stored-item');
  const error = await read.then(
    () => undefined,
    (refusal: unknown) => refusal,
  );
  expect(error).toBeInstanceOf(StoredItemInvalid);
  const invalid = error as InstanceType<typeof StoredItemInvalid>;
  expect(invalid.key).toEqual(key);
  expect(invalid.issues.some((issue) => issue.startsWith(`${path} `))).toBe(true);
  return invalid;
}

describe('an item missing a required field is refused when read', () => {
  it('customers: over HTTP a logged 500 problem with the key and the failing path, and none of the personal data', async () => {
    const { api, createTenant } = support;
    const { apiKey, tenant } = await createTenant(twin, { name: 'Old Items Ltd' });
    const personal = { givenName: 'Meiling', familyName: 'Lin', phone: '0912 345 678', email: 'meiling.lin@example.org' };
    const created = await api(twin.url, 'POST', '/v1/customers', { key: apiKey, body: personal });
    expect(created.status).toBe(201);
    const customerId: string = created.body.customerId;
    const key = { pk: `T#${tenant.tenantId}#CUS#${customerId}`, sk: 'PROFILE' };
    // As a customer written before consent existed.
    await client.send(new UpdateCommand({ TableName: tableName, Key: key, UpdateExpression: 'REMOVE consent' }));

    const read = await api(twin.url, 'GET', `/v1/customers/${customerId}`, { key: apiKey });
    expect(read.status).toBe(500);
    expect(read.body).toMatchObject({ type: '/problems/internal', status: 500 });

    const { getCustomer } = await import('../../shared/data/customers-repo');
    await expectRefused(getCustomer(tenant.tenantId, customerId), key, 'consent');

    const logged = lines.filter((line) => line.includes('StoredItemInvalid'));
    expect(logged.length).toBeGreaterThan(0);
    const entry = JSON.parse(logged[0]!) as { correlation_id?: string; error: { message: string } };
    expect(entry.correlation_id).toBeTruthy();
    expect(entry.error.message).toContain(key.pk);
    expect(entry.error.message).toContain('consent invalid_type');
    for (const line of logged) {
      for (const value of ['Meiling', 'Lin"', '+886912345678', 'meiling.lin@example.org']) expect(line).not.toContain(value);
    }
  });

  it('customer unique values: the phone number in the key is not shown', async () => {
    const tenantId = freshTenant();
    await put({ pk: `T#${tenantId}#PHONE#+886911222333`, sk: 'UNIQUE', type: 'UniqueValue' });
    const { findCustomerIdBy } = await import('../../shared/data/customers-repo');
    const refused = await expectRefused(findCustomerIdBy(tenantId, 'PHONE', '+886911222333'), { pk: `T#${tenantId}#PHONE#…`, sk: 'UNIQUE' }, 'customerId');
    expect(refused.message).not.toContain('+886911222333');
  });

  it('contacts and referrals', async () => {
    const tenantId = freshTenant();
    const pk = `T#${tenantId}#CON#con_old`;
    await put({
      pk,
      sk: 'CONTACT',
      type: 'Contact',
      tenantId,
      contactId: 'con_old',
      status: 'open',
      direction: 'inbound',
      purpose: 'service',
      startedAt: at,
      version: 1,
      createdAt: at,
      updatedAt: at,
    });
    const { getContact } = await import('../../shared/data/contacts-repo');
    await expectRefused(getContact(tenantId, 'con_old'), { pk, sk: 'CONTACT' }, 'channel');
  });

  it('cases and their timeline', async () => {
    const tenantId = freshTenant();
    const pk = `T#${tenantId}#CASE#cas_old`;
    await put({ pk, sk: 'CASE', type: 'Case', tenantId, caseId: 'cas_old', caseType: 'complaint', severity: 'high', status: 'open' });
    const { getCase } = await import('../../shared/data/cases-repo');
    await expectRefused(getCase(tenantId, 'cas_old'), { pk, sk: 'CASE' }, 'sla');
  });

  it('customer overview: the projection items, and the consumer that keeps them throws (retried, then dead-lettered)', async () => {
    const tenantId = freshTenant();
    const customerId = 'cus_old';
    const pk = `T#${tenantId}#CUS#${customerId}`;
    await put({ pk, sk: 'OV#CON#2026-11-30T01:00:00.000Z#con_old', type: 'OverviewContact' });
    const { contactItems } = await import('../../shared/data/customer-overview-repo');
    await expectRefused(contactItems(tenantId, customerId), { pk, sk: 'OV#CON#2026-11-30T01:00:00.000Z#con_old' }, 'contact');

    const { handler } = await import('../../functions/customer-overview-projection/handler');
    const { newEvent } = await import('../../shared/events/events');
    const { contactClosed } = await import('../../shared/events/contact-events');
    const event = newEvent(contactClosed, tenantId, {
      contactId: 'con_new',
      status: 'closed',
      customerId,
      channel: 'chat',
      direction: 'inbound',
      purpose: 'service',
      startedAt: at,
      closedAt: at,
    });
    const delivery = { id: randomUUID(), source: 'switchboard', 'detail-type': event.detailType, detail: event.detail };
    await expect(handler(delivery as EventBridgeEvent<string, unknown>, {} as Context)).rejects.toMatchObject({ name: 'StoredItemInvalid' });
  });

  it('customer value: the transaction-id marker and the segments summary', async () => {
    const tenantId = freshTenant();
    const customerPk = `T#${tenantId}#CUS#cus_old`;
    await put({ pk: customerPk, sk: 'TXNID#txn_old', type: 'CustomerTransactionId' });
    await put({ pk: `T#${tenantId}`, sk: 'CUSTOMER_VALUE#SUMMARY', type: 'CustomerValueSummary', summary: { computedAt: null } });
    const { getSummary, getTransactionById } = await import('../../shared/data/customer-value-repo');
    await expectRefused(getTransactionById(tenantId, 'cus_old', 'txn_old'), { pk: customerPk, sk: 'TXNID#txn_old' }, 'transaction');
    await expectRefused(getSummary(tenantId), { pk: `T#${tenantId}`, sk: 'CUSTOMER_VALUE#SUMMARY' }, 'summary.asOf');
  });

  it('tenants, settings and API keys', async () => {
    const tenantId = freshTenant();
    await put({ pk: `T#${tenantId}`, sk: 'SETTINGS', type: 'Settings', locale: 'en', version: 1, updatedAt: at });
    await put({ pk: `T#${tenantId}`, sk: 'APIKEY#key_old', type: 'ApiKey', tenantId, keyId: 'key_old', name: 'Old', prefix: 'sk_old', secretHash: 'x', createdAt: at });
    const { getSettings } = await import('../../shared/data/tenants-repo');
    const { getApiKey } = await import('../../shared/data/api-keys-repo');
    await expectRefused(getSettings(tenantId), { pk: `T#${tenantId}`, sk: 'SETTINGS' }, 'timezone');
    await expectRefused(getApiKey(tenantId, 'key_old'), { pk: `T#${tenantId}`, sk: 'APIKEY#key_old' }, 'scopes');
  });

  it('webhooks', async () => {
    const tenantId = freshTenant();
    const key = { pk: `T#${tenantId}#WEBHOOKS`, sk: 'WH#wh_old' };
    await put({ ...key, type: 'Webhook', tenantId, webhookId: 'wh_old', url: 'https://example.com/hook', eventTypes: ['*'], enabled: true, version: 1, createdAt: at, updatedAt: at });
    const { getWebhook } = await import('../../shared/data/webhooks-repo');
    await expectRefused(getWebhook(tenantId, 'wh_old'), key, 'sealedSecret');
  });

  it('audit log entries', async () => {
    const tenantId = freshTenant();
    const key = { pk: `T#${tenantId}#AUDIT`, sk: 'aud_old' };
    await put({ ...key, type: 'AuditEntry', tenantId, entryId: 'aud_old', at, actor: { type: 'api-key', keyId: 'key_old' }, action: 'webhook.deleted', target: { type: 'webhook' }, summary: {} });
    const { listAuditLog } = await import('../../shared/data/audit-log-repo');
    await expectRefused(listAuditLog(tenantId, {}, 10), key, 'source');
  });

  it('survey templates, surveys and their link tokens', async () => {
    const tenantId = freshTenant();
    const templateKey = { pk: `T#${tenantId}#SVT#svt_old`, sk: 'TEMPLATE' };
    await put({ ...templateKey, type: 'SurveyTemplate', templateId: 'svt_old', version: 1, currentVersion: 1, status: 'active', name: 'Old' });
    const surveyKey = { pk: `T#${tenantId}#SVY#svy_old`, sk: 'SURVEY' };
    await put({ ...surveyKey, type: 'Survey', surveyId: 'svy_old', contactId: 'con_old', channel: 'voice', origin: 'rules', status: 'sent', deliveryChannel: 'sms', version: 1, createdAt: at, updatedAt: at });
    const tokenKey = { pk: 'T#_survey#TOKEN#old-token-hash', sk: 'TOKEN' };
    await put({ ...tokenKey, type: 'SurveyToken', tenantId, surveyId: 'svy_old' });
    const { getSurveyTemplate } = await import('../../shared/data/survey-templates-repo');
    const { findSurveyByTokenHash, getSurvey } = await import('../../shared/data/surveys-repo');
    await expectRefused(getSurveyTemplate(tenantId, 'svt_old'), templateKey, 'questions');
    await expectRefused(getSurvey(tenantId, 'svy_old'), surveyKey, 'answers');
    await expectRefused(findSurveyByTokenHash('old-token-hash'), tokenKey, 'linkExpiresAt');
  });

  it('unmatched SMS replies', async () => {
    const tenantId = freshTenant();
    const key = { pk: `T#${tenantId}#SMSIN#in_old`, sk: 'UNMATCHED' };
    await put({ ...key, type: 'UnmatchedSmsReply', tenantId, inboundMessageId: 'in_old', from: '+886911222333', to: '+886200000000', receivedAt: at });
    const { getUnmatchedReply } = await import('../../shared/data/sms-messages-repo');
    const refused = await expectRefused(getUnmatchedReply(tenantId, 'in_old'), key, 'body');
    expect(refused.message).not.toContain('+886911222333');
  });

  it('idempotency records, rate counters, the plan and the analytics backlog', async () => {
    const tenantId = freshTenant();
    const { keys } = await import('../../shared/data/keys');
    const idempotencyKey = keys.idempotency(tenantId, 'old-key-hash');
    await put({ ...idempotencyKey, state: 'completed', requestHash: 'h' });
    const { claimIdempotencyKey } = await import('../../shared/data/idempotency-store');
    await expectRefused(claimIdempotencyKey(tenantId, 'old-key-hash', 'h', 'key_old'), idempotencyKey, 'response');

    const window = { startsAt: 1_800_000_000, seconds: 60 };
    const { cachedTenantPlan, dynamoWindowCounter, rateCounterKey } = await import('../../shared/data/rate-limit-repo');
    await put({ ...rateCounterKey(tenantId, 'key_old', window), count: 'three' });
    await expect(dynamoWindowCounter.read(tenantId, 'key_old', window)).rejects.toMatchObject({ name: 'StoredItemInvalid' });
    await put({ ...keys.tenant(tenantId), type: 'Tenant', tenantId, name: 'Old', plan: 'gold', createdAt: at });
    await expectRefused(cachedTenantPlan(tenantId), keys.tenant(tenantId), 'plan');

    const { analyticsKeys, readOpenCaseCount } = await import('../../shared/data/analytics-repo');
    await put({ ...analyticsKeys.liveCases(tenantId), type: 'AnalyticsLive', openCases: '2' });
    await expectRefused(readOpenCaseCount(tenantId), analyticsKeys.liveCases(tenantId), 'openCases');
  });
});
