import { createHash } from 'node:crypto';
import { type SpecialDay, addDays, instantOf, isClosedSpecialDay, minutesOf, wallClock } from '../business-calendar';
import type { SurveyRules, SurveyRulesPatch } from '../../schemas/survey-template';

/**
 * The rules a tenant starts with. Surveys stay off until an admin turns them on: sending SMS
 * to a tenant's customers costs the tenant money and speaks in its name, so it must be a
 * deliberate choice, made after the template and the rules have been looked at.
 */
export function defaultSurveyRules(templateId: string | null): SurveyRules {
  return {
    enabled: false,
    templateId,
    channels: ['voice', 'chat', 'email', 'sms', 'web', 'walk_in'],
    queues: [],
    // Service and care conversations are what satisfaction is about; a sales, collection or survey call is not.
    purposes: ['service', 'care'],
    delayMinutes: 10,
    samplingPercent: 100,
    quietHours: { start: '21:00', end: '08:00' },
    suppressionDays: 30,
    dailyCap: 1000,
    linkExpiryHours: 72,
    deliveryChannel: 'sms',
    requireExplicitConsent: true,
    lowScoreThresholds: { csat: 2, nps: 6 },
    // One SMS segment for a happy customer: the link and the thanks each cost a segment or more
    // (docs/surveys.md, "SMS cost"); a tenant turns them on if it wants them.
    smsWebLink: false,
    smsThankYou: false,
    maxSegmentsPerMessage: defaultMaxSegmentsPerMessage,
  };
}

/** A survey SMS in one segment: what the default template keeps to, and what a template is warned against exceeding. */
export const defaultMaxSegmentsPerMessage = 1;

/** Rules stored before the SMS settings existed keep the conversation they had: the link and the thanks. */
const rulesFromBeforeSmsSettings = { smsWebLink: true, smsThankYou: true } as const;

/** The rules with every optional SMS setting filled in. */
export type ResolvedSurveyRules = SurveyRules & Required<Pick<SurveyRules, 'smsWebLink' | 'smsThankYou' | 'maxSegmentsPerMessage'>>;

/** The rules in force: what the tenant stored (nothing, for tenants from before surveys) over the defaults. */
export function resolveSurveyRules(stored: unknown): ResolvedSurveyRules {
  const rules = (stored ?? {}) as Partial<SurveyRules>;
  const defaults = defaultSurveyRules(null);
  return {
    ...defaults,
    ...rulesFromBeforeSmsSettings,
    // Typed as possibly absent in the defaults, though they always have it.
    maxSegmentsPerMessage: defaultMaxSegmentsPerMessage,
    ...rules,
    lowScoreThresholds: { ...defaults.lowScoreThresholds, ...rules.lowScoreThresholds },
  };
}

/** Merge patch: fields named replace (lists whole), lowScoreThresholds merges one level deeper. */
export function mergeSurveyRules(current: SurveyRules, patch: SurveyRulesPatch | undefined): SurveyRules {
  if (!patch) return current;
  return { ...current, ...patch, lowScoreThresholds: { ...current.lowScoreThresholds, ...patch.lowScoreThresholds } };
}

// ---------------------------------------------------------------- the decision

export type NoSurveyReason =
  | 'disabled'
  | 'channel'
  | 'queue'
  | 'purpose'
  | 'no-contact-point'
  | 'no-consent'
  | 'suppressed'
  | 'sampled-out'
  | 'capped';

export type SurveyDecision = { send: true; at: string; day: string } | { send: false; reason: NoSurveyReason };

export interface SurveyContext {
  /** The closed contact, from its Contact Closed summary. */
  contact: { contactId: string; channel: string; purpose: string; queue?: string; customerId?: string; closedAt: string };
  /** The tenant's IANA time zone: quiet hours and the cap's day are local to it. */
  timezone: string;
  /** The tenant's business calendar (settings.specialDays): a closed day is quiet all day. */
  specialDays?: readonly SpecialDay[];
  /** The contact's customer as stored now; absent when the contact has none (or it was erased). */
  customer?: {
    hasPhone: boolean;
    smsConsent: 'granted' | 'denied' | 'unknown';
    /** The latest survey sent or scheduled to the customer, by SMS or web link. */
    lastSurveyedAt?: string;
  };
  /** samplingDraw(contactId): the same contact always draws the same number, so a redelivered event decides alike. */
  samplingDraw: number;
  /** Surveys already scheduled for the tenant-local day the survey would go out on (surveySendTime → localDay). */
  surveysOnSendDay: number;
}

/**
 * Whether to survey a closed contact, and when. The checks run from the tenant's configuration
 * to the customer to the quotas, and the first that fails names the reason: so a contact that
 * is sampled out never uses up the daily cap, and the cap counts only surveys really scheduled.
 */
