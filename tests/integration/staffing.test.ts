import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Counters } from '../../shared/domain/analytics/counters';
import { counterUpdates } from '../../shared/data/analytics-repo';
import { applyOnce } from '../../shared/data/processed-events';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';
import { eventually } from '../support/waiting';

let twin: TestTwin;
let key: string;
let otherKey: string;

/** Adds counters to the `all` dimension of the slot `at` falls in, as the aggregation consumer would. */
async function count(tenantId: string, at: string, counters: Counters) {
  const eventId = `evt-${Math.random().toString(36).slice(2)}`;
  expect(await applyOnce('staffing-test', tenantId, eventId, counterUpdates(tenantId, eventId, at, [{ dimension: 'all', value: '*', counters }]))).toBe('applied');
}

/** Erlang C by its defining sum, and the fewest agents meeting 80 % in 20 s within 85 % occupancy: the hand computation. */
function agentsByHand(traffic: number, handleSeconds: number): number {
  for (let agents = 1; ; agents++) {
    if (agents <= traffic || traffic / agents > 0.85) continue;
    let term = 1;
    let below = 0;
    for (let k = 0; k < agents; k++) {
      below += term;
      term *= traffic / (k + 1);
    }
    const waiting = (term * agents) / (agents - traffic) / (below + (term * agents) / (agents - traffic));
    if (1 - waiting * Math.exp((-(agents - traffic) * 20) / handleSeconds) >= 0.8) return agents;
  }
}

// Tuesday 2026-03-10 in New York is after the clocks went forward (EDT, UTC−4); the four Tuesdays
// before it are EST (UTC−5), so their 08:00 local is 13:00 UTC, not 12:00.
const pastTuesdays = [
  { date: '2026-03-03', eight: 90 },
  { date: '2026-02-24', eight: 100 },
  { date: '2026-02-17', eight: undefined }, // nothing counted: a missing week
  { date: '2026-02-10', eight: 110 },
];

beforeAll(async () => {
  twin = await startTestTwin();
  const tenant = await createTenant(twin, { name: 'Staffing NY', timezone: 'America/New_York', defaultCountry: 'US', locale: 'en' });
  key = tenant.apiKey;
  otherKey = (await createTenant(twin, { name: 'Staffing other', timezone: 'America/New_York', defaultCountry: 'US', locale: 'en' })).apiKey;
  const tenantId = tenant.tenant.tenantId as string;
  for (const { date, eight } of pastTuesdays) {
    if (eight === undefined) continue;
    // 08:00–08:30: 10 of the offered abandon after 120 s in queue on average; the answered take 180 s.
    await count(tenantId, `${date}T13:05:00Z`, {
      offered: eight,
      answered: eight - 10,
      handleSeconds: (eight - 10) * 180,
      abandonedInQueue: 10,
      queueSeconds: 1200,
    });
    // 08:30–09:00: 40 offered, all answered, 240 s each.
    await count(tenantId, `${date}T13:40:00Z`, { offered: 40, answered: 40, handleSeconds: 40 * 240 });
  }
});
afterAll(() => twin.close());

const staffing = (query: string, apiKey = key) => api(twin.url, 'GET', `/v1/analytics/staffing?${query}`, { key: apiKey });
// Tests read answers by the contract they check, not by a declared type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const intervalAt = (body: { intervals: { start: string }[] }, start: string) => body.intervals.find((interval) => interval.start === start) as Record<string, any>;

