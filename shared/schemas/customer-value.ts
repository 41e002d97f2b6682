import * as z from '../zod';
import { Iso8601, PaginationQuery } from './common';

// ---------------------------------------------------------------- settings section

const supportedCurrencies = new Set(Intl.supportedValuesOf('currency'));

export const CurrencyCode = z.withMeta(
  z.string().check(
    z.regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 currency code such as TWD'),
    z.refine((code) => supportedCurrencies.has(code), { message: 'Not an ISO 4217 currency code' }),
  ),
  { description: 'ISO 4217 currency code', maxLength: 3 },
);

const Percent = z.number().check(z.gte(0), z.lte(100));

export const CustomerValueSettings = z.withMeta(
  z.strictObject({
    currency: z.described(CurrencyCode, "The one currency the tenant's transactions are recorded in"),
    annualDiscountRatePercent: z.described(Percent, 'Yearly discount rate d of the lifetime-value formula'),
    defaultMarginPercent: z.described(Percent, 'Margin assumed for a transaction that gives none, as a share of its amount'),
    retentionFallbackPercent: z.described(
      z.number().check(z.gte(0), z.lte(95)),
      'Yearly retention r used while too few customers bought in the previous year to observe it',
    ),
  }),
  { id: 'CustomerValueSettings', description: 'Customer value: currency and lifetime-value assumptions (docs/customer-value.md)' },
);
export type CustomerValueSettings = z.infer<typeof CustomerValueSettings>;

export const CustomerValueSettingsPatch = z.described(z.partial(CustomerValueSettings), 'Merged into the section field by field');
export type CustomerValueSettingsPatch = z.infer<typeof CustomerValueSettingsPatch>;

// ---------------------------------------------------------------- segments

export const Segment = z.described(
  z.enum([
    'champions',
    'loyal',
    'potential_loyalist',
    'new',
    'promising',
    'need_attention',
    'about_to_sleep',
    'at_risk',
    'cannot_lose',
    'hibernating',
    'lost',
  ]),
  'RFM segment from the recency × frequency grid (docs/customer-value.md)',
);
export type Segment = z.infer<typeof Segment>;

export const ValueTier = z.described(z.enum(['high', 'mid', 'low']), 'From the monetary score: 5 high, 3–4 mid, 1–2 low');
export type ValueTier = z.infer<typeof ValueTier>;

export const Quadrant = z.described(
  z.enum(['true_friends', 'butterflies', 'barnacles', 'strangers']),
  'Profit × loyalty: profitable and loyal, profitable and fickle, loyal but unprofitable, neither',
);
export type Quadrant = z.infer<typeof Quadrant>;

const Score = z.int().check(z.gte(1), z.lte(5));

/** The `value` object on a customer: aggregates kept by each transaction, scores by the daily job. */
export const CustomerValue = z.withMeta(
  z.object({
    currency: z.string(),
    purchaseCount: z.described(z.int(), 'Frequency: purchases recorded (refunds not counted)'),
    refundCount: z.int(),
    monetaryTotal: z.described(z.number(), 'Sum of all amounts, refunds subtracted'),
    marginTotal: z.described(z.number(), 'Sum of all margins, refunds subtracted'),
    firstPurchaseAt: z.optional(Iso8601),
    lastPurchaseAt: z.optional(Iso8601),
    lastTransactionAt: Iso8601,
    last12Months: z.described(
      z.optional(z.object({ purchaseCount: z.int(), monetary: z.number(), margin: z.number() })),
      'The twelve months before computedAt',
    ),
    scores: z.optional(z.object({ recency: Score, frequency: Score, monetary: Score, recencyDays: z.int() })),
    segment: z.optional(Segment),
    tier: z.optional(ValueTier),
    quadrant: z.optional(Quadrant),
    lifetimeValue: z.described(z.optional(z.number()), 'Discounted future margin: annual margin × r / (1 + d − r)'),
    computedAt: z.described(z.optional(Iso8601), 'When the scores were last computed (the job run they come from)'),
  }),
  { id: 'CustomerValue' },
);
export type CustomerValue = z.infer<typeof CustomerValue>;

