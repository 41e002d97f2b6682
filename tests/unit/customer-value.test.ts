import { describe, expect, it } from 'vitest';
import type {
  InvalidTransaction} from '../../shared/domain/customer-value';
import {
  WrongCurrency,
  addTransaction,
  dailyRunTimerName,
  defaultCustomerValueSettings,
  estimateRetention,
  lifetimeValue,
  median,
  nextDailyRun,
  newTransaction,
  quadrantOf,
  quintileThresholds,
  recompute,
  sameTransaction,
  scoreHigherBetter,
  scoreLowerBetter,
  segmentOf,
  valueChanged,
  windowFigures,
  type CustomerFigures,
} from '../../shared/domain/customer-value';
import type { CustomerValue } from '../../shared/schemas/customer-value';

const dayMs = 86_400_000;
const asOf = new Date('2026-06-01T00:00:00.000Z');
const settings = { currency: 'TWD', annualDiscountRatePercent: 10, defaultMarginPercent: 30, retentionFallbackPercent: 60 };

/**
 * Ten customers chosen so that every quintile boundary is visible (docs/customer-value.md works
 * the same table by hand): recency in days, purchases, net amount, margin, last-12-months margin.
 */
const distribution = [
  { id: 'c1', days: 1, frequency: 12, monetary: 1200, margin: 400, annualMargin: 200 },
  { id: 'c2', days: 5, frequency: 8, monetary: 500, margin: 100, annualMargin: 50 },
  { id: 'c3', days: 10, frequency: 1, monetary: 50, margin: 10, annualMargin: 10 },
  { id: 'c4', days: 20, frequency: 6, monetary: 300, margin: 90, annualMargin: 40 },
  { id: 'c5', days: 30, frequency: 3, monetary: 150, margin: 45, annualMargin: 45 },
  { id: 'c6', days: 60, frequency: 10, monetary: 900, margin: 300, annualMargin: 100 },
  { id: 'c7', days: 90, frequency: 2, monetary: 80, margin: 20, annualMargin: 20 },
  { id: 'c8', days: 180, frequency: 5, monetary: 400, margin: 120, annualMargin: 30 },
  { id: 'c9', days: 270, frequency: 1, monetary: 40, margin: 8, annualMargin: 8 },
  { id: 'c10', days: 400, frequency: 7, monetary: 600, margin: 150, annualMargin: 0 },
];

const figuresOf = (row: (typeof distribution)[number]): CustomerFigures => ({
  customerId: row.id,
  version: 3,
  value: {
    currency: 'TWD',
    purchaseCount: row.frequency,
    refundCount: 0,
    monetaryTotal: row.monetary,
    marginTotal: row.margin,
    firstPurchaseAt: '2024-01-01T00:00:00.000Z',
    lastPurchaseAt: new Date(asOf.getTime() - row.days * dayMs).toISOString(),
    lastTransactionAt: new Date(asOf.getTime() - row.days * dayMs).toISOString(),
  },
  last12Months: { purchaseCount: row.annualMargin > 0 ? 1 : 0, monetary: row.annualMargin * 3, margin: row.annualMargin },
  boughtInPreviousYear: false,
});