describe('staffing', () => {
  it('forecasts each half-hour from the same local time of past weeks and staffs it by Erlang C', async () => {
    const answer = await staffing('date=2026-03-10');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      date: '2026-03-10',
      timezone: 'America/New_York',
      interval: 30,
      model: 'erlang-c',
      target: { serviceLevelPercent: 80, thresholdSeconds: 20, maxOccupancyPercent: 85, shrinkagePercent: 30 },
      forecastSource: 'history',
      observedPatienceSeconds: 120,
    });
    expect(answer.body.history.datesWithData).toEqual(['2026-03-03', '2026-02-24', '2026-02-10']);
    expect(answer.body.intervals).toHaveLength(48);

    const eight = intervalAt(answer.body, '08:00');
    expect(eight).toMatchObject({ startsAt: '2026-03-10T08:00:00-04:00', forecastContacts: 100, historyWeeks: 3, averageHandleSeconds: 180, trafficErlangs: 10 });
    // A = 10 Erlangs: 14 agents (13 reach only 79.6 %), 14 / 0.7 = 20 on the schedule.
    expect(agentsByHand(10, 180)).toBe(14);
    expect(eight).toMatchObject({ agentsRequired: 14, scheduledAgents: 20, serviceLevelPercent: 88.84, occupancyPercent: 71.43 });
    expect(eight.averageSpeedOfAnswerSeconds).toBeCloseTo(7.84, 2);

    const eightThirty = intervalAt(answer.body, '08:30');
    // 40 contacts × 240 s per 1800 s = 5.33 Erlangs: 8 agents (7 give 64.4 %), ceil(8 / 0.7) = 12.
    expect(agentsByHand(40 * 240 / 1800, 240)).toBe(8);
    expect(eightThirty).toMatchObject({ forecastContacts: 40, averageHandleSeconds: 240, agentsRequired: 8, scheduledAgents: 12 });

    expect(intervalAt(answer.body, '03:00')).toMatchObject({ forecastContacts: 0, agentsRequired: 0, scheduledAgents: 0, serviceLevelPercent: null });
    expect(answer.body.notes[0]).toMatch(/Erlang C assumes no caller ever hangs up, so it overstates the agents needed/);
  });

  it('gives Erlang A with the observed patience, needing fewer agents, and staffs by it on request', async () => {
    const answer = await staffing('date=2026-03-10&model=erlang-a');
    expect(answer.status).toBe(200);
    const eight = intervalAt(answer.body, '08:00');
    expect(answer.body.modelUsed).toBe('erlang-a');
    expect(answer.body.patienceSeconds).toBe(120);
    expect(eight.erlangC.agentsRequired).toBe(14);
    expect(eight.erlangA.agentsRequired).toBeLessThan(14);
    expect(eight.agentsRequired).toBe(eight.erlangA.agentsRequired);
    expect(eight.erlangA.serviceLevelPercent).toBeGreaterThanOrEqual(80);
    expect(eight.erlangA.abandonmentPercent).toBeGreaterThan(0);
  });

  it('applies overrides of the goal, shrinkage and weeks', async () => {
    const stricter = await staffing('date=2026-03-10&targetPercent=90&shrinkagePercent=0');
    // 90 % in 20 s: 14 agents give 88.8 %, 15 give 94.1 %.
    expect(intervalAt(stricter.body, '08:00')).toMatchObject({ agentsRequired: 15, scheduledAgents: 15 });
    const lastWeekOnly = await staffing('date=2026-03-10&weeks=1');
    expect(intervalAt(lastWeekOnly.body, '08:00')).toMatchObject({ forecastContacts: 90, historyWeeks: 1 });
  });

  it("follows the tenant's analytics settings", async () => {
    const current = await api(twin.url, 'GET', '/v1/settings', { key });
    const patched = await api(twin.url, 'PATCH', '/v1/settings', {
      key,
      body: { analytics: { staffing: { shrinkagePercent: 50 } } },
      headers: { 'if-match': current.headers.get('etag') ?? '*' },
    });
    expect(patched.status).toBe(200);
    const answer = await staffing('date=2026-03-10');
    expect(intervalAt(answer.body, '08:00')).toMatchObject({ agentsRequired: 14, scheduledAgents: 28 });
    expect(answer.body.target.shrinkagePercent).toBe(50);
  });

  it('plans hours: the two half-hours of history together', async () => {
    const answer = await staffing('date=2026-03-10&interval=60&shrinkagePercent=30');
    expect(answer.body.intervals).toHaveLength(24);
    const eight = intervalAt(answer.body, '08:00');
    // Answered over the three weeks: 08:00 (80 + 90 + 100) at 180 s, 08:30 3 × 40 at 240 s.
    const handle = (270 * 180 + 120 * 240) / 390;
    expect(eight).toMatchObject({ forecastContacts: 140 });
    expect(eight.averageHandleSeconds).toBeCloseTo(handle, 2);
    expect(eight.agentsRequired).toBe(agentsByHand((140 * handle) / 3600, handle));
  });

  it('answers 46 or 50 half-hours on the days the clocks change', async () => {
    // No Sunday has history here: the plans follow a forecast given in the request.
    const withForecast = (date: string, interval = 30) =>
      api(twin.url, 'POST', '/v1/analytics/staffing', { key, body: { date, interval, forecast: [{ start: '09:00', contacts: 20 }] } });
    expect((await withForecast('2026-03-08')).body.intervals).toHaveLength(46);
    const autumn = await withForecast('2026-11-01');
    expect(autumn.body.intervals).toHaveLength(50);
    expect(autumn.body.intervals.filter((interval: { start: string }) => interval.start === '01:00').map((interval: { startsAt: string }) => interval.startsAt)).toEqual([
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T01:00:00-05:00',
    ]);
    expect((await withForecast('2026-11-01', 60)).body.intervals).toHaveLength(25);
  });

  it("staffs the caller's own forecast, taking handle time from history where it gives none", async () => {
    const answer = await api(twin.url, 'POST', '/v1/analytics/staffing', {
      key,
      body: { date: '2026-03-10', shrinkagePercent: 30, forecast: [{ start: '08:00', contacts: 100, averageHandleSeconds: 180 }, { start: '08:30', contacts: 40 }] },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.forecastSource).toBe('request');
    expect(intervalAt(answer.body, '08:00')).toMatchObject({ agentsRequired: 14, scheduledAgents: 20, averageHandleSource: 'forecast', historyWeeks: null });
    expect(intervalAt(answer.body, '08:30')).toMatchObject({ agentsRequired: 8, averageHandleSeconds: 240, averageHandleSource: 'interval-history' });
    expect(intervalAt(answer.body, '09:00')).toMatchObject({ forecastContacts: 0, agentsRequired: 0 });
  });

  it.each([
    ['date=2026-02-30', 'query.date'],
    ['interval=30', 'query.date'],
    ['date=2026-03-10&interval=45', 'query.interval'],
    ['date=2026-03-10&targetPercent=100', 'query.targetPercent'],
    ['date=2026-03-10&weeks=0', 'query.weeks'],
    ['date=2026-03-10&model=erlang-x', 'query.model'],
    ['date=2026-03-10&shift=early', 'query'],
  ])('refuses %s with a 400 naming %s', async (query, path) => {
    const answer = await staffing(query);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(answer.body.errors.map((error: { path: string }) => error.path).join(' ')).toContain(path);
  });

  it('refuses a forecast whose start is not an interval of the day', async () => {
    const answer = await api(twin.url, 'POST', '/v1/analytics/staffing', {
      key,
      body: { date: '2026-03-08', forecast: [{ start: '08:00', contacts: 5 }, { start: '02:00', contacts: 5 }, { start: '09:15', contacts: 5 }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual(['$.forecast[1].start', '$.forecast[2].start']);
  });

  it('forecasts from contacts logged through the API and counted by the aggregation consumer', async () => {
    const tenant = await createTenant(twin, { name: 'Staffing end to end', timezone: 'America/New_York', defaultCountry: 'US', locale: 'en' });
    // Thursday 2026-11-12, New York (UTC−5): 10:00 local is 15:00 UTC.
    const at = (time: string) => `2026-11-12T${time}Z`;
    const logAndClose = async (contact: Record<string, unknown>, close: Record<string, unknown>) => {
      const created = await api(twin.url, 'POST', '/v1/contacts', { key: tenant.apiKey, body: { channel: 'voice', direction: 'inbound', purpose: 'service', ...contact } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await api(twin.url, 'POST', `/v1/contacts/${created.body.contactId}/close`, { key: tenant.apiKey, body: close })).status).toBe(200);
    };
    // Waits 10 s and 30 s, handled in 200 s and 300 + 100 s; the third hangs up after 60 s in queue.
    await logAndClose({ queuedAt: at('15:00:00'), answeredAt: at('15:00:10') }, { outcome: 'resolved', endedAt: at('15:03:30') });
    await logAndClose({ queuedAt: at('15:05:00'), answeredAt: at('15:05:30') }, { outcome: 'resolved', endedAt: at('15:10:30'), afterContactWorkEndedAt: at('15:12:10') });
    await logAndClose({ queuedAt: at('15:20:00') }, { outcome: 'abandoned', endedAt: at('15:21:00') });
    // The closes reach the consumer through the table's stream and the bus: wait until all three are counted.
    const answer = await eventually(
      async () => {
        const read = await staffing('date=2026-11-19&weeks=1', tenant.apiKey);
        return read.body.totals?.forecastContacts === 3 && read;
      },
      'the three contacts counted',
      30_000,
    );
    expect(answer.status).toBe(200);
    expect(intervalAt(answer.body, '10:00')).toMatchObject({ forecastContacts: 3, historyWeeks: 1, averageHandleSeconds: 300, averageHandleSource: 'interval-history' });
    // (10 + 30 + 60) s in queue over 1 abandoned.
    expect(answer.body.observedPatienceSeconds).toBe(100);
  });

  it("forecasts nothing from another tenant's counters", async () => {
    const answer = await staffing('date=2026-03-10', otherKey);
    expect(answer.status).toBe(200);
    expect(answer.body.totals.forecastContacts).toBe(0);
    expect(answer.body.observedPatienceSeconds).toBeNull();
    expect(answer.body.history.datesWithData).toEqual([]);
  });

  it('says there is no forecast, and how to give one, instead of a day of zeros when no past week has a contact', async () => {
    const answer = await staffing('date=2026-03-10', otherKey);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ forecastSource: 'none', intervals: [], history: { weeks: 8, datesWithData: [] } });
    expect(answer.body.history.dates).toHaveLength(8);
    expect(answer.body.notes.join(' ')).toContain('POST /v1/analytics/staffing with forecast');
    // Given a forecast, the same tenant gets its plan.
    const given = await api(twin.url, 'POST', '/v1/analytics/staffing', { key: otherKey, body: { date: '2026-03-10', forecast: [{ start: '08:00', contacts: 100, averageHandleSeconds: 180 }] } });
    expect(given.body).toMatchObject({ forecastSource: 'request' });
    expect(given.body.intervals).toHaveLength(48);
    expect(intervalAt(given.body, '08:00')).toMatchObject({ agentsRequired: 14 });
  });
});
