import type { FieldError } from './errors';
import type {
  CreateTransactionBody,
  CustomerValue,
  CustomerValueSettings,
  CustomerValueSettingsPatch,
  Quadrant,
  Segment,
  SegmentsSummary,
  Transaction,
  ValueTier,
} from '../schemas/customer-value';
import { instantOf, wallClock } from './sla';

const dayMs = 24 * 60 * 60 * 1000;
const yearMs = 365 * dayMs;

// ---------------------------------------------------------------- settings

const currencyOfCountry: Record<string, string> = {
  TW: 'TWD', US: 'USD', GB: 'GBP', JP: 'JPY', HK: 'HKD', MO: 'MOP', SG: 'SGD', CN: 'CNY', KR: 'KRW', AU: 'AUD',
  NZ: 'NZD', CA: 'CAD', CH: 'CHF', IN: 'INR', SE: 'SEK', NO: 'NOK', DK: 'DKK', PL: 'PLN', CZ: 'CZK', MY: 'MYR',
  TH: 'THB', PH: 'PHP', ID: 'IDR', VN: 'VND', MX: 'MXN', BR: 'BRL', ZA: 'ZAR', AE: 'AED', IL: 'ILS', TR: 'TRY',
  ...Object.fromEntries(
    ['AT', 'BE', 'CY', 'DE', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PT', 'SI', 'SK'].map(
      (country) => [country, 'EUR'],
    ),
  ),
};

/** The section as a tenant gets it: the currency of its default country (USD when we do not know it). */
export const defaultCustomerValueSettings = (defaultCountry: string): CustomerValueSettings => ({
  currency: currencyOfCountry[defaultCountry] ?? 'USD',
  annualDiscountRatePercent: 10,
  defaultMarginPercent: 30,
  retentionFallbackPercent: 60,
});

/** The section, with defaults for tenants created before it existed. */
export const resolveCustomerValueSettings = (settings: {
  customerValue?: CustomerValueSettings;
  defaultCountry: string;
}): CustomerValueSettings => settings.customerValue ?? defaultCustomerValueSettings(settings.defaultCountry);

export const mergeCustomerValueSettings = (
  current: CustomerValueSettings,
  patch: CustomerValueSettingsPatch | undefined,
): CustomerValueSettings => (patch ? { ...current, ...patch } : current);

// ---------------------------------------------------------------- transactions

/** How far in the future a transaction's `at` may lie: the sender's clock may run a little ahead. */
export const futureSkewMs = 5 * 60 * 1000;

export class InvalidTransaction extends Error {
  constructor(readonly errors: FieldError[]) {
    super('Invalid transaction');
  }
}

export class WrongCurrency extends Error {
  constructor(readonly expected: string) {
    super(`Transactions are recorded in ${expected}`);
  }
}

export interface TransactionContext {
  customerId: string;
  transactionId: string;
  settings: CustomerValueSettings;
  now: string;
}

export function newTransaction(input: CreateTransactionBody, context: TransactionContext): Transaction {
  if (input.currency !== context.settings.currency) throw new WrongCurrency(context.settings.currency);
  const errors: FieldError[] = [];
  if (Date.parse(input.at) > Date.parse(context.now) + futureSkewMs) {
    errors.push({ path: '$.at', message: 'Must not be in the future' });
  }
  if (input.margin !== undefined && Math.abs(input.margin) > Math.abs(input.amount)) {
    errors.push({ path: '$.margin', message: 'Must not exceed the amount' });
  }
  if (input.margin !== undefined && input.amount < 0 && input.margin > 0) {
    errors.push({ path: '$.margin', message: 'A refund (negative amount) cannot add margin' });
  }
  if (errors.length > 0) throw new InvalidTransaction(errors);
  const marginEstimated = input.margin === undefined;
  return {
    transactionId: context.transactionId,
    customerId: context.customerId,
    kind: input.amount > 0 ? 'purchase' : 'refund',
    amount: input.amount,
    currency: input.currency,
    at: new Date(input.at).toISOString(),
    product: input.product,
    margin: input.margin ?? money((input.amount * context.settings.defaultMarginPercent) / 100),
    marginEstimated,
    recordedAt: context.now,
  };
}

