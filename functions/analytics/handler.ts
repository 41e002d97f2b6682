import type { CounterRow, Dimension } from '../../shared/domain/analytics/counters';
import {
  type IntervalUnit,
  type Span,
  addDays,
  intervalCountUpperBound,
  intervalsOf,
  localDateOf,
  resolvePeriod,
  toLocalIso,
  weekdayHourOf,
  weekdays,
} from '../../shared/domain/analytics/intervals';
import { type ServiceLevelGoal, countedFor, metricValue, ratio, sumCounters, summarize } from '../../shared/domain/analytics/metrics';
import { readCounterRows, readOpenCaseCount } from '../../shared/data/analytics-repo';
import { getSettings } from '../../shared/data/tenants-repo';
import { resolveAnalyticsSettings } from '../../shared/domain/settings';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { notFound, validationFailed } from '../../shared/http/problem';
import { analyticsRoutes } from '../../shared/http/routes/analytics';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
export const maxPeriodDays = 366;
export const maxIntervals = 2000;
/** Points in one grouped timeseries, over every series: keeps the answer within a Lambda response (6 MB). */
export const maxGroupedPoints = 20_000;

export const handler = createApiHandler('analytics', analyticsRoutes, {
  async getAnalyticsSummary(request) {
    const { tenantId, query } = request;
    const { timezone, goal } = await tenantAnalytics(tenantId);
    const period = checkedPeriod(query.from, query.to, timezone);
    const [allRows, groupRows, backlog] = await Promise.all([
      rowsIn(tenantId, 'all', period),
      query.groupBy ? rowsIn(tenantId, query.groupBy, period) : Promise.resolve([]),
      readOpenCaseCount(tenantId),
    ]);
    const groups = query.groupBy
      ? [...rowsByValue(groupRows)].map(([value, rows]) => ({ value, metrics: summarize(sumCounters(rows), goal, query.groupBy!, null) }))
      : undefined;
    return {
      status: 200,
      body: {
        period: periodOut(period, timezone),
        ...(query.groupBy && { groupBy: query.groupBy }),
        metrics: summarize(sumCounters(allRows), goal, 'all', backlog),
        ...(groups && { groups }),
      },
    };
  },

  async getAnalyticsTimeseries(request) {
    const { tenantId, query } = request;
    const { timezone, goal } = await tenantAnalytics(tenantId);
    const period = checkedPeriod(query.from, query.to, timezone);
    if (query.groupBy && !countedFor(query.metric, query.groupBy)) {
      throw validationFailed([{ path: 'query.groupBy', message: `${query.metric} is not counted per ${query.groupBy}: its events do not carry one (docs/metrics.md)` }]);
    }
    const intervals = checkedIntervals(period, query.interval, timezone);
    const [allRows, groupRows] = await Promise.all([
      rowsIn(tenantId, 'all', period),
      query.groupBy ? rowsIn(tenantId, query.groupBy, period) : Promise.resolve([]),
    ]);
    const labels = intervals.map((interval) => ({ start: toLocalIso(interval.start, timezone), end: toLocalIso(interval.end, timezone) }));
    const pointsOf = (rows: CounterRow[], dimension: Dimension) => {
      const perInterval = intervals.map(() => [] as CounterRow[]);
      for (const row of rows) perInterval[intervalIndexOf(intervals, Date.parse(row.slotStart))]!.push(row);
      return labels.map((label, i) => ({ ...label, value: metricValue(query.metric, sumCounters(perInterval[i]!), goal, dimension) }));
    };
    const groups = rowsByValue(groupRows);
    if ((groups.size + 1) * intervals.length > maxGroupedPoints) {
      throw validationFailed([
        {
          path: 'query.groupBy',
          message: `${groups.size} ${query.groupBy} values × ${intervals.length} intervals is more than ${maxGroupedPoints} points: shorten the period or use a longer interval`,
        },
      ]);
    }
    const series = query.groupBy
      ? [...groups].map(([value, rows]) => ({ value, points: pointsOf(rows, query.groupBy!) }))
      : undefined;
    return {
      status: 200,
      body: {
        period: periodOut(period, timezone),
        metric: query.metric,
        interval: query.interval,
        ...(query.groupBy && { groupBy: query.groupBy }),
        points: pointsOf(allRows, 'all'),
        ...(series && { series }),
      },
    };
  },

  async getAnalyticsHeatmap(request) {
    const { tenantId, query } = request;
    const { timezone } = await tenantAnalytics(tenantId);
    const today = localDateOf(Date.now(), timezone);
    const period = checkedPeriod(query.from ?? addDays(today, -28), query.to ?? addDays(today, -1), timezone);
    const cells = weekdays.flatMap((weekday) => Array.from({ length: 24 }, (_, hour) => ({ weekday, hour, offered: 0, occurrences: 0 })));
    const cellOf = (instant: number) => {
      const { weekday, hour } = weekdayHourOf(instant, timezone);
      return cells[weekdays.indexOf(weekday) * 24 + hour]!;
    };
    // A local hour that occurs twice (the autumn 01:00) counts twice; one that is skipped, not at all.
    for (const hour of intervalsOf(period, 'hour', timezone)) cellOf(hour.start).occurrences += 1;
    for (const row of await rowsIn(tenantId, 'all', period)) cellOf(Date.parse(row.slotStart)).offered += row.counters.offered ?? 0;
    return {
      status: 200,
      body: {
        period: periodOut(period, timezone),
        cells: cells.map((cell) => ({ ...cell, averageOffered: ratio(cell.offered, cell.occurrences) })),
      },
    };
  },
}, { requestLimit: tenantRequestLimit });

