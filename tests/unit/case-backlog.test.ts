import { describe, expect, it } from 'vitest';
import { ageBandOf, backlogEntryOf, backlogFigures, counterMoves, hourOf, listedDeadline } from '../../shared/domain/analytics/case-backlog';
import { wordsOf } from '../../shared/domain/analytics/survey-words';

const clock = (dueAt: string, extra: { metAt?: string; breachedAt?: string } = {}) => ({ startedAt: '2026-03-01T00:00:00.000Z', dueAt, ...extra });
const sla = (firstResponse: ReturnType<typeof clock>, resolution: ReturnType<typeof clock>) => ({ firstResponse, resolution });

describe('the case backlog rules', () => {
  it('lists a case by its missed deadline first, else by the one it still has to meet', () => {
    const running = sla(clock('2026-03-01T04:00:00.000Z'), clock('2026-03-16T00:00:00.000Z'));
    expect(listedDeadline({ sla: running })).toEqual({ list: 'running', kind: 'firstResponse', dueAt: '2026-03-01T04:00:00.000Z' });
    const responded = sla(clock('2026-03-01T04:00:00.000Z', { metAt: '2026-03-01T01:00:00.000Z' }), clock('2026-03-16T00:00:00.000Z'));
    expect(listedDeadline({ sla: responded })).toEqual({ list: 'running', kind: 'resolution', dueAt: '2026-03-16T00:00:00.000Z' });
    const missedResolution = sla(clock('2026-03-01T04:00:00.000Z', { metAt: '2026-03-01T01:00:00.000Z' }), clock('2026-03-16T00:00:00.000Z', { breachedAt: '2026-03-16T00:00:00.000Z' }));
    expect(listedDeadline({ sla: missedResolution })).toEqual({ list: 'breached', kind: 'resolution', dueAt: '2026-03-16T00:00:00.000Z' });
    const bothMet = sla(clock('2026-03-01T04:00:00.000Z', { metAt: '2026-03-01T01:00:00.000Z' }), clock('2026-03-16T00:00:00.000Z', { metAt: '2026-03-02T00:00:00.000Z' }));
    expect(listedDeadline({ sla: bothMet })).toBeUndefined();
  });

  it('counts only unresolved cases, by the hour they were opened', () => {
    const running = sla(clock('2026-03-01T04:00:00.000Z'), clock('2026-03-16T00:00:00.000Z'));
    expect(backlogEntryOf({ status: 'resolved', openedAt: '2026-03-01T00:10:00.000Z', sla: running })).toBeUndefined();
    expect(backlogEntryOf({ status: 'in_progress', openedAt: '2026-03-01T08:59:59+08:00', sla: running })).toMatchObject({ status: 'in_progress', openedHour: '2026-03-01T00:00:00.000Z' });
    expect(hourOf('2026-03-01T23:30:00.000Z')).toBe('2026-03-01T23:00:00.000Z');
  });

  it('moves a counter only when the status or the opening hour changes', () => {
    const open = { status: 'open' as const, openedHour: '2026-03-01T00:00:00.000Z' };
    expect(counterMoves(undefined, open)).toEqual([{ ...open, delta: 1 }]);
    expect(counterMoves(open, { ...open, deadline: { list: 'breached', kind: 'firstResponse', dueAt: '2026-03-01T04:00:00.000Z' } })).toEqual([]);
    expect(counterMoves(open, { ...open, status: 'in_progress' })).toEqual([
      { ...open, delta: -1 },
      { ...open, status: 'in_progress', delta: 1 },
    ]);
    expect(counterMoves(open, undefined)).toEqual([{ ...open, delta: -1 }]);
  });

  it('ages a case from the end of its opening hour, never older than it is', () => {
    const opened = '2026-03-01T10:00:00.000Z';
    const at = (iso: string) => ageBandOf(opened, Date.parse(iso));
    expect(at('2026-03-02T10:30:00.000Z')).toBe('day');
    expect(at('2026-03-02T11:00:00.000Z')).toBe('days3');
    expect(at('2026-03-04T11:00:00.000Z')).toBe('week');
    expect(at('2026-03-08T11:00:00.000Z')).toBe('month');
    expect(at('2026-03-31T11:00:00.000Z')).toBe('older');
  });

  it('sums the counters per status and band, leaving out what is empty', () => {
    const now = Date.parse('2026-03-10T12:00:00.000Z');
    const figures = backlogFigures(
      [
        { status: 'open', openedHour: '2026-03-10T08:00:00.000Z', cases: 2 },
        { status: 'open', openedHour: '2026-03-01T08:00:00.000Z', cases: 1 },
        { status: 'awaiting_customer', openedHour: '2026-01-01T08:00:00.000Z', cases: 3 },
        { status: 'in_progress', openedHour: '2025-01-01T08:00:00.000Z', cases: 0 },
      ],
      now,
    );
    expect(figures.total).toBe(6);
    expect(figures.byAge).toEqual({ day: 2, days3: 0, week: 0, month: 1, older: 3 });
    expect(figures.byStatus.map((entry) => [entry.status, entry.total])).toEqual([['open', 3], ['in_progress', 0], ['awaiting_customer', 3]]);
    expect(figures.oldestOpenedHour).toBe('2026-01-01T08:00:00.000Z');
  });
});

describe("a survey's words", () => {
  it('are its non-blank text answers that erasure has not replaced', () => {
    expect(wordsOf({ csat: 2, improve: 'Too slow', other: '   ', note: '[erased]', resolved: false, skipped: null })).toEqual([{ questionId: 'improve', text: 'Too slow' }]);
  });
});
