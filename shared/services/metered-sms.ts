import { readSmsUsageTotals, recordSmsRefusal, releaseSmsSegments, reserveSmsSegments, slotOf } from '../data/sms-usage-repo';
import { countSegments } from '../domain/sms/segments';
import {
  type QuotaLimit,
  allowedDestinationCountries,
  checkDestination,
  limitPassed,
  percentOfCap,
  secondsUntilReset,
  segmentPriceMicroUsd,
} from '../domain/sms/quotas';
import { tenantSmsQuota } from './sms-quota';
import { newEvent } from '../events/events';
import { type SmsPurpose, smsSendRefused } from '../events/sms-events';
import { MetricUnit, logger, metrics } from '../observability';
import { functionClock } from '../ports/clock';
import { type SmsSendResult, type SmsToSend, sendSms } from '../ports/sms-sender';

/**
 * The one way Switchboard sends an SMS (docs/sms.md, "Quotas, caps and destinations"): every
 * sender — survey questions, keyword answers, anything later — calls sendMeteredSms, never the
 * port (tests/unit/metered-sms-only.test.ts holds every caller to it). Before the port is called:
 * 1. the destination: not on the platform's block list, in the tenant's allowed countries;
 * 2. the quota: the segments and their estimated cost are reserved in one conditional write on
 *    the tenant's usage counters for the UTC day and month (plan's segments per day and month,
 *    monthly spend cap).
 * A refusal is answered to the caller, counted, and written as `SMS Send Refused`. A reservation
 * whose message does not go out (AWS refused it or failed) is given back: AWS bills nothing for it.
 *
 * This check is about volume and cost. Whether a tenant may send at all (its allocation, a
 * suspension) is a separate check, made before it.
 */

export type SmsRefusal =
  | { status: 'refused'; reason: 'quota'; limit: QuotaLimit; retryAfterSeconds: number; country: string; segments: number }
  | { status: 'refused'; reason: 'destination-not-allowed'; rule: 'blocked-prefix' | 'country-not-allowed'; country?: string; segments: number };

export type MeteredSmsResult = SmsSendResult | SmsRefusal;

export interface MeteredSms extends SmsToSend {
  purpose: SmsPurpose;
  /** The survey the message belongs to, for the refusal event. */
  surveyId?: string;
}

/** What the check needs of the tenant's settings: the allow-list and the default country. */
export interface SenderSettings {
  defaultCountry: string;
  sms?: { allowedDestinationCountries?: string[] };
}

/**
 * Whether a message of `segments` to `to` would be refused now, without reserving anything: what
 * an API route answers before it accepts work that will send (an ad hoc survey). The send itself
 * still goes through sendMeteredSms, which alone decides.
 */
export async function smsRefusalBeforeSending(tenantId: string, to: string, segments: number, settings: SenderSettings): Promise<SmsRefusal | undefined> {
  const destination = checkDestination(to, allowedDestinationCountries(settings));
  if (!destination.allowed) return { status: 'refused', reason: 'destination-not-allowed', rule: destination.why, ...(destination.country && { country: destination.country }), segments };
  const at = functionClock.now();
  const quota = await tenantSmsQuota(tenantId);
  const usage = await readSmsUsageTotals(tenantId, at);
  const limit = limitPassed(quota, usage, segments, segments * segmentPriceMicroUsd(destination.country));
  return limit ? { status: 'refused', reason: 'quota', limit, retryAfterSeconds: secondsUntilReset(limit, at), country: destination.country, segments } : undefined;
}

