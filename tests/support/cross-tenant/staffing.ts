import { expect } from 'vitest';
import { counterUpdates } from '../../../shared/data/analytics-repo';
import { applyOnce } from '../../../shared/data/processed-events';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
}

const date = '2026-01-20';
// Tenant A's Tuesday a week earlier: figures no plan of B's may echo (08:00 Taipei is 00:00 UTC).
const offered = 7919;
const handleSecondsEach = 271.83;
const patienceSeconds = 97.77;

/** Tenant A's counters of a past Tuesday: B's staffing plans must forecast from none of them. */
export const staffingArea: CrossTenantArea<Seeded> = {
  name: 'staffing',

  async seed(twin, aKey) {
    const tenant = await api(twin.url, 'GET', '/v1/tenant', { key: aKey });
    expect(tenant.status).toBe(200);
    const tenantId = tenant.body.tenantId as string;
    const eventId = `evt-staffing-seed-${Date.now()}`;
    const counters = { offered, answered: 100, handleSeconds: 100 * handleSecondsEach, abandonedInQueue: 100, queueSeconds: 100 * patienceSeconds };
    await applyOnce('cross-tenant-seed', tenantId, eventId, counterUpdates(tenantId, eventId, '2026-01-13T00:10:00Z', [{ dimension: 'all', value: '*', counters }]));
    const own = await api(twin.url, 'GET', `/v1/analytics/staffing?date=${date}`, { key: aKey });
    expect(own.body.totals.forecastContacts).toBe(offered);
    return { secrets: [String(offered), String(handleSecondsEach), String(patienceSeconds)] };
  },

  probes: {
    getStaffing: () => ({ path: `/v1/analytics/staffing?date=${date}&model=erlang-a` }),
    planStaffing: () => ({ path: '/v1/analytics/staffing', body: { date, model: 'erlang-a', forecast: [{ start: '08:00', contacts: 10 }] } }),
  },

  async verifyUnchanged(twin, aKey) {
    const own = await api(twin.url, 'GET', `/v1/analytics/staffing?date=${date}`, { key: aKey });
    expect(own.status).toBe(200);
    expect(own.body.totals.forecastContacts).toBe(offered);
    expect(own.body.observedPatienceSeconds).toBe(patienceSeconds);
  },
};