/** Whether a repeated transactionId carries the transaction already stored (then it is a no-op). */
export function sameTransaction(stored: Transaction, input: CreateTransactionBody): boolean {
  return (
    stored.amount === input.amount &&
    stored.currency === input.currency &&
    Date.parse(stored.at) === Date.parse(input.at) &&
    stored.product === input.product &&
    (input.margin === undefined ? stored.marginEstimated : !stored.marginEstimated && stored.margin === input.margin)
  );
}

/** The customer's aggregates with one more transaction; the job's scores stay until its next run. */
export function addTransaction(current: CustomerValue | undefined, transaction: Transaction): CustomerValue {
  const base: CustomerValue = current ?? {
    currency: transaction.currency,
    purchaseCount: 0,
    refundCount: 0,
    monetaryTotal: 0,
    marginTotal: 0,
    lastTransactionAt: transaction.at,
  };
  const next: CustomerValue = {
    ...base,
    monetaryTotal: money(base.monetaryTotal + transaction.amount),
    marginTotal: money(base.marginTotal + transaction.margin),
    lastTransactionAt: later(base.lastTransactionAt, transaction.at),
  };
  if (transaction.kind === 'refund') return { ...next, refundCount: base.refundCount + 1 };
  return {
    ...next,
    purchaseCount: base.purchaseCount + 1,
    firstPurchaseAt: base.firstPurchaseAt && base.firstPurchaseAt < transaction.at ? base.firstPurchaseAt : transaction.at,
    lastPurchaseAt: later(base.lastPurchaseAt, transaction.at),
  };
}

const later = (a: string | undefined, b: string) => (a && a > b ? a : b);

/** Amounts are kept to the cent: sums of binary floats would otherwise drift. */
export const money = (amount: number) => Math.round(amount * 100) / 100;

// ---------------------------------------------------------------- RFM

/**
 * Quintile thresholds by nearest rank: sorted ascending, threshold k (1–4) is the value at rank
 * ⌈k·n/5⌉. A value up to threshold 1 is in quintile 1, above threshold 4 in quintile 5; equal
 * values always share a quintile.
 */
