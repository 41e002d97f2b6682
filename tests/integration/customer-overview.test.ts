import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2, Context, EventBridgeEvent } from 'aws-lambda';
import { localClientConfig } from '../../infra/local/dynamodb';
import type { EventDefinition } from '../../shared/events/catalog';
import { type ContactSummary, contactClosed, contactOpened, referralConverted, referralLost, referralMade } from '../../shared/events/contact-events';
import { customerErased } from '../../shared/events/customer-events';
import { newEvent } from '../../shared/events/events';
import { surveyCompleted } from '../../shared/events/survey-events';
import type * as z from '../../shared/zod';
import { api, createTenant, startTestTwin, testDatabase, type TestTwin } from '../support/twin';

/**
 * The customer 360 overview over HTTP on the local twin, and its cost: the handler is also run in
 * process, where a middleware on the document client every handler shares records each DynamoDB
 * request sent inside that one invocation (an AsyncLocalStorage marks it, so the twin's consumers
 * working in the background, the projection's included, are not counted). The overview reads a
 * projection a consumer keeps from events, so each test lets the events settle before it reads.
 */

let twin: TestTwin;
let key: string;
let tenantId: string;

interface SentCommand {
  command: string;
  input: string;
  /** Requests of the same invocation still waiting for their answer when this one was sent. */
  alongside: number;
}
const invocation = new AsyncLocalStorage<{ sent: SentCommand[]; inFlight: number }>();

beforeAll(async () => {
  twin = await startTestTwin();
  // Imported after the twin set the functions' environment, like the handlers themselves.
  const { db } = await import('../../shared/data/client');
  db().middlewareStack.add(
    (next, context) => async (args) => {
      const store = invocation.getStore();
      if (!store) return next(args);
      store.sent.push({ command: String(context.commandName), input: JSON.stringify(args.input), alongside: store.inFlight });
      store.inFlight++;
      try {
        return await next(args);
      } finally {
        store.inFlight--;
      }
    },
    { step: 'initialize', name: 'overviewRequestCounter' },
  );
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  tenantId = tenant.tenant.tenantId;
});
afterAll(() => twin.close());

/** Runs the overview handler in process as API Gateway would invoke it, with the requests it sent. */
async function overviewInProcess(customerId: string): Promise<{ answer: APIGatewayProxyStructuredResultV2; sent: SentCommand[] }> {
  const { handler } = await import('../../functions/customer-overview/handler');
  const store = { sent: [] as SentCommand[], inFlight: 0 };
  const path = `/v1/customers/${customerId}/overview`;
  const event = {
    version: '2.0',
    routeKey: 'GET /v1/customers/{customerId}/overview',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    pathParameters: { customerId },
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: randomUUID(),
      routeKey: 'GET /v1/customers/{customerId}/overview',
      stage: '$default',
      time: '',
      timeEpoch: Date.now(),
      authorizer: { lambda: { tenantId, keyId: 'key_test', scopes: 'readonly' } },
    },
  };
  const context = {
    functionName: 'switchboard-customer-overview',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:switchboard-customer-overview',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/switchboard-customer-overview',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Context;
  const answer = (await invocation.run(store, () => handler(event as never, context))) as APIGatewayProxyStructuredResultV2;
  return { answer, sent: store.sent };
}

/**
 * Until the projection caught up with what was written: the outbox's stream is polled (twice, so
 * that one whole poll began after the writes), then the bus's deliveries finish.
 */
async function settle() {
  await twin.aws.stream?.drained();
  await twin.aws.stream?.drained();
  await twin.bus.settled();
}

/** Requests of the per-tenant rate limit the HTTP core makes on every tenant request, not of the overview. */
const isRateLimit = (command: SentCommand) => command.input.includes('#RATE#') || command.input.includes('"TENANT"');

const post = async (path: string, body: unknown) => {
  const answer = await api(twin.url, 'POST', path, { key, body });
  expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  return answer.body;
};

async function withTable<T>(use: (client: DynamoDBDocumentClient, tableName: string) => Promise<T>): Promise<T> {
  const { endpoint, tableName } = testDatabase();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint }));
  try {
    return await use(client, tableName);
  } finally {
    client.destroy();
  }
}

