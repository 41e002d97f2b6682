import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../infra/local/dynamodb';
import { keys } from '../../shared/data/keys';
import { api, createTenant, startTestTwin, testDatabase, type TestTwin } from '../support/twin';

let twin: TestTwin;
let key: string;
let tenantId: string;
beforeAll(async () => {
  twin = await startTestTwin();
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  tenantId = tenant.tenant.tenantId;
});

/** The item as stored, read past the API, to check what erasure leaves behind. */
async function storedItem(key: { pk: string; sk: string }) {
  const { endpoint, tableName } = testDatabase();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint }));
  try {
    return (await client.send(new GetCommand({ TableName: tableName, Key: key }))).Item;
  } finally {
    client.destroy();
  }
}
afterAll(() => twin.close());

const create = (body: unknown, apiKey = key) => api(twin.url, 'POST', '/v1/customers', { key: apiKey, body });
const unique = () => Math.random().toString(36).slice(2, 10);
const mobile = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

describe('customers', () => {
  it('are stored with E.164 phone, lowercased e-mail and dated consent', async () => {
    const created = await create({
      givenName: '美玲',
      familyName: '林',
      phone: '0912 345 678',
      email: 'Mei.Lin@Example.COM',
      language: 'zh-TW',
      tags: ['vip'],
      externalId: 'crm-001',
      consent: { sms: { status: 'granted', source: 'web-form', at: '2026-11-01T09:00:00+08:00' } },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/customers/${created.body.customerId}`);
    expect(created.body).toMatchObject({
      phone: '+886912345678',
      email: 'mei.lin@example.com',
      consent: { sms: { status: 'granted', source: 'web-form', at: '2026-11-01T09:00:00+08:00' }, email: { status: 'unknown' } },
      version: 1,
    });
    const read = await api(twin.url, 'GET', `/v1/customers/${created.body.customerId}`, { key });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.get('etag')).toBe('"1"');
  });

  it('are found by phone in any format, by e-mail in any case, and by external id', async () => {
    const phone = mobile();
    const externalId = `crm-${unique()}`;
    const email = `${unique()}@example.com`;
    const created = await create({ displayName: 'Chen', phone, email, externalId });
    const spaced = `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
    for (const query of [`phone=${encodeURIComponent(spaced)}`, `phone=${encodeURIComponent('+886' + phone.slice(1))}`, `email=${email.toUpperCase()}`, `externalId=${externalId}`]) {
      const found = await api(twin.url, 'GET', `/v1/customers?${query}`, { key });
      expect(found.status, query).toBe(200);
      expect(found.body.items.map((c: { customerId: string }) => c.customerId), query).toEqual([created.body.customerId]);
    }
    const none = await api(twin.url, 'GET', '/v1/customers?phone=0987000000', { key });
    expect(none.body.items).toEqual([]);
    const two = await api(twin.url, 'GET', `/v1/customers?phone=${phone}&email=${email}`, { key });
    expect(two.status).toBe(400);
  });

  it('keep phone, e-mail and external id unique, naming the customer who has it', async () => {
    const phone = mobile();
    const first = await create({ displayName: 'First', phone });
    const duplicate = await create({ displayName: 'Second', phone: `+886${phone.slice(1)}` });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.existingCustomerId).toBe(first.body.customerId);
    expect(duplicate.body.detail).toContain(first.body.customerId);
    expect(duplicate.body.field).toBe('phone');
  });

  it('let exactly one of many concurrent creates with the same phone win', async () => {
    const phone = mobile();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => create({ displayName: `Racer ${i}`, phone })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!.body.customerId;
    for (const loser of results.filter((r) => r.status === 409)) expect(loser.body.existingCustomerId).toBe(winner);
    const found = await api(twin.url, 'GET', `/v1/customers?phone=${phone}`, { key });
    expect(found.body.items).toHaveLength(1);
  });

  it('leave nothing half-written when a create is refused', async () => {
    const taken = mobile();
    await create({ displayName: 'Holder', phone: taken });
    const email = `${unique()}@example.com`;
    expect((await create({ displayName: 'Late', phone: taken, email })).status).toBe(409);
    const byEmail = await api(twin.url, 'GET', `/v1/customers?email=${email}`, { key });
    expect(byEmail.body.items).toEqual([]);
    expect((await create({ displayName: 'Now fine', email })).status).toBe(201);
  });

  it('are updated only with the current ETag, and moving a phone frees the old one', async () => {
    const oldPhone = mobile();
    const created = await create({ displayName: 'Mover', phone: oldPhone });
    const path = `/v1/customers/${created.body.customerId}`;
    const newPhone = mobile();
    expect((await api(twin.url, 'PATCH', path, { key, body: { phone: newPhone } })).status).toBe(428);
    expect((await api(twin.url, 'PATCH', path, { key, body: { phone: newPhone }, headers: { 'if-match': '"9"' } })).status).toBe(412);
    const updated = await api(twin.url, 'PATCH', path, { key, body: { phone: newPhone, displayName: null, givenName: 'Ming' }, headers: { 'if-match': '"1"' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ givenName: 'Ming', version: 2 });
    expect(updated.body).not.toHaveProperty('displayName');
    expect(updated.headers.get('etag')).toBe('"2"');
    expect((await api(twin.url, 'GET', `/v1/customers?phone=${oldPhone}`, { key })).body.items).toEqual([]);
    expect((await create({ displayName: 'Takes old', phone: oldPhone })).status).toBe(201);
    // The same write again with the old ETag is refused: the first one won.
    expect((await api(twin.url, 'PATCH', path, { key, body: { givenName: 'Again' }, headers: { 'if-match': '"1"' } })).status).toBe(412);
  });

  it('refuse a patch that takes another customer’s e-mail, changing nothing', async () => {
    const email = `${unique()}@example.com`;
    const holder = await create({ displayName: 'Holder', email });
    const other = await create({ displayName: 'Other', phone: mobile() });
    const refused = await api(twin.url, 'PATCH', `/v1/customers/${other.body.customerId}`, {
      key,
      body: { email, givenName: 'Changed' },
      headers: { 'if-match': '"1"' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.existingCustomerId).toBe(holder.body.customerId);
    const unchanged = await api(twin.url, 'GET', `/v1/customers/${other.body.customerId}`, { key });
    expect(unchanged.body.version).toBe(1);
    expect(unchanged.body).not.toHaveProperty('givenName');
  });

  it('are erased on request: personal data gone, id kept, contact points free', async () => {
    const phone = mobile();
    const email = `${unique()}@example.com`;
    const created = await create({ displayName: 'Forget me', phone, email, externalId: `crm-${unique()}` });
    const path = `/v1/customers/${created.body.customerId}`;
    expect((await api(twin.url, 'DELETE', path, { key })).status).toBe(204);
    expect((await api(twin.url, 'DELETE', path, { key })).status).toBe(204);
    const read = await api(twin.url, 'GET', path, { key });
    expect(read.status).toBe(410);
    expect(JSON.stringify(read.body)).not.toContain('Forget me');
    expect((await api(twin.url, 'GET', `/v1/customers?phone=${phone}`, { key })).body.items).toEqual([]);
    expect((await api(twin.url, 'PATCH', path, { key, body: { givenName: 'x' }, headers: { 'if-match': '*' } })).status).toBe(410);
    const stored = await storedItem(keys.customer(tenantId, created.body.customerId));
    expect(stored).toBeDefined();
    for (const personal of ['Forget me', phone.slice(1), email]) expect(JSON.stringify(stored)).not.toContain(personal);
    expect((await create({ displayName: 'New owner', phone, email })).status).toBe(201);
  });

  it('refuse invalid input with the path of each field', async () => {
    const refused = await create({ phone: '12', email: 'not-an-email', tags: 'vip', consent: { sms: { status: 'maybe' } }, shoeSize: 42 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '$',
      '$.consent.sms.source',
      '$.consent.sms.status',
      '$.email',
      '$.phone',
      '$.tags',
    ]);
    const badPhone = await create({ phone: '12345' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.errors[0].path).toBe('$.phone');
    expect((await create({})).status).toBe(400);
  });

  it('are listed page by page with an opaque cursor, erased ones left out', async () => {
    const { apiKey } = await createTenant(twin);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create({ displayName: `C${i}` }, apiKey)).body.customerId);
    await api(twin.url, 'DELETE', `/v1/customers/${ids[2]}`, { key: apiKey });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api(twin.url, 'GET', `/v1/customers?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: apiKey });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((c: { customerId: string }) => c.customerId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids.filter((_, i) => i !== 2));
    expect((await api(twin.url, 'GET', '/v1/customers?limit=0', { key: apiKey })).status).toBe(400);
    expect((await api(twin.url, 'GET', '/v1/customers?limit=101', { key: apiKey })).status).toBe(400);
    expect((await api(twin.url, 'GET', '/v1/customers?cursor=bogus', { key: apiKey })).status).toBe(400);
  });

  it('honour Idempotency-Key: a retried create makes one customer', async () => {
    const headers = { 'idempotency-key': unique() };
    const body = { displayName: 'Once', phone: mobile() };
    const first = await api(twin.url, 'POST', '/v1/customers', { key, body, headers });
    const retry = await api(twin.url, 'POST', '/v1/customers', { key, body, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.customerId).toBe(first.body.customerId);
    expect((await api(twin.url, 'POST', '/v1/customers', { key, body: { ...body, displayName: 'Twice' }, headers })).status).toBe(422);
  });

  it('answer 404 for ids that do not exist or are not ids', async () => {
    for (const id of ['cus_01JZZZZZZZZZZZZZZZZZZZZZZZ', 'nope', '..%2F..%2Fetc']) {
      const missing = await api(twin.url, 'GET', `/v1/customers/${id}`, { key });
      expect(missing.status, id).toBe(404);
    }
  });
});
