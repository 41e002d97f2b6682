/**
 * The write-time aggregates behind every dashboard: additive counters per tenant, per
 * 30-minute UTC slot, per dimension value. Consumers of the contact, case, survey and referral
 * events add to them (functions/analytics-aggregate); the analytics API only ever reads them,
 * never raw contacts. Ratios (rates, averages, scores) are computed at read time from sums, so
 * any period or grouping is exact.
 *
 * Why 30-minute UTC slots: staffing plans per 30 minutes, and every tenant time zone with a
 * whole- or half-hour offset (New York, London, Taipei, Kolkata, Adelaide) maps each local
 * hour, day and week onto whole slots, daylight-saving days of 23 and 25 hours included.
 * Zones with 45-minute offsets (Nepal, Chatham) get each slot in the local interval where the
 * slot starts (docs/metrics.md).
 */

export const slotMinutes = 30;

/**
 * Writes of one tenant's day and dimension are spread over this many partitions, picked by a
 * hash of the event id; reads query all of them. See docs/developers/data-model.md, "Analytics".
 */
export const analyticsShards = 4;

export const dimensions = ['all', 'queue', 'agent', 'channel', 'reason'] as const;
export type Dimension = (typeof dimensions)[number];
/** The one value of the `all` dimension. */
export const allValue = '*';

/** Answer-time thresholds (seconds) counted per slot; a tenant's service-level threshold must be one of them. */
export const serviceLevelThresholds = [10, 15, 20, 30, 45, 60, 90, 120, 180, 300] as const;
export type ServiceLevelThreshold = (typeof serviceLevelThresholds)[number];
export const answeredWithin = (seconds: ServiceLevelThreshold) => `answeredWithin${seconds}` as const;

export const contactCounters = [
  /** Closed contacts, counted in the slot they arrived (queuedAt, else startedAt). */
  'offered',
  'inbound',
  'queued',
  'answered',
  /** Outcome `abandoned`: never answered. */
  'abandoned',
  /** Queued and never answered: the abandonment-rate numerator (over `queued`). */
  'abandonedInQueue',
  /**
   * Σ seconds queued contacts waited until answered (queuedAt → answeredAt). `answered` also counts
   * contacts answered without a queue (outbound), so ASA = waitSecondsAnswered / (queued − abandonedInQueue).
   */
  'waitSecondsAnswered',
  /** Σ seconds in queue of every queued contact, answered or not: observed patience for Erlang A. */
  'queueSeconds',
  /** Σ answeredAt → endedAt (talk, hold included) of answered contacts. */
  'talkSeconds',
  /** Σ endedAt → afterContactWorkEndedAt of answered contacts. */
  'afterContactWorkSeconds',
  /** Σ handleSeconds of answered contacts (talk + hold + after-contact work). */
  'handleSeconds',
  'firstContactResolved',
  'transferred',
  ...serviceLevelThresholds.map(answeredWithin),
] as const;

export const surveyCounters = [
  'surveysSent',
  'surveysCompleted',
  'csatResponses',
  /** CSAT answers 4–5. */
  'csatSatisfied',
  'npsResponses',
  /** NPS answers 9–10. */
  'npsPromoters',
  /** NPS answers 0–6. */
  'npsDetractors',
  'cesResponses',
  'cesSum',
  /** CES answers 5–7. */
  'cesAgree',
] as const;

export const caseCounters = [
  'casesOpened',
  'casesResolved',
  /** Resolved with neither the first-response nor the resolution deadline breached. */
  'casesResolvedWithinSla',
  'casesSlaBreaches',
  'casesReopened',
] as const;

export const referralCounters = ['referralsMade', 'referralsConverted', 'referralsLost'] as const;

export type CounterName =
  | (typeof contactCounters)[number]
  | (typeof surveyCounters)[number]
  | (typeof caseCounters)[number]
  | (typeof referralCounters)[number]
  /** Σ converted referral value per currency, in thousandths (Money allows 3 decimals). */
  | `referralValueMilli:${string}`;

export const referralValueCounter = (currency: string): CounterName => `referralValueMilli:${currency}`;

export type Counters = Partial<Record<CounterName, number>>;

/** What one event adds to the counters of one dimension value. */
export interface CounterIncrement {
  dimension: Dimension;
  value: string;
  counters: Counters;
}

/** One stored counter item, merged over shards: a slot, a dimension value, its sums. */
export interface CounterRow {
  /** ISO 8601 UTC instant the 30-minute slot starts at. */
  slotStart: string;
  dimension: Dimension;
  /** The queue, agent id, channel or reason code; `*` for the `all` dimension. */
  value: string;
  counters: Counters;
}

/** Start of the UTC slot an instant falls in. */
export function slotStartOf(instant: Date | string): Date {
  const ms = new Date(instant).getTime();
  const slotMs = slotMinutes * 60_000;
  return new Date(Math.floor(ms / slotMs) * slotMs);
}