/** The sort keys of the customer's overview projection items, as stored. */
const projectionSortKeys = (customerId: string) =>
  withTable(async (client, tableName) => {
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ov)',
        ExpressionAttributeValues: { ':pk': `T#${tenantId}#CUS#${customerId}`, ':ov': 'OV#' },
      }),
    );
    return Items.map((item) => item.sk as string);
  });

async function setCustomerValue(customerId: string, value: { segment: string } & Record<string, unknown>) {
  await withTable(async (client, tableName) => {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `T#${tenantId}#CUS#${customerId}`, sk: 'PROFILE' },
        // As the customer-value job stores it: the value, and the segment's sparse listing key.
        UpdateExpression: 'SET #value = :value, gsi2pk = :segment, gsi2sk = :customerId',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':value': value, ':segment': `T#${tenantId}#CUSTOMERS#SEGMENT#${value.segment}`, ':customerId': customerId },
      }),
    );
  });
}

/** Delivers one catalogued event straight to the projection consumer, as EventBridge would. */
async function deliverToProjection<Data extends z.ZodMiniType>(
  definition: EventDefinition<string, Data>,
  data: z.input<Data>,
  occurredAt?: string,
) {
  const { handler } = await import('../../functions/customer-overview-projection/handler');
  const event = newEvent(definition, tenantId, data, occurredAt);
  const delivery = { id: randomUUID(), source: 'switchboard', 'detail-type': event.detailType, detail: event.detail };
  await handler(delivery as EventBridgeEvent<string, unknown>, {} as Context);
  return { redeliver: () => handler(delivery as EventBridgeEvent<string, unknown>, {} as Context) };
}


