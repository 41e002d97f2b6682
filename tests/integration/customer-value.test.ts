import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';
import { eventually } from '../support/waiting';

let twin: TestTwin;
let key: string;
let tenantId: string;
beforeAll(async () => {
  twin = await startTestTwin();
  // Asia/Taipei and TW: transactions are in TWD, the daily run is at 03:00 Taipei time (19:00 UTC).
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  tenantId = tenant.tenant.tenantId;
}, 60_000);
afterAll(() => twin.close());

const dayMs = 86_400_000;
const hourMs = 3_600_000;

const newCustomer = async (name: string) => {
  const created = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: name } });
  expect(created.status).toBe(201);
  return created.body.customerId as string;
};
const record = (customerId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api(twin.url, 'POST', `/v1/customers/${customerId}/transactions`, { key, body, headers });
const purchase = (overrides: Record<string, unknown> = {}) => ({
  amount: 1200,
  currency: 'TWD',
  at: new Date(Date.now() - dayMs).toISOString(),
  product: 'Fibre 500 plan',
  ...overrides,
});
const customer = async (customerId: string) => (await api(twin.url, 'GET', `/v1/customers/${customerId}`, { key })).body;

describe('customer transactions', () => {
  it("record a purchase on the customer's value figures, once per transactionId", async () => {
    const customerId = await newCustomer('Transaction Tester');
    const before = await api(twin.url, 'GET', `/v1/customers/${customerId}`, { key });

    const created = await record(customerId, purchase({ transactionId: 'order-1001', margin: 400 }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ transactionId: 'order-1001', kind: 'purchase', amount: 1200, margin: 400, marginEstimated: false });

    const repeated = await record(customerId, purchase({ transactionId: 'order-1001', margin: 400, at: created.body.at }));
    expect(repeated.status).toBe(200);
    expect(repeated.body).toEqual(created.body);

    const clash = await record(customerId, purchase({ transactionId: 'order-1001', amount: 999, at: created.body.at }));
    expect(clash.status).toBe(409);
    expect(clash.body.type).toMatch(/duplicate-transaction$/);

    const refund = await record(customerId, purchase({ amount: -200, at: new Date().toISOString() }));
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ kind: 'refund', margin: -60, marginEstimated: true });

    const after = await api(twin.url, 'GET', `/v1/customers/${customerId}`, { key });
    expect(after.body.value).toEqual({
      currency: 'TWD',
      purchaseCount: 1,
      refundCount: 1,
      monetaryTotal: 1000,
      marginTotal: 340,
      firstPurchaseAt: created.body.at,
      lastPurchaseAt: created.body.at,
      lastTransactionAt: refund.body.at,
    });
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
  }, 60_000);

  it('refuses another currency with 422 naming the tenant currency, and bad input with the field paths', async () => {
    const customerId = await newCustomer('Currency Tester');
    const usd = await record(customerId, purchase({ currency: 'USD' }));
    expect(usd.status).toBe(422);
    expect(usd.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(usd.body.detail).toContain('TWD');

    const invalid = await record(customerId, { amount: 0, currency: 'TWD', at: 'yesterday', colour: 'red' });
    expect(invalid.status).toBe(400);
    const paths = invalid.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['$.amount', '$.at', '$.product']));

    const future = await record(customerId, purchase({ at: new Date(Date.now() + hourMs).toISOString() }));
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([{ path: '$.at', message: 'Must not be in the future' }]);

    expect((await customer(customerId)).value).toBeUndefined();
    const list = await api(twin.url, 'GET', `/v1/customers/${customerId}/transactions`, { key });
    expect(list.body.items).toEqual([]);
  }, 60_000);

  it('answer 404 for an unknown customer and 410 for an erased one', async () => {
    const unknown = await record('cus_01JZZZZZZZZZZZZZZZZZZZZZZZ', purchase());
    expect(unknown.status).toBe(404);

    const customerId = await newCustomer('Erased Buyer');
    expect((await record(customerId, purchase())).status).toBe(201);
    expect((await api(twin.url, 'DELETE', `/v1/customers/${customerId}`, { key })).status).toBe(204);
    expect((await record(customerId, purchase())).status).toBe(410);
    expect((await api(twin.url, 'GET', `/v1/customers/${customerId}/transactions`, { key })).status).toBe(410);
  }, 60_000);

  it('honour Idempotency-Key and list newest first, page by page', async () => {
    const customerId = await newCustomer('Lister');
    const headers = { 'idempotency-key': `k-${Math.random()}` };
    const first = await record(customerId, purchase({ at: new Date(Date.now() - 3 * dayMs).toISOString() }), headers);
    const replay = await record(customerId, purchase({ at: first.body.at }), headers);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body.transactionId).toBe(first.body.transactionId);
    await record(customerId, purchase({ at: new Date(Date.now() - 1 * dayMs).toISOString(), transactionId: 'newest' }));
    await record(customerId, purchase({ at: new Date(Date.now() - 2 * dayMs).toISOString(), transactionId: 'middle' }));

    const page1 = await api(twin.url, 'GET', `/v1/customers/${customerId}/transactions?limit=2`, { key });
    expect(page1.body.items.map((t: { transactionId: string }) => t.transactionId)).toEqual(['newest', 'middle']);
    const page2 = await api(
      twin.url,
      'GET',
      `/v1/customers/${customerId}/transactions?limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
      { key },
    );
    expect(page2.body.items.map((t: { transactionId: string }) => t.transactionId)).toEqual([first.body.transactionId]);
    expect((await customer(customerId)).value.purchaseCount).toBe(3);
  }, 60_000);

  it("arm the tenant's daily run at the next 03:00 in its time zone", () => {
    const daily = twin.scheduler.list().filter((schedule) => schedule.Name.startsWith(`customer-value-${tenantId}-2`));
    expect(daily).toHaveLength(1);
    const at = daily[0]!.at;
    expect(at.getUTCHours()).toBe(19);
    expect(at.getTime()).toBeGreaterThan(Date.now());
    expect(at.getTime() - Date.now()).toBeLessThanOrEqual(dayMs);
  });
});

describe('segments', () => {
  // Five customers, one per quintile on every axis: last purchase days ago, purchases, amount each.
  const plan = [
    { name: 'A', days: 1, purchases: 5, amount: 200 },
    { name: 'B', days: 10, purchases: 4, amount: 100 },
    { name: 'C', days: 40, purchases: 3, amount: 50 },
    { name: 'D', days: 100, purchases: 2, amount: 40 },
    { name: 'E', days: 300, purchases: 1, amount: 30 },
  ];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const segmentTenant = await createTenant(twin, { name: 'Segments Inc' });
    key = segmentTenant.apiKey;
    tenantId = segmentTenant.tenant.tenantId;
    const now = Date.now();
    for (const row of plan) {
      ids[row.name] = await newCustomer(`Customer ${row.name}`);
      for (let i = 0; i < row.purchases; i++) {
        // An hour past the whole day, so the run counts exactly `days` days.
        const at = new Date(now - (row.days + i) * dayMs - hourMs).toISOString();
        const created = await record(ids[row.name]!, purchase({ amount: row.amount, at }));
        expect(created.status).toBe(201);
      }
    }
  }, 120_000);

  it('are computed on refresh: scores, segment, tier, quadrant and lifetime value on each customer', async () => {
    const empty = await api(twin.url, 'GET', '/v1/analytics/segments', { key });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ computedAt: null, customersScored: 0, currency: 'TWD' });

    const refresh = await api(twin.url, 'POST', '/v1/analytics/segments/refresh', { key });
    expect(refresh.status).toBe(202);
    const tooSoon = await api(twin.url, 'POST', '/v1/analytics/segments/refresh', { key });
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0);

    const summary = await eventually(
      async () => {
        const answer = await api(twin.url, 'GET', '/v1/analytics/segments', { key });
        return answer.body.computedAt !== null && answer;
      },
      'the segments computed',
      30_000,
    );
    expect(summary.body).toMatchObject({
      computedAt: refresh.body.runAt,
      customersScored: 5,
      thresholds: { recencyDays: [1, 10, 40, 100], frequency: [1, 2, 3, 4], monetary: [30, 80, 150, 400] },
      quadrantCutoffs: { marginTotal: 45, loyalty: 9 },
      retention: { rate: 0.6, source: 'settings' },
      annualDiscountRate: 0.1,
      tiers: { high: 1, mid: 2, low: 2 },
      quadrants: { true_friends: 3, butterflies: 0, barnacles: 0, strangers: 2 },
    });
    const bySegment = Object.fromEntries(
      summary.body.segments.filter((entry: { customers: number }) => entry.customers > 0).map((entry: { segment: string }) => [entry.segment, entry]),
    );
    // Margins are the default 30 %; lifetime value = margin × 0.6 / (1 + 0.1 − 0.6) = margin × 1.2.
    expect(bySegment).toEqual({
      champions: { segment: 'champions', customers: 1, monetaryTotal: 1000, marginTotal: 300, lifetimeValue: 360 },
      loyal: { segment: 'loyal', customers: 1, monetaryTotal: 400, marginTotal: 120, lifetimeValue: 144 },
      need_attention: { segment: 'need_attention', customers: 1, monetaryTotal: 150, marginTotal: 45, lifetimeValue: 54 },
      hibernating: { segment: 'hibernating', customers: 1, monetaryTotal: 80, marginTotal: 24, lifetimeValue: 28.8 },
      lost: { segment: 'lost', customers: 1, monetaryTotal: 30, marginTotal: 9, lifetimeValue: 10.8 },
    });

    const champion = await customer(ids.A!);
    expect(champion.value).toMatchObject({
      scores: { recency: 5, frequency: 5, monetary: 5, recencyDays: 1 },
      segment: 'champions',
      tier: 'high',
      quadrant: 'true_friends',
      lifetimeValue: 360,
      last12Months: { purchaseCount: 5, monetary: 1000, margin: 300 },
    });
    // This refresh's run, or the tenant's daily run when the test happens to cross its local midnight.
    expect(Date.parse(champion.value.computedAt)).toBeGreaterThanOrEqual(Date.parse(refresh.body.runAt));
    expect((await customer(ids.E!)).value).toMatchObject({ segment: 'lost', tier: 'low', quadrant: 'strangers' });
  }, 90_000);

  it('list a value tier, a quadrant, or both with GET /v1/customers?tier=&quadrant=, page by page, only the caller tenant', async () => {
    const idsOf = (body: { items: { customerId: string }[] }) => body.items.map((c) => c.customerId);
    const sorted = (...names: string[]) => names.map((name) => ids[name]!).sort();
    const everyPage = async (path: string, limit: number) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const answer = await api(twin.url, 'GET', `${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { key });
        expect(answer.status).toBe(200);
        expect(answer.body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...idsOf(answer.body));
        cursor = answer.body.nextCursor;
        if (!cursor) return seen;
      }
      throw new Error(`${path} did not end`);
    };

    const mid = await api(twin.url, 'GET', '/v1/customers?tier=mid', { key });
    expect(mid.status).toBe(200);
    expect(idsOf(mid.body)).toEqual(sorted('B', 'C'));
    expect(mid.body.items[0]).not.toHaveProperty('gsi3pk');
    expect(mid.body.items[0].value).toMatchObject({ tier: 'mid', quadrant: 'true_friends' });
    expect(await everyPage('/v1/customers?tier=low', 1)).toEqual(sorted('D', 'E'));

    // A quadrant reads the high tier first, then mid, then low, and pages across them.
    expect(idsOf((await api(twin.url, 'GET', '/v1/customers?quadrant=true_friends', { key })).body)).toEqual([ids.A, ...sorted('B', 'C')]);
    expect(await everyPage('/v1/customers?quadrant=true_friends', 1)).toEqual([ids.A, ...sorted('B', 'C')]);
    expect(await everyPage('/v1/customers?quadrant=true_friends', 2)).toEqual([ids.A, ...sorted('B', 'C')]);
    expect(await everyPage('/v1/customers?quadrant=strangers', 1)).toEqual(sorted('D', 'E'));
    expect((await api(twin.url, 'GET', '/v1/customers?quadrant=butterflies', { key })).body).toEqual({ items: [] });

    // Both: the customers in that tier and that quadrant.
    expect(idsOf((await api(twin.url, 'GET', '/v1/customers?tier=low&quadrant=strangers', { key })).body)).toEqual(sorted('D', 'E'));
    expect((await api(twin.url, 'GET', '/v1/customers?tier=high&quadrant=strangers', { key })).body.items).toEqual([]);

    const badTier = await api(twin.url, 'GET', '/v1/customers?tier=gold', { key });
    expect(badTier.status).toBe(400);
    expect(badTier.body.errors.map((e: { path: string }) => e.path)).toContain('query.tier');
    expect((await api(twin.url, 'GET', '/v1/customers?tier=mid&segment=loyal', { key })).status).toBe(400);

    // Another tenant sees none of these customers, and cannot use this tenant's cursor.
    const other = await createTenant(twin, { name: 'Other Value Inc' });
    expect((await api(twin.url, 'GET', '/v1/customers?tier=mid', { key: other.apiKey })).body.items).toEqual([]);
    expect((await api(twin.url, 'GET', '/v1/customers?quadrant=true_friends', { key: other.apiKey })).body.items).toEqual([]);
    const firstPage = await api(twin.url, 'GET', '/v1/customers?quadrant=true_friends&limit=1', { key });
    expect(firstPage.body.nextCursor).toEqual(expect.any(String));
    const stolen = await api(twin.url, 'GET', `/v1/customers?quadrant=true_friends&cursor=${firstPage.body.nextCursor}`, { key: other.apiKey });
    expect(stolen.status).toBe(400);
    // A tier's cursor is not a quadrant's in another tier.
    const tierPage = await api(twin.url, 'GET', '/v1/customers?tier=mid&limit=1', { key });
    expect((await api(twin.url, 'GET', `/v1/customers?tier=low&cursor=${tierPage.body.nextCursor}`, { key })).status).toBe(400);

    // A profile change keeps the customer in its tier and quadrant.
    const read = await api(twin.url, 'GET', `/v1/customers/${ids.D}`, { key });
    const patched = await api(twin.url, 'PATCH', `/v1/customers/${ids.D}`, {
      key,
      body: { givenName: 'Dora' },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    expect(patched.status).toBe(200);
    expect(idsOf((await api(twin.url, 'GET', '/v1/customers?tier=low&quadrant=strangers', { key })).body)).toEqual(sorted('D', 'E'));
  }, 60_000);

  it('list a segment with GET /v1/customers?segment=', async () => {
    const champions = await api(twin.url, 'GET', '/v1/customers?segment=champions', { key });
    expect(champions.status).toBe(200);
    expect(champions.body.items.map((c: { customerId: string }) => c.customerId)).toEqual([ids.A]);
    expect(champions.body.items[0]).not.toHaveProperty('gsi2pk');
    const promising = await api(twin.url, 'GET', '/v1/customers?segment=promising', { key });
    expect(promising.body.items).toEqual([]);
    const unknown = await api(twin.url, 'GET', '/v1/customers?segment=whales', { key });
    expect(unknown.status).toBe(400);

    // A profile change keeps the customer in its segment; erasure takes it out.
    const read = await api(twin.url, 'GET', `/v1/customers/${ids.E}`, { key });
    const patched = await api(twin.url, 'PATCH', `/v1/customers/${ids.E}`, {
      key,
      body: { givenName: 'Eve' },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.value.segment).toBe('lost');
    const lost = await api(twin.url, 'GET', '/v1/customers?segment=lost', { key });
    expect(lost.body.items.map((c: { customerId: string; givenName: string }) => [c.customerId, c.givenName])).toEqual([[ids.E, 'Eve']]);
    await api(twin.url, 'DELETE', `/v1/customers/${ids.E}`, { key });
    expect((await api(twin.url, 'GET', '/v1/customers?segment=lost', { key })).body.items).toEqual([]);
    expect((await api(twin.url, 'GET', '/v1/customers?tier=low', { key })).body.items.map((c: { customerId: string }) => c.customerId)).toEqual([ids.D]);
  }, 60_000);

  it('run daily at 03:00 tenant time on the driven clock, each run arming the next', async () => {
    const daily = () => twin.scheduler.list().filter((schedule) => schedule.Name.startsWith(`customer-value-${tenantId}-2`));
    const [armed] = daily();
    expect(armed).toBeDefined();
    twin.clock.set(new Date(armed!.at.getTime() + 1_000));
    const fired = await eventually(
      () => twin.scheduler.firings.find((firing) => firing.name === armed!.Name && firing.status === 'delivered'),
      'the daily run delivered',
      30_000,
    );
    expect(fired?.status).toBe('delivered');
    await twin.scheduler.settled();

    const next = daily();
    expect(next).toHaveLength(1);
    expect(next[0]!.at.getTime() - armed!.at.getTime()).toBe(dayMs);
    expect(next[0]!.Name).not.toBe(armed!.Name);
    const summary = await api(twin.url, 'GET', '/v1/analytics/segments', { key });
    expect(summary.body.asOf).toBe(armed!.at.toISOString());
    expect(summary.body.customersScored).toBe(4);
  }, 90_000);
});