export async function sendMeteredSms(message: MeteredSms, settings: SenderSettings): Promise<MeteredSmsResult> {
  const { tenantId } = message;
  const { segments } = countSegments(message.body);
  const destination = checkDestination(message.to, allowedDestinationCountries(settings));
  const at = functionClock.now();
  if (!destination.allowed) {
    const refusal: SmsRefusal = { status: 'refused', reason: 'destination-not-allowed', rule: destination.why, ...(destination.country && { country: destination.country }), segments };
    await recordRefusal(message, refusal, at);
    return refusal;
  }
  const { country } = destination;
  const cost = segments * segmentPriceMicroUsd(country);
  const quota = await tenantSmsQuota(tenantId);
  // A message larger than a whole limit can never fit; the conditional write only compares what is counted.
  const tooLarge = limitPassed(quota, { daySegments: 0, monthSegments: 0, monthCostMicroUsd: 0 }, segments, cost);
  const slot = slotOf(at, country);
  const reservation = tooLarge ? undefined : await reserveSmsSegments(tenantId, slot, segments, cost, quota);
  if (!reservation?.reserved) {
    const limit = tooLarge ?? limitPassed(quota, reservation!.usage, segments, cost) ?? 'month';
    const refusal: SmsRefusal = { status: 'refused', reason: 'quota', limit, retryAfterSeconds: secondsUntilReset(limit, at), country, segments };
    await recordRefusal(message, refusal, at);
    if (reservation) publishCapUsed(tenantId, percentOfCap(quota, reservation.usage));
    return refusal;
  }
  publishCapUsed(tenantId, percentOfCap(quota, reservation.usage));

  let result: SmsSendResult;
  try {
    result = await sendSms(message);
  } catch (error) {
    await giveBack(tenantId, slot, segments, cost);
    throw error;
  }
  if (result.status === 'opted-out') await giveBack(tenantId, slot, segments, cost);
  return result;
}

async function giveBack(tenantId: string, slot: ReturnType<typeof slotOf>, segments: number, cost: number): Promise<void> {
  try {
    await releaseSmsSegments(tenantId, slot, segments, cost);
  } catch (error) {
    // Counted and not sent is the safe side of a quota: log it, do not hide the send's own failure.
    logger.warn('SMS reservation not given back', error as Error);
  }
}

async function recordRefusal(message: MeteredSms, refusal: SmsRefusal, at: Date): Promise<void> {
  await writeRefusal(message.tenantId, message.purpose, refusal, at, message.surveyId);
  logger.warn('SMS not sent: refused by the quota or destination check', { reason: refusal.reason, purpose: message.purpose, ...(refusal.reason === 'quota' ? { limit: refusal.limit } : { rule: refusal.rule }) });
}

/** Records a refusal an API route answered before any send (an ad hoc survey over quota, over the daily cap or to a refused destination). */
export async function recordRefusalBeforeSending(tenantId: string, purpose: SmsPurpose, refusal: SmsRefusal | { reason: 'quota'; limit: 'survey-daily-cap'; segments: number }): Promise<void> {
  await writeRefusal(tenantId, purpose, refusal, functionClock.now());
}

async function writeRefusal(
  tenantId: string,
  purpose: SmsPurpose,
  refusal: SmsRefusal | { reason: 'quota'; limit: 'survey-daily-cap'; segments: number },
  at: Date,
  surveyId?: string,
): Promise<void> {
  const country = 'country' in refusal ? refusal.country : undefined;
  const data = {
    reason: refusal.reason,
    purpose,
    segments: refusal.segments,
    ...(refusal.reason === 'quota' ? { limit: refusal.limit } : { destinationRule: refusal.rule }),
    ...(country && { country }),
    ...(surveyId && { surveyId }),
  };
  await recordSmsRefusal(tenantId, at, newEvent(smsSendRefused, tenantId, data, at.toISOString()));
  metrics.addMetric('SmsSendsRefused', MetricUnit.Count, 1);
}

/**
 * The tenant's highest share of any SMS limit, with the tenant as a dimension (beside the
 * function's `service`). The events stack's SmsCapAlarm watches the maximum over every tenant
 * with a Metrics Insights query (infra/messaging.ts, addSmsCapAlarm).
 */
function publishCapUsed(tenantId: string, percent: number): void {
  const single = metrics.singleMetric();
  single.addDimension('tenantId', tenantId);
  single.addMetric(smsCapUsedMetric, MetricUnit.Percent, percent);
}

export const smsCapUsedMetric = 'SmsCapUsedPercent';