export function quintileThresholds(values: readonly number[]): [number, number, number, number] {
  if (values.length === 0) throw new Error('Quintiles of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (k: number) => sorted[Math.ceil((k * sorted.length) / 5) - 1]!;
  return [at(1), at(2), at(3), at(4)];
}

/** 1–5 where more is better (frequency, monetary). */
export const scoreHigherBetter = (value: number, thresholds: readonly number[]) =>
  1 + thresholds.filter((threshold) => value > threshold).length;

/** 1–5 where less is better (recency in days). */
export const scoreLowerBetter = (value: number, thresholds: readonly number[]) =>
  5 - thresholds.filter((threshold) => value > threshold).length;

/** The R × F grid, rows by recency score 5 → 1, columns by frequency score 1 → 5. */
const segmentGrid: Record<number, readonly Segment[]> = {
  5: ['new', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions'],
  4: ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'loyal'],
  3: ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
  2: ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cannot_lose'],
  1: ['lost', 'hibernating', 'at_risk', 'at_risk', 'cannot_lose'],
};

export const segmentOf = (recency: number, frequency: number): Segment => segmentGrid[recency]![frequency - 1]!;

export const tierOf = (monetaryScore: number): ValueTier => (monetaryScore === 5 ? 'high' : monetaryScore >= 3 ? 'mid' : 'low');

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('Median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** At or above the tenant's median counts as high, on both axes. */
export function quadrantOf(marginTotal: number, loyalty: number, cutoffs: { marginTotal: number; loyalty: number }): Quadrant {
  const profitable = marginTotal >= cutoffs.marginTotal;
  const loyal = loyalty >= cutoffs.loyalty;
  if (profitable) return loyal ? 'true_friends' : 'butterflies';
  return loyal ? 'barnacles' : 'strangers';
}

/**
 * Discounted future margin of a customer who brings `annualMargin` a year and stays each further
 * year with probability `retention`: Σ m·rᵗ/(1+d)ᵗ for t ≥ 1 = m·r/(1+d−r).
 */
export function lifetimeValue(annualMargin: number, retention: number, discountRate: number): number {
  return money((annualMargin * retention) / (1 + discountRate - retention));
}

/** Too few buyers in the previous year make an observed retention noise; the tenant's fallback is used below this. */
export const minimumRetentionBase = 20;
/** r = 1 would make a customer worth margin/d forever; no observed rate is taken above this. */
export const maximumRetention = 0.95;

// ---------------------------------------------------------------- the job's computation

/** What the job knows of one customer with at least one transaction. */
export interface CustomerFigures {
  customerId: string;
  version: number;
  value: CustomerValue;
  last12Months: { purchaseCount: number; monetary: number; margin: number };
  /** Bought in the year before the last twelve months (the retention base). */
  boughtInPreviousYear: boolean;
}

export interface ScoredCustomer {
  customerId: string;
  version: number;
  before: CustomerValue;
  after: CustomerValue;
}

export interface Recompute {
  customers: ScoredCustomer[];
  summary: SegmentsSummary;
}

export const allSegments: readonly Segment[] = [
  'champions', 'loyal', 'potential_loyalist', 'new', 'promising', 'need_attention',
  'about_to_sleep', 'at_risk', 'cannot_lose', 'hibernating', 'lost',
];

/** The tenant's retention r: the share of last-but-one year's buyers who bought again in the last twelve months. */
export function estimateRetention(figures: readonly CustomerFigures[], fallbackPercent: number): NonNullable<SegmentsSummary['retention']> {
  const base = figures.filter((customer) => customer.boughtInPreviousYear);
  const retained = base.filter((customer) => customer.last12Months.purchaseCount > 0);
  if (base.length < minimumRetentionBase) {
    return { rate: fallbackPercent / 100, source: 'settings', previousYearCustomers: base.length, retainedCustomers: retained.length };
  }
  return {
    rate: Math.min(maximumRetention, retained.length / base.length),
    source: 'observed',
    previousYearCustomers: base.length,
    retainedCustomers: retained.length,
  };
}

/**
 * Scores every customer who has bought at least once against the tenant's quintiles as of
 * `asOf`, and sums the tenant's segments. Customers with refunds only are left unscored.
 */
export function recompute(figures: readonly CustomerFigures[], settings: CustomerValueSettings, asOf: Date): Recompute {
  const asOfIso = asOf.toISOString();
  const buyers = figures.filter((customer) => customer.value.purchaseCount > 0 && customer.value.lastPurchaseAt);
  const discountRate = settings.annualDiscountRatePercent / 100;
  const summary = emptySummary(settings.currency, discountRate);
  summary.computedAt = asOfIso;
  summary.asOf = asOfIso;
  if (buyers.length === 0) return { customers: [], summary };

  const recencyDays = (customer: CustomerFigures) =>
    Math.max(0, Math.floor((asOf.getTime() - Date.parse(customer.value.lastPurchaseAt!)) / dayMs));
  const thresholds = {
    recencyDays: quintileThresholds(buyers.map(recencyDays)),
    frequency: quintileThresholds(buyers.map((customer) => customer.value.purchaseCount)),
    monetary: quintileThresholds(buyers.map((customer) => customer.value.monetaryTotal)),
  };
  const retention = estimateRetention(buyers, settings.retentionFallbackPercent);
  const scored = buyers.map((customer) => {
    const days = recencyDays(customer);
    const scores = {
      recency: scoreLowerBetter(days, thresholds.recencyDays),
      frequency: scoreHigherBetter(customer.value.purchaseCount, thresholds.frequency),
      monetary: scoreHigherBetter(customer.value.monetaryTotal, thresholds.monetary),
      recencyDays: days,
    };
    return { customer, scores };
  });
  const quadrantCutoffs = {
    marginTotal: median(buyers.map((customer) => customer.value.marginTotal)),
    loyalty: median(scored.map(({ scores }) => scores.recency * scores.frequency)),
  };

  const customers = scored.map(({ customer, scores }): ScoredCustomer => {
    const after: CustomerValue = {
      ...customer.value,
      last12Months: customer.last12Months,
      scores,
      segment: segmentOf(scores.recency, scores.frequency),
      tier: tierOf(scores.monetary),
      quadrant: quadrantOf(customer.value.marginTotal, scores.recency * scores.frequency, quadrantCutoffs),
      lifetimeValue: lifetimeValue(customer.last12Months.margin, retention.rate, discountRate),
      computedAt: asOfIso,
    };
    return { customerId: customer.customerId, version: customer.version, before: customer.value, after };
  });

  for (const { after } of customers) {
    const figures = summary.segments.find((entry) => entry.segment === after.segment)!;
    figures.customers++;
    figures.monetaryTotal = money(figures.monetaryTotal + after.monetaryTotal);
    figures.marginTotal = money(figures.marginTotal + after.marginTotal);
    figures.lifetimeValue = money(figures.lifetimeValue + after.lifetimeValue!);
    summary.tiers[after.tier!]++;
    summary.quadrants[after.quadrant!]++;
  }
  summary.customersScored = customers.length;
  summary.thresholds = thresholds;
  summary.quadrantCutoffs = quadrantCutoffs;
  summary.retention = retention;
  return { customers, summary };
}

/** Whether a run's result differs from what the customer item holds (only those are written). */
export function valueChanged(before: CustomerValue, after: CustomerValue): boolean {
  const { computedAt: _before, ...left } = before;
  const { computedAt: _after, ...right } = after;
  return stableJson(left) !== stableJson(right);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function emptySummary(currency: string, discountRate: number): SegmentsSummary {
  return {
    computedAt: null,
    asOf: null,
    currency,
    customersScored: 0,
    thresholds: null,
    quadrantCutoffs: null,
    retention: null,
    annualDiscountRate: discountRate,
    segments: allSegments.map((segment) => ({ segment, customers: 0, monetaryTotal: 0, marginTotal: 0, lifetimeValue: 0 })),
    tiers: { high: 0, mid: 0, low: 0 },
    quadrants: { true_friends: 0, butterflies: 0, barnacles: 0, strangers: 0 },
  };
}

/** The windows the job sums a customer's transactions over, ending at `asOf`. */
export const yearWindows = (asOf: Date) => ({
  previousYearFrom: new Date(asOf.getTime() - 2 * yearMs),
  lastYearFrom: new Date(asOf.getTime() - yearMs),
});

/** Sums transactions (any order) into the last-twelve-months figures and the previous-year flag. */
export function windowFigures(
  transactions: readonly Pick<Transaction, 'at' | 'amount' | 'margin' | 'kind'>[],
  asOf: Date,
): Pick<CustomerFigures, 'last12Months' | 'boughtInPreviousYear'> {
  const { previousYearFrom, lastYearFrom } = yearWindows(asOf);
  const last12Months = { purchaseCount: 0, monetary: 0, margin: 0 };
  let boughtInPreviousYear = false;
  for (const transaction of transactions) {
    const at = Date.parse(transaction.at);
    if (at > asOf.getTime()) continue;
    if (at >= lastYearFrom.getTime()) {
      if (transaction.kind === 'purchase') last12Months.purchaseCount++;
      last12Months.monetary = money(last12Months.monetary + transaction.amount);
      last12Months.margin = money(last12Months.margin + transaction.margin);
    } else if (at >= previousYearFrom.getTime() && transaction.kind === 'purchase') {
      boughtInPreviousYear = true;
    }
  }
  return { last12Months, boughtInPreviousYear };
}

// ---------------------------------------------------------------- scheduling

/** The daily run's local time in the tenant's time zone: after the day closes, before anyone works. */
export const dailyRunMinuteOfDay = 3 * 60;

/** The first 03:00 in `timezone` strictly after `after`. */
export function nextDailyRun(after: Date, timezone: string): Date {
  const today = wallClock(after.getTime(), timezone);
  for (let offset = 0; offset < 3; offset++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const candidate = instantOf(timezone, { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }, dailyRunMinuteOfDay);
    if (candidate > after.getTime()) return new Date(candidate);
  }
  throw new Error('No 03:00 within three days');
}

/** One name per tenant and local day: re-arming the same run twice sets one timer. */
export function dailyRunTimerName(tenantId: string, runAt: Date, timezone: string): string {
  const day = wallClock(runAt.getTime(), timezone);
  return `customer-value-${tenantId}-${day.year}${pad(day.month)}${pad(day.day)}`;
}

/** A manual run's timer, one per tenant and UTC minute (the refresh route allows one a minute). */
export const manualRunTimerName = (tenantId: string, requestedAt: Date) =>
  `customer-value-${tenantId}-now-${requestedAt.toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;

const pad = (value: number) => String(value).padStart(2, '0');