describe('GET /v1/customers/{customerId}/overview', () => {
  let customerId: string;
  const contactIds: string[] = [];
  let openCaseId: string;
  let resolvedCaseId: string;
  let openReferralId: string;
  let convertedReferralId: string;
  let lostReferralId: string;
  let oldContactReferralId: string;
  let surveyId: string;
  // Whole, as the customer-value job leaves it: a customer is read through its schema, so a partial value would be refused.
  const value = {
    currency: 'TWD',
    purchaseCount: 12,
    refundCount: 0,
    monetaryTotal: 48_000,
    marginTotal: 12_000,
    lastTransactionAt: '2026-11-30T02:00:00.000Z',
    segment: 'champions',
    tier: 'high',
    lifetimeValue: 12345.5,
    scores: { recency: 5, frequency: 5, monetary: 4, recencyDays: 3 },
  };

  beforeAll(async () => {
    const customer = await post('/v1/customers', {
      displayName: '林美玲',
      phone: '0912 000 111',
      language: 'zh-TW',
      consent: { sms: { status: 'granted', source: 'web-form', at: '2026-11-01T09:00:00+08:00' } },
    });
    customerId = customer.customerId;
    // Twelve contacts, an hour apart: the overview shows the latest ten.
    for (let i = 0; i < 12; i++) {
      const contact = await post('/v1/contacts', {
        channel: 'voice',
        direction: 'inbound',
        customerId,
        queue: '客服',
        agentId: 'agent-1',
        queuedAt: new Date(Date.UTC(2026, 10, 10, i)).toISOString(),
        answeredAt: new Date(Date.UTC(2026, 10, 10, i, 0, 20)).toISOString(),
        notes: `private note ${i}`,
      });
      contactIds.push(contact.contactId);
    }
    const latest = contactIds[11]!;
    openReferralId = (await post(`/v1/contacts/${latest}/referrals`, { product: 'Fibre 1G' })).referralId;
    convertedReferralId = (await post(`/v1/contacts/${latest}/referrals`, { product: 'Mobile plan' })).referralId;
    lostReferralId = (await post(`/v1/contacts/${contactIds[10]}/referrals`, { product: 'TV' })).referralId;
    const converted = await api(twin.url, 'PATCH', `/v1/contacts/${latest}/referrals/${convertedReferralId}`, {
      key,
      body: { status: 'converted', value: { amount: 599, currency: 'TWD' } },
    });
    expect(converted.status).toBe(200);
    const lost = await api(twin.url, 'PATCH', `/v1/contacts/${contactIds[10]}/referrals/${lostReferralId}`, {
      key,
      body: { status: 'lost', reason: 'Too expensive' },
    });
    expect(lost.status).toBe(200);
    // The customer's open referrals show whichever contact they were made on.
    oldContactReferralId = (await post(`/v1/contacts/${contactIds[0]}/referrals`, { product: 'Old offer' })).referralId;

    await post(`/v1/contacts/${latest}/close`, { outcome: 'resolved' });
    const survey = await post('/v1/surveys', { contactId: latest, deliveryChannel: 'link' });
    surveyId = survey.surveyId;
    const answered = await api(twin.url, 'POST', survey.linkPath, {
      // The default template asks CSAT, and what to improve only after a low one.
      body: new URLSearchParams({ csat: '5' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answered.status).toBe(200);

    openCaseId = (await post('/v1/cases', { type: 'complaint', category: 'billing', subject: '重複扣款', customerId })).caseId;
    resolvedCaseId = (await post('/v1/cases', { type: 'inquiry', category: 'plans', subject: 'Which plan?', customerId })).caseId;
    await post(`/v1/cases/${resolvedCaseId}/events`, { type: 'status_change', to: 'in_progress' });
    await post(`/v1/cases/${resolvedCaseId}/events`, { type: 'status_change', to: 'resolved' });
    await setCustomerValue(customerId, value);
    await settle();
  });

  it('shows profile, consent, value, the latest ten contacts, open cases with SLA, the latest survey scores and referrals', async () => {
    const answer = await api(twin.url, 'GET', `/v1/customers/${customerId}/overview`, { key });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const overview = answer.body;
    expect(overview.customer).toMatchObject({
      customerId,
      displayName: '林美玲',
      phone: '+886912000111',
      consent: { sms: { status: 'granted', source: 'web-form' } },
    });
    expect(overview.customer.value).toEqual(value);
    // The customer exactly as its own read shows it, storage keys (the segment's gsi2 included) left out.
    expect(overview.customer).toEqual((await api(twin.url, 'GET', `/v1/customers/${customerId}`, { key })).body);

    expect(overview.recentContacts.map((c: { contactId: string }) => c.contactId)).toEqual(contactIds.slice(2).reverse());
    // The closed contact shows closed, whichever of its events the projection saw last.
    expect(overview.recentContacts[0]).toMatchObject({ contactId: contactIds[11], status: 'closed', outcome: 'resolved', queue: '客服' });
    expect(overview.recentContacts[1]).toMatchObject({ contactId: contactIds[10], status: 'open' });
    expect(JSON.stringify(overview.recentContacts)).not.toMatch(/private note|912000111/);
    // The projection itself keeps only ten contacts, whatever the history.
    expect((await projectionSortKeys(customerId)).filter((sk) => sk.startsWith('OV#CON#'))).toHaveLength(10);

    expect(overview.openCases).toHaveLength(1);
    const open = overview.openCases[0];
    expect(open).toMatchObject({ caseId: openCaseId, type: 'complaint', category: 'billing', status: 'open', breached: false });
    expect(JSON.stringify(overview.openCases)).not.toContain('重複扣款');
    const caseRead = await api(twin.url, 'GET', `/v1/cases/${openCaseId}`, { key });
    expect(open.severity).toBe(caseRead.body.severity);
    expect(open.openedAt).toBe(caseRead.body.openedAt);
    expect(open.sla.firstResponse.dueAt).toBe(caseRead.body.sla.firstResponse.dueAt);
    expect(open.sla.resolution.dueAt).toBe(caseRead.body.sla.resolution.dueAt);
    expect(JSON.stringify(overview.openCases)).not.toContain(resolvedCaseId);
    expect(overview.olderCasesNotRead).toBe(false);

    expect(overview.latestSurvey).toMatchObject({
      surveyId,
      contactId: contactIds[11],
      scores: { csat: 5 },
    });
    expect(overview.latestSurvey.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(overview.latestSurvey.words).toEqual([]);
    // A champion with an open complaint: the complaint comes first.
    expect(overview.suggestedNextStep).toEqual({ action: 'recover_first', caseId: openCaseId });

    expect(overview.referrals.open.map((r: { referralId: string }) => r.referralId)).toEqual([oldContactReferralId, openReferralId]);
    expect(overview.referrals.open[1]).toMatchObject({ contactId: contactIds[11], product: 'Fibre 1G', status: 'open' });
    expect(overview.referrals.converted).toEqual([
      expect.objectContaining({ referralId: convertedReferralId, status: 'converted', product: 'Mobile plan', value: { amount: 599, currency: 'TWD' } }),
    ]);
    expect(JSON.stringify(overview.referrals)).not.toContain(lostReferralId);
  });

  it('takes exactly ONE DynamoDB request: a consistent Query of the customer partition from OV# to PROFILE', async () => {
    const { answer, sent } = await overviewInProcess(customerId);
    expect(answer.statusCode).toBe(200);
    const overviewRequests = sent.filter((command) => !isRateLimit(command));
    expect(overviewRequests.map((command) => command.command)).toEqual(['QueryCommand']);
    const input = JSON.parse(overviewRequests[0]!.input);
    expect(input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :projection AND :profile',
      ExpressionAttributeValues: { ':pk': `T#${tenantId}#CUS#${customerId}`, ':projection': 'OV#', ':profile': 'PROFILE' },
      ConsistentRead: true,
    });
    expect(JSON.parse(String(answer.body))).toEqual((await api(twin.url, 'GET', `/v1/customers/${customerId}/overview`, { key })).body);
  });

  it('takes one DynamoDB request for a customer with no history too', async () => {
    const fresh = await post('/v1/customers', { displayName: 'New' });
    const { answer, sent } = await overviewInProcess(fresh.customerId);
    expect(answer.statusCode).toBe(200);
    expect(sent.filter((command) => !isRateLimit(command)).map((command) => command.command)).toEqual(['QueryCommand']);
    expect(JSON.parse(String(answer.body))).toMatchObject({
      recentContacts: [],
      openCases: [],
      latestSurvey: null,
      referrals: { open: [], converted: [] },
      suggestedNextStep: { action: 'listen' },
    });
  });

  it('shows a reopened case again, and drops it when it is resolved anew', async () => {
    await post(`/v1/cases/${resolvedCaseId}/events`, { type: 'status_change', to: 'open' });
    await settle();
    const reopened = await api(twin.url, 'GET', `/v1/customers/${customerId}/overview`, { key });
    expect(reopened.body.openCases.map((c: { caseId: string }) => c.caseId)).toEqual([resolvedCaseId, openCaseId]);
    expect(reopened.body.openCases[0].status).toBe('open');

    await post(`/v1/cases/${resolvedCaseId}/events`, { type: 'status_change', to: 'in_progress' });
    await post(`/v1/cases/${resolvedCaseId}/events`, { type: 'status_change', to: 'resolved' });
    await settle();
    const resolved = await api(twin.url, 'GET', `/v1/customers/${customerId}/overview`, { key });
    expect(resolved.body.openCases.map((c: { caseId: string }) => c.caseId)).toEqual([openCaseId]);
  });

  it('keeps what it shows under duplicated deliveries through the bus', async () => {
    const before = (await api(twin.url, 'GET', `/v1/customers/${customerId}/overview`, { key })).body;
    twin.bus.setDeliverTwice(true);
    try {
      const contact = await post('/v1/contacts', { channel: 'chat', direction: 'inbound', customerId, queuedAt: '2026-11-11T00:00:00.000Z', answeredAt: '2026-11-11T00:00:04.000Z' });
      const referral = await post(`/v1/contacts/${contact.contactId}/referrals`, { product: 'Twice' });
      await post(`/v1/contacts/${contact.contactId}/close`, { outcome: 'resolved' });
      await settle();
      const after = (await api(twin.url, 'GET', `/v1/customers/${customerId}/overview`, { key })).body;
      expect(after.recentContacts.map((c: { contactId: string }) => c.contactId)).toEqual([contact.contactId, ...before.recentContacts.slice(0, 9).map((c: { contactId: string }) => c.contactId)]);
      expect(after.recentContacts[0].status).toBe('closed');
      expect((await projectionSortKeys(customerId)).filter((sk) => sk.startsWith('OV#CON#'))).toHaveLength(10);
      expect(after.referrals.open.filter((r: { referralId: string }) => r.referralId === referral.referralId)).toHaveLength(1);
      const closedDeliveries = twin.bus.deliveries.filter(
        (delivery) =>
          delivery.consumer === 'customer-overview-projection' &&
          delivery.event['detail-type'] === 'Contact Closed' &&
          JSON.stringify(delivery.event.detail).includes(contact.contactId),
      );
      expect(closedDeliveries).toHaveLength(2);
      expect(twin.bus.deadLetters.filter((letter) => letter.consumer === 'customer-overview-projection')).toEqual([]);
    } finally {
      twin.bus.setDeliverTwice(false);
    }
  });

  it('answers an erased customer 410 with the tombstone, deletes its projection, and a late event brings nothing back', async () => {
    const doomed = await post('/v1/customers', { displayName: '陳大文', phone: '0912 000 222' });
    const contact = await post('/v1/contacts', { channel: 'chat', direction: 'inbound', customerId: doomed.customerId, notes: 'secret note' });
    await settle();
    expect(await projectionSortKeys(doomed.customerId)).toHaveLength(1);

    expect((await api(twin.url, 'DELETE', `/v1/customers/${doomed.customerId}`, { key })).status).toBe(204);
    await settle();
    expect(await projectionSortKeys(doomed.customerId)).toEqual([]);
    const late = await api(twin.url, 'GET', `/v1/contacts/${contact.contactId}`, { key });
    await deliverToProjection(contactClosed, { ...lateSummary(late.body), status: 'closed', closedAt: new Date().toISOString() });
    await deliverToProjection(referralMade, { contactId: contact.contactId, referralId: 'ref_late', customerId: doomed.customerId, product: 'Late', madeAt: new Date().toISOString() });
    expect(await projectionSortKeys(doomed.customerId)).toEqual([]);

    const answer = await api(twin.url, 'GET', `/v1/customers/${doomed.customerId}/overview`, { key });
    const plain = await api(twin.url, 'GET', `/v1/customers/${doomed.customerId}`, { key });
    expect(answer.status).toBe(410);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body.detail).toBe(plain.body.detail);
    expect(answer.body).toMatchObject({ customerId: doomed.customerId, erasedAt: expect.any(String) });
    expect(JSON.stringify(answer.body)).not.toMatch(/陳大文|secret note|912000222/);
  });

  it('answers 404 for an unknown id and for an id that is not a customer id, alike', async () => {
    const unknown = await api(twin.url, 'GET', '/v1/customers/cus_01JZZZZZZZZZZZZZZZZZZZZZZZ/overview', { key });
    const malformed = await api(twin.url, 'GET', '/v1/customers/nonsense/overview', { key });
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(malformed.body.detail).toBe(unknown.body.detail);
  });

  it("answers another tenant's customer 404, exactly as a missing one", async () => {
    const other = await createTenant(twin, { name: 'Other' });
    const answer = await api(twin.url, 'GET', `/v1/customers/${customerId}/overview`, { key: other.apiKey });
    const missing = await api(twin.url, 'GET', '/v1/customers/cus_01JZZZZZZZZZZZZZZZZZZZZZZZ/overview', { key: other.apiKey });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ ...missing.body, instance: answer.body.instance });
    expect(JSON.stringify(answer.body)).not.toContain('林美玲');
  });
});

