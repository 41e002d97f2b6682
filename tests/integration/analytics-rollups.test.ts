import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dimension } from '../../shared/domain/analytics/counters';
import { addDays, localDateOf, resolvePeriod } from '../../shared/domain/analytics/intervals';
import { aggregationOf } from '../../shared/domain/analytics/aggregation';
import { type CounterRow, slotStartOf } from '../../shared/domain/analytics/counters';
import { summarize, sumCounters } from '../../shared/domain/analytics/metrics';
import { rowsByValue, rowsStartingIn } from '../../shared/domain/analytics/series';
import { closeContact, contactSummary, newContact } from '../../shared/domain/contact';
import { contactClosed } from '../../shared/events/contact-events';
import { newEvent } from '../../shared/events/events';
import { newId } from '../../shared/ids';
import type * as AnalyticsRepo from '../../shared/data/analytics-repo';
import type * as ProcessedEvents from '../../shared/data/processed-events';
import { isLateCount } from '../../shared/domain/analytics/rollups';
import type * as DataClient from '../../shared/data/client';
import type * as RateLimitRepo from '../../shared/data/rate-limit-repo';
import { windowAt } from '../../shared/http/rate-limit';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

/**
 * Summaries read settled local days and months from rollups made on first read (docs/developers/data-model.md,
 * "Analytics rollups"): the same figures as summing every slot, for any period, zone and grouping,
 * before and after late events, in far fewer reads; and the per-tenant request limit counts a
 * summary by the reads it made.
 */

let twin: TestTwin;
let repo: typeof AnalyticsRepo;
let client: typeof DataClient;
let rateLimitRepo: typeof RateLimitRepo;
let applyOnce: typeof ProcessedEvents.applyOnce;
const day = 86_400_000;

beforeAll(async () => {
  twin = await startTestTwin({ events: { busRetryBaseDelayMs: 5 } });
  // Imported after the twin set the functions' environment, like the handlers themselves.
  repo = await import('../../shared/data/analytics-repo');
  client = await import('../../shared/data/client');
  rateLimitRepo = await import('../../shared/data/rate-limit-repo');
  ({ applyOnce } = await import('../../shared/data/processed-events'));
}, 60_000);
afterAll(() => twin.close());

interface ContactSpec {
  queuedAt: number;
  waitSeconds: number;
  talkSeconds: number;
  abandoned: boolean;
  transferred: boolean;
  queue: string;
  agent: string;
  channel: 'voice' | 'chat';
}

/**
 * Contacts closed and counted by the real aggregation consumer, as the contacts function would
 * publish them; or, `inBulk`, their counters written here as that consumer writes them (the same
 * transaction), which takes a fraction of the time for a year of contacts. Answers the slot rows
 * they add, as the consumer's own aggregationOf gives them.
 */
async function countContacts(tenantId: string, contacts: readonly ContactSpec[], { inBulk = false } = {}): Promise<CounterRow[]> {
  const rows: CounterRow[] = [];
  const bulk: (() => Promise<unknown>)[] = [];
  const entries = contacts.map((spec) => {
    const at = (offsetSeconds: number) => new Date(spec.queuedAt + offsetSeconds * 1000).toISOString();
    const context = { now: at(0), reasonCodes: [], contactId: newId('con', spec.queuedAt) };
    const open = newContact(
      {
        channel: spec.channel,
        direction: 'inbound',
        purpose: 'service',
        queue: spec.queue,
        agentId: spec.agent,
        queuedAt: at(0),
        ...(spec.abandoned ? {} : { answeredAt: at(spec.waitSeconds) }),
      },
      {},
      context,
    );
    const closed = closeContact(
      open,
      {
        outcome: spec.abandoned ? 'abandoned' : spec.transferred ? 'transferred' : 'resolved',
        firstContactResolution: !spec.abandoned && !spec.transferred,
        endedAt: at(spec.abandoned ? spec.waitSeconds : spec.waitSeconds + spec.talkSeconds),
      },
      { ...context, now: at(spec.waitSeconds + spec.talkSeconds + 30), requireOutcome: true },
    );
    const event = newEvent(contactClosed, tenantId, contactSummary(closed) as never, closed.closedAt);
    const aggregation = aggregationOf({ detailType: 'Contact Closed', detail: event.detail } as never)!;
    const slotStart = slotStartOf(aggregation.at).toISOString();
    rows.push(...aggregation.increments.map(({ dimension, value, counters }) => ({ slotStart, dimension, value, counters })));
    const { eventId } = event.detail;
    const writes = [
      ...repo.counterUpdates(tenantId, eventId, aggregation.at, aggregation.increments),
      ...(isLateCount(aggregation.at, Date.now()) ? [repo.lateCountUpdate(tenantId, aggregation.at)] : []),
    ];
    bulk.push(() => applyOnce('analytics-aggregate', tenantId, eventId, writes));
    return { EventBusName: twin.bus.name, Source: 'switchboard', DetailType: 'Contact Closed', Detail: JSON.stringify(event.detail) };
  });
  if (inBulk) {
    for (let i = 0; i < bulk.length; i += 8) await Promise.all(bulk.slice(i, i + 8).map((write) => write()));
    return rows;
  }
  // A few at a time: each closed contact also runs the survey, overview and webhook consumers.
  for (let i = 0; i < entries.length; i += 10) {
    twin.bus.putEvents(entries.slice(i, i + 10));
    await twin.bus.settled();
  }
  return rows;
}