describe('RFM on a known distribution of ten customers', () => {
  const result = recompute(distribution.map(figuresOf), settings, asOf);
  const byId = Object.fromEntries(result.customers.map((customer) => [customer.customerId, customer.after]));

  it('takes quintile thresholds by nearest rank (ranks 2, 4, 6, 8 of 10)', () => {
    expect(result.summary.thresholds).toEqual({
      recencyDays: [5, 20, 60, 180],
      frequency: [1, 3, 6, 8],
      monetary: [50, 150, 400, 600],
    });
  });

  it('scores recency (fewer days is better), frequency and monetary 1 to 5', () => {
    const scores = distribution.map((row) => {
      const s = byId[row.id]!.scores!;
      return `${row.id}:${s.recency}${s.frequency}${s.monetary}`;
    });
    expect(scores).toEqual([
      'c1:555', 'c2:544', 'c3:411', 'c4:433', 'c5:322', 'c6:355', 'c7:222', 'c8:233', 'c9:111', 'c10:144',
    ]);
    expect(byId.c8!.scores!.recencyDays).toBe(180);
  });

  it('names the segment from the R × F grid', () => {
    expect(Object.fromEntries(distribution.map((row) => [row.id, byId[row.id]!.segment]))).toEqual({
      c1: 'champions',
      c2: 'champions',
      c3: 'promising',
      c4: 'potential_loyalist',
      c5: 'about_to_sleep',
      c6: 'loyal',
      c7: 'hibernating',
      c8: 'at_risk',
      c9: 'lost',
      c10: 'at_risk',
    });
  });

  it('tiers by the monetary score: 5 high, 3–4 mid, 1–2 low', () => {
    expect(result.summary.tiers).toEqual({ high: 2, mid: 4, low: 4 });
    expect(byId.c6!.tier).toBe('high');
    expect(byId.c10!.tier).toBe('mid');
    expect(byId.c7!.tier).toBe('low');
  });

  it('places each customer in the profit × loyalty quadrant against the medians (margin 95, R×F 6)', () => {
    expect(result.summary.quadrantCutoffs).toEqual({ marginTotal: 95, loyalty: 6 });
    expect(Object.fromEntries(distribution.map((row) => [row.id, byId[row.id]!.quadrant]))).toEqual({
      c1: 'true_friends',
      c2: 'true_friends',
      c3: 'strangers',
      c4: 'barnacles',
      c5: 'barnacles',
      c6: 'true_friends',
      c7: 'strangers',
      c8: 'true_friends',
      c9: 'strangers',
      c10: 'butterflies',
    });
    expect(result.summary.quadrants).toEqual({ true_friends: 4, butterflies: 1, barnacles: 2, strangers: 3 });
  });

  it("values each customer with the tenant's fallback retention while fewer than 20 bought last-but-one year", () => {
    // r = 0.6, d = 0.1: factor 0.6 / 0.5 = 1.2
    expect(result.summary.retention).toEqual({ rate: 0.6, source: 'settings', previousYearCustomers: 0, retainedCustomers: 0 });
    expect(byId.c1!.lifetimeValue).toBe(240);
    expect(byId.c6!.lifetimeValue).toBe(120);
    expect(byId.c10!.lifetimeValue).toBe(0);
  });

  it('sums customers, money and value per segment', () => {
    const champions = result.summary.segments.find((entry) => entry.segment === 'champions');
    expect(champions).toEqual({ segment: 'champions', customers: 2, monetaryTotal: 1700, marginTotal: 500, lifetimeValue: 300 });
    const atRisk = result.summary.segments.find((entry) => entry.segment === 'at_risk');
    expect(atRisk).toEqual({ segment: 'at_risk', customers: 2, monetaryTotal: 1000, marginTotal: 270, lifetimeValue: 36 });
    expect(result.summary.segments.map((entry) => entry.segment)).toHaveLength(11);
    expect(result.summary.segments.reduce((sum, entry) => sum + entry.customers, 0)).toBe(10);
    expect(result.summary.customersScored).toBe(10);
  });

  it('leaves customers with refunds only unscored', () => {
    const refundOnly = figuresOf(distribution[0]!);
    refundOnly.customerId = 'refund-only';
    refundOnly.value = { ...refundOnly.value, purchaseCount: 0, monetaryTotal: -20 };
    delete refundOnly.value.lastPurchaseAt;
    const withRefund = recompute([...distribution.map(figuresOf), refundOnly], settings, asOf);
    expect(withRefund.customers.map((customer) => customer.customerId)).not.toContain('refund-only');
    expect(withRefund.summary.thresholds).toEqual(result.summary.thresholds);
  });

  it('finds nothing changed when a second run sees the same figures', () => {
    const again = recompute(
      distribution.map((row) => ({ ...figuresOf(row), value: byId[row.id]! })),
      settings,
      new Date(asOf.getTime() + 3_600_000),
    );
    expect(again.customers.filter((customer) => valueChanged(customer.before, customer.after))).toEqual([]);
  });
});

