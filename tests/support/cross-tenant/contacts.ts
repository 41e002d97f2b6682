import { expect } from 'vitest';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  customerId: string;
  contactId: string;
  referralId: string;
  listCursor: string;
}

export const contactsArea: CrossTenantArea<Seeded> = {
  name: 'contacts',

  async seed(twin, aKey) {
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Contact owner A' } });
    const contact = await api(twin.url, 'POST', '/v1/contacts', {
      key: aKey,
      body: {
        channel: 'voice',
        direction: 'inbound',
        customerId: customer.body.customerId,
        queue: 'secret-queue-a',
        agentId: 'secret-agent-a',
        notes: 'Secret contact note A',
      },
    });
    if (contact.status !== 201) throw new Error(`seeding a contact answered ${contact.status}: ${JSON.stringify(contact.body)}`);
    await api(twin.url, 'POST', '/v1/contacts', { key: aKey, body: { channel: 'chat', direction: 'inbound' } });
    const referral = await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/referrals`, {
      key: aKey,
      body: { product: 'Secret product A' },
    });
    const page = await api(twin.url, 'GET', '/v1/contacts?limit=1', { key: aKey });
    return {
      customerId: customer.body.customerId,
      contactId: contact.body.contactId,
      referralId: referral.body.referralId,
      listCursor: page.body.nextCursor,
      secrets: [contact.body.contactId, referral.body.referralId, 'secret-queue-a', 'secret-agent-a', 'Secret contact note A', 'Secret product A'],
    };
  },

  probes: {
    createContact: (a) => ({ path: '/v1/contacts', body: { channel: 'voice', direction: 'inbound', customerId: a.customerId } }),
    listContacts: (a) => ({ path: `/v1/contacts?customerId=${a.customerId}` }),
    getContact: (a) => ({ path: `/v1/contacts/${a.contactId}` }),
    updateContact: (a) => ({ path: `/v1/contacts/${a.contactId}`, body: { queue: 'hijacked' }, headers: { 'if-match': '*' } }),
    closeContact: (a) => ({ path: `/v1/contacts/${a.contactId}/close`, body: { outcome: 'resolved' } }),
    createReferral: (a) => ({ path: `/v1/contacts/${a.contactId}/referrals`, body: { product: 'Hijack' } }),
    updateReferral: (a) => ({
      path: `/v1/contacts/${a.contactId}/referrals/${a.referralId}`,
      body: { status: 'converted', value: { amount: 1, currency: 'TWD' } },
    }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const contact = await api(twin.url, 'GET', `/v1/contacts/${a.contactId}`, { key: aKey });
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ status: 'open', queue: 'secret-queue-a', version: 1 });
    expect(contact.body.referrals).toHaveLength(1);
    expect(contact.body.referrals[0]).toMatchObject({ referralId: a.referralId, status: 'open', version: 1 });
    const history = await api(twin.url, 'GET', `/v1/contacts?customerId=${a.customerId}`, { key: aKey });
    expect(history.body.items.map((c: { contactId: string }) => c.contactId)).toEqual([a.contactId]);
  },

  cursors: (a) => [{ path: '/v1/contacts', cursor: a.listCursor }],
};
