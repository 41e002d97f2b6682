import { createHash } from 'node:crypto';
import { logger, metrics, MetricUnit } from '../observability';
import type { Plan } from '../schemas/tenant';
import { HttpError } from './problem';

/**
 * Fixed-window request counting (docs/developers/security.md, "Rate limits"). A window is named by the
 * second it starts at; every client has one counter per window, which expires on its own.
 */
export interface FixedWindow {
  startsAt: number;
  seconds: number;
}

/** The port the limits count through; shared/data/rate-limit-repo.ts is the DynamoDB adapter. */
export interface WindowCounter {
  /** Adds `by` (default one) to the client's count in the window and answers the new count. */
  increment(scope: string, client: string, window: FixedWindow, by?: number): Promise<number>;
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
  new HttpError('too-many-requests', detail, { headers: { 'retry-after': String(retryAfterSeconds) } });

export interface TenantRateLimitDeps {
  counter: WindowCounter;
  planOf(tenantId: string): Promise<Plan>;
  /** Adds a written batch to the tenant's requests of the day, for GET /v1/usage (beside the window's count, not after it). */
  countDay?(tenantId: string, nowMs: number, count: number): Promise<void>;
  now?: () => number;
}

/** What this execution environment last learned of each tenant over its limit: its count, its plan, until when. */
const overLimitUntil = new Map<string, { untilMs: number; count: number; plan: Plan }>();

/**
 * Refuses the request with 429 (Retry-After: the rest of the minute) when this execution
 * environment already knows the tenant is over its plan's limit in this window. The count itself
 * is kept by countTenantRequest, which runs beside the request rather than before it, so the
 * limit costs no round trip on the request path: a tenant over its limit gets at most one more
 * request through per execution environment before it is refused (docs/developers/security.md).
 */
export function refuseIfOverLimit(tenantId: string, nowMs: number = Date.now()): void {
  const known = overLimitUntil.get(tenantId);
  if (!known) return;
  if (known.untilMs <= nowMs) {
    overLimitUntil.delete(tenantId);
    return;
  }
  // The limit is taken now, not when counted, so that an operator raising it acts at once.
  const limit = tenantLimit(known.plan);
  if (known.count <= limit) return;
  metrics.addMetric('TenantRequestsThrottled', MetricUnit.Count, 1);
  throw tooManyRequests(Math.max(1, Math.ceil((known.untilMs - nowMs) / 1000)), `This tenant may make ${limit} requests a minute; try again after the Retry-After seconds`);
}

/**
 * Requests an execution environment counts in memory before it adds them to the tenant's counter
 * in one write: a hundredth of the limit, at most 10, so that a tenant pays the counter's write
 * (and its latency) on one request in ten, and low limits are still counted one by one.
 */
export const countBatch = (limit: number) => Math.max(1, Math.min(10, Math.floor(limit / 100)));

/** Requests counted here but not yet added to the tenant's counter, per tenant, in their window. */
const unwritten = new Map<string, { windowStartsAt: number; count: number }>();

/**
 * Counts one request of the tenant in the current minute, in batches (countBatch), and
 * remembers, for the next request in this execution environment, whether the tenant is now over
 * its plan's limit. So the limit can be passed by at most one batch per execution environment
 * before it is enforced: a throttle against floods, not a billing meter. Never throws: a counter
 * that cannot be reached is logged and the limit fails open, since refusing every tenant's
 * traffic would be the worse outage.
 */
export async function countTenantRequest(tenantId: string, deps: TenantRateLimitDeps, weight = 1): Promise<void> {
  const now = (deps.now ?? Date.now)();
  const window = windowAt(now, 60);
  try {
    const plan = await deps.planOf(tenantId);
    const pending = unwritten.get(tenantId);
    const count = (pending?.windowStartsAt === window.startsAt ? pending.count : 0) + weight;
    if (count < countBatch(tenantLimit(plan))) {
      unwritten.set(tenantId, { windowStartsAt: window.startsAt, count });
      return;
    }
    unwritten.delete(tenantId);
    const [total] = await Promise.all([deps.counter.increment(tenantId, 'API', window, count), deps.countDay?.(tenantId, now, count)]);
    if (total > tenantLimit(plan)) overLimitUntil.set(tenantId, { untilMs: (window.startsAt + window.seconds) * 1000, count: total, plan });
  } catch (error) {
    logger.warn('Tenant rate limit not applied: its counter failed', error as Error);
  }
}

/** The DynamoDB reads an operation made: read requests (Query pages, GetItems) and the items they returned. */
export interface RequestReadWork {
  requests: number;
  items: number;
}

/** Read requests and items read that one counted request covers; beyond them a read counts as more. */
export const readWorkPerRequest = 25;

/**
 * How many requests a read counts as against the per-tenant limit: one per `readWorkPerRequest`
 * read requests and items read, at least one. A customer lookup (one GetItem) is one; a 366-day
 * summary from rollups two or three; the first summary of a year, which reads every slot of it
 * to make the rollups, thousands.
 */
export const requestWeightOf = (work: RequestReadWork): number => Math.max(1, Math.ceil((work.requests + work.items) / readWorkPerRequest));

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
