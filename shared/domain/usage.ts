import type { FieldError } from './errors';
import { type SmsQuota, type SmsUsageTotals, microUsdPerUsd, percentOfCap, smsPriceTable, usageDay, usageMonth } from './sms/quotas';
import type { Plan } from '../schemas/tenant';
import type { UsageReport } from '../schemas/usage';

/** GET /v1/usage reads whole UTC days, at most this many: a month's bill and its neighbour's edge. */
export const maxUsageDays = 31;
const dayMs = 86_400_000;

export type UsagePeriod = { ok: true; days: string[]; months: string[] } | { ok: false; error: FieldError };

const dayOf = (bound: string) => (/^\d{4}-\d{2}-\d{2}$/.test(bound) ? bound : usageDay(new Date(bound)));

/** The UTC days from `from` to `to`, both included (default: the current UTC month to today), and the months they fall in. */
export function usagePeriod(query: { from?: string; to?: string }, now: Date): UsagePeriod {
  const to = query.to !== undefined ? dayOf(query.to) : usageDay(now);
  const from = query.from !== undefined ? dayOf(query.from) : `${usageMonth(now)}-01`;
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (end < start) return { ok: false, error: { path: 'query.to', message: 'Must not be before from' } };
  if ((end - start) / dayMs + 1 > maxUsageDays) return { ok: false, error: { path: 'query.to', message: `The period may span at most ${maxUsageDays} days` } };
  const days: string[] = [];
  for (let at = start; at <= end; at += dayMs) days.push(usageDay(new Date(at)));
  return { ok: true, days, months: [...new Set(days.map((day) => day.slice(0, 7)))] };
}

/** What the usage counters hold for one UTC day (shared/data/sms-usage-repo.ts). */
export interface CountedDay {
  date: string;
  segments: number;
  refused: number;
  countries: Record<string, { segments: number; costMicroUsd: number }>;
}

export interface UsageInputs {
  days: string[];
  plan: Plan;
  quota: SmsQuota;
  apiRequestsPerMinute: number;
  sms: CountedDay[];
  apiRequests: Record<string, number>;
  contacts: Record<string, number>;
  surveysSent: Record<string, number>;
  /** This UTC month and day's totals, as the quota compares them. */
  current: SmsUsageTotals & { month: string };
}

const usdOf = (microUsd: number) => Math.round(microUsd) / microUsdPerUsd;

/** The report: one row per day of the period (zeros where nothing was counted), the totals, the limits and where the tenant stands. */
export function usageReport(input: UsageInputs): UsageReport {
  const smsByDay = new Map(input.sms.map((day) => [day.date, day]));
  const days = input.days.map((date) => {
    const sms = smsByDay.get(date);
    const countries = Object.entries(sms?.countries ?? {})
      .filter(([, usage]) => usage.segments !== 0)
      .map(([country, usage]) => ({ country, smsSegments: usage.segments, smsEstimatedCostUsd: usdOf(usage.costMicroUsd) }))
      .sort((a, b) => a.country.localeCompare(b.country));
    const costMicroUsd = Object.values(sms?.countries ?? {}).reduce((sum, usage) => sum + usage.costMicroUsd, 0);
    return {
      date,
      smsSegments: sms?.segments ?? 0,
      smsEstimatedCostUsd: usdOf(costMicroUsd),
      smsRefused: sms?.refused ?? 0,
      apiRequests: input.apiRequests[date] ?? 0,
      contacts: input.contacts[date] ?? 0,
      surveysSent: input.surveysSent[date] ?? 0,
      countries,
      costMicroUsd,
    };
  });
  const sum = (pick: (day: (typeof days)[number]) => number) => days.reduce((total, day) => total + pick(day), 0);
  return {
    period: { from: input.days[0]!, to: input.days.at(-1)! },
    plan: input.plan,
    limits: {
      smsSegmentsPerDay: input.quota.segmentsPerDay,
      smsSegmentsPerMonth: input.quota.segmentsPerMonth,
      smsSpendCapUsdPerMonth: usdOf(input.quota.spendCapMicroUsdPerMonth),
      apiRequestsPerMinute: input.apiRequestsPerMinute,
    },
    currentMonth: {
      month: input.current.month,
      smsSegments: input.current.monthSegments,
      smsEstimatedCostUsd: usdOf(input.current.monthCostMicroUsd),
      smsSegmentsToday: input.current.daySegments,
      percentOfCap: percentOfCap(input.quota, input.current),
    },
    totals: {
      smsSegments: sum((day) => day.smsSegments),
      smsEstimatedCostUsd: usdOf(sum((day) => day.costMicroUsd)),
      smsRefused: sum((day) => day.smsRefused),
      apiRequests: sum((day) => day.apiRequests),
      contacts: sum((day) => day.contacts),
      surveysSent: sum((day) => day.surveysSent),
    },
    days: days.map(({ costMicroUsd: _cost, ...day }) => day),
    priceTable: { effectiveDate: smsPriceTable.effectiveDate, currency: smsPriceTable.currency },
  };
}
