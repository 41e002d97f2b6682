import type { CaseType, Severity, SlaDuration, SlaKind, SlaPolicy, SlaPolicyPatch } from '../schemas/case';
import { type BusinessCalendar, type LocalDate, addDays, hasWeeklyOpeningHours, instantOf, openingsOn, wallClock } from './business-calendar';

export type { BusinessCalendar } from './business-calendar';
// The time zone arithmetic's home is the calendar; these stay importable from here for the callers that do.
export { instantOf, wallClock } from './business-calendar';

// ---------------------------------------------------------------- policy

const target = (firstResponse: SlaDuration, resolution: SlaDuration) => ({ firstResponse, resolution });
const d = (amount: number, unit: SlaDuration['unit']): SlaDuration => ({ amount, unit });

/** The targets a tenant starts with: DESIGN.md's 15 calendar days for complaints, tighter for urgent work. */
export const defaultSlaPolicy: SlaPolicy = {
  targets: {
    complaint: {
      low: target(d(2, 'businessDays'), d(15, 'days')),
      medium: target(d(1, 'businessDays'), d(15, 'days')),
      high: target(d(4, 'businessHours'), d(15, 'days')),
      critical: target(d(1, 'hours'), d(15, 'days')),
    },
    request: {
      low: target(d(2, 'businessDays'), d(10, 'businessDays')),
      medium: target(d(1, 'businessDays'), d(5, 'businessDays')),
      high: target(d(4, 'businessHours'), d(2, 'businessDays')),
      critical: target(d(1, 'hours'), d(1, 'days')),
    },
    inquiry: {
      low: target(d(2, 'businessDays'), d(5, 'businessDays')),
      medium: target(d(1, 'businessDays'), d(3, 'businessDays')),
      high: target(d(4, 'businessHours'), d(1, 'businessDays')),
      critical: target(d(1, 'hours'), d(8, 'hours')),
    },
  },
  escalation: {
    firstResponse: { raiseSeverity: true },
    resolution: { raiseSeverity: true },
  },
};

/** Deep merge: only the targets and rules the patch names change; `assignTo: null` removes it. */
export function mergeSlaPolicy(current: SlaPolicy, patch: SlaPolicyPatch | undefined): SlaPolicy {
  const next: SlaPolicy = structuredClone(current);
  for (const [type, severities] of Object.entries(patch?.targets ?? {}) as [CaseType, Record<string, object>][]) {
    for (const [severity, kinds] of Object.entries(severities ?? {}) as [Severity, Partial<Record<SlaKind, SlaDuration>>][]) {
      next.targets[type][severity] = { ...next.targets[type][severity], ...kinds };
    }
  }
  for (const [kind, rule] of Object.entries(patch?.escalation ?? {}) as [SlaKind, { raiseSeverity?: boolean; assignTo?: string | null }][]) {
    const merged = { ...next.escalation[kind], ...rule };
    if (merged.assignTo === null) delete merged.assignTo;
    next.escalation[kind] = merged as SlaPolicy['escalation'][SlaKind];
  }
  return next;
}

/** The policy in force: whatever the tenant stored (possibly nothing, from before policies existed) over the defaults. */
export const resolveSlaPolicy = (stored: unknown): SlaPolicy =>
  mergeSlaPolicy(defaultSlaPolicy, (stored ?? {}) as SlaPolicyPatch);

const severityLadder: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
export const raisedSeverity = (severity: Severity): Severity =>
  severityLadder[Math.min(severityLadder.indexOf(severity) + 1, severityLadder.length - 1)]!;

export function slaDeadline(
  policy: SlaPolicy,
  calendar: BusinessCalendar,
  type: CaseType,
  severity: Severity,
  kind: SlaKind,
  start: Date,
): Date {
  return computeDeadline(start, policy.targets[type][severity][kind], calendar);
}

// ---------------------------------------------------------------- deadlines

const minuteMs = 60_000;

/**
 * When a clock started at `start` with this target runs out. Elapsed units are plain arithmetic;
 * days and business time follow the tenant's wall clock, so they stay right across DST changes.
 * Business time follows the calendar: a special day's hours replace its weekday's, a closed one
 * (a holiday) counts nothing. A tenant with no weekly opening hours at all has business targets
 * counted as calendar time (businessHours as hours, businessDays as days) rather than never expiring.
 */
export function computeDeadline(start: Date, duration: SlaDuration, calendar: BusinessCalendar): Date {
  const { amount, unit } = duration;
  const open = hasWeeklyOpeningHours(calendar);
  switch (unit) {
    case 'minutes':
      return new Date(start.getTime() + amount * minuteMs);
    case 'hours':
      return new Date(start.getTime() + amount * 60 * minuteMs);
    case 'days':
      return addCalendarDays(start, amount, calendar.timezone);
    case 'businessHours':
      return open ? addBusinessMinutes(start, amount * 60, calendar) : new Date(start.getTime() + amount * 60 * minuteMs);
    case 'businessDays':
      return open ? endOfNthBusinessDay(start, amount, calendar) : addCalendarDays(start, amount, calendar.timezone);
  }
}

/** The same local wall time `days` later in `timezone` (a time skipped by DST moves forward by the gap). */
export function addCalendarDays(start: Date, days: number, timezone: string): Date {
  const local = wallClock(start.getTime(), timezone);
  const date = addDays(local, days);
  return new Date(instantOf(timezone, date, local.hour * 60 + local.minute, local.second) + (start.getTime() % 1000));
}

/** Counts `minutes` of time inside opening hours, starting at `start` (or at the next opening). */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  let remaining = minutes * minuteMs;
  const from = start.getTime();
  let date: LocalDate = wallClock(from, calendar.timezone);
  for (let day = 0; day < 5 * 366; day++, date = addDays(date, 1)) {
    for (const interval of openingsOn(date, calendar)) {
      const begin = Math.max(interval.open, from);
      if (begin >= interval.close) continue;
      if (remaining <= interval.close - begin) return new Date(begin + remaining);
      remaining -= interval.close - begin;
    }
  }
  throw new Error('Business time does not run out within five years');
}

/** Closing time of the n-th open day after the local day of `start`; the starting day never counts. */
export function endOfNthBusinessDay(start: Date, days: number, calendar: BusinessCalendar): Date {
  let date: LocalDate = wallClock(start.getTime(), calendar.timezone);
  let counted = 0;
  for (let day = 0; day < 5 * 366; day++) {
    date = addDays(date, 1);
    const openings = openingsOn(date, calendar);
    if (openings.length === 0) continue;
    counted += 1;
    if (counted === days) return new Date(openings[openings.length - 1]!.close);
  }
  throw new Error('No business day within five years');
}
