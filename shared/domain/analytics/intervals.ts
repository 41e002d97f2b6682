/**
 * Tenant-local calendar arithmetic for the analytics API, with nothing but Intl: where a local
 * day, week or hour starts as a UTC instant, including days of 23 and 25 hours at daylight-saving
 * changes and zones with half-hour or 45-minute offsets. Pure: no I/O, no clock.
 */

import { zonedWallClock } from '../wall-clock';

export type IntervalUnit = 'hour' | 'day' | 'week';

/** A half-open span of time [start, end), as epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: Weekday;
  /** Minutes the zone is ahead of UTC at that instant (New York in winter: -300). */
  offsetMinutes: number;
}

/** The wall-clock reading in `timeZone` at an instant (seconds dropped: every zone in use offsets by whole minutes). */
export function localTimeAt(instant: number, timeZone: string): LocalTime {
  const { year, month, day, hour, minute, weekday } = zonedWallClock(instant, timeZone);
  const wholeMinute = Math.floor(instant / minuteMs) * minuteMs;
  return {
    year,
    month,
    day,
    hour,
    minute,
    weekday,
    offsetMinutes: Math.round((Date.UTC(year, month - 1, day, hour, minute) - wholeMinute) / minuteMs),
  };
}

const offsetAt = (instant: number, timeZone: string) => localTimeAt(instant, timeZone).offsetMinutes * minuteMs;

/**
 * The first instant whose wall clock in `timeZone` reads `wall` (a local date-time written as if
 * it were UTC) or later. A time skipped by a spring-forward change answers the instant of the
 * change; a time that occurs twice (autumn) answers its first occurrence.
 */
export function firstInstantAtOrAfter(wall: number, timeZone: string): number {
  // Offsets change at most once within a day around any wall time, so these bracket the change.
  const before = offsetAt(wall - dayMs / 2, timeZone);
  const after = offsetAt(wall + dayMs / 2, timeZone);
  const candidates = [wall - before, wall - after].filter((instant) => instant + offsetAt(instant, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // A skipped wall time: the change happened between the two readings; find its minute.
  let low = Math.min(wall - before, wall - after);
  let high = Math.max(wall - before, wall - after);
  while (high - low > minuteMs) {
    const middle = low + Math.floor((high - low) / 2 / minuteMs) * minuteMs;
    if (middle + offsetAt(middle, timeZone) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

/** A local calendar date, `YYYY-MM-DD`, as a UTC-midnight millisecond count for arithmetic. */
const dateOnly = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);
const isoDateOf = (dateMs: number) => new Date(dateMs).toISOString().slice(0, 10);

/** The instant the local day `isoDate` (YYYY-MM-DD) begins in `timeZone`. */
export const startOfLocalDay = (isoDate: string, timeZone: string): number => firstInstantAtOrAfter(dateOnly(isoDate), timeZone);

/** The local date (YYYY-MM-DD) of an instant. */
export function localDateOf(instant: number, timeZone: string): string {
  const local = localTimeAt(instant, timeZone);
  return isoDateOf(Date.UTC(local.year, local.month - 1, local.day));
}

/** Adds days to a YYYY-MM-DD date. */
export const addDays = (isoDate: string, days: number): string => isoDateOf(dateOnly(isoDate) + days * dayMs);

/** The Monday on or before a YYYY-MM-DD date. */
export function mondayOnOrBefore(isoDate: string): string {
  const sundayIsZero = new Date(dateOnly(isoDate)).getUTCDay();
  return addDays(isoDate, -((sundayIsZero + 6) % 7));
}

/** Where each local hour, day or week (from Monday) begins, strictly inside (period.start, period.end). */
function calendarBoundaries(period: Span, unit: IntervalUnit, timeZone: string): number[] {
  const boundaries: number[] = [];
  if (unit === 'hour') {
    // Start from the local hour the period begins in; stepping an hour at a time meets every local
    // hour once, and both 01:00s of an autumn day, because the offset moves by whole hours there.
    const local = localTimeAt(period.start, timeZone);
    let boundary = Math.floor(period.start / minuteMs) * minuteMs - local.minute * minuteMs;
    while (boundary < period.end) {
      let next = boundary + hourMs;
      const minute = localTimeAt(next, timeZone).minute;
      // A change by a fraction of an hour (Lord Howe's 30 minutes) lands off the hour: realign.
      if (minute !== 0 && next - minute * minuteMs > boundary) next -= minute * minuteMs;
      if (next > period.start && next < period.end) boundaries.push(next);
      boundary = next;
    }
    return boundaries;
  }
  const firstDate = localDateOf(period.start, timeZone);
  let date = unit === 'week' ? mondayOnOrBefore(firstDate) : firstDate;
  for (;;) {
    date = addDays(date, unit === 'week' ? 7 : 1);
    const boundary = startOfLocalDay(date, timeZone);
    if (boundary >= period.end) return boundaries;
    if (boundary > period.start) boundaries.push(boundary);
  }
}

/**
 * The local hours, days or weeks that cover the period, in order, each clipped to it: a period
 * that starts mid-week begins with the rest of that week. Days are 23 or 25 hours long where the
 * clocks change; weeks start on Monday.
 */
export function intervalsOf(period: Span, unit: IntervalUnit, timeZone: string): Span[] {
  const edges = [period.start, ...calendarBoundaries(period, unit, timeZone), period.end];
  return edges.slice(0, -1).map((start, i) => ({ start, end: edges[i + 1]! }));
}

/** How many intervals `intervalsOf` would return, without building them: hours are at most (span / 1 h) + 2. */
export function intervalCountUpperBound(period: Span, unit: IntervalUnit): number {
  const length = period.end - period.start;
  if (unit === 'hour') return Math.ceil(length / hourMs) + 2;
  if (unit === 'day') return Math.ceil(length / (23 * hourMs)) + 1;
  return Math.ceil(length / (7 * 23 * hourMs)) + 1;
}

/** Formats an instant as an RFC 3339 date-time with the zone's offset there, e.g. 2026-11-01T01:00:00-05:00. */
export function toLocalIso(instant: number, timeZone: string): string {
  const local = localTimeAt(instant, timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const sign = local.offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(local.offsetMinutes);
  return (
    `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:${pad(Math.floor((instant % minuteMs) / 1000))}` +
    `${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
  );
}

/** The local weekday and hour an instant falls in: the heatmap's cell. */
export function weekdayHourOf(instant: number, timeZone: string): { weekday: Weekday; hour: number } {
  const { weekday, hour } = localTimeAt(instant, timeZone);
  return { weekday, hour };
}

const isDateOnly = (bound: string) => /^\d{4}-\d{2}-\d{2}$/.test(bound);

/**
 * The instants a period given as dates or instants spans: a date is a whole local day, so `from`
 * is its start and `to` (inclusive) ends at the start of the next day; an instant is taken as is,
 * `to` exclusive.
 */
export function resolvePeriod(from: string, to: string, timeZone: string): Span {
  return {
    start: isDateOnly(from) ? startOfLocalDay(from, timeZone) : Date.parse(from),
    end: isDateOnly(to) ? startOfLocalDay(addDays(to, 1), timeZone) : Date.parse(to),
  };
}
