import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../infra/local/dynamodb';
import { api, createTenant, startTestTwin, testDatabase, type TestTwin } from '../support/twin';
import { eventually } from '../support/waiting';
import { allocate, registerConnectInstance } from '../support/operator';
import { captureLogLines } from '../support/log-capture';

type ConnectEvent = EventBridgeEvent<string, Record<string, unknown>>;

let twin: TestTwin;
let handler: (event: ConnectEvent, context: Context) => Promise<void>;
let acme: { key: string; tenantId: string };
let globex: { key: string; tenantId: string };
/** Acme's Connect instance for the whole file (each run gets its own: routing items outlive a tenant's test). */
const acmeInstance = newInstanceArn();

/**
 * Every transaction DynamoDB committed for the connect-ingest handler called by these tests. The
 * twin's consumers share the process and its client, so their writes (analytics, the overview
 * projection, reacting to earlier tests' events) are told apart by the async context.
 */
const committedTransactions: string[] = [];
const ingesting = new AsyncLocalStorage<true>();

const context = {
  functionName: 'switchboard-local-connect-ingest',
  awsRequestId: 'test',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:switchboard-local-connect-ingest',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

beforeAll(async () => {
  twin = await startTestTwin();
  // Imported after the twin set the functions' environment, like the handlers themselves.
  const { db } = await import('../../shared/data/client');
  db().middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const input = args.input as { TransactItems?: unknown };
      if (input.TransactItems && ingesting.getStore()) committedTransactions.push(JSON.stringify(input.TransactItems));
      return result;
    },
    { step: 'initialize', name: 'committedTransactionSpy' },
  );
  const ingest = ((await import('../../functions/connect-ingest/handler')) as unknown as { handler: typeof handler }).handler;
  handler = (event, lambdaContext) => ingesting.run(true, () => ingest(event, lambdaContext));
  const first = await createTenant(twin, { name: 'Acme Support' });
  const second = await createTenant(twin, { name: 'Globex Care' });
  acme = { key: first.apiKey, tenantId: first.tenant.tenantId };
  globex = { key: second.apiKey, tenantId: second.tenant.tenantId };
  await registerConnectInstance(twin, acme.tenantId, acmeInstance);
  const connected = await setInstances(acme.key, [acmeInstance]);
  expect(connected.status).toBe(200);
});
afterAll(() => twin.close());

function newInstanceArn(account = '123456789012') {
  return `arn:aws:connect:us-west-2:${account}:instance/${randomUUID()}`;
}

/** An AWS account id of its own: an account is registered to one tenant. */
const newAccount = () => String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));

const setInstances = (key: string, instanceArns: string[]) => api(twin.url, 'PATCH', '/v1/settings', { key, body: { connect: { instanceArns } } });

const fixtureDir = new URL('../fixtures/connect/', import.meta.url);
const callFixtures = ['call-1-initiated', 'call-2-queued', 'call-3-connected-to-agent', 'call-4-disconnected', 'call-5-completed'];
const fixtureInstance = 'arn:aws:connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012';

/**
 * A fixture as one tenant's Connect would send it: the instance and the contact id replaced
 * everywhere they appear (detail, resources), so that each test has its own contact.
 */
function fixtureFor(name: string, instanceArn: string, contactId: string): ConnectEvent {
  const text = readFileSync(new URL(`${name}.json`, fixtureDir), 'utf8');
  const original = JSON.parse(text) as ConnectEvent;
  const originalContactId = String(original.detail.contactId ?? original.detail.ContactId);
  const event = JSON.parse(text.replaceAll(fixtureInstance, instanceArn).replaceAll(originalContactId, contactId)) as ConnectEvent;
  // Connect's events name the account they come from: the instance's own.
  return { ...event, account: instanceArn.split(':')[4]! };
}

const callEvents = (instanceArn: string, contactId: string) => callFixtures.map((name) => fixtureFor(name, instanceArn, contactId));

async function storedItem(itemKey: { pk: string; sk: string }) {
  const { endpoint, tableName } = testDatabase();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint }));
  try {
    return (await client.send(new GetCommand({ TableName: tableName, Key: itemKey, ConsistentRead: true }))).Item;
  } finally {
    client.destroy();
  }
}

