/**
 * How counter rows become the answers of the analytics API: which rows a period holds, the
 * limits of a request, a metric's points per local interval and the weekday × hour heatmap, each
 * on the tenant's calendar with its daylight-saving days (./intervals). Pure: the analytics
 * function reads the rows and answers what these give.
 */
import type { FieldError } from '../errors';
import type { CounterRow, Dimension } from './counters';
import { type IntervalUnit, type Span, intervalCountUpperBound, intervalsOf, toLocalIso, weekdayHourOf, weekdays } from './intervals';
import { type MetricName, type ServiceLevelGoal, metricValue, ratio, sumCounters } from './metrics';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
export const maxPeriodDays = 366;
export const maxIntervals = 2000;
/** Points in one grouped timeseries, over every series: keeps the answer within a Lambda response (6 MB). */
export const maxGroupedPoints = 20_000;

/** Why a resolved period cannot be asked for, or undefined when it can. */
export function periodError(period: Span): FieldError | undefined {
  if (period.end <= period.start) return { path: 'query.to', message: 'Must be after from' };
  // A year of days may hold one extra hour from a daylight-saving change.
  if (period.end - period.start > maxPeriodDays * dayMs + hourMs) return { path: 'query.to', message: `The period may span at most ${maxPeriodDays} days` };
  return undefined;
}

/** The period's local intervals, or the error when there are more than maxIntervals. */
export function boundedIntervals(period: Span, unit: IntervalUnit, timezone: string): { intervals: Span[] } | { error: FieldError } {
  const tooMany = { error: { path: 'query.interval', message: `At most ${maxIntervals} intervals per request: shorten the period or use a longer interval` } };
  if (intervalCountUpperBound(period, unit) > maxIntervals + 2) return tooMany;
  const intervals = intervalsOf(period, unit, timezone);
  return intervals.length > maxIntervals ? tooMany : { intervals };
}

/** Rows whose 30-minute slot starts inside the period: a slot belongs wholly to where it starts. */
export const rowsStartingIn = (rows: readonly CounterRow[], period: Span): CounterRow[] =>
  rows.filter((row) => {
    const slotStart = Date.parse(row.slotStart);
    return slotStart >= period.start && slotStart < period.end;
  });

/** Rows grouped by their dimension value, the values in order. */
export function rowsByValue(rows: readonly CounterRow[]): Map<string, CounterRow[]> {
  const byValue = new Map<string, CounterRow[]>();
  for (const row of [...rows].sort((a, b) => a.value.localeCompare(b.value))) {
    const group = byValue.get(row.value);
    if (group) group.push(row);
    else byValue.set(row.value, [row]);
  }
  return byValue;
}

/** Index of the interval holding an instant; intervals are ordered, contiguous and cover it. */
export function intervalIndexOf(intervals: readonly Span[], instant: number): number {
  let low = 0;
  let high = intervals.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (intervals[middle]!.start <= instant) low = middle;
    else high = middle - 1;
  }
  return low;
}

export interface SeriesPoint {
  start: string;
  end: string;
  value: number | null;
}

/**
 * A metric per interval, labelled with local start and end times: each row goes to the interval
 * its slot starts in. Build it once per request; it gives the points of any rows.
 */
export function seriesOf(metric: MetricName, intervals: readonly Span[], timezone: string, goal: ServiceLevelGoal) {
  const labels = intervals.map((interval) => ({ start: toLocalIso(interval.start, timezone), end: toLocalIso(interval.end, timezone) }));
  return (rows: readonly CounterRow[], dimension: Dimension): SeriesPoint[] => {
    const perInterval = intervals.map(() => [] as CounterRow[]);
    for (const row of rows) perInterval[intervalIndexOf(intervals, Date.parse(row.slotStart))]!.push(row);
    return labels.map((label, i) => ({ ...label, value: metricValue(metric, sumCounters(perInterval[i]!), goal, dimension) }));
  };
}

/**
 * Offered contacts per local weekday and hour, averaged over how often that hour occurred in the
 * period: a local hour that occurs twice (the autumn 01:00) counts twice; one that is skipped,
 * not at all.
 */
export function heatmapOf(period: Span, rows: readonly CounterRow[], timezone: string) {
  const cells = weekdays.flatMap((weekday) => Array.from({ length: 24 }, (_, hour) => ({ weekday, hour, offered: 0, occurrences: 0 })));
  const cellOf = (instant: number) => {
    const { weekday, hour } = weekdayHourOf(instant, timezone);
    return cells[weekdays.indexOf(weekday) * 24 + hour]!;
  };
  for (const hour of intervalsOf(period, 'hour', timezone)) cellOf(hour.start).occurrences += 1;
  for (const row of rows) cellOf(Date.parse(row.slotStart)).offered += row.counters.offered ?? 0;
  return cells.map((cell) => ({ ...cell, averageOffered: ratio(cell.offered, cell.occurrences) }));
}

/** The period as the answers state it: local start and end, and the zone. */
export const periodOut = (period: Span, timezone: string) => ({
  from: toLocalIso(period.start, timezone),
  to: toLocalIso(period.end, timezone),
  timezone,
});
