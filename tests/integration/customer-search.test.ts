import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../../infra/local/dynamodb';
import { legacySearchTokenKey, searchTokenKey } from '../../shared/data/customers-repo';
import { customerSearchTokens, legacySearchTokens } from '../../shared/domain/customer-search';
import { backfillSearchTokens } from '../../infra/tools/customer-search-backfill';
import { api, createTenant, startTestTwin, testDatabase, type TestTwin } from '../support/twin';

let twin: TestTwin;
let key: string;
let tenantId: string;
let otherKey: string;
beforeAll(async () => {
  twin = await startTestTwin();
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  tenantId = tenant.tenant.tenantId;
  otherKey = (await createTenant(twin)).apiKey;
});
afterAll(() => twin.close());

const unique = () => Math.random().toString(36).replace(/[0-9]/g, '').slice(2, 8);
const mobile = () => `09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const create = async (body: Record<string, unknown>, apiKey = key) => {
  const created = await api(twin.url, 'POST', '/v1/customers', { key: apiKey, body });
  expect(created.status).toBe(201);
  return created.body as { customerId: string; version: number };
};
type Result = { customer: { customerId: string }; matchedOn: string[] };
const search = async (q: string, apiKey = key, limit?: number) => {
  const answer = await api(twin.url, 'GET', `/v1/customers/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`, { key: apiKey });
  expect(answer.status, q).toBe(200);
  return answer.body as { items: Result[]; more: boolean };
};
const idsOf = (found: { items: Result[] }) => found.items.map((item) => item.customer.customerId);

/** Deletes a customer's tokens, as if it had been created before search. */
async function forgetTokens(customerId: string, names: { givenName?: string; familyName?: string }) {
  const { endpoint, tableName } = testDatabase();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint }));
  try {
    for (const { token } of customerSearchTokens(names)) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: searchTokenKey(tenantId, token, customerId) }));
    }
  } finally {
    client.destroy();
  }
}

/** The search-token items of one token in the tenant, read past the API. */
async function storedTokens(token: string, customerId: string) {
  const { endpoint, tableName } = testDatabase();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint }));
  try {
    const { pk, sk } = searchTokenKey(tenantId, token, customerId);
    const { Items = [] } = await client.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': pk, ':sk': sk } }),
    );
    return Items;
  } finally {
    client.destroy();
  }
}

/** Writes the tokens the first rules wrote (partitions by first character), as a customer created before the buckets has them. */
async function writeLegacyTokens(customerId: string, names: { givenName?: string; familyName?: string }) {
  const { endpoint, tableName } = testDatabase();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint }));
  try {
    for (const token of legacySearchTokens(names)) {
      await client.send(new PutCommand({ TableName: tableName, Item: { ...legacySearchTokenKey(tenantId, token, customerId), type: 'CustomerSearchToken', customerId, fields: ['familyName'] } }));
    }
  } finally {
    client.destroy();
  }
}

/** Whether the first rules' item of a token is still stored. */
async function legacyTokenStored(token: string, customerId: string) {
  const { endpoint, tableName } = testDatabase();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint }));
  try {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: legacySearchTokenKey(tenantId, token, customerId) }));
    return Item !== undefined;
  } finally {
    client.destroy();
  }
}

describe('customer search', () => {
  it('is not taken for a customer id', async () => {
    const found = await api(twin.url, 'GET', '/v1/customers/search?q=nobody', { key });
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ items: [], more: false });
  });

  it('finds a phone number in three formats, and says it matched the phone', async () => {
    const phone = mobile();
    const { customerId } = await create({ displayName: `Phone ${unique()}`, phone });
    const national = `${phone.slice(0, 4)}-${phone.slice(4, 7)}-${phone.slice(7)}`;
    const international = `+886 ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
    for (const format of [phone, national, international]) {
      const found = await search(format);
      expect(idsOf(found), format).toEqual([customerId]);
      expect(found.items[0]!.matchedOn).toEqual(['phone']);
    }
  });

  it('finds an e-mail address in any case, and an external id', async () => {
    const email = `${unique()}.Lin@Example.com`;
    const externalId = `CRM-${unique()}`;
    const { customerId } = await create({ givenName: 'Ann', email, externalId });
    const byEmail = await search(email.toUpperCase());
    expect(idsOf(byEmail)).toEqual([customerId]);
    expect(byEmail.items[0]!.matchedOn).toEqual(['email']);
    const byExternalId = await search(externalId);
    expect(idsOf(byExternalId)).toEqual([customerId]);
    expect(byExternalId.items[0]!.matchedOn).toEqual(['externalId']);
  });

  it('finds 林美玲 by 林美 and by 美玲, but not by a character from its middle alone', async () => {
    const { customerId } = await create({ displayName: '林美玲', phone: mobile() });
    const other = await create({ displayName: '林美華', phone: mobile() });
    const byStart = await search('林美');
    expect(idsOf(byStart)).toEqual(expect.arrayContaining([customerId, other.customerId]));
    expect(byStart.items.find((item) => item.customer.customerId === customerId)!.matchedOn).toEqual(['displayName']);
    const byGivenName = await search('美玲');
    expect(idsOf(byGivenName)).toContain(customerId);
    expect(idsOf(byGivenName)).not.toContain(other.customerId);
    expect(idsOf(await search('林美玲'))).toContain(customerId);
    expect(idsOf(await search('玲'))).not.toContain(customerId);
  });

  it('finds Latin names by the start of each word, ignoring case and accents, every word of the search needed', async () => {
    const surname = `Gonzalez${unique()}`;
    const { customerId } = await create({ givenName: 'José', familyName: surname.replace('a', 'á') });
    const namesake = await create({ givenName: 'Maria', familyName: surname });
    expect(idsOf(await search('jose'))).toContain(customerId);
    expect(idsOf(await search('JOSÉ'))).toContain(customerId);
    const both = await search(surname.slice(0, 9).toUpperCase());
    expect(idsOf(both)).toEqual(expect.arrayContaining([customerId, namesake.customerId]));
    const narrowed = await search(`jos ${surname.toLowerCase()}`);
    expect(idsOf(narrowed)).toEqual([customerId]);
    expect(narrowed.items[0]!.matchedOn).toEqual(['givenName', 'familyName']);
  });

  it('finds two words by their pair, only the customers who have both, in either order', async () => {
    const family = `Pair${unique()}`;
    const mei = await create({ givenName: 'Mei', familyName: family });
    const others = [];
    for (const given of ['Anna', 'Wei', 'Meiling']) others.push(await create({ givenName: given, familyName: family }));
    expect(idsOf(await search(`mei ${family}`))).toEqual([mei.customerId, others[2]!.customerId]);
    expect(idsOf(await search(`${family} mei`))).toEqual([mei.customerId, others[2]!.customerId]);
    expect(idsOf(await search(`mei ${family.slice(0, 5)}`))).toEqual([mei.customerId, others[2]!.customerId]);
    expect(idsOf(await search(`wei ${family}`))).toEqual([others[1]!.customerId]);
    expect(idsOf(await search(`anna wei ${family}`))).toEqual([]);
  });

  it('finds a first word of one or two letters only whole (`Li`, not `Lin`); a later word that short is a prefix', async () => {
    const given = `Short${unique()}`;
    const li = await create({ givenName: 'Li', familyName: given });
    const lin = await create({ givenName: 'Lin', familyName: given });
    expect(idsOf(await search(`li ${given}`))).toEqual([li.customerId]);
    expect(idsOf(await search(`lin ${given}`))).toEqual([lin.customerId]);
    // Typed on the way to the family name: the second word is a prefix, however short.
    expect(idsOf(await search(`${given} l`)).sort()).toEqual([li.customerId, lin.customerId].sort());
    expect(idsOf(await search(`${given} li`)).sort()).toEqual([li.customerId, lin.customerId].sort());
    expect(idsOf(await search(`${given} lin`))).toEqual([lin.customerId]);
  });

  it('follows a rename: the old name no longer finds the customer, the new one does', async () => {
    const before = `Oldname${unique()}`;
    const after = `Newname${unique()}`;
    const created = await create({ familyName: before });
    await writeLegacyTokens(created.customerId, { familyName: before });
    expect(idsOf(await search(before))).toEqual([created.customerId]);
    const renamed = await api(twin.url, 'PATCH', `/v1/customers/${created.customerId}`, {
      key,
      body: { familyName: after },
      headers: { 'if-match': `"${created.version}"` },
    });
    expect(renamed.status).toBe(200);
    expect(idsOf(await search(before))).toEqual([]);
    expect(idsOf(await search(after))).toEqual([created.customerId]);
    expect(await legacyTokenStored(before.toLowerCase(), created.customerId)).toBe(false);
  });

  it("never finds another tenant's customers", async () => {
    const name = `Private${unique()}`;
    const phone = mobile();
    const email = `${unique()}@example.com`;
    await create({ familyName: name, phone, email, externalId: name }, otherKey);
    for (const query of [name, phone, email, name.slice(0, 8)]) expect(idsOf(await search(query)), query).toEqual([]);
  });

  it('says when more customers match than the limit', async () => {
    const family = `Many${unique()}`;
    for (let i = 0; i < 3; i++) await create({ familyName: family, givenName: `N${i}` });
    const found = await search(family, key, 2);
    expect(found.items).toHaveLength(2);
    expect(found.more).toBe(true);
    expect((await search(family, key, 3)).more).toBe(false);
  });

  it('loses every token of an erased customer, with its personal data', async () => {
    const family = `Erased${unique()}`;
    const { customerId } = await create({ givenName: '美玲', familyName: family });
    await writeLegacyTokens(customerId, { givenName: '美玲', familyName: family });
    const token = family.toLowerCase();
    expect(await storedTokens(token, customerId)).toHaveLength(1);
    expect(await legacyTokenStored(token, customerId)).toBe(true);
    expect(idsOf(await search(family))).toEqual([customerId]);
    expect((await api(twin.url, 'DELETE', `/v1/customers/${customerId}`, { key })).status).toBe(204);
    expect(idsOf(await search(family))).toEqual([]);
    expect(await storedTokens(token, customerId)).toEqual([]);
    expect(await storedTokens('美玲', customerId)).toEqual([]);
    expect(await storedTokens(`美玲 ${token}`, customerId)).toEqual([]);
    expect(await legacyTokenStored(token, customerId)).toBe(false);
    expect(await legacyTokenStored('美玲', customerId)).toBe(false);
  });

  it('backfills the customers indexed by the first rules: new tokens written, old ones deleted, and a second run changes nothing', async () => {
    const names = { givenName: 'Backfilled', familyName: `Before${unique()}` };
    const { customerId } = await create(names);
    await forgetTokens(customerId, names);
    await writeLegacyTokens(customerId, names);
    expect(idsOf(await search(names.familyName))).toEqual([]);
    const first = await backfillSearchTokens(tenantId);
    expect(first.customers).toBeGreaterThan(0);
    expect(idsOf(await search(names.familyName))).toEqual([customerId]);
    const second = await backfillSearchTokens(tenantId);
    expect(second.customers).toBe(first.customers);
    expect(await storedTokens(names.familyName.toLowerCase(), customerId)).toHaveLength(1);
    expect(await storedTokens(`backfilled ${names.familyName.toLowerCase()}`, customerId)).toHaveLength(1);
    expect(await legacyTokenStored(names.familyName.toLowerCase(), customerId)).toBe(false);
    expect(await legacyTokenStored('backfilled', customerId)).toBe(false);
  });
});
