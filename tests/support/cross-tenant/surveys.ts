import { expect } from 'vitest';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  surveyId: string;
  contactId: string;
  listCursor: string;
}

/** Tenant A's ad hoc link survey of a closed contact: a survey whose id, contact and link B must never reach. */
export const surveysArea: CrossTenantArea<Seeded> = {
  name: 'surveys',

  async seed(twin, aKey) {
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Survey secret customer' } });
    expect(customer.status).toBe(201);
    const contactIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const contact = await api(twin.url, 'POST', '/v1/contacts', {
        key: aKey,
        body: { channel: 'voice', direction: 'inbound', purpose: 'service', customerId: customer.body.customerId },
      });
      expect(contact.status).toBe(201);
      expect((await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key: aKey, body: { outcome: 'resolved' } })).status).toBe(200);
      const survey = await api(twin.url, 'POST', '/v1/surveys', { key: aKey, body: { contactId: contact.body.contactId, deliveryChannel: 'link' } });
      expect(survey.status).toBe(201);
      contactIds.push(contact.body.contactId);
    }
    const page = await api(twin.url, 'GET', '/v1/surveys?limit=1', { key: aKey });
    const surveyId = page.body.items[0].surveyId as string;
    return { surveyId, contactId: contactIds[0]!, listCursor: page.body.nextCursor, secrets: [surveyId, ...contactIds, customer.body.customerId] };
  },

  probes: {
    createSurvey: (a) => ({ path: '/v1/surveys', body: { contactId: a.contactId, deliveryChannel: 'link' } }),
    listSurveys: () => ({ path: '/v1/surveys' }),
    getSurvey: (a) => ({ path: `/v1/surveys/${a.surveyId}` }),
    getSurveyResultsSummary: () => ({ path: '/v1/survey-results/summary?groupBy=agent' }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const read = await api(twin.url, 'GET', `/v1/surveys/${a.surveyId}`, { key: aKey });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'sent', version: 2 });
    const list = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: aKey });
    expect(list.body.items).toHaveLength(2);
  },

  cursors: (a) => [{ path: '/v1/surveys', cursor: a.listCursor }],
};
