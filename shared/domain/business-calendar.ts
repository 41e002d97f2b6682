/**
 * The tenant's business calendar: weekly opening hours (settings.businessHours) and the dates
 * whose hours differ (settings.specialDays: holidays that close, days with shorter or longer
 * hours), on the tenant's wall clock. Business-time SLAs, staffing and survey quiet hours read
 * it through `openingsOn`, so a date means the same everywhere. Definitions: docs/api.md,
 * "Business hours and calendar".
 */
import { zonedWallClock } from './wall-clock';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** `HH:MM`, 24-hour; `24:00` is the end of the day (a close only). */
export type OpeningHours = { open: string; close: string };

/** A date (YYYY-MM-DD, tenant-local) whose hours replace the weekday's: `hours: []` closes it. */
export interface SpecialDay {
  date: string;
  name: string;
  hours: OpeningHours[];
}

/** Where business time is counted: the tenant's time zone, weekly opening hours and special days. */
export interface BusinessCalendar {
  timezone: string;
  businessHours: Record<Weekday, OpeningHours[]>;
  /** Absent for tenants (and callers) from before the calendar: the weekly hours alone. */
  specialDays?: readonly SpecialDay[];
}

/** The calendar a tenant's settings describe. */
export const businessCalendarOf = (settings: {
  timezone: string;
  businessHours: Record<Weekday, OpeningHours[]>;
  specialDays?: readonly SpecialDay[];
}): BusinessCalendar => ({ timezone: settings.timezone, businessHours: settings.businessHours, specialDays: settings.specialDays ?? [] });

// ---------------------------------------------------------------- validation

/** `HH:MM` from 00:00 to 23:59, or `24:00`. */
export const timeOfDayPattern = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** Whether `value` is a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const midnight = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(midnight) && new Date(midnight).toISOString().startsWith(value);
}

/**
 * The intervals of one day that overlap another of that day, in order, each with the indexes of
 * those it overlaps. Touching intervals (`09:00–12:00`, `12:00–13:00`) do not overlap. Intervals
 * whose open is not before their close are left to the check of each interval.
 */
export function overlappingIntervals(hours: readonly OpeningHours[]): { index: number; overlaps: number[] }[] {
  const proper = (interval: OpeningHours) => interval.open < interval.close;
  return hours
    .map((a, index) => ({
      index,
      overlaps: proper(a) ? hours.flatMap((b, other) => (other !== index && proper(b) && a.open < b.close && b.open < a.close ? [other] : [])) : [],
    }))
    .filter((interval) => interval.overlaps.length > 0);
}

/** The indexes of the special days whose date an earlier entry already has. */
export function repeatedDates(days: readonly Pick<SpecialDay, 'date'>[]): number[] {
  const seen = new Set<string>();
  const repeated: number[] = [];
  days.forEach((day, i) => {
    if (seen.has(day.date)) repeated.push(i);
    seen.add(day.date);
  });
  return repeated;
}

// ---------------------------------------------------------------- the calendar's days

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}
export interface WallClock extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

const weekdays: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

export const isoDate = (date: LocalDate) =>
  `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

export const parseIsoDate = (value: string): LocalDate => ({
  year: Number(value.slice(0, 4)),
  month: Number(value.slice(5, 7)),
  day: Number(value.slice(8, 10)),
});

/** The special day of `date`, if the calendar has one. */
export function specialDayOn(date: LocalDate, calendar: BusinessCalendar): SpecialDay | undefined {
  if (!calendar.specialDays?.length) return undefined;
  const iso = isoDate(date);
  return calendar.specialDays.find((day) => day.date === iso);
}

/** Whether the calendar closes `date` as a special day (a holiday), whatever its weekday. */
export const isClosedSpecialDay = (date: LocalDate, calendar: BusinessCalendar): boolean => specialDayOn(date, calendar)?.hours.length === 0;

/** A day's opening hours as minutes of the local day, in order, overlapping ones merged: the special day's, else the weekday's. */
export function openingMinutesOn(date: LocalDate, calendar: BusinessCalendar): { open: number; close: number }[] {
  const hours = specialDayOn(date, calendar)?.hours ?? calendar.businessHours[weekdayOf(date)] ?? [];
  const intervals = hours
    .map((interval) => ({ open: minutesOf(interval.open), close: minutesOf(interval.close) }))
    .filter((interval) => interval.open < interval.close)
    .sort((a, b) => a.open - b.open);
  const merged: { open: number; close: number }[] = [];
  for (const interval of intervals) {
    const last = merged[merged.length - 1];
    if (last && interval.open <= last.close) last.close = Math.max(last.close, interval.close);
    else merged.push({ ...interval });
  }
  return merged;
}

/** A day's opening intervals as instants `[open, close)`, in order; `24:00` is the next day's midnight. */
export function openingsOn(date: LocalDate, calendar: BusinessCalendar): { open: number; close: number }[] {
  return openingMinutesOn(date, calendar).map((m) => ({
    open: instantOf(calendar.timezone, date, m.open),
    close: instantOf(calendar.timezone, date, m.close),
  }));
}

/** Whether the calendar ever opens: some weekday has hours. Special days alone do not make a week. */
export const hasWeeklyOpeningHours = (calendar: BusinessCalendar) => Object.values(calendar.businessHours).some((day) => day.length > 0);

// ---------------------------------------------------------------- time zone arithmetic

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
 * as far past the gap as it was into it. Minute 1440 (`24:00`) is the next day's midnight.
 */
export function instantOf(timezone: string, date: LocalDate, minuteOfDay: number, second = 0): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay, second);
  const before = wall - offsetAt(wall - dayMs, timezone);
  const after = wall - offsetAt(wall + dayMs, timezone);
  const valid = [before, after].filter((candidate) => candidate + offsetAt(candidate, timezone) === wall);
  return valid.length > 0 ? Math.min(...valid) : before;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

export const weekdayOf = (date: LocalDate): Weekday => weekdays[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()]!;

export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
