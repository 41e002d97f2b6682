import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../infra/local/dynamodb';
import type { StoredContact } from '../../shared/data/contacts-repo';
import { api, createTenant, startTestTwin, testDatabase, type TestTwin } from '../support/twin';

let twin: TestTwin;
let key: string;
let tenantId: string;

/**
 * Every transaction the handlers got DynamoDB to commit, as committed: the spy sits on the same
 * document client the in-process twin's handlers use, and records a write only once it succeeded.
 */
const committedTransactions: string[] = [];

const reasonCodes = [
  { code: 'billing', label: { en: 'Billing', 'zh-TW': '帳務' } },
  { code: 'outage', label: { en: 'Outage' } },
  { code: 'retired', label: { en: 'Retired' }, active: false },
];

beforeAll(async () => {
  twin = await startTestTwin();
  // Imported after the twin set the functions' environment, like the handlers themselves.
  const { db } = await import('../../shared/data/client');
  db().middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const input = args.input as { TransactItems?: unknown };
      if (input.TransactItems) committedTransactions.push(JSON.stringify(input.TransactItems));
      return result;
    },
    { step: 'initialize', name: 'committedTransactionSpy' },
  );
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  tenantId = tenant.tenant.tenantId;
  const settings = await api(twin.url, 'PATCH', '/v1/settings', { key, body: { reasonCodes } });
  expect(settings.status).toBe(200);
});
afterAll(() => twin.close());

/** An item as stored, read past the API. */
async function storedItem(itemKey: { pk: string; sk: string }) {
  const { endpoint, tableName } = testDatabase();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint }));
  try {
    return (await client.send(new GetCommand({ TableName: tableName, Key: itemKey }))).Item;
  } finally {
    client.destroy();
  }
}

const contactItemKey = (contactId: string, tenant = tenantId) => ({ pk: `T#${tenant}#CON#${contactId}`, sk: 'CONTACT' });
const outboxKey = (eventId: string, tenant = tenantId) => ({ pk: `T#${tenant}#OUTBOX#${eventId}`, sk: 'EVENT' });

/** The details of committed outbox records of one detail-type whose data mentions this id. */
function committedEvents(detailType: string, id: string): string[] {
  return committedTransactions
    .flatMap((items) => JSON.parse(items) as { Put?: { Item?: Record<string, unknown> } }[])
    .map((item) => item.Put?.Item)
    .filter((item) => item?.type === 'OutboxEvent' && item.detailType === detailType)
    .map((item) => JSON.stringify(item!.detail))
    .filter((detail) => detail.includes(`"${id}"`));
}

const create = (body: unknown, apiKey = key, headers: Record<string, string> = {}) =>
  api(twin.url, 'POST', '/v1/contacts', { key: apiKey, body, headers });
const unique = () => Math.random().toString(36).slice(2, 10);
const mobile = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const call = { channel: 'voice', direction: 'inbound', purpose: 'service' } as const;
const pathsOf = (answer: { body: { errors?: { path: string }[] } }) => (answer.body.errors ?? []).map((e) => e.path).sort();

