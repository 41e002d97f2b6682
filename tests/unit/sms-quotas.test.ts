import { describe, expect, it } from 'vitest';
import {
  blockedDestinationPrefixes,
  checkDestination,
  limitPassed,
  percentOfCap,
  secondsUntilReset,
  segmentPriceMicroUsd,
  smsPriceTable,
  smsQuotaByPlan,
  smsQuotaOf,
} from '../../shared/domain/sms/quotas';
import { usagePeriod, usageReport } from '../../shared/domain/usage';

/** Issue 11 §2: the pure rules behind the SMS quota, the spend cap and the destination check. */

describe('SMS quota rules', () => {
  const quota = { segmentsPerDay: 10, segmentsPerMonth: 100, spendCapMicroUsdPerMonth: 1_000_000 };
  const none = { daySegments: 0, monthSegments: 0, monthCostMicroUsd: 0 };

  it('names the first limit a send would pass: the day, then the month, then the spend cap', () => {
    expect(limitPassed(quota, none, 10, 10)).toBeUndefined();
    expect(limitPassed(quota, { ...none, daySegments: 9 }, 2, 0)).toBe('day');
    expect(limitPassed(quota, { ...none, monthSegments: 99 }, 2, 0)).toBe('month');
    expect(limitPassed(quota, { ...none, monthCostMicroUsd: 950_000 }, 1, 66_000)).toBe('spend');
  });

  it('every plan has a day, month and spend limit, growing with the plan; overrides replace a figure', () => {
    const plans = ['trial', 'starter', 'business', 'enterprise'] as const;
    for (const [smaller, larger] of [[0, 1], [1, 2], [2, 3]] as const) {
      const [a, b] = [smsQuotaByPlan[plans[smaller]], smsQuotaByPlan[plans[larger]]];
      expect(b.segmentsPerDay).toBeGreaterThan(a.segmentsPerDay);
      expect(b.segmentsPerMonth).toBeGreaterThan(a.segmentsPerMonth);
      expect(b.spendCapMicroUsdPerMonth).toBeGreaterThan(a.spendCapMicroUsdPerMonth);
    }
    expect(smsQuotaOf('trial', { segmentsPerDay: 3 })).toEqual({ ...smsQuotaByPlan.trial, segmentsPerDay: 3 });
  });

  it('reports the highest share of any cap, and the seconds until the UTC day or month resets', () => {
    expect(percentOfCap(quota, { daySegments: 8, monthSegments: 8, monthCostMicroUsd: 0 })).toBe(80);
    expect(percentOfCap(quota, { daySegments: 1, monthSegments: 1, monthCostMicroUsd: 900_000 })).toBe(90);
    expect(secondsUntilReset('day', new Date('2027-03-31T23:59:00Z'))).toBe(60);
    expect(secondsUntilReset('month', new Date('2027-03-31T23:00:00Z'))).toBe(3600);
    expect(secondsUntilReset('spend', new Date('2027-12-31T23:59:59Z'))).toBe(1);
  });

  it('prices a segment from the dated table, and an unlisted country at the high default', () => {
    expect(smsPriceTable.effectiveDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(segmentPriceMicroUsd('TW')).toBe(66_000);
    expect(segmentPriceMicroUsd('ZZ')).toBe(smsPriceTable.otherCountriesMicroUsd);
    for (const price of Object.values(smsPriceTable.perSegmentMicroUsd)) expect(price).toBeLessThan(smsPriceTable.otherCountriesMicroUsd);
  });
});

describe('SMS destinations', () => {
  it("allows the tenant's countries and refuses the others", () => {
    expect(checkDestination('+886912345678', ['TW'])).toEqual({ allowed: true, country: 'TW' });
    expect(checkDestination('+12025550123', ['TW'])).toEqual({ allowed: false, why: 'country-not-allowed', country: 'US' });
    expect(checkDestination('+12025550123', ['TW', 'US'])).toEqual({ allowed: true, country: 'US' });
  });

  it('refuses satellite, international-network and premium-rate prefixes whatever the allow-list', () => {
    for (const number of ['+8816310000000', '+882123456789', '+883510012345', '+870773111111', '+19005550123', '+449012345678', '+886204123456']) {
      const check = checkDestination(number, ['TW', 'US', 'GB']);
      expect(check, number).toMatchObject({ allowed: false, why: 'blocked-prefix' });
    }
    expect(blockedDestinationPrefixes).toEqual(expect.arrayContaining(['+870', '+881', '+882', '+883']));
  });
});

describe('the usage report', () => {
  it('reads whole UTC days, at most 31, default the current month to date', () => {
    const now = new Date('2027-02-10T12:00:00Z');
    expect(usagePeriod({}, now)).toMatchObject({ ok: true, months: ['2027-02'] });
    const period = usagePeriod({ from: '2027-01-30', to: '2027-02-02T23:00:00+00:00' }, now);
    expect(period).toEqual({ ok: true, days: ['2027-01-30', '2027-01-31', '2027-02-01', '2027-02-02'], months: ['2027-01', '2027-02'] });
    expect(usagePeriod({ from: '2027-01-01', to: '2027-02-01' }, now)).toMatchObject({ ok: false, error: { path: 'query.to' } });
  });

  it('adds the days up to the totals, zero-fills days without usage and prices per country', () => {
    const report = usageReport({
      days: ['2027-02-01', '2027-02-02'],
      plan: 'trial',
      quota: smsQuotaByPlan.trial,
      apiRequestsPerMinute: 600,
      sms: [{ date: '2027-02-02', segments: 3, refused: 1, countries: { TW: { segments: 2, costMicroUsd: 132_000 }, US: { segments: 1, costMicroUsd: 8_900 } } }],
      apiRequests: { '2027-02-01': 4, '2027-02-02': 6 },
      contacts: { '2027-02-02': 5 },
      surveysSent: { '2027-02-02': 3 },
      current: { month: '2027-02', daySegments: 3, monthSegments: 3, monthCostMicroUsd: 140_900 },
    });
    expect(report.days[0]).toMatchObject({ date: '2027-02-01', smsSegments: 0, apiRequests: 4, countries: [] });
    expect(report.days[1]!.countries).toEqual([
      { country: 'TW', smsSegments: 2, smsEstimatedCostUsd: 0.132 },
      { country: 'US', smsSegments: 1, smsEstimatedCostUsd: 0.0089 },
    ]);
    expect(report.totals).toEqual({ smsSegments: 3, smsEstimatedCostUsd: 0.1409, smsRefused: 1, apiRequests: 10, contacts: 5, surveysSent: 3 });
    expect(report.limits).toEqual({ smsSegmentsPerDay: 50, smsSegmentsPerMonth: 300, smsSpendCapUsdPerMonth: 10, apiRequestsPerMinute: 600 });
  });
});
