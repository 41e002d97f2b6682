import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CounterRow } from '../../shared/domain/analytics/counters';
import { resolvePeriod } from '../../shared/domain/analytics/intervals';
import { summarize, sumCounters } from '../../shared/domain/analytics/metrics';
import { rowsStartingIn } from '../../shared/domain/analytics/series';
import { isLateCount, lateAfterMs, planPeriodReads, rowsOfRollup, settledAfterMs, sumByValue, unitSpan, utcDaysOf } from '../../shared/domain/analytics/rollups';
import { requestWeightOf } from '../../shared/http/rate-limit';

const hour = 3_600_000;
const day = 24 * hour;
const newYork = 'America/New_York';

describe('planPeriodReads', () => {
  it('reads a settled year as its edge days and eleven whole months, and nothing from slots', () => {
    const period = resolvePeriod('2025-12-05', '2026-12-04', newYork);
    const plan = planPeriodReads(period, newYork, Date.parse('2026-12-05T12:00:00Z'));

    expect(plan.slotSpans).toEqual([]);
    const labels = plan.units.map((unit) => (unit.kind === 'day' ? unit.date : unit.month));
    expect(labels).toEqual([
      ...Array.from({ length: 27 }, (_, i) => `2025-12-${String(5 + i).padStart(2, '0')}`),
      ...Array.from({ length: 11 }, (_, i) => `2026-${String(1 + i).padStart(2, '0')}`),
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
    ]);
  });

  it('reads today, and yesterday until it has been over for three hours, from slots', () => {
    const period = resolvePeriod('2026-11-28', '2026-12-05', newYork);
    // 02:00 in New York on 5 December: 4 December ended two hours ago.
    const plan = planPeriodReads(period, newYork, Date.parse('2026-12-05T07:00:00Z'));

    expect(plan.units.map((unit) => (unit.kind === 'day' ? unit.date : unit.month))).toEqual(['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
    expect(plan.slotSpans).toEqual([{ start: Date.parse('2026-12-04T05:00:00Z'), end: Date.parse('2026-12-06T05:00:00Z') }]);
  });

  it('reads the partial days of a period given as instants from slots', () => {
    const period = { start: Date.parse('2026-03-01T17:30:00Z'), end: Date.parse('2026-05-02T12:00:00Z') };
    const plan = planPeriodReads(period, 'UTC', Date.parse('2026-12-05T12:00:00Z'));

    expect(plan.slotSpans).toEqual([
      { start: period.start, end: Date.parse('2026-03-02T00:00:00Z') },
      { start: Date.parse('2026-05-02T00:00:00Z'), end: period.end },
    ]);
    expect(plan.units[0]).toEqual({ kind: 'day', date: '2026-03-02' });
    expect(plan.units.filter((unit) => unit.kind === 'month')).toEqual([{ kind: 'month', month: '2026-04' }]);
  });

  it('covers every instant of any period exactly once, with settled whole days and months only', () => {
    const zones = ['UTC', newYork, 'Asia/Kolkata', 'Australia/Adelaide', 'Asia/Kathmandu', 'Australia/Lord_Howe'];
    const start = Date.parse('2024-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 800 * 48 }),
        fc.integer({ min: 1, max: 366 * 48 }),
        fc.integer({ min: -30 * 48, max: 400 * 48 }),
        fc.boolean(),
        (zone, startSlot, lengthSlots, nowSlots, asDates) => {
          const instantPeriod = { start: start + startSlot * 1_800_000, end: start + (startSlot + lengthSlots) * 1_800_000 };
          const period = asDates
            ? resolvePeriod(new Date(instantPeriod.start).toISOString().slice(0, 10), new Date(instantPeriod.end).toISOString().slice(0, 10), zone)
            : instantPeriod;
          const now = period.start + nowSlots * 1_800_000;
          const plan = planPeriodReads(period, zone, now);
          const parts = [...plan.slotSpans, ...plan.units.map((unit) => unitSpan(unit, zone))].sort((a, b) => a.start - b.start);
          expect(parts[0]!.start).toBe(period.start);
          expect(parts.at(-1)!.end).toBe(period.end);
          for (let i = 1; i < parts.length; i++) expect(parts[i]!.start).toBe(parts[i - 1]!.end);
          for (const unit of plan.units) expect(unitSpan(unit, zone).end).toBeLessThanOrEqual(now - settledAfterMs);
          // A year reads at most 12 months and the days at its two edges.
          expect(plan.units.length).toBeLessThanOrEqual(13 + 62);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a summary from rollups', () => {
  it('sums to exactly what summing every slot row gives, for random rows, periods, zones and times', () => {
    const origin = Date.parse('2025-06-01T00:00:00Z');
    const row = fc.record({
      slot: fc.integer({ min: 0, max: 200 * 48 }),
      value: fc.constantFrom('billing', 'support', 'sales'),
      offered: fc.integer({ min: 1, max: 5 }),
      waitSecondsAnswered: fc.integer({ min: 0, max: 500 }),
      answeredWithin20: fc.integer({ min: 0, max: 1 }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom('UTC', newYork, 'Asia/Kathmandu', 'Australia/Adelaide', 'Australia/Lord_Howe'),
        fc.array(row, { maxLength: 80 }),
        fc.integer({ min: 0, max: 150 * 48 }),
        fc.integer({ min: 1, max: 120 * 48 }),
        fc.integer({ min: 0, max: 250 * 48 }),
        (zone, generated, startSlot, lengthSlots, nowSlot) => {
          const rows: CounterRow[] = generated.map(({ slot, value, ...counters }) => ({
            slotStart: new Date(origin + slot * 1_800_000).toISOString(),
            dimension: 'queue',
            value,
            counters: { queued: counters.offered, ...counters },
          }));
          const period = { start: origin + startSlot * 1_800_000, end: origin + (startSlot + lengthSlots) * 1_800_000 };
          const plan = planPeriodReads(period, zone, origin + nowSlot * 1_800_000);
          const fromParts = [
            ...plan.slotSpans.flatMap((span) => rowsStartingIn(rows, span)),
            ...plan.units.flatMap((unit) => {
              const span = unitSpan(unit, zone);
              return rowsOfRollup(sumByValue(rowsStartingIn(rows, span)), 'queue', span.start);
            }),
          ];
          const goal = { targetPercent: 80, thresholdSeconds: 20 } as const;
          expect(summarize(sumCounters(fromParts), goal, 'queue', null)).toEqual(summarize(sumCounters(rowsStartingIn(rows, period)), goal, 'queue', null));
          for (const value of ['billing', 'support', 'sales']) {
            expect(sumCounters(fromParts.filter((r) => r.value === value))).toEqual(sumCounters(rowsStartingIn(rows, period).filter((r) => r.value === value)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('late counts', () => {
  it('an event counted more than two hours after its slot began is late; a settled day has ended three hours ago, later than any unmarked event', () => {
    const now = Date.parse('2026-12-05T12:00:00Z');
    expect(isLateCount('2026-12-05T09:59:00Z', now)).toBe(true);
    expect(isLateCount('2026-12-05T10:01:00Z', now)).toBe(false);
    expect(settledAfterMs - lateAfterMs).toBeGreaterThanOrEqual(hour);
  });

  it('names the UTC days a local span touches', () => {
    expect(utcDaysOf({ start: Date.parse('2026-11-01T04:00:00Z'), end: Date.parse('2026-11-02T05:00:00Z') })).toEqual(['2026-11-01', '2026-11-02']);
    expect(utcDaysOf({ start: Date.parse('2026-11-01T00:00:00Z'), end: Date.parse('2026-11-01T00:00:00Z') + day })).toEqual(['2026-11-01']);
  });
});

describe('requestWeightOf', () => {
  it('counts a request as one until its reads pass 25 requests and items, then one more per 25', () => {
    expect(requestWeightOf({ requests: 1, items: 1 })).toBe(1);
    expect(requestWeightOf({ requests: 5, items: 20 })).toBe(1);
    expect(requestWeightOf({ requests: 5, items: 21 })).toBe(2);
    // The 366-day summary of before rollups: ~1,468 Queries and every slot item of the year.
    expect(requestWeightOf({ requests: 1_468, items: 20_000 })).toBe(859);
  });
});
