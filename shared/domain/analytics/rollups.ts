/**
 * Rollups: the sums of a tenant's counter rows over a whole local day or month, in the tenant's
 * time zone, so that a long period reads one item per month instead of every 30-minute slot
 * (docs/developers/data-model.md, "Analytics rollups"; docs/developers/performance.md). Pure: which parts of a period
 * are read from slots, days and months, and when a day is settled enough to be rolled up.
 *
 * Rollups are made when first read, never at aggregation time, so counting an event costs no
 * extra write (issue 15 cuts the writes of a contact's lifecycle), and a tenant that changes its
 * time zone simply gets new rollups for the new zone. A day is rolled up only once it ended
 * `settledAfterMs` ago; an event counted later than `lateAfterMs` after its slot began is
 * recorded as late, which invalidates the rollups of its UTC day. Because settledAfterMs −
 * lateAfterMs is far longer than a transaction or any clock skew, every event of a settled day
 * that is not marked late was stored before the day was rolled up.
 */
import type { CounterRow, Counters, Dimension } from './counters';
import { type Span, addDays, localDateOf, startOfLocalDay } from './intervals';

const hourMs = 3_600_000;

/** An event counted this long after its slot began is late: it invalidates the rollups of its UTC day. */
export const lateAfterMs = 2 * hourMs;
/** A local day (and a month) is rolled up once it ended this long ago; the rest of a period is read from slots. */
export const settledAfterMs = 3 * hourMs;

/** Whether an event whose counters go to the slot of `at`, counted at `now`, is late (see lateAfterMs). */
export const isLateCount = (at: Date | string, now: number): boolean => new Date(at).getTime() < now - lateAfterMs;

/** A local day `YYYY-MM-DD` or month `YYYY-MM` of the tenant's calendar. */
export type RollupUnit = { kind: 'day'; date: string } | { kind: 'month'; month: string };

export interface PeriodReads {
  /** Read from the 30-minute slot counters: partial days at the edges and the days not yet settled. */
  slotSpans: Span[];
  /** Whole settled local days and months, in order, read from rollups. */
  units: RollupUnit[];
}

const monthOf = (date: string) => date.slice(0, 7);
const firstOfNextMonth = (month: string) => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthNumber === 12 ? `${year + 1}-01-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}-01`;
};

/** The instants a rollup unit spans in the tenant's zone. */
export function unitSpan(unit: RollupUnit, timeZone: string): Span {
  if (unit.kind === 'day') return { start: startOfLocalDay(unit.date, timeZone), end: startOfLocalDay(addDays(unit.date, 1), timeZone) };
  return { start: startOfLocalDay(`${unit.month}-01`, timeZone), end: startOfLocalDay(firstOfNextMonth(unit.month), timeZone) };
}

/** The local dates of a month, in order. */
export function datesOfMonth(month: string): string[] {
  const dates: string[] = [];
  for (let date = `${month}-01`; monthOf(date) === month; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/**
 * How a period is read: its whole local days that ended at least settledAfterMs before `now`
 * from rollups (whole months as one unit), everything else from slots. Each slot of the period
 * is in exactly one part, so the sums are the same whichever way a part is read.
 */
export function planPeriodReads(period: Span, timeZone: string, now: number): PeriodReads {
  const settledUntil = startOfLocalDay(localDateOf(now - settledAfterMs, timeZone), timeZone);
  const startDate = localDateOf(period.start, timeZone);
  let date = startOfLocalDay(startDate, timeZone) >= period.start ? startDate : addDays(startDate, 1);
  const firstDayStart = startOfLocalDay(date, timeZone);
  const dates: string[] = [];
  let wholeDaysEnd = firstDayStart;
  for (;;) {
    const end = startOfLocalDay(addDays(date, 1), timeZone);
    if (end > period.end || end > settledUntil) break;
    dates.push(date);
    wholeDaysEnd = end;
    date = addDays(date, 1);
  }
  if (dates.length === 0) return { slotSpans: [period], units: [] };
  const slotSpans = [
    { start: period.start, end: firstDayStart },
    { start: wholeDaysEnd, end: period.end },
  ].filter((span) => span.end > span.start);
  return { slotSpans, units: unitsOf(dates) };
}

/** Contiguous dates as whole months where every day of the month is there, single days elsewhere. */
function unitsOf(dates: readonly string[]): RollupUnit[] {
  const present = new Set(dates);
  const units: RollupUnit[] = [];
  for (let i = 0; i < dates.length; ) {
    const month = monthOf(dates[i]!);
    const monthDates = datesOfMonth(month);
    if (dates[i] === monthDates[0] && present.has(monthDates.at(-1)!)) {
      units.push({ kind: 'month', month });
      i += monthDates.length;
    } else {
      units.push({ kind: 'day', date: dates[i]! });
      i += 1;
    }
  }
  return units;
}

/** The UTC days (YYYY-MM-DD) whose slots a span touches: a late event on one of them may change the span's sums. */
export function utcDaysOf(span: Span): string[] {
  const days: string[] = [];
  const dayMs = 24 * hourMs;
  for (let day = Math.floor(span.start / dayMs) * dayMs; day < span.end; day += dayMs) days.push(new Date(day).toISOString().slice(0, 10));
  return days;
}

/** Per dimension value, the counters of rows summed: what a rollup holds. */
export function sumByValue(rows: readonly Pick<CounterRow, 'value' | 'counters'>[]): Record<string, Counters> {
  const byValue: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    const totals = (byValue[row.value] ??= {});
    for (const [name, amount] of Object.entries(row.counters)) {
      if (typeof amount === 'number') totals[name] = (totals[name] ?? 0) + amount;
    }
  }
  return byValue as Record<string, Counters>;
}

/** A rollup's sums as counter rows dated at the unit's start, for the same summing as slot rows. */
export const rowsOfRollup = (sums: Record<string, Counters>, dimension: Dimension, start: number): CounterRow[] =>
  Object.entries(sums).map(([value, counters]) => ({ slotStart: new Date(start).toISOString(), dimension, value, counters }));
