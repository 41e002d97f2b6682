import type { CaseType, Severity, SlaDuration, SlaKind, SlaPolicy, SlaPolicyPatch } from '../schemas/case';
import { zonedWallClock } from './wall-clock';

type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
type OpeningHours = { open: string; close: string };

/** Where business time is counted: the tenant's time zone and weekly opening hours (settings). */
export interface BusinessCalendar {
  timezone: string;
  businessHours: Record<Weekday, OpeningHours[]>;
}

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
const dayMs = 24 * 60 * minuteMs;

/**
 * When a clock started at `start` with this target runs out. Elapsed units are plain arithmetic;
 * days and business time follow the tenant's wall clock, so they stay right across DST changes.
 * A tenant with no opening hours at all has business targets counted as calendar time
 * (businessHours as hours, businessDays as days) rather than never expiring.
 */
export function computeDeadline(start: Date, duration: SlaDuration, calendar: BusinessCalendar): Date {
  const { amount, unit } = duration;
  const open = hasOpeningHours(calendar);
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

const hasOpeningHours = (calendar: BusinessCalendar) => Object.values(calendar.businessHours).some((day) => day.length > 0);

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

// ---------------------------------------------------------------- time zone arithmetic

interface LocalDate {
  year: number;
  month: number;
  day: number;
}
interface WallClock extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

const weekdays: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The wall clock in `timezone` at an instant. */
export function wallClock(instant: number, timezone: string): WallClock {
  const { year, month, day, hour, minute, second } = zonedWallClock(instant, timezone);
  return { year, month, day, hour, minute, second };
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(instant: number, timezone: string): number {
  const w = wallClock(instant, timezone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local date and time names in `timezone`. Of a repeated time (DST ends) the
 * first; a skipped time (DST starts) is read with the offset before the change, which lands
 * as far past the gap as it was into it.
 */
export function instantOf(timezone: string, date: LocalDate, minuteOfDay: number, second = 0): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay, second);
  const before = wall - offsetAt(wall - dayMs, timezone);
  const after = wall - offsetAt(wall + dayMs, timezone);
  const valid = [before, after].filter((candidate) => candidate + offsetAt(candidate, timezone) === wall);
  return valid.length > 0 ? Math.min(...valid) : before;
}

function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

const weekdayOf = (date: LocalDate): Weekday => weekdays[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()]!;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** A day's opening intervals as instants, in order, overlapping ones merged. */
function openingsOn(date: LocalDate, calendar: BusinessCalendar): { open: number; close: number }[] {
  const intervals = [...(calendar.businessHours[weekdayOf(date)] ?? [])]
    .map((hours) => ({ open: minutesOf(hours.open), close: minutesOf(hours.close) }))
    .filter((hours) => hours.open < hours.close)
    .sort((a, b) => a.open - b.open);
  const merged: { open: number; close: number }[] = [];
  for (const interval of intervals) {
    const last = merged[merged.length - 1];
    if (last && interval.open <= last.close) last.close = Math.max(last.close, interval.close);
    else merged.push({ ...interval });
  }
  return merged.map((m) => ({ open: instantOf(calendar.timezone, date, m.open), close: instantOf(calendar.timezone, date, m.close) }));
}