/** All pages of a list, following nextCursor. */
async function listAll(query: string, apiKey = key) {
  const items: { contactId: string; startedAt: string }[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await api(twin.url, 'GET', `/v1/contacts?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: apiKey });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { ids: items.map((item) => item.contactId), items, pages };
}

describe('contacts', () => {
  it('are logged open with wait and handle seconds derived from the times, and Contact Opened recorded', async () => {
    const agentId = `agent-${unique()}`;
    const created = await create({
      ...call,
      queue: 'billing-zh',
      agentId,
      reasonCode: 'billing',
      queuedAt: '2026-11-20T09:00:00+08:00',
      answeredAt: '2026-11-20T01:01:30Z',
      endedAt: '2026-11-20T01:09:10Z',
      afterContactWorkEndedAt: '2026-11-20T01:10:00Z',
      notes: 'Customer read out card number 4111',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const contactId = created.body.contactId;
    expect(contactId).toMatch(/^con_/);
    expect(created.headers.get('location')).toBe(`/v1/contacts/${contactId}`);
    expect(created.headers.get('etag')).toBe('"1"');
    // 01:00:00 → 01:01:30 waiting; 01:01:30 → 01:10:00 talking and wrapping up.
    expect(created.body).toMatchObject({
      status: 'open',
      queuedAt: '2026-11-20T01:00:00.000Z',
      startedAt: '2026-11-20T01:00:00.000Z',
      waitSeconds: 90,
      handleSeconds: 510,
      reasonCode: 'billing',
      version: 1,
      referrals: [],
    });
    const read = await api(twin.url, 'GET', `/v1/contacts/${contactId}`, { key });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.get('etag')).toBe('"1"');

    const item = await storedItem(contactItemKey(contactId));
    const opened = await storedItem(outboxKey(item!.emittedEvents['Contact Opened']));
    expect(opened).toMatchObject({ detailType: 'Contact Opened', detail: { tenantId, data: { contactId, agentId, waitSeconds: 90 } } });
    expect(JSON.stringify(opened)).not.toContain('4111');
  });

  it('answer a replayed Idempotency-Key with the first contact', async () => {
    const idempotencyKey = unique();
    const first = await create({ ...call, channel: 'chat' }, key, { 'idempotency-key': idempotencyKey });
    const again = await create({ ...call, channel: 'chat' }, key, { 'idempotency-key': idempotencyKey });
    expect(again.status).toBe(201);
    expect(again.body.contactId).toBe(first.body.contactId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuse bad times, naming the field, and write nothing', async () => {
    const agentId = `agent-${unique()}`;
    const endBeforeAnswer = await create({
      ...call,
      agentId,
      queuedAt: '2026-11-20T01:00:00Z',
      answeredAt: '2026-11-20T01:02:00Z',
      endedAt: '2026-11-20T01:01:00Z',
    });
    expect(endBeforeAnswer.status).toBe(400);
    expect(endBeforeAnswer.headers.get('content-type')).toContain('application/problem+json');
    expect(pathsOf(endBeforeAnswer)).toEqual(['$.endedAt']);
    const endBeforeQueue = await create({ ...call, agentId, queuedAt: '2026-11-20T01:00:00Z', endedAt: '2026-11-20T00:59:00Z' });
    expect(pathsOf(endBeforeQueue)).toEqual(['$.endedAt']);
    const answeredUnqueued = await create({ ...call, agentId, answeredAt: '2026-11-20T01:00:00Z' });
    expect(answeredUnqueued.status).toBe(400);
    expect(pathsOf(answeredUnqueued)).toEqual(['$.answeredAt']);
    expect(answeredUnqueued.body.errors[0].message).toContain('queuedAt');
    const abandonedButAnswered = await create({
      ...call,
      agentId,
      queuedAt: '2026-11-20T01:00:00Z',
      answeredAt: '2026-11-20T01:00:05Z',
      outcome: 'abandoned',
    });
    expect(pathsOf(abandonedButAnswered)).toEqual(['$.outcome']);
    const derivedGiven = await create({ ...call, agentId, waitSeconds: 3, handleSeconds: 4 });
    expect(derivedGiven.status).toBe(400);
    expect(derivedGiven.body.errors[0].message).toMatch(/waitSeconds.*handleSeconds/);
    const badEnums = await create({ channel: 'fax', direction: 'sideways', agentId });
    expect(pathsOf(badEnums)).toEqual(['$.channel', '$.direction']);

    const list = await listAll(`agentId=${agentId}`);
    expect(list.ids).toEqual([]);
  });

  it('take only active reason codes of the tenant taxonomy', async () => {
    const unknown = await create({ ...call, reasonCode: 'no-such-code' });
    expect(unknown.status).toBe(400);
    expect(pathsOf(unknown)).toEqual(['$.reasonCode']);
    expect(unknown.body.errors[0].message).toContain('no-such-code');
    const retired = await create({ ...call, reasonCode: 'retired' });
    expect(pathsOf(retired)).toEqual(['$.reasonCode']);

    const fresh = await createTenant(twin, { name: 'No taxonomy yet' });
    const none = await create({ ...call, reasonCode: 'billing' }, fresh.apiKey);
    expect(none.status).toBe(400);
    expect(none.body.errors[0]).toMatchObject({ path: '$.reasonCode' });
    expect(none.body.errors[0].message).toContain('settings.reasonCodes');
    expect((await create({ ...call }, fresh.apiKey)).status).toBe(201);
  });

  it('are matched to the customer by phone in any format, or keep the E.164 phone when nobody has it', async () => {
    const phone = mobile();
    const customer = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Caller', phone } });
    expect(customer.status).toBe(201);
    const spaced = `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
    const matched = await create({ ...call, phone: spaced, queuedAt: '2026-11-19T02:00:00Z' });
    expect(matched.status).toBe(201);
    expect(matched.body.customerId).toBe(customer.body.customerId);
    expect(matched.body).not.toHaveProperty('phone');

    const stranger = mobile();
    const unmatched = await create({ ...call, phone: stranger });
    expect(unmatched.body.phone).toBe(`+886${stranger.slice(1)}`);
    expect(unmatched.body).not.toHaveProperty('customerId');

    const byId = await create({ ...call, customerId: customer.body.customerId, queuedAt: '2026-11-19T03:00:00Z' });
    expect(byId.body.customerId).toBe(customer.body.customerId);
    const history = await listAll(`customerId=${customer.body.customerId}`);
    expect(history.ids).toEqual([byId.body.contactId, matched.body.contactId]);

    const invalid = await create({ ...call, phone: '12' });
    expect(pathsOf(invalid)).toEqual(['$.phone']);
    const both = await create({ ...call, phone, customerId: customer.body.customerId });
    expect(both.status).toBe(400);
    const missing = await create({ ...call, customerId: 'cus_01JZZZZZZZZZZZZZZZZZZZZZZZ' });
    expect(missing.status).toBe(422);
    expect(pathsOf(missing)).toEqual(['$.customerId']);
    const erased = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Gone' } });
    await api(twin.url, 'DELETE', `/v1/customers/${erased.body.customerId}`, { key });
    expect((await create({ ...call, customerId: erased.body.customerId })).status).toBe(422);
  });

  it('refuse a second contact with the same externalContactId, naming the first', async () => {
    const externalContactId = `connect-${unique()}`;
    const first = await create({ ...call, externalContactId });
    const second = await create({ ...call, externalContactId });
    expect(second.status).toBe(409);
    expect(second.body.existingContactId).toBe(first.body.contactId);
  });

  it('are patched only with the current ETag, with derived seconds following', async () => {
    const created = await create({ ...call, queuedAt: '2026-11-20T01:00:00Z', answeredAt: '2026-11-20T01:00:40Z', notes: 'first' });
    const path = `/v1/contacts/${created.body.contactId}`;
    expect((await api(twin.url, 'PATCH', path, { key, body: { queue: 'x' } })).status).toBe(428);
    expect((await api(twin.url, 'PATCH', path, { key, body: { queue: 'x' }, headers: { 'if-match': '"7"' } })).status).toBe(412);
    const patched = await api(twin.url, 'PATCH', path, {
      key,
      body: { endedAt: '2026-11-20T01:05:40Z', notes: null, reasonCode: 'outage', queue: 'tech' },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ waitSeconds: 40, handleSeconds: 300, reasonCode: 'outage', queue: 'tech', version: 2 });
    expect(patched.body).not.toHaveProperty('notes');
    expect(patched.headers.get('etag')).toBe('"2"');
    const badEnd = await api(twin.url, 'PATCH', path, { key, body: { endedAt: '2026-11-20T01:00:10Z' }, headers: { 'if-match': '"2"' } });
    expect(badEnd.status).toBe(400);
    expect(pathsOf(badEnd)).toEqual(['$.endedAt']);
    const derived = await api(twin.url, 'PATCH', path, { key, body: { handleSeconds: 1 }, headers: { 'if-match': '"2"' } });
    expect(derived.status).toBe(400);
    expect((await api(twin.url, 'GET', path, { key })).body.version).toBe(2);
  });

  it('link a customer on a patch and unlink it with null', async () => {
    const customer = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Later known' } });
    const created = await create({ ...call, queuedAt: '2026-11-18T05:00:00Z' });
    const path = `/v1/contacts/${created.body.contactId}`;
    const linked = await api(twin.url, 'PATCH', path, { key, body: { customerId: customer.body.customerId }, headers: { 'if-match': '"1"' } });
    expect(linked.body.customerId).toBe(customer.body.customerId);
    expect((await listAll(`customerId=${customer.body.customerId}`)).ids).toEqual([created.body.contactId]);
    const unlinked = await api(twin.url, 'PATCH', path, { key, body: { customerId: null }, headers: { 'if-match': '"2"' } });
    expect(unlinked.body).not.toHaveProperty('customerId');
    expect((await listAll(`customerId=${customer.body.customerId}`)).ids).toEqual([]);
  });
});

