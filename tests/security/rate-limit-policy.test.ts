import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../shared/http/problem';
import {
  type FixedWindow,
  type WindowCounter,
  countBatch,
  countTenantRequest,
  refuseIfOverLimit,
  secondsLeft,
  surveyClientOf,
  surveyLinkGuard,
  surveyLinkMisses,
  tenantLimit,
  tenantRequestsPerMinute,
  windowAt,
} from '../../shared/http/rate-limit';

/** The limits' rules without a database: windows, Retry-After, plan limits, failing open. */

function memoryCounter(): WindowCounter & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const name = (scope: string, client: string, window: FixedWindow) => `${scope}|${client}|${window.startsAt}`;
  return {
    counts,
    async increment(scope, client, window, by = 1) {
      const next = (counts.get(name(scope, client, window)) ?? 0) + by;
      counts.set(name(scope, client, window), next);
      return next;
    },
    async read(scope, client, window) {
      return counts.get(name(scope, client, window)) ?? 0;
    },
  };
}
const broken: WindowCounter = {
  increment: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
  read: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
};

afterEach(() => {
  delete process.env.TENANT_REQUESTS_PER_MINUTE;
});

describe('fixed windows', () => {
  it('start on the window boundary and give the seconds left, at least 1', () => {
    const at = Date.parse('2026-11-22T10:07:42.300Z');
    const minute = windowAt(at, 60);
    expect(new Date(minute.startsAt * 1000).toISOString()).toBe('2026-11-22T10:07:00.000Z');
    expect(secondsLeft(minute, at)).toBe(18);
    expect(secondsLeft(minute, Date.parse('2026-11-22T10:07:59.999Z'))).toBe(1);
    expect(new Date(windowAt(at, 900).startsAt * 1000).toISOString()).toBe('2026-11-22T10:00:00.000Z');
  });
});

describe('per-tenant limit', () => {
  const now = () => Date.parse('2026-11-22T10:07:30Z');

  it("refuses a tenant once its counted requests pass the plan's limit, with 429 and Retry-After, until the minute ends", async () => {
    const counter = memoryCounter();
    const deps = { counter, planOf: async () => 'trial' as const, now };
    const limit = tenantRequestsPerMinute.trial;
    const refusedAt = async () => {
      for (let request = 1; request <= 2 * limit; request++) {
        try {
          refuseIfOverLimit('ten_A', now());
        } catch (error) {
          return { request, error };
        }
        await countTenantRequest('ten_A', deps);
      }
      return undefined;
    };
    const refused = await refusedAt();
    // Counted in batches beside each request: never before the limit, at most one batch after it.
    expect(refused!.request).toBeGreaterThan(limit + 1);
    expect(refused!.request).toBeLessThanOrEqual(limit + countBatch(limit) + 1);
    expect(refused!.error).toBeInstanceOf(HttpError);
    expect((refused!.error as HttpError).status).toBe(429);
    expect((refused!.error as HttpError).headers['retry-after']).toBe('30');
    // One write per batch, not per request.
    expect(counter.counts.get(`ten_A|API|${windowAt(now(), 60).startsAt}`)).toBeGreaterThan(limit);
    expect(() => refuseIfOverLimit('ten_B', now())).not.toThrow();
    // The next minute is a new window.
    expect(() => refuseIfOverLimit('ten_A', Date.parse('2026-11-22T10:08:00Z'))).not.toThrow();
  });

  it('counts low limits request by request, and at most ten requests per write', () => {
    expect(countBatch(15)).toBe(1);
    expect(countBatch(600)).toBe(6);
    expect(countBatch(30_000)).toBe(10);
  });

  it('takes the override over every plan, and ignores a nonsense one', () => {
    process.env.TENANT_REQUESTS_PER_MINUTE = '5';
    expect(tenantLimit('enterprise')).toBe(5);
    process.env.TENANT_REQUESTS_PER_MINUTE = 'lots';
    expect(tenantLimit('business')).toBe(tenantRequestsPerMinute.business);
  });

  it('fails open when the counter cannot be reached', async () => {
    await expect(countTenantRequest('ten_C', { counter: broken, planOf: async () => 'trial', now })).resolves.toBeUndefined();
    expect(() => refuseIfOverLimit('ten_C', now())).not.toThrow();
  });
});

describe('survey link guard', () => {
  it('blocks a client after the limit of misses, until the window ends, and only that client', async () => {
    const counter = memoryCounter();
    let clock = Date.parse('2026-11-22T10:01:00Z');
    const guard = surveyLinkGuard(counter, () => clock);
    const guesser = surveyClientOf('203.0.113.9');
    for (let i = 0; i < surveyLinkMisses.limit; i++) {
      expect(await guard.blockedFor(guesser)).toBeUndefined();
      await guard.recordMiss(guesser);
    }
    expect(await guard.blockedFor(guesser)).toBe(14 * 60);
    expect(await guard.blockedFor(surveyClientOf('203.0.113.10'))).toBeUndefined();
    clock = Date.parse('2026-11-22T10:15:00Z');
    expect(await guard.blockedFor(guesser)).toBeUndefined();
  });

  it('names clients by a hash that is not the address', () => {
    const client = surveyClientOf('203.0.113.9');
    expect(client).not.toContain('203');
    expect(client).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(surveyClientOf('203.0.113.9')).toBe(client);
  });

  it('fails open when the counter cannot be reached', async () => {
    const guard = surveyLinkGuard(broken);
    await expect(guard.blockedFor('x')).resolves.toBeUndefined();
    await expect(guard.recordMiss('x')).resolves.toBeUndefined();
  });
});