describe('quintiles and scores', () => {
  it('keeps equal values in one quintile', () => {
    const thresholds = quintileThresholds([1, 1, 1, 1, 1, 1, 2, 2, 3, 9]);
    expect(thresholds).toEqual([1, 1, 1, 2]);
    expect(scoreHigherBetter(1, thresholds)).toBe(1);
    expect(scoreHigherBetter(2, thresholds)).toBe(4);
    expect(scoreHigherBetter(9, thresholds)).toBe(5);
    expect(scoreLowerBetter(1, thresholds)).toBe(5);
    expect(scoreLowerBetter(9, thresholds)).toBe(1);
  });

  it('maps every cell of the R × F grid to a segment', () => {
    const grid = [5, 4, 3, 2, 1].map((r) => [1, 2, 3, 4, 5].map((f) => segmentOf(r, f)));
    expect(grid).toEqual([
      ['new', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions'],
      ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'loyal'],
      ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
      ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cannot_lose'],
      ['lost', 'hibernating', 'at_risk', 'at_risk', 'cannot_lose'],
    ]);
  });

  it('counts a value at the median as high on both quadrant axes', () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(quadrantOf(10, 6, { marginTotal: 10, loyalty: 6 })).toBe('true_friends');
    expect(quadrantOf(10, 5, { marginTotal: 10, loyalty: 6 })).toBe('butterflies');
    expect(quadrantOf(9.99, 6, { marginTotal: 10, loyalty: 6 })).toBe('barnacles');
    expect(quadrantOf(9.99, 5, { marginTotal: 10, loyalty: 6 })).toBe('strangers');
  });
});

describe('lifetime value', () => {
  it('is annual margin × r / (1 + d − r)', () => {
    // 1000 × 0.8 / (1.1 − 0.8) = 2666.67; the same as summing 1000 × (0.8 / 1.1)^t over t ≥ 1
    expect(lifetimeValue(1000, 0.8, 0.1)).toBe(2666.67);
    let series = 0;
    for (let t = 1; t < 500; t++) series += 1000 * (0.8 / 1.1) ** t;
    expect(lifetimeValue(1000, 0.8, 0.1)).toBeCloseTo(series, 1);
    expect(lifetimeValue(250, 0.6, 0.1)).toBe(300);
    expect(lifetimeValue(0, 0.9, 0.1)).toBe(0);
  });

  it('observes retention once 20 customers bought last-but-one year, capped at 95 %', () => {
    const customer = (id: number, previous: boolean, retained: boolean): CustomerFigures => ({
      ...figuresOf(distribution[0]!),
      customerId: `r${id}`,
      boughtInPreviousYear: previous,
      last12Months: { purchaseCount: retained ? 1 : 0, monetary: 0, margin: 0 },
    });
    const observed = Array.from({ length: 20 }, (_, i) => customer(i, true, i < 15));
    expect(estimateRetention([...observed, customer(99, false, true)], 60)).toEqual({
      rate: 0.75,
      source: 'observed',
      previousYearCustomers: 20,
      retainedCustomers: 15,
    });
    expect(estimateRetention(Array.from({ length: 20 }, (_, i) => customer(i, true, true)), 60).rate).toBe(0.95);
    expect(estimateRetention(observed.slice(0, 19), 55)).toMatchObject({ rate: 0.55, source: 'settings' });
  });

  it('sums the last twelve months and flags a purchase in the year before', () => {
    const at = (daysAgo: number) => new Date(asOf.getTime() - daysAgo * dayMs).toISOString();
    expect(
      windowFigures(
        [
          { at: at(10), amount: 100, margin: 30, kind: 'purchase' },
          { at: at(20), amount: -40, margin: -12, kind: 'refund' },
          { at: at(364), amount: 50, margin: 15, kind: 'purchase' },
          { at: at(400), amount: 70, margin: 21, kind: 'purchase' },
          { at: at(-1), amount: 999, margin: 99, kind: 'purchase' },
        ],
        asOf,
      ),
    ).toEqual({ last12Months: { purchaseCount: 2, monetary: 110, margin: 33 }, boughtInPreviousYear: true });
  });
});