const contactAt = (queuedAt: number, overrides: Partial<ContactSpec> = {}): ContactSpec => ({
  queuedAt,
  waitSeconds: 12,
  talkSeconds: 300,
  abandoned: false,
  transferred: false,
  queue: 'billing',
  agent: 'agent-ann',
  channel: 'voice',
  ...overrides,
});

/**
 * The summary's figures as summing every slot row of the period gives them: what
 * GET /v1/analytics/summary answered before rollups. The rows are the stored slot rows, or the
 * rows the counted events added (countContacts), which are the same and cost no read.
 */
async function summaryFromSlots(
  tenantId: string,
  from: string,
  to: string,
  timeZone: string,
  groupBy: Dimension | undefined,
  answered: SummaryBody,
  counted?: readonly CounterRow[],
) {
  const period = resolvePeriod(from, to, timeZone);
  const rowsOf = async (dimension: Dimension) =>
    rowsStartingIn(
      counted ? counted.filter((row) => row.dimension === dimension) : await repo.readCounterRows(tenantId, dimension, new Date(period.start), new Date(period.end)),
      period,
    );
  const { thresholdSeconds, targetPercent } = answered.metrics.contacts.serviceLevel;
  const goal = { thresholdSeconds, targetPercent } as Parameters<typeof summarize>[1];
  return {
    metrics: summarize(sumCounters(await rowsOf('all')), goal, 'all', answered.metrics.cases?.backlog ?? null),
    ...(groupBy && {
      groups: [...rowsByValue(await rowsOf(groupBy))].map(([value, rows]) => ({ value, metrics: summarize(sumCounters(rows), goal, groupBy, null) })),
    }),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SummaryBody = { metrics: any; groups?: any[] };

async function summary(key: string, from: string, to: string, groupBy?: Dimension) {
  const answer = await api<SummaryBody>(twin.url, 'GET', `/v1/analytics/summary?from=${from}&to=${to}${groupBy ? `&groupBy=${groupBy}` : ''}`, { key });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

/** Items returned by every DynamoDB read the process makes while `run` runs (the twin's functions run in this process). */
async function itemsReadDuring(run: () => Promise<unknown>): Promise<number> {
  let items = 0;
  const name = `itemsRead-${Math.random()}`;
  client.db().middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as { Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> };
      items += (output.Items?.length ?? 0) + (output.Item ? 1 : 0) + Object.values(output.Responses ?? {}).flat().length;
      return result;
    },
    { step: 'initialize', name },
  );
  try {
    await run();
  } finally {
    client.db().middlewareStack.remove(name);
  }
  return items;
}

/**
 * Summaries of each calendar month of [from, to] in turn (the first and last clipped), which make
 * every rollup the whole period needs. The same reads as one summary of the period, in requests
 * that each stay within a function's timeout on a slow, shared machine.
 */
async function summariesMonthByMonth(key: string, from: string, to: string): Promise<void> {
  for (let start = from; start <= to; ) {
    const nextMonth = addDays(`${start.slice(0, 7)}-01`, 32).slice(0, 7);
    const end = addDays(`${nextMonth}-01`, -1) < to ? addDays(`${nextMonth}-01`, -1) : to;
    await summary(key, start, end);
    start = `${nextMonth}-01`;
  }
}

async function newTenant(timezone: string) {
  const created = await createTenant(twin, { timezone, name: 'Rollup Support' });
  return { key: created.apiKey, tenantId: created.tenant.tenantId as string };
}

describe('a 366-day summary', () => {
  it('reads at most 60 items once its rollups are made, however many slots the year holds', async () => {
    const zone = 'America/New_York';
    const { key, tenantId } = await newTenant(zone);
    const yesterday = addDays(localDateOf(Date.now(), zone), -1);
    const from = addDays(yesterday, -365);
    const firstDay = resolvePeriod(from, from, zone).start;
    // A contact a day, for 366 days.
    const counted = await countContacts(
      tenantId,
      Array.from({ length: 366 }, (_, i) => contactAt(firstDay + i * day + (i % 20) * 3_600_000 + 60_000, { agent: `agent-${i % 4}` })),
      { inBulk: true },
    );

    const madeRollups = await itemsReadDuring(() => summariesMonthByMonth(key, from, yesterday));
    let second!: SummaryBody;
    const fromRollups = await itemsReadDuring(async () => (second = await summary(key, from, yesterday)));

    expect(second.metrics.contacts.offered).toBe(366);
    expect(second).toMatchObject(await summaryFromSlots(tenantId, from, yesterday, zone, undefined, second, counted));
    // Summing slots reads every slot item of the year (as every summary did before rollups).
    expect(madeRollups).toBeGreaterThan(366);
    expect(fromRollups).toBeLessThanOrEqual(60);
  }, 300_000);

  it('counts a contact that arrives late for a month already rolled up, and for a day already rolled up', async () => {
    const zone = 'Asia/Kolkata';
    const { key, tenantId } = await newTenant(zone);
    const yesterday = addDays(localDateOf(Date.now(), zone), -1);
    // 76 days: at least two whole months, the day from+40 in one of them, and from itself a day or the first of a month.
    const from = addDays(yesterday, -75);
    const middle = resolvePeriod(addDays(from, 40), addDays(from, 40), zone).start;
    const edge = resolvePeriod(from, from, zone).start;
    const counted = await countContacts(tenantId, [contactAt(middle + 3_600_000), contactAt(edge + 3_600_000)]);
    await summariesMonthByMonth(key, from, yesterday);
    expect((await summary(key, from, yesterday)).metrics.contacts.offered).toBe(2);

    counted.push(...(await countContacts(tenantId, [contactAt(middle + 7_200_000, { abandoned: true }), contactAt(edge + 7_200_000, { transferred: true })])));

    const after = await summary(key, from, yesterday, 'queue');
    expect(after.metrics.contacts).toMatchObject({ offered: 4, abandoned: 1 });
    expect(after).toMatchObject(await summaryFromSlots(tenantId, from, yesterday, zone, 'queue', after, counted));
  }, 180_000);
});

describe('every summary from rollups', () => {
  it('gives the same figures as summing every slot, for random contacts, periods, zones and groupings, before and after late contacts', async () => {
    const now = Date.now();
    const contact = fc.record({
      queuedAt: fc.integer({ min: now - 80 * day, max: now - 3_600_000 }),
      waitSeconds: fc.integer({ min: 0, max: 400 }),
      talkSeconds: fc.integer({ min: 1, max: 1_800 }),
      abandoned: fc.boolean(),
      transferred: fc.boolean(),
      queue: fc.constantFrom('billing', 'support'),
      agent: fc.constantFrom('agent-ann', 'agent-bob', 'agent-cy'),
      channel: fc.constantFrom('voice' as const, 'chat' as const),
    });
    // Up to 31 days, so that a run stays short: enough for a whole month, edge days and the unsettled days.
    const period = fc.record({ endDaysAgo: fc.integer({ min: -1, max: 30 }), days: fc.integer({ min: 1, max: 31 }), groupBy: fc.constantFrom(undefined, 'queue' as const, 'agent' as const) });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('America/New_York', 'Asia/Kolkata', 'Australia/Adelaide', 'Asia/Kathmandu', 'UTC'),
        fc.array(contact, { minLength: 1, maxLength: 12 }),
        fc.array(contact, { minLength: 1, maxLength: 4 }),
        fc.array(period, { minLength: 1, maxLength: 2 }),
        async (zone, contacts, lateContacts, periods) => {
          const { key, tenantId } = await newTenant(zone);
          const counted = await countContacts(tenantId, contacts);
          const today = localDateOf(Date.now(), zone);
          const check = async () => {
            for (const { endDaysAgo, days, groupBy } of periods) {
              const to = addDays(today, -endDaysAgo);
              const from = addDays(to, -(days - 1));
              const answered = await summary(key, from, to, groupBy);
              expect(answered).toMatchObject(await summaryFromSlots(tenantId, from, to, zone, groupBy, answered, counted));
            }
          };
          await check(); // makes the rollups
          await check(); // reads them
          counted.push(...(await countContacts(tenantId, lateContacts)));
          await check(); // late contacts invalidate the rollups of their days
        },
      ),
      { numRuns: 3 },
    );
  }, 400_000);
});

