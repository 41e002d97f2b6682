import { expect } from 'vitest';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  customerId: string;
}

/** Tenant A's customer with a contact, a referral and a case: an overview B must never see. */
export const customerOverviewArea: CrossTenantArea<Seeded> = {
  name: 'customer overview',

  async seed(twin, aKey) {
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Overview secret customer' } });
    expect(customer.status).toBe(201);
    const customerId = customer.body.customerId as string;
    const contact = await api(twin.url, 'POST', '/v1/contacts', {
      key: aKey,
      body: { channel: 'voice', direction: 'inbound', customerId, notes: 'Overview secret note' },
    });
    expect(contact.status).toBe(201);
    const referral = await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/referrals`, { key: aKey, body: { product: 'Overview secret product' } });
    expect(referral.status).toBe(201);
    const opened = await api(twin.url, 'POST', '/v1/cases', {
      key: aKey,
      body: { type: 'complaint', category: 'billing', subject: 'Overview secret subject', customerId },
    });
    expect(opened.status).toBe(201);
    return {
      customerId,
      secrets: [customerId, contact.body.contactId, referral.body.referralId, opened.body.caseId, 'Overview secret'],
    };
  },

  probes: {
    getCustomerOverview: (a) => ({ path: `/v1/customers/${a.customerId}/overview` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    // The overview is a projection a consumer keeps from events: let the outbox stream and the bus catch up first.
    await twin.aws.stream?.drained();
    await twin.aws.stream?.drained();
    await twin.bus.settled();
    const overview = await api(twin.url, 'GET', `/v1/customers/${a.customerId}/overview`, { key: aKey });
    expect(overview.status).toBe(200);
    expect(overview.body.recentContacts).toHaveLength(1);
    expect(overview.body.openCases).toHaveLength(1);
    expect(overview.body.referrals.open).toHaveLength(1);
  },
};
