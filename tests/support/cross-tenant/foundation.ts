import { expect } from 'vitest';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  customerId: string;
  keyId: string;
  phone: string;
  email: string;
  listCursor: string;
}

export const foundationArea: CrossTenantArea<Seeded> = {
  name: 'foundation',

  async seed(twin, aKey) {
    const phone = `09${String(Date.now()).slice(-8)}`;
    const email = `a-${Date.now()}@example.com`;
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Secret A', phone, email } });
    await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Secret A2' } });
    const agent = await api(twin.url, 'POST', '/v1/api-keys', { key: aKey, body: { name: 'A agent', scopes: ['agent'] } });
    const page = await api(twin.url, 'GET', '/v1/customers?limit=1', { key: aKey });
    return {
      customerId: customer.body.customerId,
      keyId: agent.body.keyId,
      phone,
      email,
      listCursor: page.body.nextCursor,
      secrets: [customer.body.customerId, agent.body.keyId, phone.slice(1), email, 'Secret A'],
    };
  },

  probes: {
    getOwnTenant: () => ({ path: '/v1/tenant' }),
    createApiKey: () => ({ path: '/v1/api-keys', body: { name: 'probe', scopes: ['readonly'] } }),
    listApiKeys: () => ({ path: '/v1/api-keys' }),
    revokeApiKey: (a) => ({ path: `/v1/api-keys/${a.keyId}` }),
    getSettings: () => ({ path: '/v1/settings' }),
    updateSettings: () => ({ path: '/v1/settings', body: { locale: 'en' } }),
    createCustomer: () => ({ path: '/v1/customers', body: { displayName: 'B', email: 'b@tenant-b.example' } }),
    listCustomers: (a) => ({ path: `/v1/customers?phone=${encodeURIComponent(a.phone)}` }),
    searchCustomers: () => ({ path: '/v1/customers/search?q=Secret' }),
    getCustomer: (a) => ({ path: `/v1/customers/${a.customerId}` }),
    updateCustomer: (a) => ({ path: `/v1/customers/${a.customerId}`, body: { givenName: 'Hijacked' }, headers: { 'if-match': '*' } }),
    eraseCustomer: (a) => ({ path: `/v1/customers/${a.customerId}` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const customer = await api(twin.url, 'GET', `/v1/customers/${a.customerId}`, { key: aKey });
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ displayName: 'Secret A', version: 1 });
    expect(customer.body).not.toHaveProperty('givenName');
    const keys = await api(twin.url, 'GET', '/v1/api-keys', { key: aKey });
    expect(keys.body.items.map((k: { keyId: string }) => k.keyId)).toContain(a.keyId);
    const settings = await api(twin.url, 'GET', '/v1/settings', { key: aKey });
    expect(settings.body).toMatchObject({ locale: 'zh-TW', version: 1 });
  },

  cursors: (a) => [{ path: '/v1/customers', cursor: a.listCursor }],
};
