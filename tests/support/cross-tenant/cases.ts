import { expect } from 'vitest';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  customerId: string;
  caseId: string;
  assignee: string;
  listCursor: string;
}

export const casesArea: CrossTenantArea<Seeded> = {
  name: 'cases',

  async seed(twin, aKey) {
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Case holder A' } });
    const customerId = customer.body.customerId as string;
    const assignee = `agent:a-${Date.now()}`;
    const body = { type: 'complaint', category: 'billing', subject: 'Secret case subject', description: 'Secret description', customerId, assignee };
    const opened = await api(twin.url, 'POST', '/v1/cases', { key: aKey, body });
    expect(opened.status).toBe(201);
    await api(twin.url, 'POST', '/v1/cases', { key: aKey, body: { ...body, subject: 'Secret second subject' } });
    const page = await api(twin.url, 'GET', `/v1/cases?assignee=${assignee}&limit=1`, { key: aKey });
    return {
      customerId,
      caseId: opened.body.caseId,
      assignee,
      listCursor: page.body.nextCursor,
      secrets: [customerId, opened.body.caseId, 'Secret case subject', 'Secret second subject', 'Secret description'],
    };
  },

  probes: {
    createCase: (a) => ({
      path: '/v1/cases',
      body: { type: 'complaint', category: 'billing', subject: 'B probe', customerId: a.customerId },
    }),
    listCases: (a) => ({ path: `/v1/cases?customerId=${a.customerId}` }),
    getCase: (a) => ({ path: `/v1/cases/${a.caseId}` }),
    updateCase: (a) => ({ path: `/v1/cases/${a.caseId}`, body: { subject: 'Hijacked' }, headers: { 'if-match': '*' } }),
    claimCase: (a) => ({ path: `/v1/cases/${a.caseId}/claim` }),
    listMyCases: () => ({ path: '/v1/me/cases' }),
    listCaseQueue: () => ({ path: '/v1/case-queue?limit=100' }),
    getCaseWorkload: () => ({ path: '/v1/case-workload' }),
    addCaseEvent: (a) => ({ path: `/v1/cases/${a.caseId}/events`, body: { type: 'status_change', to: 'in_progress' } }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const read = await api(twin.url, 'GET', `/v1/cases/${a.caseId}`, { key: aKey });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ subject: 'Secret case subject', status: 'open', version: 1 });
    expect(read.body.timeline).toHaveLength(1);
    const byAssignee = await api(twin.url, 'GET', `/v1/cases?assignee=${a.assignee}`, { key: aKey });
    expect(byAssignee.body.items).toHaveLength(2);
  },

  cursors: (a) => [{ path: '/v1/cases', cursor: a.listCursor }],
};
