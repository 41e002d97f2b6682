import { expect } from 'vitest';
import { eventually } from '../waiting';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  day: string;
}

const queue = 'queue-tenant-a-secret';
const agent = 'agent-tenant-a-secret';

/** A's one counted contact's period, and a summary of it grouped by queue. */
const summaryPath = (day: string, groupBy = 'queue') => `/v1/analytics/summary?from=${day}&to=${day}&groupBy=${groupBy}`;

export const analyticsArea: CrossTenantArea<Seeded> = {
  name: 'analytics',

  async seed(twin, aKey) {
    // One answered call in a named queue, by a named agent, on a day of its own; the aggregation
    // consumer counts it a moment after it closes.
    const day = '2026-02-10';
    const created = await api(twin.url, 'POST', '/v1/contacts', {
      key: aKey,
      body: {
        channel: 'voice',
        direction: 'inbound',
        purpose: 'service',
        queue,
        agentId: agent,
        queuedAt: '2026-02-10T06:00:00Z',
        answeredAt: '2026-02-10T06:00:30Z',
        endedAt: '2026-02-10T06:05:00Z',
      },
    });
    expect(created.status).toBe(201);
    const closed = await api(twin.url, 'POST', `/v1/contacts/${created.body.contactId}/close`, { key: aKey, body: { outcome: 'resolved' } });
    expect(closed.status).toBe(200);
    await eventually(async () => (await api(twin.url, 'GET', summaryPath(day), { key: aKey })).body.metrics?.contacts.offered === 1, "A's counted contact");
    return { day, secrets: [queue, agent] };
  },

  // B asks for the very period and grouping that hold A's figures: it must get its own, empty ones.
  probes: {
    getAnalyticsSummary: (a) => ({ path: summaryPath(a.day, 'agent') }),
    getAnalyticsTimeseries: (a) => ({ path: `/v1/analytics/timeseries?metric=offered&interval=hour&from=${a.day}&to=${a.day}&groupBy=queue` }),
    getAnalyticsHeatmap: (a) => ({ path: `/v1/analytics/heatmap?from=${a.day}&to=${a.day}` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const summary = await api(twin.url, 'GET', summaryPath(a.day), { key: aKey });
    expect(summary.body.metrics.contacts).toMatchObject({ offered: 1, handled: 1 });
    expect(summary.body.groups).toEqual([expect.objectContaining({ value: queue })]);
  },
};