// ---------------------------------------------------------------- transactions

const Money = z.number().check(
  z.refine(Number.isFinite, { message: 'Must be a finite number' }),
  z.refine((amount) => Math.abs(amount * 100 - Math.round(amount * 100)) < 1e-6, { message: 'At most two decimal places' }),
  z.refine((amount) => Math.abs(amount) < 1e12, { message: 'Too large' }),
);

export const TransactionId = z.withMeta(
  z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'Letters, digits, _ . : - (up to 128), starting with a letter or digit')),
  { maxLength: 128 },
);

export const CreateTransactionBody = z.withMeta(
  z.strictObject({
    transactionId: z.described(
      z.optional(TransactionId),
      "The tenant's own id; unique per customer: a repeat answers the stored transaction",
    ),
    amount: z.described(
      Money.check(z.refine((amount) => amount !== 0, { message: 'Must not be 0' })),
      'In the tenant currency; a negative amount is a refund',
    ),
    currency: z.withMeta(z.string().check(z.regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 currency code such as TWD')), { maxLength: 3 }),
    at: z.described(Iso8601, 'When the purchase happened'),
    product: z.described(z.string().check(z.trim(), z.minLength(1), z.maxLength(200)), 'Product or SKU'),
    margin: z.described(z.optional(Money), "The transaction's gross margin; when absent, amount × defaultMarginPercent"),
  }),
  { id: 'CreateTransaction' },
);
export type CreateTransactionBody = z.infer<typeof CreateTransactionBody>;

export const Transaction = z.withMeta(
  z.object({
    transactionId: z.string(),
    customerId: z.string(),
    kind: z.enum(['purchase', 'refund']),
    amount: z.number(),
    currency: z.string(),
    at: Iso8601,
    product: z.string(),
    margin: z.number(),
    marginEstimated: z.described(z.boolean(), 'True when the margin came from defaultMarginPercent'),
    recordedAt: Iso8601,
  }),
  { id: 'Transaction' },
);
export type Transaction = z.infer<typeof Transaction>;

export const ListTransactionsQuery = PaginationQuery;

// ---------------------------------------------------------------- the tenant summary

const Thresholds = z.described(z.array(z.number()).check(z.length(4)), 'Upper bounds of quintiles 1 to 4 (nearest rank)');

export const SegmentFigures = z.object({
  segment: Segment,
  customers: z.int(),
  monetaryTotal: z.number(),
  marginTotal: z.number(),
  lifetimeValue: z.number(),
});

export const SegmentsSummary = z.withMeta(
  z.object({
    computedAt: z.described(z.nullable(Iso8601), 'null until the first run'),
    asOf: z.described(z.nullable(Iso8601), 'The instant recency was measured from'),
    currency: z.string(),
    customersScored: z.described(z.int(), 'Customers with at least one purchase'),
    thresholds: z.nullable(z.object({ recencyDays: Thresholds, frequency: Thresholds, monetary: Thresholds })),
    quadrantCutoffs: z.nullable(z.object({ marginTotal: z.number(), loyalty: z.described(z.number(), 'Median of R × F') })),
    retention: z.nullable(
      z.object({
        rate: z.described(z.number(), 'Yearly retention r used for lifetime value'),
        source: z.enum(['observed', 'settings']),
        previousYearCustomers: z.int(),
        retainedCustomers: z.int(),
      }),
    ),
    annualDiscountRate: z.number(),
    segments: z.array(SegmentFigures),
    tiers: z.record(ValueTier, z.int()),
    quadrants: z.record(Quadrant, z.int()),
  }),
  { id: 'SegmentsSummary' },
);
export type SegmentsSummary = z.infer<typeof SegmentsSummary>;

export const RefreshAccepted = z.withMeta(
  z.object({ runAt: Iso8601, summary: z.described(z.string(), 'Where to read the result once computedAt moves') }),
  { id: 'SegmentsRefreshAccepted' },
);