/** The Switchboard contact logged for a Connect contact, read through the API as the tenant sees it. */
async function contactFor(tenant: { key: string; tenantId: string }, connectContactId: string) {
  const marker = await storedItem({ pk: `T#${tenant.tenantId}#CONEXT#${connectContactId}`, sk: 'UNIQUE' });
  if (!marker) return undefined;
  const read = await api(twin.url, 'GET', `/v1/contacts/${marker.contactId as string}`, { key: tenant.key });
  expect(read.status).toBe(200);
  return read.body;
}

/** Committed outbox records of one detail-type about this Connect contact. */
function committedEvents(detailType: string, connectContactId: string) {
  return committedTransactions
    .flatMap((items) => JSON.parse(items) as { Put?: { Item?: Record<string, unknown> } }[])
    .map((item) => item.Put?.Item)
    .filter((item) => item?.type === 'OutboxEvent' && item.detailType === detailType)
    .filter((item) => JSON.stringify(item!.detail).includes(`"externalContactId":"${connectContactId}"`));
}

/** What a user reads on the contact: everything but its id and bookkeeping. */
function figures(contact: Record<string, unknown>) {
  const { contactId: _id, version: _v, createdAt: _c, updatedAt: _u, closedAt: _closed, startedAt: _s, referrals: _r, ...rest } = contact;
  return rest;
}

describe('§1 Amazon Connect instances: registered by the operator, listed in the tenant settings', () => {
  it('shows the registered instance in the settings, lowercased, and refuses what is not an instance ARN', async () => {
    const settings = await api(twin.url, 'GET', '/v1/settings', { key: acme.key });
    expect(settings.body.connect).toEqual({ instanceArns: [acmeInstance] });
    const mixedCase = newInstanceArn(newAccount()).replace(/instance\/(.+)$/, (_, id: string) => `instance/${id.toUpperCase()}`);
    const other = await createTenant(twin);
    await registerConnectInstance(twin, other.tenant.tenantId, mixedCase);
    const accepted = await setInstances(other.apiKey, [mixedCase]);
    expect(accepted.status).toBe(200);
    expect(accepted.body.connect.instanceArns).toEqual([mixedCase.toLowerCase()]);

    const refused = await setInstances(other.apiKey, ['arn:aws:connect:us-west-2:123456789012:instance/not-an-id', acmeInstance, acmeInstance]);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['$.connect.instanceArns', '$.connect.instanceArns[0]']);
  });

  it("§1 refuses in settings an instance the operator did not register to the tenant (another tenant's, or nobody's) with 422 naming the field, changing nothing", async () => {
    const nobodys = newInstanceArn(newAccount());
    for (const instance of [acmeInstance, nobodys]) {
      const refused = await setInstances(globex.key, [instance]);
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body.type).toBe('/problems/not-allocated');
      expect(refused.body.errors).toEqual([{ path: '$.connect.instanceArns[0]', message: expect.stringContaining('Not allocated') }]);
      expect(JSON.stringify(refused.body)).not.toContain(acme.tenantId);
    }
    const globexSettings = await api(twin.url, 'GET', '/v1/settings', { key: globex.key });
    expect(globexSettings.body.connect).toEqual({ instanceArns: [] });
    expect(globexSettings.body.version).toBe(1);
  });

  it("§1 one instance, one tenant: the operator's second registration gets 409 resource-taken without naming the holder; released, it can be handed over", async () => {
    const account = newAccount();
    const instance = newInstanceArn(account);
    const holder = await createTenant(twin);
    await registerConnectInstance(twin, holder.tenant.tenantId, instance);
    expect((await setInstances(holder.apiKey, [instance])).status).toBe(200);

    const taken = await api(twin.url, 'POST', `/v1/operator/tenants/${globex.tenantId}/allocations`, { key: twin.operatorKey, body: { resource: { kind: 'connect-account', id: account } } });
    expect(taken.status).toBe(409);
    expect(taken.body.type).toBe('/problems/resource-taken');
    expect(taken.body.errors).toEqual([{ path: '$.resource.id', message: 'Allocated to another tenant' }]);
    expect(JSON.stringify(taken.body)).not.toContain(holder.tenant.tenantId);

    // Released while the settings list it: refused, naming the setting.
    const release = (kind: string, id: string) => api(twin.url, 'POST', `/v1/operator/tenants/${holder.tenant.tenantId}/allocations/release`, { key: twin.operatorKey, body: { resource: { kind, id } } });
    const inUse = await release('connect-instance', instance);
    expect(inUse.status).toBe(409);
    expect(inUse.body.type).toBe('/problems/resource-in-use');
    expect(inUse.body.errors[0].message).toContain('$.connect.instanceArns[0]');
    expect((await setInstances(holder.apiKey, [])).status).toBe(200);
    expect((await release('connect-instance', instance)).status).toBe(200);
    expect((await release('connect-account', account)).status).toBe(200);
    expect(await storedItem({ pk: `T#_connect#INSTANCE#${instance}`, sk: 'ROUTE' })).toBeUndefined();

    await registerConnectInstance(twin, globex.tenantId, instance);
    expect(await storedItem({ pk: `T#_connect#INSTANCE#${instance}`, sk: 'ROUTE' })).toMatchObject({ tenantId: globex.tenantId });
    await release('connect-instance', instance).then(() => undefined);
  });
});