describe('closing a contact', () => {
  it('closes it once: repeated and concurrent closes answer the same closed contact, and Contact Closed is written once', async () => {
    const created = await create({
      ...call,
      agentId: 'agent-close',
      queuedAt: '2026-11-21T02:00:00Z',
      answeredAt: '2026-11-21T02:00:12Z',
      notes: 'Secret note 9876',
    });
    const contactId = created.body.contactId;
    const path = `/v1/contacts/${contactId}/close`;
    const closed = await api(twin.url, 'POST', path, {
      key,
      body: { outcome: 'resolved', firstContactResolution: true, endedAt: '2026-11-21T02:04:12Z', afterContactWorkEndedAt: '2026-11-21T02:05:00Z' },
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'resolved', waitSeconds: 12, handleSeconds: 288, version: 2 });
    expect(closed.headers.get('etag')).toBe('"2"');

    const again = await api(twin.url, 'POST', path, { key, body: { outcome: 'resolved' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(closed.body);
    const racing = await Promise.all(Array.from({ length: 5 }, () => api(twin.url, 'POST', path, { key })));
    for (const answer of racing) {
      expect(answer.status).toBe(200);
      expect(answer.body.version).toBe(2);
    }

    expect(committedEvents('Contact Closed', contactId)).toHaveLength(1);
    const item = await storedItem(contactItemKey(contactId));
    const event = await storedItem(outboxKey(item!.emittedEvents['Contact Closed']));
    expect(event).toMatchObject({
      type: 'OutboxEvent',
      detailType: 'Contact Closed',
      detail: {
        tenantId,
        schemaVersion: 1,
        data: { contactId, status: 'closed', outcome: 'resolved', firstContactResolution: true, waitSeconds: 12, handleSeconds: 288 },
      },
    });
    expect(JSON.stringify(event)).not.toContain('9876');
  });

  it('lets racing closes of an open contact write one close and one event; a loser asking another outcome gets 409', async () => {
    const created = await create({ ...call, queuedAt: '2026-11-21T03:00:00Z', answeredAt: '2026-11-21T03:00:05Z' });
    const contactId = created.body.contactId;
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key, body: { outcome: i % 2 ? 'resolved' : 'unresolved' } }),
      ),
    );
    const won = answers.find((a) => a.status === 200)!;
    const storedOutcome = won.body.outcome;
    for (const answer of answers) {
      if (answer.status === 200) expect(answer.body).toEqual(won.body);
      else expect([answer.status, answer.body.storedOutcome]).toEqual([409, storedOutcome]);
    }
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    expect(committedEvents('Contact Closed', contactId)).toHaveLength(1);
  });

  it('answers 409 naming the stored outcome when a closed contact is closed with another one', async () => {
    const created = await create({ ...call, queuedAt: '2026-11-21T05:00:00Z', answeredAt: '2026-11-21T05:00:09Z' });
    const path = `/v1/contacts/${created.body.contactId}/close`;
    const closed = await api(twin.url, 'POST', path, { key, body: { outcome: 'unresolved' } });
    expect(closed.status).toBe(200);
    const other = await api(twin.url, 'POST', path, { key, body: { outcome: 'resolved', firstContactResolution: true } });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ type: expect.stringContaining('/contact-closed-with-other-outcome'), status: 409, storedOutcome: 'unresolved' });
    expect(other.body.detail).toContain('unresolved');
    // The same outcome, or none, still answers the stored contact as it is.
    expect((await api(twin.url, 'POST', path, { key, body: { outcome: 'unresolved' } })).body).toEqual(closed.body);
    expect((await api(twin.url, 'POST', path, { key })).body).toEqual(closed.body);
    expect(committedEvents('Contact Closed', created.body.contactId)).toHaveLength(1);
  });

  it('refuses with 422 to resolve a contact that was queued and never answered, and writes nothing', async () => {
    const created = await create({ ...call, queuedAt: '2026-11-21T06:00:00Z' });
    const contactId = created.body.contactId;
    const resolved = await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key, body: { outcome: 'resolved' } });
    expect(resolved.status).toBe(422);
    expect(resolved.body.type).toContain('/resolved-without-answer');
    expect(pathsOf(resolved)).toEqual(['$.answeredAt', '$.outcome']);
    expect(committedEvents('Contact Closed', contactId)).toHaveLength(0);
    expect((await api(twin.url, 'GET', `/v1/contacts/${contactId}`, { key })).body.status).toBe('open');
    const abandoned = await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key, body: { outcome: 'abandoned' } });
    expect(abandoned.status).toBe(200);
    expect(abandoned.body.outcome).toBe('abandoned');
  });

  it('requires an outcome, ends an unended contact at the close, and refuses changes afterwards', async () => {
    const created = await create({ ...call, queuedAt: '2026-11-21T04:00:00Z', answeredAt: '2026-11-21T04:00:01Z' });
    const contactId = created.body.contactId;
    const noOutcome = await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key });
    expect(noOutcome.status).toBe(400);
    expect(pathsOf(noOutcome)).toEqual(['$.outcome']);
    const endBeforeStart = await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, {
      key,
      body: { outcome: 'resolved', endedAt: '2026-11-21T03:59:00Z' },
    });
    expect(pathsOf(endBeforeStart)).toEqual(['$.endedAt']);
    expect(committedEvents('Contact Closed', contactId)).toHaveLength(0);

    const closed = await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key, body: { outcome: 'transferred' } });
    expect(closed.body.endedAt).toBe(closed.body.closedAt);
    const patch = await api(twin.url, 'PATCH', `/v1/contacts/${contactId}`, { key, body: { queue: 'late' }, headers: { 'if-match': '"2"' } });
    expect(patch.status).toBe(409);
    expect(patch.body.type).toContain('contact-closed');
  });

  it('answers 404 for a contact that does not exist', async () => {
    const answer = await api(twin.url, 'POST', '/v1/contacts/con_01JZZZZZZZZZZZZZZZZZZZZZZZ/close', { key, body: { outcome: 'resolved' } });
    expect(answer.status).toBe(404);
    expect((await api(twin.url, 'GET', '/v1/contacts/not-an-id', { key })).status).toBe(404);
  });
});

