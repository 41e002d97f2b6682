import { createHash } from 'node:crypto';
import { logger, metrics, MetricUnit } from '../observability';
import type { Plan } from '../schemas/tenant';
import { HttpError } from './problem';

/**
 * Fixed-window request counting (docs/security.md, "Rate limits"). A window is named by the
 * second it starts at; every client has one counter per window, which expires on its own.
 */
export interface FixedWindow {
  startsAt: number;
  seconds: number;
}

/** The port the limits count through; shared/data/rate-limit-repo.ts is the DynamoDB adapter. */
export interface WindowCounter {
  /** Adds one to the client's count in the window and answers the new count. */
  increment(scope: string, client: string, window: FixedWindow): Promise<number>;
  /** The client's count in the window (0 when it has none). */
  read(scope: string, client: string, window: FixedWindow): Promise<number>;
}

export function windowAt(nowMs: number, seconds: number): FixedWindow {
  return { startsAt: Math.floor(nowMs / 1000 / seconds) * seconds, seconds };
}

/** Whole seconds until the window ends, at least 1: the Retry-After value. */
export const secondsLeft = (window: FixedWindow, nowMs: number) =>
  Math.max(1, Math.ceil(window.startsAt + window.seconds - nowMs / 1000));

/** Requests a tenant's keys may make per minute, all routes and keys together, by plan. */
export const tenantRequestsPerMinute: Record<Plan, number> = {
  trial: 600,
  starter: 1_200,
  business: 6_000,
  enterprise: 30_000,
};

/**
 * The per-tenant limit: the plan's, unless TENANT_REQUESTS_PER_MINUTE overrides every plan (an
 * operator's lever in an incident, and how tests reach the limit without thousands of requests).
 */
export function tenantLimit(plan: Plan): number {
  const override = Number(process.env.TENANT_REQUESTS_PER_MINUTE);
  return Number.isInteger(override) && override > 0 ? override : tenantRequestsPerMinute[plan];
}

export const tooManyRequests = (retryAfterSeconds: number, detail: string) =>
  new HttpError(429, 'too-many-requests', 'Too many requests', detail, undefined, { 'retry-after': String(retryAfterSeconds) });

export interface TenantRateLimitDeps {
  counter: WindowCounter;
  planOf(tenantId: string): Promise<Plan>;
  now?: () => number;
}

/**
 * Counts one request of the tenant and refuses it with 429 (Retry-After: the rest of the minute)
 * once the tenant is over its plan's limit. It fails open: a counter that cannot be reached is
 * logged and the request goes on, since refusing every tenant's traffic would be the worse outage.
 */
export async function limitTenantRequests(tenantId: string, deps: TenantRateLimitDeps): Promise<void> {
  const now = (deps.now ?? Date.now)();
  const window = windowAt(now, 60);
  let count: number;
  let limit: number;
  try {
    [count, limit] = await Promise.all([
      deps.counter.increment(tenantId, 'API', window),
      deps.planOf(tenantId).then(tenantLimit),
    ]);
  } catch (error) {
    logger.warn('Tenant rate limit not applied: its counter failed', error as Error);
    return;
  }
  if (count > limit) {
    metrics.addMetric('TenantRequestsThrottled', MetricUnit.Count, 1);
    throw tooManyRequests(secondsLeft(window, now), `This tenant may make ${limit} requests a minute; try again after the Retry-After seconds`);
  }
}

/** Survey-link guessing: this many unknown or expired tokens from one client in one window, then 429. */
export const surveyLinkMisses = { limit: 20, windowSeconds: 15 * 60 } as const;

/** The pseudo-tenant that holds the survey-link counters: no tenant id starts with `_`. */
export const surveyLinkScope = '_survey';

/**
 * A client of the public survey page, named by its IP address hashed (with a fixed label, so the
 * stored value is not the bare SHA-256 of an address). It is pseudonymous, not anonymous: the
 * IPv4 space is small enough to hash whole, which is why the counter expires with its window.
 */
export const surveyClientOf = (sourceIp: string) =>
  createHash('sha256').update(`switchboard/survey-link-client/${sourceIp}`).digest('base64url').slice(0, 22);

export interface SurveyLinkGuard {
  /** Undefined when the client may try a link; otherwise the Retry-After seconds. */
  blockedFor(client: string): Promise<number | undefined>;
  /** Counts a link that named no open survey. */
  recordMiss(client: string): Promise<void>;
}

export function surveyLinkGuard(counter: WindowCounter, now: () => number = Date.now): SurveyLinkGuard {
  const current = () => windowAt(now(), surveyLinkMisses.windowSeconds);
  return {
    async blockedFor(client) {
      const window = current();
      let misses: number;
      try {
        misses = await counter.read(surveyLinkScope, client, window);
      } catch (error) {
        logger.warn('Survey link guard not applied: its counter failed', error as Error);
        return undefined;
      }
      if (misses < surveyLinkMisses.limit) return undefined;
      metrics.addMetric('SurveyLinkGuessesRefused', MetricUnit.Count, 1);
      return secondsLeft(window, now());
    },
    async recordMiss(client) {
      try {
        await counter.increment(surveyLinkScope, client, current());
      } catch (error) {
        logger.warn('Survey link miss not counted: its counter failed', error as Error);
      }
    },
  };
}