describe('Amazon Connect contact events', () => {
  it('log an answered call from INITIATED to COMPLETED as a closed contact with its queue, agent, times and figures', async () => {
    const connectContactId = randomUUID();
    for (const event of callEvents(acmeInstance, connectContactId)) await handler(event, context);

    const contact = await contactFor(acme, connectContactId);
    expect(contact).toMatchObject({
      status: 'closed',
      channel: 'voice',
      direction: 'inbound',
      purpose: 'service',
      externalContactId: connectContactId,
      queue: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa',
      agentId: 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb',
      queuedAt: '2024-03-05T01:00:20.000Z',
      answeredAt: '2024-03-05T01:01:05.000Z',
      endedAt: '2024-03-05T01:06:35.000Z',
      afterContactWorkEndedAt: '2024-03-05T01:07:35.000Z',
      waitSeconds: 45,
      handleSeconds: 390,
      startedAt: '2024-03-05T01:00:20.000Z',
    });
    expect(contact.outcome).toBeUndefined();
    expect(committedEvents('Contact Opened', connectContactId)).toHaveLength(1);
    expect(committedEvents('Contact Closed', connectContactId)).toHaveLength(1);
    expect(committedEvents('Contact Closed', connectContactId)[0]!.detail).toMatchObject({
      tenantId: acme.tenantId,
      data: { contactId: contact.contactId, status: 'closed', waitSeconds: 45, handleSeconds: 390 },
    });

    // It is one of the tenant's contacts like any other: in the agent's list.
    const list = await api(twin.url, 'GET', '/v1/contacts?agentId=bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb', { key: acme.key });
    expect(list.body.items.map((item: { contactId: string }) => item.contactId)).toContain(contact.contactId);
  });

  it.each([
    ['an upper-case agent UUID', (agentArn: string) => agentArn.replace('bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb', 'BBBBBBBB-2222-4222-8222-BBBBBBBBBBBB')],
    ['an agent ARN it does not end as expected (a trailing /)', (agentArn: string) => `${agentArn}/`],
  ])('store the agent as its Connect UUID, lower case, an agent id like any other, from %s', async (_name, agentArnAs) => {
    const connectContactId = randomUUID();
    const events = callEvents(acmeInstance, connectContactId).map((event) => {
      // The samples spell it AgentInfo.AgentArn and agentInfo.agentArn.
      const agentInfo = (event.detail.AgentInfo ?? event.detail.agentInfo) as Record<string, string> | undefined;
      const key = agentInfo && Object.keys(agentInfo).find((name) => name.toLowerCase() === 'agentarn');
      if (key) agentInfo[key] = agentArnAs(agentInfo[key]!);
      return event;
    });
    expect(events.filter((event) => JSON.stringify(event).includes(agentArnAs('/agent/bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb')))).toHaveLength(3);
    for (const event of events) await handler(event, context);
    // The twin checks each answer against the document: an agent id the AgentId schema refuses would not be answered.
    const contact = await contactFor(acme, connectContactId);
    expect(contact.agentId).toBe('bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb');
    const list = await api(twin.url, 'GET', '/v1/contacts?agentId=bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb', { key: acme.key });
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { contactId: string }) => item.contactId)).toContain(contact.contactId);
  });

  it('give the same contact and one Contact Closed when the events come shuffled and duplicated', async () => {
    const inOrderId = randomUUID();
    for (const event of callEvents(acmeInstance, inOrderId)) await handler(event, context);
    const expected = figures((await contactFor(acme, inOrderId))!);

    const connectContactId = randomUUID();
    const events = callEvents(acmeInstance, connectContactId);
    // Two first deliveries racing to create it, COMPLETED before INITIATED, DISCONNECTED after
    // COMPLETED, and duplicates delivered at the same time.
    const [initiated, queued, connected, disconnected, completed] = events as [ConnectEvent, ConnectEvent, ConnectEvent, ConnectEvent, ConnectEvent];
    const deliveries = [[connected, connected], [connected, queued], [completed], [initiated, disconnected], [completed, completed], [queued]];
    for (const batch of deliveries) await Promise.all(batch.map((event) => handler(structuredClone(event), context)));

    const contact = await contactFor(acme, connectContactId);
    expect(figures(contact)).toEqual({ ...expected, externalContactId: connectContactId });
    expect(committedEvents('Contact Opened', connectContactId)).toHaveLength(1);
    expect(committedEvents('Contact Closed', connectContactId)).toHaveLength(1);
  });

  it('close a caller who hung up in the queue as abandoned', async () => {
    const connectContactId = randomUUID();
    const names = ['abandoned-1-initiated', 'abandoned-2-queued', 'abandoned-3-disconnected', 'abandoned-4-completed'];
    for (const name of names) await handler(fixtureFor(name, acmeInstance, connectContactId), context);
    expect(await contactFor(acme, connectContactId)).toMatchObject({ status: 'closed', outcome: 'abandoned', waitSeconds: 120 });
  });

  it('from an instance no tenant connected are dropped without error and write nothing', async () => {
    const before = committedTransactions.length;
    const connectContactId = randomUUID();
    for (const event of callEvents(newInstanceArn(), connectContactId)) await expect(handler(event, context)).resolves.toBeUndefined();
    expect(committedTransactions.length).toBe(before);
    expect(await contactFor(acme, connectContactId)).toBeUndefined();
  });

  it("§1 are accepted only when the event's account and instance are registered to the tenant: another account, a claim made through settings before registration, or an instance the settings do not list are dropped with the reason logged", async () => {
    const logged = captureLogLines();
    const before = committedTransactions.length;
    // The instance's events forwarded from, or forged as, another account.
    const forgedId = randomUUID();
    for (const event of callEvents(acmeInstance, forgedId)) await handler({ ...event, account: '999999999999' }, context);
    // A claim item left by the settings of old (no operator registration).
    const legacyInstance = newInstanceArn();
    const { endpoint, tableName } = testDatabase();
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint }));
    await client.send(new PutCommand({ TableName: tableName, Item: { pk: `T#_connect#INSTANCE#${legacyInstance}`, sk: 'ROUTE', type: 'ConnectRoute', instanceArn: legacyInstance, tenantId: acme.tenantId } }));
    client.destroy();
    const legacyId = randomUUID();
    for (const event of callEvents(legacyInstance, legacyId)) await handler(event, context);
    // Registered to Acme by the operator, but not (yet) listed in Acme's settings.
    const unlisted = newInstanceArn();
    await allocate(twin, acme.tenantId, 'connect-instance', unlisted);
    const unlistedId = randomUUID();
    for (const event of callEvents(unlisted, unlistedId)) await handler(event, context);

    expect(committedTransactions.length).toBe(before);
    for (const id of [forgedId, legacyId, unlistedId]) expect(await contactFor(acme, id)).toBeUndefined();
    vi.restoreAllMocks();
    const reasons = logged.filter(({ line }) => line.includes('not registered to a tenant; dropped')).map(({ line }) => (JSON.parse(line) as { reason: string }).reason);
    expect(new Set(reasons)).toEqual(new Set(['account-mismatch', 'instance-not-registered', 'instance-not-listed']));
  });

  it('that are not ingested, or contradict themselves, are dropped without error and write nothing', async () => {
    const before = committedTransactions.length;
    const ignored = fixtureFor('aws-doc-contact-data-updated', acmeInstance, randomUUID());
    await expect(handler(ignored, context)).resolves.toBeUndefined();
    const contradictoryId = randomUUID();
    // AWS's own DISCONNECTED sample has the agent connect ten minutes after the call ended.
    const contradictory = fixtureFor('aws-doc-disconnected-outbound', acmeInstance, contradictoryId);
    contradictory.detail.instanceArn = acmeInstance;
    await expect(handler(contradictory, context)).resolves.toBeUndefined();
    expect(committedTransactions.length).toBe(before);
    expect(await contactFor(acme, contradictoryId)).toBeUndefined();
  });

  it("reach the tenant's contacts through the twin's EventBridge bus, and the close is published as Contact Closed", async () => {
    const connectContactId = randomUUID();
    const eventBridge = new EventBridgeClient({
      endpoint: process.env.EVENTBRIDGE_ENDPOINT,
      region: 'local',
      // The twin takes a 12-digit access key id as the calling account: Acme's Connect account.
      credentials: { accessKeyId: '123456789012', secretAccessKey: 'local' },
    });
    try {
      for (const event of callEvents(acmeInstance, connectContactId)) {
        const answer = await eventBridge.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: process.env.EVENT_BUS_NAME,
                Source: event.source,
                DetailType: event['detail-type'],
                Resources: event.resources,
                Time: new Date(event.time),
                Detail: JSON.stringify(event.detail),
              },
            ],
          }),
        );
        expect(answer.FailedEntryCount).toBe(0);
        // Each event is delivered before the next is put, as Connect's events of one call arrive seconds apart.
        await twin.bus.settled();
      }
    } finally {
      eventBridge.destroy();
    }
    const deliveries = twin.bus.deliveries.filter((delivery) => delivery.subscription === 'amazon-connect' && JSON.stringify(delivery.event.detail).includes(connectContactId));
    expect(deliveries).toHaveLength(5);
    expect(deliveries.every((delivery) => delivery.status === 'delivered')).toBe(true);

    const contact = await contactFor(acme, connectContactId);
    expect(contact).toMatchObject({ status: 'closed', waitSeconds: 45, handleSeconds: 390 });
    const published = await eventually(async () =>
      twin.bus.recent.find(
        (record) => record.event['detail-type'] === 'Contact Closed' && (record.event.detail as { data?: { contactId?: string } }).data?.contactId === contact.contactId,
      ),
      'Contact Closed on the bus',
    );
    expect(published.event.source).toBe('switchboard');
  });

  it("take Connect's events by PutEvents on the twin's own URL, as the AWS SDK and CLI send them, with EventBridge's per-entry answers", async () => {
    const connectContactId = randomUUID();
    const eventBridge = new EventBridgeClient({ endpoint: twin.url, region: 'local', credentials: { accessKeyId: '123456789012', secretAccessKey: 'local' } });
    try {
      for (const event of callEvents(acmeInstance, connectContactId)) {
        const entry = { EventBusName: process.env.EVENT_BUS_NAME, Source: event.source, DetailType: event['detail-type'], Resources: event.resources, Time: new Date(event.time), Detail: JSON.stringify(event.detail) };
        const answer = await eventBridge.send(new PutEventsCommand({ Entries: [entry] }));
        expect(answer.FailedEntryCount).toBe(0);
        expect(answer.Entries?.[0]?.EventId).toEqual(expect.any(String));
        await twin.bus.settled();
      }
      const invalid = await eventBridge.send(
        new PutEventsCommand({
          Entries: [
            { EventBusName: process.env.EVENT_BUS_NAME, Source: 'aws.connect', DetailType: 'Amazon Connect Contact Event', Detail: '{not json' },
            { EventBusName: 'no-such-bus', Source: 'aws.connect', DetailType: 'Amazon Connect Contact Event', Detail: '{}' },
          ],
        }),
      );
      expect(invalid.FailedEntryCount).toBe(2);
      expect(invalid.Entries?.map((result) => result.ErrorCode)).toEqual(['MalformedDetail', 'InvalidArgument']);
    } finally {
      eventBridge.destroy();
    }
    const contact = await eventually(() => contactFor(acme, connectContactId), 'the contact');
    expect(contact).toMatchObject({ status: 'closed', waitSeconds: 45, handleSeconds: 390 });
  });
});