async function tenantAnalytics(tenantId: string): Promise<{ timezone: string; goal: ServiceLevelGoal }> {
  const settings = await getSettings(tenantId);
  if (!settings) throw notFound('The tenant has no settings');
  return { timezone: settings.timezone, goal: resolveAnalyticsSettings(settings).serviceLevel as ServiceLevelGoal };
}

function checkedPeriod(from: string, to: string, timezone: string): Span {
  const period = resolvePeriod(from, to, timezone);
  if (period.end <= period.start) throw validationFailed([{ path: 'query.to', message: 'Must be after from' }]);
  // A year of days may hold one extra hour from a daylight-saving change.
  if (period.end - period.start > maxPeriodDays * dayMs + hourMs) {
    throw validationFailed([{ path: 'query.to', message: `The period may span at most ${maxPeriodDays} days` }]);
  }
  return period;
}

function checkedIntervals(period: Span, unit: IntervalUnit, timezone: string): Span[] {
  const tooMany = () =>
    validationFailed([
      { path: 'query.interval', message: `At most ${maxIntervals} intervals per request: shorten the period or use a longer interval` },
    ]);
  if (intervalCountUpperBound(period, unit) > maxIntervals + 2) throw tooMany();
  const intervals = intervalsOf(period, unit, timezone);
  if (intervals.length > maxIntervals) throw tooMany();
  return intervals;
}

/** Rows whose 30-minute slot starts inside the period: a slot belongs wholly to where it starts. */
async function rowsIn(tenantId: string, dimension: Dimension, period: Span): Promise<CounterRow[]> {
  const rows = await readCounterRows(tenantId, dimension, new Date(period.start), new Date(period.end));
  return rows.filter((row) => {
    const slotStart = Date.parse(row.slotStart);
    return slotStart >= period.start && slotStart < period.end;
  });
}

function rowsByValue(rows: CounterRow[]): Map<string, CounterRow[]> {
  const byValue = new Map<string, CounterRow[]>();
  for (const row of [...rows].sort((a, b) => a.value.localeCompare(b.value))) {
    const group = byValue.get(row.value);
    if (group) group.push(row);
    else byValue.set(row.value, [row]);
  }
  return byValue;
}

/** Index of the interval holding an instant; intervals are ordered, contiguous and cover it. */
function intervalIndexOf(intervals: Span[], instant: number): number {
  let low = 0;
  let high = intervals.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (intervals[middle]!.start <= instant) low = middle;
    else high = middle - 1;
  }
  return low;
}

const periodOut = (period: Span, timezone: string) => ({
  from: toLocalIso(period.start, timezone),
  to: toLocalIso(period.end, timezone),
  timezone,
});
