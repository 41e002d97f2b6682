import { expect } from 'vitest';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  from: string;
  to: string;
}

/**
 * Tenant A's contact inside a range: B's exports of that range must hold nothing of it. (A's
 * surveys are the surveys area's; a survey seeded here would change the count that area checks.)
 */
export const exportsArea: CrossTenantArea<Seeded> = {
  name: 'exports',

  async seed(twin, aKey) {
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Export secret customer' } });
    expect(customer.status).toBe(201);
    const contact = await api(twin.url, 'POST', '/v1/contacts', {
      key: aKey,
      body: { channel: 'chat', direction: 'inbound', customerId: customer.body.customerId, queue: 'Export secret queue', notes: 'Export secret note' },
    });
    expect(contact.status).toBe(201);
    expect((await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key: aKey, body: { outcome: 'resolved' } })).status).toBe(200);
    const now = Date.now();
    return {
      from: new Date(now - 86_400_000).toISOString(),
      to: new Date(now + 86_400_000).toISOString(),
      secrets: [customer.body.customerId, contact.body.contactId, 'Export secret'],
    };
  },

  probes: {
    exportContacts: (a) => ({ path: `/v1/exports/contacts?from=${a.from}&to=${a.to}&include=notes` }),
    exportSurveyResponses: (a) => ({ path: `/v1/exports/survey-responses?from=${a.from}&to=${a.to}` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const contacts = await api(twin.url, 'GET', `/v1/exports/contacts?from=${a.from}&to=${a.to}`, { key: aKey });
    expect(contacts.status).toBe(200);
    expect(contacts.body).toContain(a.secrets[1]);
  },
};
