import { type CountryCode, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import phoneMetadata from '../phone-metadata.json';
import type { Plan } from '../../schemas/tenant';

/**
 * What a tenant may spend on SMS, and where it may send (docs/sms.md, "Quotas, caps and
 * destinations"). Every send goes through one check (shared/services/metered-sms.ts), which
 * applies these pure rules to the usage counters in shared/data/sms-usage-repo.ts.
 *
 * Days and months are UTC: the cap guards the platform's AWS bill, which AWS counts per UTC
 * calendar month, and one UTC day is the same for every tenant, whatever its time zone.
 */

/** Money is counted in millionths of a US dollar, so that sums of prices stay exact integers. */
export const microUsdPerUsd = 1_000_000;

/**
 * Estimated price of one outbound SMS segment (transactional, long code or sender id) per
 * destination country, in micro-USD: AWS End User Messaging SMS's base price plus the typical
 * carrier fee, rounded up. Estimates read from AWS's public price list on the date below; AWS's
 * bill is the truth, this table only has to be close enough to stop a runaway tenant.
 */
export const smsPriceTable = {
  effectiveDate: '2026-12-01',
  currency: 'USD',
  perSegmentMicroUsd: {
    TW: 66_000,
    US: 8_900,
    CA: 8_500,
    GB: 40_000,
    JP: 75_000,
    HK: 48_000,
    SG: 40_000,
    AU: 42_000,
    DE: 100_000,
    FR: 75_000,
  } as Partial<Record<string, number>>,
  /** Any other country: priced high on purpose, so an unlisted destination reaches the cap sooner. */
  otherCountriesMicroUsd: 150_000,
} as const;

export const segmentPriceMicroUsd = (country: string): number => smsPriceTable.perSegmentMicroUsd[country] ?? smsPriceTable.otherCountriesMicroUsd;

export interface SmsQuota {
  segmentsPerDay: number;
  segmentsPerMonth: number;
  /** The monthly spend cap, in micro-USD, at the price table's estimates. */
  spendCapMicroUsdPerMonth: number;
}

/** Per plan. A trial proves the product on a handful of customers; it is not a bulk sender. */
export const smsQuotaByPlan: Record<Plan, SmsQuota> = {
  trial: { segmentsPerDay: 50, segmentsPerMonth: 300, spendCapMicroUsdPerMonth: 10 * microUsdPerUsd },
  starter: { segmentsPerDay: 1_000, segmentsPerMonth: 10_000, spendCapMicroUsdPerMonth: 500 * microUsdPerUsd },
  business: { segmentsPerDay: 10_000, segmentsPerMonth: 150_000, spendCapMicroUsdPerMonth: 5_000 * microUsdPerUsd },
  enterprise: { segmentsPerDay: 50_000, segmentsPerMonth: 1_000_000, spendCapMicroUsdPerMonth: 40_000 * microUsdPerUsd },
};

/** The plan's quota with the deployment's overrides (every plan alike; an operator's lever, and how tests reach a cap). */
export function smsQuotaOf(plan: Plan, overrides: Partial<SmsQuota> = {}): SmsQuota {
  return { ...smsQuotaByPlan[plan], ...overrides };
}

/** The usage a reservation is checked against: this UTC day's and month's segments and the month's estimated spend. */
export interface SmsUsageTotals {
  daySegments: number;
  monthSegments: number;
  monthCostMicroUsd: number;
}

export type QuotaLimit = 'day' | 'month' | 'spend';

/** The first limit `segments` more (costing `costMicroUsd`) would pass, or undefined when they fit. */
export function limitPassed(quota: SmsQuota, usage: SmsUsageTotals, segments: number, costMicroUsd: number): QuotaLimit | undefined {
  if (usage.daySegments + segments > quota.segmentsPerDay) return 'day';
  if (usage.monthSegments + segments > quota.segmentsPerMonth) return 'month';
  if (usage.monthCostMicroUsd + costMicroUsd > quota.spendCapMicroUsdPerMonth) return 'spend';
  return undefined;
}

/** The highest share of any cap used, in percent (0–100 and beyond): what the 80 % alarm watches. */
export function percentOfCap(quota: SmsQuota, usage: SmsUsageTotals): number {
  const shares = [
    usage.daySegments / quota.segmentsPerDay,
    usage.monthSegments / quota.segmentsPerMonth,
    usage.monthCostMicroUsd / quota.spendCapMicroUsdPerMonth,
  ];
  return Math.round(Math.max(...shares) * 1000) / 10;
}

/** The UTC day (YYYY-MM-DD) and month (YYYY-MM) usage is counted in. */
export const usageDay = (at: Date) => at.toISOString().slice(0, 10);
export const usageMonth = (at: Date) => at.toISOString().slice(0, 7);

/** Whole seconds until the limit resets: the next UTC midnight for the day, the next UTC month for the month and the spend. */
export function secondsUntilReset(limit: QuotaLimit, at: Date): number {
  const next =
    limit === 'day'
      ? Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1)
      : Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - at.getTime()) / 1000));
}

// ---------------------------------------------------------------- destinations

/**
 * Prefixes no tenant may send to, whatever its allow-list: satellite and international networks
 * (billed at many times a mobile's price, and a classic route for SMS pumping fraud) and
 * premium-rate ranges of the countries tenants are known to serve. Sources, read on 2026-12-05:
 * ITU-T E.164 list of assigned country codes (+870 Inmarsat, +881 Global Mobile Satellite System,
 * +882 and +883 international networks, +878 and +979 universal personal and international
 * premium-rate services, +808 shared-cost); NANPA (900 premium, 976 information services); Ofcom's
 * UK numbering plan (09 premium rate, 0871–0873 service numbers); Taiwan NCC numbering plan
 * (0204 and 0209 premium-rate information services); libphonenumber's premium-rate patterns.
 */
export const blockedDestinationPrefixes: readonly string[] = [
  '+870',
  '+878',
  '+881',
  '+882',
  '+883',
  '+979',
  '+808',
  '+1900',
  '+1976',
  '+449',
  '+44871',
  '+44872',
  '+44873',
  '+886204',
  '+886209',
];

const metadata = phoneMetadata as unknown as MetadataJson;

/** The country (ISO 3166 alpha-2) an E.164 number belongs to; undefined for non-geographic or unreadable numbers. */
export function destinationCountry(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164, metadata)?.country as CountryCode | undefined;
}

export type DestinationCheck = { allowed: true; country: string } | { allowed: false; why: 'blocked-prefix' | 'country-not-allowed'; country?: string };

/**
 * Whether a tenant may text `e164`: not on the platform's block list, and in a country of the
 * tenant's allow-list (its default country when it has set none).
 */
export function checkDestination(e164: string, allowedCountries: readonly string[]): DestinationCheck {
  if (blockedDestinationPrefixes.some((prefix) => e164.startsWith(prefix))) {
    const country = destinationCountry(e164);
    return { allowed: false, why: 'blocked-prefix', ...(country && { country }) };
  }
  const country = destinationCountry(e164);
  if (!country || !allowedCountries.includes(country)) return { allowed: false, why: 'country-not-allowed', ...(country && { country }) };
  return { allowed: true, country };
}

/** The tenant's destination allow-list: what it set in settings.sms, else its default country. */
export const allowedDestinationCountries = (settings: { defaultCountry: string; sms?: { allowedDestinationCountries?: string[] } }): string[] =>
  settings.sms?.allowedDestinationCountries ?? [settings.defaultCountry];