/** A contact's event summary, from the contact as the API shows it. */
function lateSummary(contact: Record<string, unknown>) {
  const fields = ['contactId', 'customerId', 'channel', 'direction', 'purpose', 'queue', 'agentId', 'startedAt', 'queuedAt'];
  return Object.fromEntries(fields.filter((name) => contact[name] !== undefined).map((name) => [name, contact[name]])) as ContactSummary;
}

describe('the overview projection under late, reordered and repeated events', () => {
  let customerId: string;
  const overview = async () => (await api(twin.url, 'GET', `/v1/customers/${customerId}/overview`, { key })).body;
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString();
  const contact = (contactId: string, startedAt: string) => ({
    contactId,
    customerId,
    channel: 'voice' as const,
    direction: 'inbound' as const,
    purpose: 'service' as const,
    startedAt,
  });

  beforeAll(async () => {
    customerId = (await post('/v1/customers', { displayName: 'Reordered' })).customerId;
  });

  it('a contact closed before its opening arrives stays closed, and a repeat changes nothing', async () => {
    const closed = await deliverToProjection(contactClosed, { ...contact('con_reordered', at(0)), status: 'closed', outcome: 'resolved', closedAt: at(5) });
    await deliverToProjection(contactOpened, { ...contact('con_reordered', at(0)), status: 'open' });
    await closed.redeliver();
    expect((await overview()).recentContacts).toEqual([expect.objectContaining({ contactId: 'con_reordered', status: 'closed', outcome: 'resolved' })]);
  });

  it('a contact whose start moved between opening and closing is shown once, closed', async () => {
    await deliverToProjection(contactOpened, { ...contact('con_moved', at(10)), status: 'open' });
    await deliverToProjection(contactClosed, { ...contact('con_moved', at(8)), status: 'closed', closedAt: at(12) });
    const shown = (await overview()).recentContacts.filter((c: { contactId: string }) => c.contactId === 'con_moved');
    expect(shown).toEqual([expect.objectContaining({ startedAt: at(8), status: 'closed' })]);
  });

  it('an older completed survey delivered late does not replace the latest', async () => {
    const survey = (surveyId: string, completedAt: string, csat: number) => ({
      surveyId,
      contactId: 'con_reordered',
      customerId,
      channel: 'voice',
      templateId: 'svt_x',
      templateVersion: 1,
      completedAt,
      scores: { csat },
    });
    await deliverToProjection(surveyCompleted, survey('svy_newer', at(30), 2));
    await deliverToProjection(surveyCompleted, survey('svy_older', at(20), 5));
    expect((await overview()).latestSurvey).toMatchObject({ surveyId: 'svy_newer', scores: { csat: 2 } });
  });

  it('a referral converted before its making arrives stays converted; a lost one never comes back as open', async () => {
    const facts = (referralId: string, product: string) => ({ contactId: 'con_reordered', referralId, customerId, product });
    await deliverToProjection(referralConverted, { ...facts('ref_conv', 'Fibre'), value: { amount: 100, currency: 'TWD' }, convertedAt: at(40) });
    await deliverToProjection(referralMade, { ...facts('ref_conv', 'Fibre'), madeAt: at(35) });
    await deliverToProjection(referralLost, { ...facts('ref_lost', 'TV'), lostAt: at(41) });
    const made = await deliverToProjection(referralMade, { ...facts('ref_lost', 'TV'), madeAt: at(36) });
    await made.redeliver();
    const { referrals } = await overview();
    expect(referrals.converted).toEqual([
      { referralId: 'ref_conv', contactId: 'con_reordered', product: 'Fibre', status: 'converted', value: { amount: 100, currency: 'TWD' }, madeAt: at(35), settledAt: at(40) },
    ]);
    expect(referrals.open).toEqual([]);
  });

  it('an older state of a case never replaces a newer one', async () => {
    const caseId = (await post('/v1/cases', { type: 'complaint', category: 'billing', subject: 'x', customerId })).caseId;
    await post(`/v1/cases/${caseId}/events`, { type: 'status_change', to: 'in_progress' });
    await settle();
    const { getCase } = await import('../../shared/data/cases-repo');
    const { putCaseSummary } = await import('../../shared/data/customer-overview-repo');
    const current = (await getCase(tenantId, caseId))!.case;
    expect(await putCaseSummary(tenantId, customerId, { ...current, version: current.version - 1, status: 'open' })).toBe(false);
    expect(await putCaseSummary(tenantId, customerId, current)).toBe(false);
    expect((await overview()).openCases).toEqual([expect.objectContaining({ caseId, status: 'in_progress' })]);
  });

  it('an erasure removes every projection item', async () => {
    expect((await projectionSortKeys(customerId)).length).toBeGreaterThan(0);
    await deliverToProjection(customerErased, { customerId, erasedAt: at(59) });
    expect(await projectionSortKeys(customerId)).toEqual([]);
  });
});
