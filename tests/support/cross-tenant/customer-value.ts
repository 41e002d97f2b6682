import { expect } from 'vitest';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  customerId: string;
}

export const customerValueArea: CrossTenantArea<Seeded> = {
  name: 'customer value',

  async seed(twin, aKey) {
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Secret A buyer' } });
    const customerId = customer.body.customerId as string;
    for (const transactionId of ['secret-order-a1', 'secret-order-a2']) {
      const recorded = await api(twin.url, 'POST', `/v1/customers/${customerId}/transactions`, {
        key: aKey,
        body: { transactionId, amount: 4321, currency: 'TWD', at: new Date(Date.now() - 86_400_000).toISOString(), product: 'Secret A product' },
      });
      expect(recorded.status).toBe(201);
    }
    return { customerId, secrets: [customerId, 'secret-order-a1', 'Secret A product'] };
  },

  probes: {
    createCustomerTransaction: (a) => ({
      path: `/v1/customers/${a.customerId}/transactions`,
      body: { transactionId: 'secret-order-a1', amount: 1, currency: 'TWD', at: new Date(Date.now() - 60_000).toISOString(), product: 'B' },
    }),
    listCustomerTransactions: (a) => ({ path: `/v1/customers/${a.customerId}/transactions` }),
    getCustomerSegments: () => ({ path: '/v1/analytics/segments' }),
    refreshCustomerSegments: () => ({ path: '/v1/analytics/segments/refresh' }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const transactions = await api(twin.url, 'GET', `/v1/customers/${a.customerId}/transactions`, { key: aKey });
    expect(transactions.body.items.map((t: { transactionId: string; amount: number }) => [t.transactionId, t.amount]).sort()).toEqual([
      ['secret-order-a1', 4321],
      ['secret-order-a2', 4321],
    ]);
    const customer = await api(twin.url, 'GET', `/v1/customers/${a.customerId}`, { key: aKey });
    expect(customer.body.value).toMatchObject({ purchaseCount: 2, monetaryTotal: 8642 });
  },
};
