import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, routeKey, type RouteDeclaration } from '../../shared/http/routes';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

/**
 * Tenant B, holding a valid admin key of its own, aims every tenant route at tenant A's ids.
 * Each must answer exactly as it would for an id that does not exist, and no answer may carry
 * anything of tenant A. Every declared tenant route must have a case here: a new route fails
 * this test until it is given one.
 */

interface TenantA {
  tenantId: string;
  customerId: string;
  keyId: string;
  phone: string;
  email: string;
  listCursor: string;
}

type Probe = (a: TenantA) => { path: string; body?: unknown; headers?: Record<string, string> };

const probes: Record<string, Probe> = {
  getOwnTenant: () => ({ path: '/v1/tenant' }),
  createApiKey: () => ({ path: '/v1/api-keys', body: { name: 'probe', scopes: ['readonly'] } }),
  listApiKeys: () => ({ path: '/v1/api-keys' }),
  revokeApiKey: (a) => ({ path: `/v1/api-keys/${a.keyId}` }),
  getSettings: () => ({ path: '/v1/settings' }),
  updateSettings: () => ({ path: '/v1/settings', body: { locale: 'en' } }),
  createCustomer: () => ({ path: '/v1/customers', body: { displayName: 'B', email: 'b@tenant-b.example' } }),
  listCustomers: (a) => ({ path: `/v1/customers?phone=${encodeURIComponent(a.phone)}` }),
  getCustomer: (a) => ({ path: `/v1/customers/${a.customerId}` }),
  updateCustomer: (a) => ({ path: `/v1/customers/${a.customerId}`, body: { givenName: 'Hijacked' }, headers: { 'if-match': '*' } }),
  eraseCustomer: (a) => ({ path: `/v1/customers/${a.customerId}` }),
};

let twin: TestTwin;
let a: TenantA;
let aKey: string;
let bKey: string;

beforeAll(async () => {
  twin = await startTestTwin();
  const tenantA = await createTenant(twin, { name: 'Tenant A' });
  aKey = tenantA.apiKey;
  bKey = (await createTenant(twin, { name: 'Tenant B' })).apiKey;
  const phone = `09${String(Date.now()).slice(-8)}`;
  const email = `a-${Date.now()}@example.com`;
  const customer = await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Secret A', phone, email } });
  await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Secret A2' } });
  const agent = await api(twin.url, 'POST', '/v1/api-keys', { key: aKey, body: { name: 'A agent', scopes: ['agent'] } });
  const page = await api(twin.url, 'GET', '/v1/customers?limit=1', { key: aKey });
  a = {
    tenantId: tenantA.tenant.tenantId,
    customerId: customer.body.customerId,
    keyId: agent.body.keyId,
    phone,
    email,
    listCursor: page.body.nextCursor,
  };
});
afterAll(() => twin.close());

const tenantRoutes = routes.filter((route) => route.access.kind === 'tenant');

describe('cross-tenant isolation', () => {
  it('has a probe for every tenant route', () => {
    expect(tenantRoutes.map((route) => route.operationId).filter((id) => !probes[id])).toEqual([]);
  });

  it.each(tenantRoutes.map((route) => [routeKey(route), route] as [string, RouteDeclaration]))(
    "%s with tenant B's key reveals and changes nothing of tenant A",
    async (_name, route) => {
      const probe = probes[route.operationId]!(a);
      const answer = await api(twin.url, route.method, probe.path, { key: bKey, body: probe.body, headers: probe.headers });
      // `instance` echoes the caller's own request path; what must not appear is anything else of A's.
      const { instance: _echo, ...answerBody } = answer.body as Record<string, unknown>;
      const text = JSON.stringify(answerBody);
      for (const secret of [a.tenantId, a.customerId, a.keyId, a.phone.slice(1), a.email, 'Secret A']) {
        expect(text).not.toContain(secret);
      }
      if (route.path.includes('{')) {
        const missing = await api(twin.url, route.method, probe.path.replace(/(cus|key)_[0-9A-Z]{26}/, '$1_01JZZZZZZZZZZZZZZZZZZZZZZZ'), {
          key: bKey,
          body: probe.body,
          headers: probe.headers,
        });
        expect(answer.status).toBe(404);
        expect(answer.body.detail).toBe(missing.body.detail);
      }
    },
  );

  it("leaves tenant A's data as it was", async () => {
    const customer = await api(twin.url, 'GET', `/v1/customers/${a.customerId}`, { key: aKey });
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ displayName: 'Secret A', version: 1 });
    expect(customer.body).not.toHaveProperty('givenName');
    const keys = await api(twin.url, 'GET', '/v1/api-keys', { key: aKey });
    expect(keys.body.items.map((k: { keyId: string }) => k.keyId)).toContain(a.keyId);
    const settings = await api(twin.url, 'GET', '/v1/settings', { key: aKey });
    expect(settings.body).toMatchObject({ locale: 'zh-TW', version: 1 });
  });

  it("makes tenant A's cursor useless to tenant B", async () => {
    expect(a.listCursor).toBeTruthy();
    const answer = await api(twin.url, 'GET', `/v1/customers?cursor=${encodeURIComponent(a.listCursor)}`, { key: bKey });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).not.toContain('Secret A');
  });
});