describe('transactions', () => {
  const context = { customerId: 'cus_1', transactionId: 'order-1', settings, now: '2026-06-01T00:00:00.000Z' };
  const body = { amount: 199.9, currency: 'TWD', at: '2026-05-30T08:00:00+08:00', product: 'Router X1' };

  it('estimates the margin from the default rate and normalises the time to UTC', () => {
    expect(newTransaction(body, context)).toEqual({
      transactionId: 'order-1',
      customerId: 'cus_1',
      kind: 'purchase',
      amount: 199.9,
      currency: 'TWD',
      at: '2026-05-30T00:00:00.000Z',
      product: 'Router X1',
      margin: 59.97,
      marginEstimated: true,
      recordedAt: '2026-06-01T00:00:00.000Z',
    });
  });

  it('refuses another currency, a time in the future, and a margin above the amount', () => {
    expect(() => newTransaction({ ...body, currency: 'USD' }, context)).toThrow(WrongCurrency);
    const refused = (input: typeof body & { margin?: number }) => {
      try {
        newTransaction(input, context);
      } catch (error) {
        return (error as InvalidTransaction).errors.map((e) => e.path);
      }
      return [];
    };
    expect(refused({ ...body, at: '2026-06-01T00:04:00Z' })).toEqual([]);
    expect(refused({ ...body, at: '2026-06-01T00:06:00Z' })).toEqual(['$.at']);
    expect(refused({ ...body, margin: 250 })).toEqual(['$.margin']);
    expect(refused({ ...body, amount: -20, margin: 5 })).toEqual(['$.margin']);
  });

  it('keeps first and last purchase whatever order transactions arrive in, and refunds out of the frequency', () => {
    const purchase = (at: string, amount: number) => newTransaction({ ...body, at, amount, margin: amount / 4 }, context);
    let value: CustomerValue | undefined;
    value = addTransaction(value, purchase('2026-03-01T00:00:00Z', 100));
    value = addTransaction(value, purchase('2026-01-01T00:00:00Z', 40));
    value = addTransaction(value, newTransaction({ ...body, at: '2026-04-01T00:00:00Z', amount: -20 }, context));
    expect(value).toEqual({
      currency: 'TWD',
      purchaseCount: 2,
      refundCount: 1,
      monetaryTotal: 120,
      marginTotal: 29,
      firstPurchaseAt: '2026-01-01T00:00:00.000Z',
      lastPurchaseAt: '2026-03-01T00:00:00.000Z',
      lastTransactionAt: '2026-04-01T00:00:00.000Z',
    });
  });

  it('tells a repeat of the same transaction from different content under the same id', () => {
    const stored = newTransaction(body, context);
    expect(sameTransaction(stored, { ...body, at: '2026-05-30T00:00:00Z' })).toBe(true);
    expect(sameTransaction(stored, { ...body, amount: 200 })).toBe(false);
    expect(sameTransaction(stored, { ...body, margin: 59.97 })).toBe(false);
  });

  it("defaults the currency from the tenant's country, USD when unknown", () => {
    expect(defaultCustomerValueSettings('TW').currency).toBe('TWD');
    expect(defaultCustomerValueSettings('DE').currency).toBe('EUR');
    expect(defaultCustomerValueSettings('ZZ').currency).toBe('USD');
  });
});

describe('the daily run', () => {
  it('runs at the next 03:00 in the tenant time zone', () => {
    expect(nextDailyRun(new Date('2026-11-22T15:40:00Z'), 'Asia/Taipei').toISOString()).toBe('2026-11-22T19:00:00.000Z');
    expect(nextDailyRun(new Date('2026-11-22T18:59:59Z'), 'Asia/Taipei').toISOString()).toBe('2026-11-22T19:00:00.000Z');
    expect(nextDailyRun(new Date('2026-11-22T19:00:00Z'), 'Asia/Taipei').toISOString()).toBe('2026-11-23T19:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    // London moves to BST on 29 March 2026: 03:00 local is 02:00 UTC that day, 03:00 UTC the day before.
    expect(nextDailyRun(new Date('2026-03-28T03:30:00Z'), 'Europe/London').toISOString()).toBe('2026-03-29T02:00:00.000Z');
    expect(nextDailyRun(new Date('2026-03-27T12:00:00Z'), 'Europe/London').toISOString()).toBe('2026-03-28T03:00:00.000Z');
  });

  it('names the timer by tenant and local day, within Scheduler limits', () => {
    const name = dailyRunTimerName('ten_01JABCDEFGHJKMNPQRSTVWXYZ0', new Date('2026-11-22T19:00:00Z'), 'Asia/Taipei');
    expect(name).toBe('customer-value-ten_01JABCDEFGHJKMNPQRSTVWXYZ0-20261123');
    expect(name).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
  });
});
