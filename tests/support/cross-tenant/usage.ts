import { expect } from 'vitest';
import { reserveSmsSegments, slotOf } from '../../../shared/data/sms-usage-repo';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  day: string;
}

// Tenant A's SMS usage today, figures no answer to B may echo.
const segments = 7919;
const costMicroUsd = segments * 66_000;
const roomy = { segmentsPerDay: 1e9, segmentsPerMonth: 1e9, spendCapMicroUsdPerMonth: 1e15 };

export const usageArea: CrossTenantArea<Seeded> = {
  name: 'usage',

  async seed(twin, aKey) {
    const tenant = await api(twin.url, 'GET', '/v1/tenant', { key: aKey });
    expect(tenant.status).toBe(200);
    const now = new Date();
    const reserved = await reserveSmsSegments(tenant.body.tenantId, slotOf(now, 'TW'), segments, costMicroUsd, roomy);
    expect(reserved.reserved).toBe(true);
    const day = now.toISOString().slice(0, 10);
    const own = await api(twin.url, 'GET', `/v1/usage?from=${day}&to=${day}`, { key: aKey });
    expect(own.body.totals.smsSegments).toBeGreaterThanOrEqual(segments);
    return { day, secrets: [String(segments), String(costMicroUsd / 1e6)] };
  },

  probes: {
    getUsage: (a) => ({ path: `/v1/usage?from=${a.day}&to=${a.day}` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const own = await api(twin.url, 'GET', `/v1/usage?from=${a.day}&to=${a.day}`, { key: aKey });
    expect(own.status).toBe(200);
    expect(own.body.days[0].countries).toContainEqual({ country: 'TW', smsSegments: segments, smsEstimatedCostUsd: costMicroUsd / 1e6 });
  },
};
