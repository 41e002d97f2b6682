import { cachedTenantPlan } from '../data/rate-limit-repo';
import { type SmsQuota, microUsdPerUsd, smsQuotaOf } from '../domain/sms/quotas';
import type { Plan } from '../schemas/tenant';

/**
 * The tenant's plan quota with the deployment's overrides: SMS_SEGMENTS_PER_DAY,
 * SMS_SEGMENTS_PER_MONTH and SMS_SPEND_CAP_USD_PER_MONTH replace every plan's figure (an
 * operator's lever in an incident, and how tests reach a cap without hundreds of messages).
 */
export function deployedSmsQuota(plan: Plan): SmsQuota {
  const positive = (name: string) => {
    const value = Number(process.env[name]);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const perDay = positive('SMS_SEGMENTS_PER_DAY');
  const perMonth = positive('SMS_SEGMENTS_PER_MONTH');
  const spendUsd = positive('SMS_SPEND_CAP_USD_PER_MONTH');
  return smsQuotaOf(plan, {
    ...(perDay && { segmentsPerDay: Math.floor(perDay) }),
    ...(perMonth && { segmentsPerMonth: Math.floor(perMonth) }),
    ...(spendUsd && { spendCapMicroUsdPerMonth: Math.round(spendUsd * microUsdPerUsd) }),
  });
}

export async function tenantSmsQuota(tenantId: string): Promise<SmsQuota> {
  return deployedSmsQuota(await cachedTenantPlan(tenantId));
}

