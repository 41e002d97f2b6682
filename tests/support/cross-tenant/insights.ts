import { expect } from 'vitest';
import { eventually } from '../waiting';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  caseIds: string[];
  deadlinesCursor: string;
  from: string;
  to: string;
}

const deadlinesPath = '/v1/analytics/case-backlog/deadlines?list=nearly_breached';

/**
 * Two critical complaints of A (their first response is due within the hour, so both are on A's
 * nearly-breached list) and A's backlog counting them; B asks for its own backlog, lists and
 * words over the same period and must see none of A's.
 */
export const insightsArea: CrossTenantArea<Seeded> = {
  name: 'insights',

  async seed(twin, aKey) {
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: aKey, body: { displayName: 'Backlog holder A' } });
    const customerId = customer.body.customerId as string;
    const caseIds: string[] = [];
    for (const subject of ['Secret backlog subject', 'Secret backlog second']) {
      const opened = await api(twin.url, 'POST', '/v1/cases', {
        key: aKey,
        body: { type: 'complaint', severity: 'critical', category: 'billing', subject, customerId },
      });
      expect(opened.status).toBe(201);
      caseIds.push(opened.body.caseId);
    }
    await eventually(async () => (await api(twin.url, 'GET', `${deadlinesPath}&limit=1`, { key: aKey })).body.nextCursor !== undefined, "A's deadline list");
    const page = await api(twin.url, 'GET', `${deadlinesPath}&limit=1`, { key: aKey });
    const now = Date.now();
    return {
      caseIds,
      deadlinesCursor: page.body.nextCursor,
      from: new Date(now - 86_400_000).toISOString(),
      to: new Date(now + 86_400_000).toISOString(),
      secrets: [customerId, ...caseIds, 'Secret backlog subject', 'Secret backlog second'],
    };
  },

  probes: {
    getCaseBacklog: () => ({ path: '/v1/analytics/case-backlog' }),
    listCaseDeadlines: () => ({ path: deadlinesPath }),
    listSurveyComments: (a) => ({ path: `/v1/analytics/survey-comments?from=${encodeURIComponent(a.from)}&to=${encodeURIComponent(a.to)}` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const backlog = await api(twin.url, 'GET', '/v1/analytics/case-backlog', { key: aKey });
    expect(backlog.body.byStatus.find((entry: { status: string }) => entry.status === 'open').total).toBeGreaterThanOrEqual(2);
    const listed = await api(twin.url, 'GET', deadlinesPath, { key: aKey });
    const ids = listed.body.items.map((item: { case: { caseId: string } }) => item.case.caseId);
    expect(ids).toEqual(expect.arrayContaining(a.caseIds));
  },

  cursors: (a) => [{ path: '/v1/analytics/case-backlog/deadlines', cursor: a.deadlinesCursor }],
};