describe('customer-value settings', () => {
  it("default the currency from the tenant's country and are changed by PATCH /v1/settings", async () => {
    const us = await createTenant(twin, { name: 'US Shop', defaultCountry: 'US', timezone: 'America/New_York', locale: 'en' });
    key = us.apiKey;
    const settings = await api(twin.url, 'GET', '/v1/settings', { key });
    expect(settings.body.customerValue).toEqual({
      currency: 'USD',
      annualDiscountRatePercent: 10,
      defaultMarginPercent: 30,
      retentionFallbackPercent: 60,
    });

    const bad = await api(twin.url, 'PATCH', '/v1/settings', { key, body: { customerValue: { currency: 'XYZ', annualDiscountRatePercent: 150 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      '$.customerValue.annualDiscountRatePercent',
      '$.customerValue.currency',
    ]);

    const changed = await api(twin.url, 'PATCH', '/v1/settings', { key, body: { customerValue: { currency: 'EUR', defaultMarginPercent: 50 } } });
    expect(changed.status).toBe(200);
    expect(changed.body.customerValue).toEqual({ currency: 'EUR', annualDiscountRatePercent: 10, defaultMarginPercent: 50, retentionFallbackPercent: 60 });

    const customerId = await newCustomer('Euro Buyer');
    expect((await record(customerId, purchase({ currency: 'USD' }))).status).toBe(422);
    const euro = await record(customerId, purchase({ currency: 'EUR', amount: 80 }));
    expect(euro.status).toBe(201);
    expect(euro.body.margin).toBe(40);
  }, 60_000);
});