describe('referrals', () => {
  it('are made open on an open contact, converted once with a value, and Referral Converted is written once', async () => {
    const created = await create({ ...call, agentId: 'agent-ref', purpose: 'sales' });
    const contactId = created.body.contactId;
    const referral = await api(twin.url, 'POST', `/v1/contacts/${contactId}/referrals`, {
      key,
      body: { product: 'Fibre 1G', note: 'Interested after outage', assignedTo: 'sales-3' },
    });
    expect(referral.status, JSON.stringify(referral.body)).toBe(201);
    expect(referral.body).toMatchObject({ contactId, product: 'Fibre 1G', status: 'open', referredBy: 'agent-ref', assignedTo: 'sales-3' });
    const referralId = referral.body.referralId;
    const path = `/v1/contacts/${contactId}/referrals/${referralId}`;

    const withReferral = await api(twin.url, 'GET', `/v1/contacts/${contactId}`, { key });
    expect(withReferral.body.referrals).toEqual([referral.body]);

    const negative = await api(twin.url, 'PATCH', path, { key, body: { status: 'converted', value: { amount: -5, currency: 'TWD' } } });
    expect(negative.status).toBe(400);
    expect(pathsOf(negative)).toEqual(['$.value.amount']);
    const badCurrency = await api(twin.url, 'PATCH', path, { key, body: { status: 'converted', value: { amount: 5, currency: 'ntd' } } });
    expect(pathsOf(badCurrency)).toEqual(['$.value.currency']);
    const noValue = await api(twin.url, 'PATCH', path, { key, body: { status: 'converted' } });
    expect(pathsOf(noValue)).toEqual(['$.value']);

    // The contact closes; the sale comes later.
    await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key, body: { outcome: 'resolved' } });
    const converted = await api(twin.url, 'PATCH', path, { key, body: { status: 'converted', value: { amount: 1299.5, currency: 'TWD' } } });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body).toMatchObject({ status: 'converted', value: { amount: 1299.5, currency: 'TWD' }, version: 2 });
    expect(converted.body.settledAt).toBeDefined();

    const twice = await api(twin.url, 'PATCH', path, { key, body: { status: 'converted', value: { amount: 1299.5, currency: 'TWD' } } });
    expect(twice.status).toBe(409);
    const lostAfter = await api(twin.url, 'PATCH', path, { key, body: { status: 'lost', reason: 'changed mind' } });
    expect(lostAfter.status).toBe(409);
    const events = committedEvents('Referral Converted', referralId);
    expect(events).toHaveLength(1);
    expect(events[0]).toContain('1299.5');
    expect(events[0]).not.toContain('Interested after outage');
    expect((await api(twin.url, 'GET', `/v1/contacts/${contactId}`, { key })).body.referrals[0].status).toBe('converted');
  });

  it('are lost with a reason, and converting racing requests settles it once', async () => {
    const created = await create({ ...call });
    const contactId = created.body.contactId;
    const make = () => api(twin.url, 'POST', `/v1/contacts/${contactId}/referrals`, { key, body: { product: 'Insurance' } });
    const lost = (await make()).body.referralId;
    const settledLost = await api(twin.url, 'PATCH', `/v1/contacts/${contactId}/referrals/${lost}`, { key, body: { status: 'lost', reason: 'Too expensive' } });
    expect(settledLost.body).toMatchObject({ status: 'lost', lostReason: 'Too expensive' });
    expect(committedEvents('Referral Converted', lost)).toHaveLength(0);

    const raced = (await make()).body.referralId;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        api(twin.url, 'PATCH', `/v1/contacts/${contactId}/referrals/${raced}`, { key, body: { status: 'converted', value: { amount: 10, currency: 'USD' } } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    expect(committedEvents('Referral Converted', raced)).toHaveLength(1);
  });

  it('are not made on a closed contact, and an unknown referral is 404', async () => {
    const created = await create({ ...call });
    const contactId = created.body.contactId;
    await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key, body: { outcome: 'unresolved' } });
    const late = await api(twin.url, 'POST', `/v1/contacts/${contactId}/referrals`, { key, body: { product: 'Late' } });
    expect(late.status).toBe(409);
    const unknown = await api(twin.url, 'PATCH', `/v1/contacts/${contactId}/referrals/ref_01JZZZZZZZZZZZZZZZZZZZZZZZ`, {
      key,
      body: { status: 'lost', reason: 'x' },
    });
    expect(unknown.status).toBe(404);
    expect((await api(twin.url, 'GET', `/v1/contacts/${contactId}`, { key })).body.referrals).toEqual([]);
  });
});

