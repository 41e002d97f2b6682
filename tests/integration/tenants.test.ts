import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

const acme = { name: 'Acme Support', timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW', plan: 'trial' };

describe('POST /v1/tenants', () => {
  it('creates a tenant with an admin key that is shown once and works at once', async () => {
    const created = await api(twin.url, 'POST', '/v1/tenants', { key: twin.operatorKey, body: acme });
    expect(created.status).toBe(201);
    expect(created.body.tenant).toMatchObject({ name: 'Acme Support', timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW', plan: 'trial' });
    expect(created.body.tenant.tenantId).toMatch(/^ten_/);
    expect(created.body.apiKey.scopes).toEqual(['admin']);
    expect(created.body.apiKey.secret).toMatch(/^sb\./);

    const own = await api(twin.url, 'GET', '/v1/tenant', { key: created.body.apiKey.secret });
    expect(own.status).toBe(200);
    expect(own.body).toEqual({
      ...created.body.tenant,
      allocations: { smsOriginationIdentities: [], smsConfigurationSets: [], smsOptOutLists: [], connectAccounts: [], connectInstances: [], mailIdentities: [] },
    });

    const keys = await api(twin.url, 'GET', '/v1/api-keys', { key: created.body.apiKey.secret });
    expect(JSON.stringify(keys.body)).not.toContain(created.body.apiKey.secret);
  });

  it('is for the operator only', async () => {
    const { apiKey } = await createTenant(twin);
    for (const key of [undefined, 'wrong', apiKey]) {
      const refused = await api(twin.url, 'POST', '/v1/tenants', { key, body: acme });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('names each invalid field', async () => {
    const refused = await api(twin.url, 'POST', '/v1/tenants', {
      key: twin.operatorKey,
      body: { name: '', timezone: 'Mars/Olympus', locale: 'fr', defaultCountry: 'Taiwan', colour: 'red' },
    });
    expect(refused.status).toBe(400);
    const paths = refused.body.errors.map((error: { path: string }) => error.path).sort();
    expect(paths).toEqual(['$', '$.defaultCountry', '$.locale', '$.name', '$.timezone']);
    expect(refused.body.errors.find((e: { path: string }) => e.path === '$').message).toContain('colour');
  });

  it('honours an Idempotency-Key: same body creates nothing more and answers 409 (the admin secret is shown once), different body 422', async () => {
    const headers = { 'idempotency-key': `signup-${Math.random()}` };
    const first = await api(twin.url, 'POST', '/v1/tenants', { key: twin.operatorKey, body: acme, headers });
    const again = await api(twin.url, 'POST', '/v1/tenants', { key: twin.operatorKey, body: acme, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/secret-shown-once$/);
    expect(JSON.stringify(again.body)).not.toContain(first.body.apiKey.secret);
    const changed = await api(twin.url, 'POST', '/v1/tenants', {
      key: twin.operatorKey,
      body: { ...acme, name: 'Other' },
      headers,
    });
    expect(changed.status).toBe(422);
    expect(changed.body.type).toMatch(/idempotency-key-reused$/);
  });
});