describe('the per-tenant request limit', () => {
  async function countedDuring(tenantId: string, run: () => Promise<unknown>): Promise<number> {
    const windows = () => [windowAt(Date.now(), 60), windowAt(Date.now() + 60_000, 60)];
    const total = async (list: ReturnType<typeof windows>) =>
      (await Promise.all(list.map((window) => rateLimitRepo.dynamoWindowCounter.read(tenantId, 'API', window)))).reduce((a, b) => a + b, 0);
    const counted = windows();
    const before = await total(counted);
    await run();
    return (await total(counted)) - before;
  }

  it('counts a summary by the reads it made: a 366-day one more than a 1-day one, and one that weighs more than the limit brings 429 with Retry-After', async () => {
    const previous = process.env.TENANT_REQUESTS_PER_MINUTE;
    // A limit under 100 writes every request's count at once (countBatch), so each can be read back.
    process.env.TENANT_REQUESTS_PER_MINUTE = '90';
    try {
      const zone = 'Europe/London';
      const { key, tenantId } = await newTenant(zone);
      const yesterday = addDays(localDateOf(Date.now(), zone), -1);
      const from = addDays(yesterday, -365);
      const firstDay = resolvePeriod(from, from, zone).start;
      await countContacts(tenantId, Array.from({ length: 40 }, (_, i) => contactAt(firstDay + i * 9 * day + 3_600_000)), { inBulk: true });
      await summary(key, yesterday, yesterday);

      const oneDay = await countedDuring(tenantId, () => summary(key, yesterday, yesterday));
      const yearMakingRollups = await countedDuring(tenantId, () => summariesMonthByMonth(key, from, yesterday));
      const yearFromRollups = await countedDuring(tenantId, () => summary(key, from, yesterday));

      expect(oneDay).toBe(1);
      // Every slot partition of the year, 366 days × 4 shards Queries, in 13 requests.
      expect(yearMakingRollups).toBeGreaterThan(50);
      expect(yearFromRollups).toBeGreaterThan(oneDay);
      expect(yearFromRollups).toBeLessThanOrEqual(4);

      // Under a limit of one request a minute the tenant is over it: the next request is refused.
      process.env.TENANT_REQUESTS_PER_MINUTE = '1';
      expect((await api(twin.url, 'GET', `/v1/analytics/summary?from=${from}&to=${yesterday}`, { key })).status).toBe(200);
      const refused = await api(twin.url, 'GET', `/v1/analytics/summary?from=${yesterday}&to=${yesterday}`, { key });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      if (previous === undefined) delete process.env.TENANT_REQUESTS_PER_MINUTE;
      else process.env.TENANT_REQUESTS_PER_MINUTE = previous;
    }
  }, 120_000);
});