describe('listing contacts', () => {
  let listKey: string;
  const byStart = new Map<string, string>();

  beforeAll(async () => {
    const tenant = await createTenant(twin, { name: 'Lister' });
    listKey = tenant.apiKey;
    // Contacts on three UTC days, newest first: 3 on Nov 12, none on Nov 11, 2 on Nov 10, 1 on Nov 9.
    const specs = [
      { at: '2025-11-12T20:00:00Z', queue: 'billing', channel: 'voice', agentId: 'ann' },
      { at: '2025-11-12T09:00:00Z', queue: 'tech', channel: 'chat', agentId: 'bob' },
      { at: '2025-11-12T00:00:00Z', queue: 'billing', channel: 'voice', agentId: 'bob' },
      { at: '2025-11-10T23:59:59Z', queue: 'billing', channel: 'email', agentId: 'ann' },
      { at: '2025-11-10T08:00:00Z', queue: 'tech', channel: 'voice', agentId: 'ann' },
      { at: '2025-11-09T12:00:00Z', queue: 'billing', channel: 'voice', agentId: 'bob' },
    ];
    for (const spec of specs) {
      const created = await create({ ...call, channel: spec.channel, queue: spec.queue, agentId: spec.agentId, queuedAt: spec.at }, listKey);
      expect(created.status).toBe(201);
      byStart.set(spec.at, created.body.contactId);
    }
  });

  const ids = (...starts: string[]) => starts.map((start) => byStart.get(start));
  const window = 'from=2025-11-09T00:00:00Z&to=2025-11-13T00:00:00Z';

  it('pages newest first across day partitions, with no duplicates or gaps', async () => {
    for (const limit of [1, 2, 4, 25]) {
      const all = await listAll(`${window}&limit=${limit}`, listKey);
      expect(all.ids, `limit ${limit}`).toEqual(
        ids('2025-11-12T20:00:00Z', '2025-11-12T09:00:00Z', '2025-11-12T00:00:00Z', '2025-11-10T23:59:59Z', '2025-11-10T08:00:00Z', '2025-11-09T12:00:00Z'),
      );
    }
    const page = await api(twin.url, 'GET', `/v1/contacts?${window}&limit=2`, { key: listKey });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.nextCursor).toBeTruthy();
  });

  it('take from inclusive and to exclusive', async () => {
    const all = await listAll('from=2025-11-10T08:00:00Z&to=2025-11-12T09:00:00Z', listKey);
    expect(all.ids).toEqual(ids('2025-11-12T00:00:00Z', '2025-11-10T23:59:59Z', '2025-11-10T08:00:00Z'));
  });

  it('filter by queue, channel, agent and customer', async () => {
    expect((await listAll(`${window}&queue=tech&limit=1`, listKey)).ids).toEqual(ids('2025-11-12T09:00:00Z', '2025-11-10T08:00:00Z'));
    expect((await listAll(`${window}&channel=voice&queue=billing`, listKey)).ids).toEqual(
      ids('2025-11-12T20:00:00Z', '2025-11-12T00:00:00Z', '2025-11-09T12:00:00Z'),
    );
    expect((await listAll('agentId=bob&limit=2', listKey)).ids).toEqual(ids('2025-11-12T09:00:00Z', '2025-11-12T00:00:00Z', '2025-11-09T12:00:00Z'));
    expect((await listAll(`agentId=ann&channel=voice&${window}`, listKey)).ids).toEqual(ids('2025-11-12T20:00:00Z', '2025-11-10T08:00:00Z'));
    expect((await listAll('customerId=cus_01JZZZZZZZZZZZZZZZZZZZZZZZ', listKey)).ids).toEqual([]);
  });

  it('refuse a tenant-wide range over 31 days, and cursors from another list or edited', async () => {
    const wide = await api(twin.url, 'GET', '/v1/contacts?from=2025-10-01T00:00:00Z&to=2025-11-13T00:00:00Z', { key: listKey });
    expect(wide.status).toBe(400);
    expect(pathsOf(wide)).toEqual(['query.from']);
    const backwards = await api(twin.url, 'GET', '/v1/contacts?from=2025-11-13T00:00:00Z&to=2025-11-01T00:00:00Z', { key: listKey });
    expect(backwards.status).toBe(400);

    const first = await api(twin.url, 'GET', `/v1/contacts?${window}&limit=1`, { key: listKey });
    const cursor = first.body.nextCursor as string;
    const otherList = await api(twin.url, 'GET', `/v1/contacts?agentId=ann&cursor=${cursor}`, { key: listKey });
    expect(otherList.status).toBe(400);
    const otherWindow = await api(twin.url, 'GET', `/v1/contacts?from=2025-11-01T00:00:00Z&to=2025-11-05T00:00:00Z&cursor=${cursor}`, {
      key: listKey,
    });
    expect(otherWindow.status).toBe(400);
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const edited = Buffer.from(JSON.stringify({ ...decoded, sk: 'PROFILE' })).toString('base64url');
    expect((await api(twin.url, 'GET', `/v1/contacts?${window}&cursor=${edited}`, { key: listKey })).status).toBe(400);
    expect((await api(twin.url, 'GET', `/v1/contacts?${window}&cursor=${cursor}`, { key: listKey })).status).toBe(200);
  });
});

