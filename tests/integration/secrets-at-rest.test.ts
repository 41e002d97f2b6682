import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient} from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { sha256Hex } from '../../shared/crypto';
import { keys } from '../../shared/data/keys';
import { webhookKeys } from '../../shared/data/webhooks-repo';
import { acmeSupport, api, createTenant, startTestTwin, testTableClient, type TestTwin } from '../support/twin';

let twin: TestTwin;
let client: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  twin = await startTestTwin();
  ({ client, tableName } = testTableClient());
});
afterAll(async () => {
  client.destroy();
  await twin.close();
});

const unique = () => `k-${Math.random().toString(36).slice(2)}`;

/** The raw idempotency item of a POST to `path` with `idempotencyKey`, as DynamoDB holds it. */
async function rawIdempotencyItem(scope: string, path: string, idempotencyKey: string) {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: keys.idempotency(scope, sha256Hex(`POST ${path}\n${idempotencyKey}`)), ConsistentRead: true }),
  );
  expect(Item, `no idempotency record for ${path}`).toBeDefined();
  return JSON.stringify(Item);
}

/** A secret's random part: what must appear nowhere once it has been shown. */
const randomPart = (secret: string) => secret.slice(secret.indexOf('_') + 1);

describe('secrets at rest', () => {
  it('no idempotency record holds a secret: not of an API key, a tenant admin key or a webhook', async () => {
    const signupKey = unique();
    const signup = await api(twin.url, 'POST', '/v1/tenants', {
      key: twin.operatorKey,
      body: { ...acmeSupport, name: 'Quiet Co' },
      headers: { 'idempotency-key': signupKey },
    });
    expect(signup.status).toBe(201);
    const admin = signup.body.apiKey.secret as string;
    const tenantId = signup.body.tenant.tenantId as string;
    expect(await rawIdempotencyItem('_operator', '/v1/tenants', signupKey)).not.toContain(randomPart(admin));

    const apiKeyKey = unique();
    const created = await api(twin.url, 'POST', '/v1/api-keys', { key: admin, body: { name: 'CRM', scopes: ['agent'] }, headers: { 'idempotency-key': apiKeyKey } });
    expect(created.status).toBe(201);
    expect(await rawIdempotencyItem(tenantId, '/v1/api-keys', apiKeyKey)).not.toContain(randomPart(created.body.secret));

    const webhookKey = unique();
    const webhook = await api(twin.url, 'POST', '/v1/webhooks', {
      key: admin,
      body: { url: 'https://hooks.example.com/in', eventTypes: ['*'] },
      headers: { 'idempotency-key': webhookKey },
    });
    expect(webhook.status).toBe(201);
    expect(await rawIdempotencyItem(tenantId, '/v1/webhooks', webhookKey)).not.toContain(randomPart(webhook.body.secret));
  });

  it('a replay of an answer that showed a secret answers 409 secret-shown-once, naming what was created', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const headers = { 'idempotency-key': unique() };
    const body = { name: 'Lost answer', scopes: ['readonly'] };
    const first = await api(twin.url, 'POST', '/v1/api-keys', { key: admin, body, headers });
    expect(first.status).toBe(201);
    const again = await api(twin.url, 'POST', '/v1/api-keys', { key: admin, body, headers });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/secret-shown-once$/);
    expect(again.body.detail).toContain(`/v1/api-keys/${first.body.keyId}`);
    expect(JSON.stringify(again.body)).not.toContain(randomPart(first.body.secret));
    // Recovery: revoke what the lost answer created and create again.
    expect((await api(twin.url, 'DELETE', `/v1/api-keys/${first.body.keyId}`, { key: admin })).status).toBe(204);
    expect((await api(twin.url, 'POST', '/v1/api-keys', { key: admin, body })).status).toBe(201);
  });

  it('a replay from another key of the tenant is refused, and learns nothing of the first answer', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const other = await api(twin.url, 'POST', '/v1/api-keys', { key: admin, body: { name: 'Second admin', scopes: ['admin'] } });
    const headers = { 'idempotency-key': unique() };
    const customer = { displayName: 'Mei Lin', phone: '+886912345678' };
    const first = await api(twin.url, 'POST', '/v1/customers', { key: admin, body: customer, headers });
    expect(first.status).toBe(201);
    const replay = await api(twin.url, 'POST', '/v1/customers', { key: other.body.secret, body: customer, headers });
    expect(replay.status).toBe(422);
    expect(replay.body.type).toMatch(/idempotency-key-other-caller$/);
    expect(JSON.stringify(replay.body)).not.toContain(first.body.customerId);
    expect(JSON.stringify(replay.body)).not.toContain('Mei Lin');
    // The key that made the request still gets its answer back.
    const own = await api(twin.url, 'POST', '/v1/customers', { key: admin, body: customer, headers });
    expect(own.status).toBe(201);
    expect(own.body.customerId).toBe(first.body.customerId);
  });

  it('a webhook item holds its signing secrets sealed only, before and after a rotation', async () => {
    const { apiKey: admin, tenant } = await createTenant(twin);
    const created = await api(twin.url, 'POST', '/v1/webhooks', { key: admin, body: { url: 'https://hooks.example.com/in', eventTypes: ['*'] } });
    const webhookId = created.body.webhookId as string;
    const raw = async () =>
      JSON.stringify((await client.send(new GetCommand({ TableName: tableName, Key: webhookKeys.webhook(tenant.tenantId, webhookId), ConsistentRead: true }))).Item);
    const before = await raw();
    expect(before).not.toContain(randomPart(created.body.secret));
    expect(before).not.toContain('whsec_');
    expect(before).toContain('sealedSecret');

    const rotated = await api(twin.url, 'PATCH', `/v1/webhooks/${webhookId}`, {
      key: admin,
      body: { rotateSecret: true },
      headers: { 'if-match': created.headers.get('etag')! },
    });
    expect(rotated.status).toBe(200);
    const after = await raw();
    for (const secret of [created.body.secret, rotated.body.secret]) expect(after).not.toContain(randomPart(secret));
    expect(after).not.toContain('whsec_');
  });
});
