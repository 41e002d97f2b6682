import * as z from '../zod';
import { PeriodBound } from './common';
import { Plan } from './tenant';

const utcBound = 'A date (YYYY-MM-DD, a UTC day) or an RFC 3339 date-time, which counts its whole UTC day';

export const UsageQuery = z.strictObject({
  from: z.described(z.optional(PeriodBound), `First day of the period; default: the first day of the current UTC month. ${utcBound}`),
  to: z.described(z.optional(PeriodBound), `Last day of the period, at most 31 days after from; default: today (UTC). ${utcBound}`),
});
export type UsageQuery = z.infer<typeof UsageQuery>;

const usd = (what: string) => z.described(z.number(), `${what}, in US dollars at the price table's estimates (docs/sms.md)`);

const CountryUsage = z.object({
  country: z.described(z.string(), 'Destination country, ISO 3166-1 alpha-2'),
  smsSegments: z.int(),
  smsEstimatedCostUsd: usd('Estimated cost'),
});

const DayUsage = z.object({
  date: z.withMeta(z.string(), { format: 'date', description: 'The UTC day, YYYY-MM-DD' }),
  smsSegments: z.int(),
  smsEstimatedCostUsd: usd('Estimated cost'),
  smsRefused: z.described(z.int(), 'Sends refused by the quota or the destination rules (each has an SMS Send Refused event)'),
  apiRequests: z.described(z.int(), 'Requests counted by the per-tenant request limit'),
  contacts: z.described(z.int(), 'Contacts closed, counted on the day they arrived (as analytics counts them)'),
  surveysSent: z.int(),
  countries: z.array(CountryUsage),
});

export const UsageReport = z.withMeta(
  z.object({
    period: z.object({
      from: z.withMeta(z.string(), { format: 'date', description: 'First UTC day' }),
      to: z.withMeta(z.string(), { format: 'date', description: 'Last UTC day, included' }),
    }),
    plan: Plan,
    limits: z.object({
      smsSegmentsPerDay: z.int(),
      smsSegmentsPerMonth: z.int(),
      smsSpendCapUsdPerMonth: usd('The monthly spend cap'),
      apiRequestsPerMinute: z.int(),
    }),
    currentMonth: z.described(
      z.object({
        month: z.withMeta(z.string(), { description: 'YYYY-MM, UTC', pattern: '^\\d{4}-\\d{2}$' }),
        smsSegments: z.int(),
        smsEstimatedCostUsd: usd('Estimated spend'),
        smsSegmentsToday: z.int(),
        percentOfCap: z.described(z.number(), 'The highest share of any SMS limit used (day, month or spend), in percent'),
      }),
      'Where the tenant stands against its limits now, whatever the period asked for',
    ),
    totals: z.object({
      smsSegments: z.int(),
      smsEstimatedCostUsd: usd('Estimated cost'),
      smsRefused: z.int(),
      apiRequests: z.int(),
      contacts: z.int(),
      surveysSent: z.int(),
    }),
    days: z.described(z.array(DayUsage), 'Every day of the period, oldest first'),
    priceTable: z.object({
      effectiveDate: z.described(z.string(), 'The date the estimated prices were read'),
      currency: z.string(),
    }),
  }),
  { id: 'UsageReport' },
);
export type UsageReport = z.infer<typeof UsageReport>;
