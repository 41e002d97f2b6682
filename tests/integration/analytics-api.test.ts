import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';
import { earlierTenantRules } from '../support/surveys';
import { advanceClock, eventually, settle, uniqueDigits } from '../support/waiting';
import { allocateSmsSender } from '../support/operator';

/**
 * The metrics API on the twin, over a data set seeded through the real API and counted by the
 * real aggregation consumer, in a New York tenant whose period holds Sunday 1 November 2026, the
 * 25-hour day when clocks go back from EDT (-04:00) to EST (-05:00) at 02:00.
 *
 * Every figure asserted is worked out by hand in the comments next to it.
 */

let twin: TestTwin;
let key: string;
let tenantId: string;
const minute = 60_000;
const newYork = 'America/New_York';

const get = (path: string, apiKey = key) => api(twin.url, 'GET', path, { key: apiKey });
const pathsOf = (answer: { body: { errors?: { path: string }[] } }) => (answer.body.errors ?? []).map((error) => error.path);

async function logContact(body: Record<string, unknown>, close: Record<string, unknown>): Promise<string> {
  const created = await api(twin.url, 'POST', '/v1/contacts', { key, body: { channel: 'voice', direction: 'inbound', purpose: 'service', ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const closed = await api(twin.url, 'POST', `/v1/contacts/${created.body.contactId}/close`, { key, body: close });
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
  return created.body.contactId as string;
}

// The contacts of the period Saturday 31 October – Monday 2 November 2026, New York time.
//
//  C1 billing/agent-ann voice  queued Sun 01:10 EDT (05:10Z), answered after 10 s, talk 300 s, work 60 s, resolved first time
//  C2 billing/agent-bob voice  queued Sun 01:10 EST (06:10Z), answered after 30 s, talk 200 s, work 40 s, transferred
//  C3 billing           voice  queued Sun 09:00 EST (14:00Z), hung up after 45 s: abandoned
//  C4 agent-ann outbound voice answered Mon 10:00 EST (15:00Z), talk 120 s, resolved first time, reason outage
//  C5 support/agent-ann chat   queued Sat 16:00 EDT (20:00Z), answered after 20 s, talk 600 s, resolved first time
async function seedPeriod(): Promise<void> {
  await logContact(
    {
      queue: 'billing',
      agentId: 'agent-ann',
      reasonCode: 'billing',
      queuedAt: '2026-11-01T05:10:00Z',
      answeredAt: '2026-11-01T05:10:10Z',
      endedAt: '2026-11-01T05:15:10Z',
      afterContactWorkEndedAt: '2026-11-01T05:16:10Z',
    },
    { outcome: 'resolved', firstContactResolution: true },
  );
  await logContact(
    {
      queue: 'billing',
      agentId: 'agent-bob',
      reasonCode: 'billing',
      queuedAt: '2026-11-01T06:10:00Z',
      answeredAt: '2026-11-01T06:10:30Z',
      endedAt: '2026-11-01T06:13:50Z',
      afterContactWorkEndedAt: '2026-11-01T06:14:30Z',
    },
    { outcome: 'transferred', firstContactResolution: false },
  );
  await logContact({ queue: 'billing', queuedAt: '2026-11-01T14:00:00Z', endedAt: '2026-11-01T14:00:45Z' }, { outcome: 'abandoned' });
  await logContact(
    { direction: 'outbound', agentId: 'agent-ann', reasonCode: 'outage', answeredAt: '2026-11-02T15:00:00Z', endedAt: '2026-11-02T15:02:00Z' },
    { outcome: 'resolved', firstContactResolution: true },
  );
  await logContact(
    {
      channel: 'chat',
      queue: 'support',
      agentId: 'agent-ann',
      queuedAt: '2026-10-31T20:00:00Z',
      answeredAt: '2026-10-31T20:00:20Z',
      endedAt: '2026-10-31T20:10:20Z',
    },
    { outcome: 'resolved', firstContactResolution: true },
  );
}

const period = 'from=2026-10-31&to=2026-11-02';

beforeAll(async () => {
  twin = await startTestTwin();
  twin.clock.set(new Date());
  const tenant = await createTenant(twin, { name: 'Gotham Care', timezone: newYork, locale: 'en', defaultCountry: 'US' });
  key = tenant.apiKey;
  tenantId = tenant.tenant.tenantId;
  const settings = await api(twin.url, 'PATCH', '/v1/settings', {
    key,
    body: {
      reasonCodes: [
        { code: 'billing', label: { en: 'Billing' } },
        { code: 'outage', label: { en: 'Outage' } },
      ],
    },
  });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  await seedPeriod();
  await eventually(async () => (await get(`/v1/analytics/summary?${period}`)).body.metrics?.contacts.offered === 5, 'the five contacts counted', 60_000);
  await settle(twin);
}, 180_000);
afterAll(() => twin.close());

describe('GET /v1/analytics/summary', () => {
  it('gives every contact figure of the period, computed by hand', async () => {
    const answer = await get(`/v1/analytics/summary?${period}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    // Sat 00:00 EDT to Tue 00:00 EST: 24 + 25 + 24 hours.
    expect(answer.body.period).toEqual({ from: '2026-10-31T00:00:00-04:00', to: '2026-11-03T00:00:00-05:00', timezone: newYork });
    expect(answer.body.metrics.contacts).toEqual({
      offered: 5,
      // C1, C2, C4, C5
      handled: 4,
      abandoned: 1,
      // C1, C2, C3, C5
      queued: 4,
      // C3
      abandonedInQueue: 1,
      // abandoned in queue 1 (C3) / queued 4 (C1, C2, C3, C5)
      abandonmentRate: 25,
      // waits 10 + 30 + 20 = 60 s over the 3 answered from a queue (C4 was an outbound call)
      averageSpeedOfAnswerSeconds: 20,
      // (360 + 240 + 120 + 600) / 4 handled = 330 = talk (300 + 200 + 120 + 600) / 4 = 305 + work (60 + 40) / 4 = 25
      averageHandleTimeSeconds: 330,
      averageTalkSeconds: 305,
      averageAfterContactWorkSeconds: 25,
      // within 20 s: C1 (10 s), C5 (20 s) of 4 queued = 50 %, short of the default 80 %
      serviceLevel: { percent: 50, thresholdSeconds: 20, targetPercent: 80, met: false },
      // C1, C4, C5 of the 4 not abandoned
      firstContactResolutionRate: 75,
      // C2 of the 4 not abandoned
      transferRate: 25,
    });
    // Nothing else happened in the period; the backlog is whatever is open now.
    expect(answer.body.metrics.surveys).toMatchObject({ sent: 0, responseRate: null, csat: null, nps: null, ces: null });
    expect(answer.body.metrics.cases).toMatchObject({ opened: 0, resolved: 0, slaCompliance: null });
    expect(answer.body.metrics.referrals).toEqual({ made: 0, converted: 0, lost: 0, conversionRate: null, valueByCurrency: {} });
  });

  it('breaks the figures down by queue, leaving out contacts without one, with no case or referral figures', async () => {
    const answer = await get(`/v1/analytics/summary?${period}&groupBy=queue`);
    expect(answer.status).toBe(200);
    expect(answer.body.groupBy).toBe('queue');
    expect(answer.body.metrics.contacts.offered).toBe(5);
    expect(answer.body.groups.map((group: { value: string }) => group.value)).toEqual(['billing', 'support']);
    const [billing, support] = answer.body.groups;
    expect(billing.metrics.contacts).toMatchObject({
      offered: 3,
      handled: 2,
      // 1 of 3 queued
      abandonmentRate: 33.33,
      // (10 + 30) / 2
      averageSpeedOfAnswerSeconds: 20,
      // (360 + 240) / 2
      averageHandleTimeSeconds: 300,
      // C1 only, of 3 queued
      serviceLevel: { percent: 33.33, met: false },
    });
    expect(billing.metrics.cases).toBeNull();
    expect(billing.metrics.referrals).toBeNull();
    expect(support.metrics.contacts).toMatchObject({ offered: 1, handled: 1, averageHandleTimeSeconds: 600, serviceLevel: { percent: 100, met: true } });
  });

  it('breaks the figures down by agent', async () => {
    const answer = await get(`/v1/analytics/summary?${period}&groupBy=agent`);
    const byAgent = Object.fromEntries(answer.body.groups.map((group: { value: string; metrics: unknown }) => [group.value, group.metrics]));
    expect(Object.keys(byAgent)).toEqual(['agent-ann', 'agent-bob']);
    // Ann: C1, C4, C5, handle (360 + 120 + 600) / 3 = 360, all three resolved first time.
    expect(byAgent['agent-ann'].contacts).toMatchObject({ offered: 3, handled: 3, averageHandleTimeSeconds: 360, firstContactResolutionRate: 100 });
    // Bob: C2, transferred.
    expect(byAgent['agent-bob'].contacts).toMatchObject({ offered: 1, transferRate: 100, firstContactResolutionRate: 0 });
    // Cases are opened per assignee but resolve without one; the backlog is the whole tenant's.
    expect(byAgent['agent-ann'].cases).toEqual({ opened: 0, resolved: null, resolvedWithinSla: null, backlog: null, slaCompliance: null, slaBreaches: null });
  });

  it('counts the hour that occurs twice on the 25-hour day as two hours, and a day as 25 hours', async () => {
    const answer = await get('/v1/analytics/summary?from=2026-11-01T01:00:00-05:00&to=2026-11-01T02:00:00-05:00');
    // Only the second 01:00 (EST): C2.
    expect(answer.body.metrics.contacts).toMatchObject({ offered: 1, averageSpeedOfAnswerSeconds: 30 });
    const sunday = await get('/v1/analytics/summary?from=2026-11-01&to=2026-11-01');
    expect(sunday.body.period).toMatchObject({ from: '2026-11-01T00:00:00-04:00', to: '2026-11-02T00:00:00-05:00' });
    expect(sunday.body.metrics.contacts.offered).toBe(3);
  });

  it("uses the tenant's service-level goal, and refuses a threshold that is not counted", async () => {
    const refused = await api(twin.url, 'PATCH', '/v1/settings', { key, body: { analytics: { serviceLevel: { thresholdSeconds: 25 } } } });
    expect(refused.status).toBe(400);
    expect(pathsOf(refused)).toEqual(['$.analytics.serviceLevel.thresholdSeconds']);
    expect(refused.body.errors[0].message).toContain('10, 15, 20, 30');

    const patched = await api(twin.url, 'PATCH', '/v1/settings', { key, body: { analytics: { serviceLevel: { thresholdSeconds: 30, targetPercent: 75 } } } });
    expect(patched.status).toBe(200);
    // The staffing part keeps its defaults: the patch merges.
    expect(patched.body.analytics).toEqual({
      serviceLevel: { targetPercent: 75, thresholdSeconds: 30 },
      staffing: { maxOccupancyPercent: 85, shrinkagePercent: 30, forecastWeeks: 8 },
    });
    try {
      const answer = await get(`/v1/analytics/summary?${period}`);
      // within 30 s: C1, C2, C5 of 4 queued = 75 %, which meets 75 %
      expect(answer.body.metrics.contacts.serviceLevel).toEqual({ percent: 75, thresholdSeconds: 30, targetPercent: 75, met: true });
    } finally {
      await api(twin.url, 'PATCH', '/v1/settings', { key, body: { analytics: { serviceLevel: { thresholdSeconds: 20, targetPercent: 80 } } } });
    }
  });

  it('refuses periods that are backwards, too long or not dates', async () => {
    const backwards = await get('/v1/analytics/summary?from=2026-11-02&to=2026-11-01');
    expect(backwards.status).toBe(400);
    expect(backwards.headers.get('content-type')).toContain('application/problem+json');
    expect(pathsOf(backwards)).toEqual(['query.to']);
    const tooLong = await get('/v1/analytics/summary?from=2025-01-01&to=2026-06-30');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].message).toContain('366 days');
    const notADate = await get('/v1/analytics/summary?from=2026-02-30&to=2026-03-01&groupBy=team');
    expect(notADate.status).toBe(400);
    expect(pathsOf(notADate).sort()).toEqual(['query.from', 'query.groupBy']);
    expect((await get('/v1/analytics/summary?to=2026-03-01')).status).toBe(400);
  });
});

describe('GET /v1/analytics/timeseries', () => {
  const values = (points: { value: number | null }[]) => points.map((point) => point.value);

  it('gives one point per local day, 25 hours for the day the clocks go back', async () => {
    const answer = await get(`/v1/analytics/timeseries?metric=offered&interval=day&${period}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.points).toEqual([
      { start: '2026-10-31T00:00:00-04:00', end: '2026-11-01T00:00:00-04:00', value: 1 },
      { start: '2026-11-01T00:00:00-04:00', end: '2026-11-02T00:00:00-05:00', value: 3 },
      { start: '2026-11-02T00:00:00-05:00', end: '2026-11-03T00:00:00-05:00', value: 1 },
    ]);
  });

  it('gives 25 hourly points on that day, with 01:00 twice, and null where nothing was answered', async () => {
    const offered = await get('/v1/analytics/timeseries?metric=offered&interval=hour&from=2026-11-01&to=2026-11-01');
    expect(offered.body.points).toHaveLength(25);
    expect(offered.body.points.slice(1, 3).map((point: { start: string }) => point.start)).toEqual(['2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00']);
    // C1 in the first 01:00, C2 in the second, C3 at 09:00 EST (index 10: 00, 01, 01, 02 … 09).
    const expected = Array<number>(25).fill(0);
    expected[1] = 1;
    expected[2] = 1;
    expected[10] = 1;
    expect(values(offered.body.points)).toEqual(expected);

    const asa = await get('/v1/analytics/timeseries?metric=averageSpeedOfAnswerSeconds&interval=hour&from=2026-11-01&to=2026-11-01');
    // 10 s and 30 s; C3's hour had a queued contact but none answered: null, not 0.
    expect(asa.body.points[1].value).toBe(10);
    expect(asa.body.points[2].value).toBe(30);
    expect(asa.body.points[10].value).toBeNull();
    expect(asa.body.points[0].value).toBeNull();
  });

  it('gives weeks from Monday, and a series per group value', async () => {
    const weeks = await get('/v1/analytics/timeseries?metric=offered&interval=week&from=2026-10-26&to=2026-11-08');
    // Mon 26 Oct – Sun 1 Nov (169 hours): C5, C1, C2, C3; Mon 2 – Sun 8 Nov: C4.
    expect(weeks.body.points).toEqual([
      { start: '2026-10-26T00:00:00-04:00', end: '2026-11-02T00:00:00-05:00', value: 4 },
      { start: '2026-11-02T00:00:00-05:00', end: '2026-11-09T00:00:00-05:00', value: 1 },
    ]);
    const byQueue = await get(`/v1/analytics/timeseries?metric=offered&interval=day&${period}&groupBy=queue`);
    expect(byQueue.body.series.map((series: { value: string; points: { value: number }[] }) => [series.value, values(series.points)])).toEqual([
      ['billing', [0, 3, 0]],
      ['support', [1, 0, 0]],
    ]);
    expect(values(byQueue.body.points)).toEqual([1, 3, 1]);
  });

  it('refuses too many points, an unknown metric, and a grouping the metric is not counted by', async () => {
    const tooMany = await get('/v1/analytics/timeseries?metric=offered&interval=hour&from=2026-01-01&to=2026-04-30');
    expect(tooMany.status).toBe(400);
    expect(pathsOf(tooMany)).toEqual(['query.interval']);
    expect(tooMany.body.errors[0].message).toContain('2000');
    const unknown = await get(`/v1/analytics/timeseries?metric=happiness&interval=day&${period}`);
    expect(unknown.status).toBe(400);
    expect(pathsOf(unknown)).toEqual(['query.metric']);
    const casesByQueue = await get(`/v1/analytics/timeseries?metric=casesOpened&interval=day&${period}&groupBy=queue`);
    expect(casesByQueue.status).toBe(400);
    expect(pathsOf(casesByQueue)).toEqual(['query.groupBy']);
  });
});

describe('GET /v1/analytics/heatmap', () => {
  it('counts offered contacts per local weekday and hour, and averages them over how often that hour occurred', async () => {
    const answer = await get('/v1/analytics/heatmap?from=2026-10-26&to=2026-11-08');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const cells = answer.body.cells as { weekday: string; hour: number; offered: number; occurrences: number; averageOffered: number | null }[];
    expect(cells).toHaveLength(7 * 24);
    const cell = (weekday: string, hour: number) => cells.find((c) => c.weekday === weekday && c.hour === hour);
    // Sunday 01:00 occurred three times in these two weeks (twice on 1 November): C1 and C2.
    expect(cell('sun', 1)).toEqual({ weekday: 'sun', hour: 1, offered: 2, occurrences: 3, averageOffered: 0.67 });
    expect(cell('sun', 9)).toEqual({ weekday: 'sun', hour: 9, offered: 1, occurrences: 2, averageOffered: 0.5 });
    expect(cell('sat', 16)).toMatchObject({ offered: 1, occurrences: 2 });
    expect(cell('mon', 10)).toMatchObject({ offered: 1, occurrences: 2 });
    expect(cells.reduce((sum, c) => sum + c.offered, 0)).toBe(5);
    // 14 days × 24 hours + the repeated 01:00.
    expect(cells.reduce((sum, c) => sum + c.occurrences, 0)).toBe(14 * 24 + 1);
  });

  it('defaults to the 27 days before today and today up to now, in the tenant time zone, so a contact of today shows', async () => {
    // A tenant of its own, so that today's contact changes no other test's figures.
    const taipei = await createTenant(twin, { name: 'Taipei Heat', timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW' });
    // Two minutes ago, but never before today's local midnight, so that the contact is of today whenever the test runs.
    const taipeiToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const queuedAt = new Date(Math.max(Date.now() - 2 * minute, Date.parse(`${taipeiToday}T00:00:00+08:00`) + 1_000));
    const created = await api(twin.url, 'POST', '/v1/contacts', {
      key: taipei.apiKey,
      body: { channel: 'voice', direction: 'inbound', purpose: 'service', queuedAt: queuedAt.toISOString(), answeredAt: new Date(queuedAt.getTime() + 5_000).toISOString() },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await api(twin.url, 'POST', `/v1/contacts/${created.body.contactId}/close`, { key: taipei.apiKey, body: { outcome: 'resolved' } })).status).toBe(200);

    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', hourCycle: 'h23' });
    const parts = Object.fromEntries(local.formatToParts(queuedAt).map((part) => [part.type, part.value]));
    const today = `${parts.year}-${parts.month}-${parts.day}`;
    const answer = await eventually(async () => {
      const heatmap = await get('/v1/analytics/heatmap', taipei.apiKey);
      return heatmap.body.cells?.some((c: { offered: number }) => c.offered === 1) ? heatmap : undefined;
    }, "today's contact in the default heatmap");
    const asked = Date.now();
    // Taipei has no daylight saving: from is local midnight 27 days before today, to is now.
    const from = Date.parse(answer.body.period.from);
    const firstDay = new Date(Date.parse(`${today}T00:00:00Z`) - 27 * 86_400_000).toISOString().slice(0, 10);
    expect(answer.body.period.from).toBe(`${firstDay}T00:00:00+08:00`);
    expect(Date.parse(`${today}T00:00:00+08:00`) - from).toBe(27 * 86_400_000);
    const to = Date.parse(answer.body.period.to);
    expect(to).toBeGreaterThan(queuedAt.getTime());
    expect(to).toBeLessThanOrEqual(asked);
    const cell = answer.body.cells.find((c: { weekday: string; hour: number }) => c.weekday === parts.weekday!.toLowerCase() && c.hour === Number(parts.hour));
    // Today's hour happened four times in the period: three past weeks and today.
    expect(cell).toMatchObject({ offered: 1, occurrences: 4 });
    expect(answer.body.cells.every((c: { occurrences: number }) => c.occurrences >= 3 && c.occurrences <= 4)).toBe(true);
  });
});

describe('one agent identity', () => {
  it('counts the agent of a contact and the same agent assigned a case (written agent:agent-2) as one row by agent', async () => {
    const own = await createTenant(twin, { name: 'One Agent', timezone: newYork, locale: 'en', defaultCountry: 'US' });
    const ownKey = own.apiKey;
    const queuedAt = new Date(Date.now() - 3 * minute);
    const contact = await api(twin.url, 'POST', '/v1/contacts', {
      key: ownKey,
      body: { channel: 'voice', direction: 'inbound', purpose: 'service', agentId: 'agent-2', queuedAt: queuedAt.toISOString(), answeredAt: new Date(queuedAt.getTime() + 8_000).toISOString() },
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    expect((await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key: ownKey, body: { outcome: 'resolved' } })).status).toBe(200);
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: ownKey, body: { displayName: 'Mr Wayne' } });
    const opened = await api(twin.url, 'POST', '/v1/cases', {
      key: ownKey,
      body: { type: 'complaint', category: 'billing', subject: 'Charged twice', customerId: customer.body.customerId, assignee: 'agent:agent-2' },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.assignee).toBe('agent-2');
    // A contact naming its agent in upper case is refused, naming the field, rather than counted as a second agent.
    const upper = await api(twin.url, 'POST', '/v1/contacts', { key: ownKey, body: { channel: 'voice', direction: 'inbound', agentId: 'Agent-2' } });
    expect(upper.status).toBe(400);
    expect(pathsOf(upper)).toEqual(['$.agentId']);

    const around = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}`;
    const summary = await eventually(async () => {
      const answer = await get(`/v1/analytics/summary?${around}&groupBy=agent`, ownKey);
      return answer.body.metrics?.contacts.offered === 1 && answer.body.metrics.cases.opened === 1 ? answer.body : undefined;
    }, 'the contact and the case counted');
    expect(summary.groups.map((group: { value: string }) => group.value)).toEqual(['agent-2']);
    expect(summary.groups[0].metrics.contacts.offered).toBe(1);
    expect(summary.groups[0].metrics.cases.opened).toBe(1);
  });
});

describe('cases, surveys and referrals, counted when they happen', () => {
  it('gives SLA compliance, the backlog, survey scores and referral conversion for today', async () => {
    const customer = async (body: Record<string, unknown> = {}) => {
      const created = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Ms Lin', ...body } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.customerId as string;
    };
    const started = Date.now();

    // A survey answered by SMS: CSAT 4 (satisfied), resolved, NPS 9 (promoter). The tenant asks the
    // four-question template (a new tenant's default asks CSAT only), so that NPS is counted too.
    const number = `+8862${uniqueDigits()}`;
    await allocateSmsSender(twin, tenantId, number);
    const setUp = await api(twin.url, 'PATCH', '/v1/settings', {
      key,
      body: {
        // The tenant is in the US and surveys a Taiwanese customer: SMS to Taiwan must be allowed.
        sms: { originationIdentity: number, allowedDestinationCountries: ['US', 'TW'] },
        surveys: { enabled: true, delayMinutes: 5, quietHours: null, ...(await earlierTenantRules(twin, key)) },
        slaPolicy: { targets: { complaint: { medium: { firstResponse: { amount: 10, unit: 'minutes' } } } } },
      },
    });
    expect(setUp.status, JSON.stringify(setUp.body)).toBe(200);
    const phone = `+8869${uniqueDigits()}`;
    const surveyed = await customer({ phone, language: 'en', consent: { sms: { status: 'granted', source: 'web-form' } } });
    await logContact({ customerId: surveyed, queue: 'billing', agentId: 'agent-ann' }, { outcome: 'resolved' });
    await advanceClock(twin, 6 * minute);
    await eventually(() => twin.sms.sentTo(phone)[0], 'the first survey SMS');
    for (const reply of ['4', 'yes', '9']) {
      const injected = await api(twin.url, 'POST', '/local/sms/inbound', {
        body: { originationNumber: phone, destinationNumber: number, messageKeyword: 'KEYWORD_NONE', messageBody: reply, inboundMessageId: `in-${Math.random()}` },
      });
      expect(injected.status).toBe(202);
      await settle(twin);
    }
    twin.clock.set(new Date());

    // A referral converted for TWD 1,234.50 and one lost, both made by agent-bob.
    const sales = await api(twin.url, 'POST', '/v1/contacts', { key, body: { channel: 'voice', direction: 'inbound', purpose: 'sales', agentId: 'agent-bob' } });
    const referrals = `/v1/contacts/${sales.body.contactId}/referrals`;
    const won = (await api(twin.url, 'POST', referrals, { key, body: { product: 'Fibre 1G' } })).body.referralId;
    const lost = (await api(twin.url, 'POST', referrals, { key, body: { product: 'Insurance' } })).body.referralId;
    expect((await api(twin.url, 'PATCH', `${referrals}/${won}`, { key, body: { status: 'converted', value: { amount: 1234.5, currency: 'TWD' } } })).status).toBe(200);
    expect((await api(twin.url, 'PATCH', `${referrals}/${lost}`, { key, body: { status: 'lost', reason: 'Too expensive' } })).status).toBe(200);
    expect((await api(twin.url, 'POST', `/v1/contacts/${sales.body.contactId}/close`, { key, body: { outcome: 'resolved' } })).status).toBe(200);

    // Three complaints: one breaches its 10-minute first response on the driven clock and is then
    // resolved; one is resolved in time; one stays open.
    const complainant = await customer();
    const openCase = async () => {
      const opened = await api(twin.url, 'POST', '/v1/cases', {
        key,
        body: { type: 'complaint', severity: 'medium', category: 'billing', subject: 'Charged twice', customerId: complainant },
      });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      return opened.body;
    };
    const resolve = async (caseId: string) => {
      for (const to of ['in_progress', 'resolved']) {
        const moved = await api(twin.url, 'POST', `/v1/cases/${caseId}/events`, { key, body: { type: 'status_change', to } });
        expect(moved.status, JSON.stringify(moved.body)).toBeLessThan(300);
      }
    };
    const late = await openCase();
    const prompt = await openCase();
    await resolve(prompt.caseId);
    try {
      twin.clock.set(new Date(Date.parse(late.sla.firstResponse.dueAt) + 1_000));
      await twin.scheduler.settled();
      await eventually(async () => (await api(twin.url, 'GET', `/v1/cases/${late.caseId}`, { key })).body.breached === true, 'the breach');
    } finally {
      twin.clock.set(new Date());
    }
    await resolve(late.caseId);
    await openCase();
    await settle(twin);

    // Today, as instants: a day either side covers the 10-minute deadline and the 6-minute delay.
    const today = `from=${new Date(started - 86_400_000).toISOString()}&to=${new Date(started + 86_400_000).toISOString()}`;
    const summary = await eventually(async () => {
      const answer = await get(`/v1/analytics/summary?${today}`);
      const metrics = answer.body.metrics;
      const counted =
        metrics?.cases.opened === 3 &&
        metrics.cases.resolved === 2 &&
        metrics.cases.backlog === 1 &&
        metrics.cases.slaBreaches === 1 &&
        metrics.surveys.completed === 1 &&
        metrics.referrals.lost === 1;
      return counted ? answer.body : undefined;
    }, 'the day counted', 30_000);
    expect(summary.metrics.cases).toEqual({
      opened: 3,
      resolved: 2,
      // the prompt one
      resolvedWithinSla: 1,
      // the third complaint
      backlog: 1,
      // resolved within every deadline: the prompt one, 1 of 2
      slaCompliance: 50,
      slaBreaches: 1,
    });
    expect(summary.metrics.surveys).toEqual({
      sent: 1,
      completed: 1,
      responseRate: 100,
      // one CSAT answer of 4: satisfied
      csat: 100,
      csatResponses: 1,
      // one promoter of one answer
      nps: 100,
      npsResponses: 1,
      // the default template asks no CES question
      ces: null,
      cesResponses: 0,
    });
    expect(summary.metrics.referrals).toEqual({ made: 2, converted: 1, lost: 1, conversionRate: 50, valueByCurrency: { TWD: 1234.5 } });
    // The surveyed contact and the sales call.
    expect(summary.metrics.contacts.offered).toBe(2);

    const byAgent = await get(`/v1/analytics/summary?${today}&groupBy=agent`);
    const bob = byAgent.body.groups.find((group: { value: string }) => group.value === 'agent-bob');
    expect(bob.metrics.referrals).toMatchObject({ made: 2, converted: 1, conversionRate: 50 });
    const ann = byAgent.body.groups.find((group: { value: string }) => group.value === 'agent-ann');
    expect(ann.metrics.surveys).toMatchObject({ sent: 1, completed: 1, csat: 100 });
  }, 180_000);
});

describe('another tenant', () => {
  it("gets its own empty figures for the same period, never this tenant's", async () => {
    const other = await createTenant(twin, { name: 'Other Co', timezone: newYork });
    const summary = await get(`/v1/analytics/summary?${period}&groupBy=queue`, other.apiKey);
    expect(summary.status).toBe(200);
    expect(summary.body.metrics.contacts).toMatchObject({ offered: 0, handled: 0, averageHandleTimeSeconds: null });
    expect(summary.body.metrics.cases.backlog).toBe(0);
    expect(summary.body.groups).toEqual([]);
    const series = await get(`/v1/analytics/timeseries?metric=offered&interval=day&${period}&groupBy=agent`, other.apiKey);
    expect(series.body.points.map((point: { value: number }) => point.value)).toEqual([0, 0, 0]);
    expect(series.body.series).toEqual([]);
    const heatmap = await get('/v1/analytics/heatmap?from=2026-10-26&to=2026-11-08', other.apiKey);
    expect(heatmap.body.cells.every((cell: { offered: number }) => cell.offered === 0)).toBe(true);
  });

  it('needs a key', async () => {
    expect((await api(twin.url, 'GET', `/v1/analytics/summary?${period}`)).status).toBe(401);
  });
});
