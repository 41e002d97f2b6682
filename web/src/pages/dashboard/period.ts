import type { DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';

/**
 * Periods as the analytics routes read them: a pair of tenant-local calendar days (YYYY-MM-DD),
 * `to` included. "Today" is today in the tenant's time zone, not the browser's.
 */
export interface Period {
  from: string;
  to: string;
}

/** The API refuses a summary over more than 366 days. */
export const longestPeriodDays = 366;

/** Today's date in a time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A calendar date moved by whole days (calendar arithmetic: no time zone can shift it). */
export function addDays(date: string, days: number): string {
  const moved = new Date(`${date}T00:00:00Z`);
  moved.setUTCDate(moved.getUTCDate() + days);
  return moved.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysIn({ from, to }: Period): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export const relativeOptions: DateRangePickerProps.RelativeOption[] = [
  { key: 'today', amount: 1, unit: 'day', type: 'relative' },
  { key: 'yesterday', amount: 1, unit: 'day', type: 'relative' },
  { key: 'last-7-days', amount: 7, unit: 'day', type: 'relative' },
  { key: 'last-30-days', amount: 30, unit: 'day', type: 'relative' },
];

export const todayRange: DateRangePickerProps.RelativeValue = relativeOptions[0]!;

/** The days a picker's value stands for, in the tenant's time zone; null when it is incomplete. */
export function periodOf(value: DateRangePickerProps.Value | null, timeZone: string, now = new Date()): Period | null {
  if (!value) return null;
  if (value.type === 'absolute') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value.startDate) || !/^\d{4}-\d{2}-\d{2}$/.test(value.endDate)) return null;
    return value.startDate <= value.endDate ? { from: value.startDate, to: value.endDate } : { from: value.endDate, to: value.startDate };
  }
  const today = todayIn(timeZone, now);
  if (value.key === 'today') return { from: today, to: today };
  if (value.key === 'yesterday') return { from: addDays(today, -1), to: addDays(today, -1) };
  // "Last N days / weeks / months" ends today, today included.
  let from: string;
  if (value.unit === 'month' || value.unit === 'year') {
    const months = value.unit === 'year' ? value.amount * 12 : value.amount;
    const start = new Date(`${today}T00:00:00Z`);
    start.setUTCMonth(start.getUTCMonth() - months);
    from = addDays(start.toISOString().slice(0, 10), 1);
  } else {
    const days = value.unit === 'week' ? value.amount * 7 : value.unit === 'day' ? value.amount : 1;
    from = addDays(today, -(days - 1));
  }
  return { from, to: today };
}

export type Interval = 'hour' | 'day' | 'week';

/** Hours for a day or two, days up to two months, weeks beyond: a few dozen bars at most. */
export function intervalFor(period: Period): Interval {
  const days = daysIn(period);
  if (days <= 2) return 'hour';
  if (days <= 62) return 'day';
  return 'week';
}