describe('contact scopes', () => {
  it('let a readonly key read and list but not log or close', async () => {
    const readonly = await api(twin.url, 'POST', '/v1/api-keys', { key, body: { name: 'viewer', scopes: ['readonly'] } });
    const viewer = readonly.body.secret as string;
    const created = await create({ ...call });
    expect((await create({ ...call }, viewer)).status).toBe(403);
    expect((await api(twin.url, 'GET', `/v1/contacts/${created.body.contactId}`, { key: viewer })).status).toBe(200);
    expect((await api(twin.url, 'GET', '/v1/contacts', { key: viewer })).status).toBe(200);
    expect((await api(twin.url, 'POST', `/v1/contacts/${created.body.contactId}/close`, { key: viewer, body: { outcome: 'resolved' } })).status).toBe(403);
  });
});

describe('reason code taxonomy in settings', () => {
  it('is shown with its defaults and refuses duplicate codes', async () => {
    const settings = await api(twin.url, 'GET', '/v1/settings', { key });
    expect(settings.body.reasonCodes).toEqual([
      { code: 'billing', label: { en: 'Billing', 'zh-TW': '帳務' }, active: true },
      { code: 'outage', label: { en: 'Outage' }, active: true },
      { code: 'retired', label: { en: 'Retired' }, active: false },
    ]);
    const duplicate = await api(twin.url, 'PATCH', '/v1/settings', {
      key,
      body: { reasonCodes: [{ code: 'a', label: { en: 'A' } }, { code: 'a', label: { en: 'Again' } }] },
    });
    expect(duplicate.status).toBe(400);
    expect(pathsOf(duplicate)).toEqual(['$.reasonCodes']);
  });
});

