import * as z from 'zod';
import { Iso8601, PaginationQuery } from './common';

// ---------------------------------------------------------------- settings section

const supportedCurrencies = new Set(Intl.supportedValuesOf('currency'));

export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 currency code such as TWD')
  .refine((code) => supportedCurrencies.has(code), { message: 'Not an ISO 4217 currency code' })
  .describe('ISO 4217 currency code');

const Percent = z.number().min(0).max(100);

export const CustomerValueSettings = z
  .strictObject({
    currency: CurrencyCode.describe("The one currency the tenant's transactions are recorded in"),
    annualDiscountRatePercent: Percent.describe('Yearly discount rate d of the lifetime-value formula'),
    defaultMarginPercent: Percent.describe('Margin assumed for a transaction that gives none, as a share of its amount'),
    retentionFallbackPercent: z
      .number()
      .min(0)
      .max(95)
      .describe('Yearly retention r used while too few customers bought in the previous year to observe it'),
  })
  .meta({ id: 'CustomerValueSettings', description: 'Customer value: currency and lifetime-value assumptions (docs/customer-value.md)' });
export type CustomerValueSettings = z.infer<typeof CustomerValueSettings>;

export const CustomerValueSettingsPatch = CustomerValueSettings.partial().describe('Merged into the section field by field');
export type CustomerValueSettingsPatch = z.infer<typeof CustomerValueSettingsPatch>;

// ---------------------------------------------------------------- segments

export const Segment = z
  .enum([
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
  ])
  .describe('RFM segment from the recency × frequency grid (docs/customer-value.md)');
export type Segment = z.infer<typeof Segment>;

export const ValueTier = z.enum(['high', 'mid', 'low']).describe('From the monetary score: 5 high, 3–4 mid, 1–2 low');
export type ValueTier = z.infer<typeof ValueTier>;

export const Quadrant = z
  .enum(['true_friends', 'butterflies', 'barnacles', 'strangers'])
  .describe('Profit × loyalty: profitable and loyal, profitable and fickle, loyal but unprofitable, neither');
export type Quadrant = z.infer<typeof Quadrant>;

const Score = z.number().int().min(1).max(5);

/** The `value` object on a customer: aggregates kept by each transaction, scores by the daily job. */
export const CustomerValue = z
  .object({
    currency: z.string(),
    purchaseCount: z.number().int().describe('Frequency: purchases recorded (refunds not counted)'),
    refundCount: z.number().int(),
    monetaryTotal: z.number().describe('Sum of all amounts, refunds subtracted'),
    marginTotal: z.number().describe('Sum of all margins, refunds subtracted'),
    firstPurchaseAt: Iso8601.optional(),
    lastPurchaseAt: Iso8601.optional(),
    lastTransactionAt: Iso8601,
    last12Months: z
      .object({ purchaseCount: z.number().int(), monetary: z.number(), margin: z.number() })
      .optional()
      .describe('The twelve months before computedAt'),
    scores: z
      .object({ recency: Score, frequency: Score, monetary: Score, recencyDays: z.number().int() })
      .optional(),
    segment: Segment.optional(),
    tier: ValueTier.optional(),
    quadrant: Quadrant.optional(),
    lifetimeValue: z.number().optional().describe('Discounted future margin: annual margin × r / (1 + d − r)'),
    computedAt: Iso8601.optional().describe('When the scores were last computed (the job run they come from)'),
  })
  .meta({ id: 'CustomerValue' });
export type CustomerValue = z.infer<typeof CustomerValue>;

// ---------------------------------------------------------------- transactions

const Money = z
  .number()
  .refine(Number.isFinite, { message: 'Must be a finite number' })
  .refine((amount) => Math.abs(amount * 100 - Math.round(amount * 100)) < 1e-6, { message: 'At most two decimal places' })
  .refine((amount) => Math.abs(amount) < 1e12, { message: 'Too large' });

export const TransactionId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'Letters, digits, _ . : - (up to 128), starting with a letter or digit');

export const CreateTransactionBody = z
  .strictObject({
    transactionId: TransactionId.optional().describe("The tenant's own id; unique per customer: a repeat answers the stored transaction"),
    amount: Money.refine((amount) => amount !== 0, { message: 'Must not be 0' }).describe(
      'In the tenant currency; a negative amount is a refund',
    ),
    currency: z.string().regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 currency code such as TWD'),
    at: Iso8601.describe('When the purchase happened'),
    product: z.string().trim().min(1).max(200).describe('Product or SKU'),
    margin: Money.optional().describe("The transaction's gross margin; when absent, amount × defaultMarginPercent"),
  })
  .meta({ id: 'CreateTransaction' });
export type CreateTransactionBody = z.infer<typeof CreateTransactionBody>;

export const Transaction = z
  .object({
    transactionId: z.string(),
    customerId: z.string(),
    kind: z.enum(['purchase', 'refund']),
    amount: z.number(),
    currency: z.string(),
    at: Iso8601,
    product: z.string(),
    margin: z.number(),
    marginEstimated: z.boolean().describe('True when the margin came from defaultMarginPercent'),
    recordedAt: Iso8601,
  })
  .meta({ id: 'Transaction' });
export type Transaction = z.infer<typeof Transaction>;

export const ListTransactionsQuery = PaginationQuery;

// ---------------------------------------------------------------- the tenant summary

const Thresholds = z.array(z.number()).length(4).describe('Upper bounds of quintiles 1 to 4 (nearest rank)');

export const SegmentFigures = z.object({
  segment: Segment,
  customers: z.number().int(),
  monetaryTotal: z.number(),
  marginTotal: z.number(),
  lifetimeValue: z.number(),
});

export const SegmentsSummary = z
  .object({
    computedAt: Iso8601.nullable().describe('null until the first run'),
    asOf: Iso8601.nullable().describe('The instant recency was measured from'),
    currency: z.string(),
    customersScored: z.number().int().describe('Customers with at least one purchase'),
    thresholds: z
      .object({ recencyDays: Thresholds, frequency: Thresholds, monetary: Thresholds })
      .nullable(),
    quadrantCutoffs: z.object({ marginTotal: z.number(), loyalty: z.number().describe('Median of R × F') }).nullable(),
    retention: z
      .object({
        rate: z.number().describe('Yearly retention r used for lifetime value'),
        source: z.enum(['observed', 'settings']),
        previousYearCustomers: z.number().int(),
        retainedCustomers: z.number().int(),
      })
      .nullable(),
    annualDiscountRate: z.number(),
    segments: z.array(SegmentFigures),
    tiers: z.record(ValueTier, z.number().int()),
    quadrants: z.record(Quadrant, z.number().int()),
  })
  .meta({ id: 'SegmentsSummary' });
export type SegmentsSummary = z.infer<typeof SegmentsSummary>;

export const RefreshAccepted = z
  .object({ runAt: Iso8601, summary: z.string().describe('Where to read the result once computedAt moves') })
  .meta({ id: 'SegmentsRefreshAccepted' });