export function decideSurvey(rules: SurveyRules, context: SurveyContext): SurveyDecision {
  const { contact, customer } = context;
  const no = (reason: NoSurveyReason): SurveyDecision => ({ send: false, reason });
  if (!rules.enabled || !rules.templateId) return no('disabled');
  if (!rules.channels.includes(contact.channel as SurveyRules['channels'][number])) return no('channel');
  if (rules.queues.length > 0 && (contact.queue === undefined || !rules.queues.includes(contact.queue))) return no('queue');
  if (!rules.purposes.includes(contact.purpose as SurveyRules['purposes'][number])) return no('purpose');
  if (!customer || (rules.deliveryChannel === 'sms' && !customer.hasPhone)) return no('no-contact-point');
  // A link is delivered by the tenant through its own channel, under its own consent; by SMS we are the sender.
  if (rules.deliveryChannel === 'sms') {
    const consent = customer.smsConsent;
    if (consent === 'denied' || (consent === 'unknown' && rules.requireExplicitConsent)) return no('no-consent');
  }
  const at = surveySendTime(rules, contact.closedAt, context.timezone, context.specialDays);
  if (customer.lastSurveyedAt && rules.suppressionDays > 0) {
    const quietUntil = Date.parse(customer.lastSurveyedAt) + rules.suppressionDays * dayMs;
    if (at.getTime() < quietUntil) return no('suppressed');
  }
  if (context.samplingDraw >= rules.samplingPercent) return no('sampled-out');
  if (rules.dailyCap !== null && context.surveysOnSendDay >= rules.dailyCap) return no('capped');
  return { send: true, at: at.toISOString(), day: localDay(at, context.timezone) };
}

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

/**
 * A number in [0, 100) fixed by the contact id: sampled in when below samplingPercent. A hash,
 * not a random draw, so a redelivered Contact Closed event samples the contact the same way.
 */
export function samplingDraw(contactId: string): number {
  const digest = createHash('sha256').update(contactId).digest();
  return (digest.readUIntBE(0, 6) / 2 ** 48) * 100;
}

/**
 * Close time plus the delay, moved to the end of the quiet hours when it falls inside them. With
 * quiet hours, a day the business calendar closes (a holiday, `hours: []`) is quiet all day: a
 * survey due on it waits for the end of the quiet hours on the next day that is not closed.
 * Without quiet hours (`null`: any hour) the calendar holds nothing back either.
 */
export function surveySendTime(
  rules: Pick<SurveyRules, 'delayMinutes' | 'quietHours'>,
  closedAt: string,
  timezone: string,
  specialDays: readonly SpecialDay[] = [],
): Date {
  const due = new Date(Date.parse(closedAt) + rules.delayMinutes * minuteMs);
  if (!rules.quietHours) return due;
  const calendar = { timezone, businessHours: noWeeklyHours, specialDays };
  let at = afterQuietHours(due, rules.quietHours, timezone);
  // Each closed day is a listed special day, so this ends within their number of steps.
  for (let step = 0; step <= specialDays.length; step++) {
    const local = wallClock(at.getTime(), timezone);
    if (!isClosedSpecialDay(local, calendar)) return at;
    at = afterQuietHours(new Date(instantOf(timezone, addDays(local, 1), 0)), rules.quietHours, timezone);
  }
  return at;
}

const noWeeklyHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

/**
 * The first moment at or after `due` outside the quiet hours, on the tenant's wall clock: the
 * quiet hours' end on the right local day, which DST may make 23 or 25 hours after the last one.
 */
export function afterQuietHours(due: Date, quiet: { start: string; end: string }, timezone: string): Date {
  const local = wallClock(due.getTime(), timezone);
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const spansMidnight = start > end;
  const inside = spansMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return due;
  const endDay = spansMidnight && minute >= start ? addDays(local, 1) : local;
  return new Date(instantOf(timezone, endDay, end));
}

/** The tenant-local calendar day of an instant, YYYY-MM-DD: the daily cap counts per such day. */
export function localDay(instant: Date, timezone: string): string {
  const { year, month, day } = wallClock(instant.getTime(), timezone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Seconds until the next midnight in the tenant's time zone, when the daily cap's count starts again. */
export function secondsToNextLocalDay(now: Date, timezone: string): number {
  const local = wallClock(now.getTime(), timezone);
  const tomorrow = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
  const next = instantOf(timezone, { year: tomorrow.getUTCFullYear(), month: tomorrow.getUTCMonth() + 1, day: tomorrow.getUTCDate() }, 0);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/**
 * What is wrong with survey rules given the template they name (undefined when it does not
 * exist): an unknown or archived template, or surveys enabled without a template. Checked when
 * a settings change touches `enabled` or `templateId`.
 */
export function surveyRulesIssues(rules: SurveyRules, template: { status: 'active' | 'archived' } | undefined): { path: string; message: string }[] {
  const path = '$.surveys.templateId';
  if (rules.templateId === null) return rules.enabled ? [{ path, message: 'Choose a survey template before enabling surveys' }] : [];
  if (!template) return [{ path, message: 'No such survey template' }];
  if (template.status === 'archived') return [{ path, message: 'The survey template is archived' }];
  return [];
}