describe('upserting a contact by external id (for ingestion consumers)', () => {
  it('creates once, updates by version, closes once, and answers unchanged when there is nothing to do', async () => {
    const { upsertContactByExternalId, findContactIdByExternalId } = await import('../../shared/data/contacts-repo');
    const { newContact, patchContact, closeContact, contactSummary } = await import('../../shared/domain/contact');
    const { newEvent } = await import('../../shared/events/events');
    const { newId } = await import('../../shared/ids');
    const { contactOpened, contactClosed } = await import('../../shared/events/contact-events');
    const externalContactId = `connect-${unique()}`;
    const reasonCodesNone = { reasonCodes: [] };

    // What a telephony consumer would decide for "queued at t" and "completed": pure functions of the state read.
    const queued = (queuedAt: string) => (current: StoredContact | undefined) => {
      const now = new Date().toISOString();
      if (!current) {
        const contact = newContact(
          { channel: 'voice', direction: 'inbound', purpose: 'service', externalContactId, queuedAt },
          {},
          { contactId: newId('con'), now, ...reasonCodesNone },
        );
        return { contact, events: [newEvent(contactOpened, tenantId, contactSummary(contact), now)] };
      }
      if (current.contact.queuedAt === new Date(queuedAt).toISOString() || current.contact.status === 'closed') return undefined;
      return { contact: patchContact(current.contact, { queuedAt }, undefined, { now, ...reasonCodesNone }), events: [] };
    };
    const completed = (current: StoredContact | undefined) => {
      if (!current || current.contact.status === 'closed') return undefined;
      const now = new Date().toISOString();
      const closed = closeContact(current.contact, { endedAt: now }, { now, ...reasonCodesNone, requireOutcome: false });
      return { contact: closed, events: [newEvent(contactClosed, tenantId, { ...contactSummary(closed), status: 'closed', closedAt: now }, now)] };
    };

    const racing = await Promise.all([1, 2, 3].map(() => upsertContactByExternalId(tenantId, externalContactId, queued('2026-11-22T01:00:00Z'))));
    expect(racing.map((r) => r.outcome).sort()).toEqual(['created', 'unchanged', 'unchanged']);
    expect(committedEvents('Contact Opened', externalContactId)).toHaveLength(1);
    const contactId = await findContactIdByExternalId(tenantId, externalContactId);
    expect(contactId).toBe(racing.find((r) => r.outcome === 'created')!.contact!.contactId);

    const moved = await upsertContactByExternalId(tenantId, externalContactId, queued('2026-11-22T00:59:00Z'));
    expect(moved).toMatchObject({ outcome: 'updated', contact: { version: 2, queuedAt: '2026-11-22T00:59:00.000Z' } });

    const closes = await Promise.all([1, 2].map(() => upsertContactByExternalId(tenantId, externalContactId, completed)));
    expect(closes.map((r) => r.outcome).sort()).toEqual(['unchanged', 'updated']);
    expect(committedEvents('Contact Closed', externalContactId)).toHaveLength(1);
    const read = await api(twin.url, 'GET', `/v1/contacts/${contactId}`, { key });
    expect(read.body).toMatchObject({ status: 'closed', externalContactId, version: 3 });
  });
});
