import { describe, expect, it } from 'vitest';
import type { CounterRow, Counters } from '../../shared/domain/analytics/counters';
import { erlangCPrediction } from '../../shared/domain/analytics/erlang';
import { type HistoryDay, InvalidForecast, type StaffingInput, historyDates, localIntervals, planStaffing } from '../../shared/domain/analytics/staffing';

const newYork = 'America/New_York';
const row = (slotStart: string, counters: Counters): CounterRow => ({ slotStart, dimension: 'all', value: '*', counters });

const base = (overrides: Partial<StaffingInput> = {}): StaffingInput => ({
  date: '2026-01-20',
  timeZone: newYork,
  intervalMinutes: 30,
  model: 'erlang-c',
  target: { serviceLevelPercent: 80, thresholdSeconds: 20, maxOccupancyPercent: 85, shrinkagePercent: 30 },
  weeks: 4,
  history: [],
  ...overrides,
});

const at = (plan: ReturnType<typeof planStaffing>, start: string) => plan.intervals.filter((interval) => interval.start === start);

describe('local intervals of a day', () => {
  it('are 48 half-hours and 24 hours on an ordinary day', () => {
    const halfHours = localIntervals('2026-01-20', newYork, 30);
    expect(halfHours).toHaveLength(48);
    expect(halfHours[0]!.start).toBe('00:00');
    expect(new Date(halfHours[0]!.startsAt).toISOString()).toBe('2026-01-20T05:00:00.000Z');
    expect(localIntervals('2026-01-20', newYork, 60)).toHaveLength(24);
  });

  it('are 46 half-hours in New York the day the clocks go forward, with no 02:00', () => {
    const halfHours = localIntervals('2026-03-08', newYork, 30);
    expect(halfHours).toHaveLength(46);
    expect(halfHours.map((interval) => interval.start)).not.toContain('02:00');
    expect(halfHours.map((interval) => interval.start).slice(2, 6)).toEqual(['01:00', '01:30', '03:00', '03:30']);
    expect(localIntervals('2026-03-08', newYork, 60)).toHaveLength(23);
  });

  it('are 50 half-hours in New York the day the clocks go back, 01:00 twice', () => {
    const halfHours = localIntervals('2026-11-01', newYork, 30);
    expect(halfHours).toHaveLength(50);
    const oneAm = halfHours.filter((interval) => interval.start === '01:00');
    expect(oneAm.map((interval) => new Date(interval.startsAt).toISOString())).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z']);
    expect(localIntervals('2026-11-01', newYork, 60)).toHaveLength(25);
  });

  it('put two UTC slots in each local hour of a half-hour-offset zone', () => {
    const hours = localIntervals('2026-01-20', 'Asia/Kolkata', 60);
    expect(hours).toHaveLength(24);
    expect(hours.every((interval) => interval.slotStarts.length === 2)).toBe(true);
    // Local 00:00 in Kolkata (+05:30) is 18:30 UTC the day before.
    expect(new Date(hours[0]!.slotStarts[0]!).toISOString()).toBe('2026-01-19T18:30:00.000Z');
  });
});

describe('the forecast from past weeks', () => {
  // Tuesday 2026-01-20, New York in winter (UTC−5): 08:00 local is 13:00 UTC.
  const week = (date: string, offered: number, handleSeconds = offered * 200, answered = offered): HistoryDay => ({
    date,
    rows: [row(`${date}T13:00:00.000Z`, { offered, answered, handleSeconds })],
  });

  it('averages the same weekday and local time, leaving a week without any counted contact out', () => {
    const plan = planStaffing(
      base({ history: [week('2026-01-13', 90), { date: '2026-01-06', rows: [] }, week('2025-12-30', 100), week('2025-12-23', 110)] }),
    );
    const [eight] = at(plan, '08:00');
    expect(eight!.forecastContacts).toBe(100); // (90 + 100 + 110) / 3, not / 4
    expect(eight!.historyWeeks).toBe(3);
    expect(at(plan, '08:30')[0]!.forecastContacts).toBe(0); // a week with data and nothing at 08:30 is a zero
    expect(plan.history).toEqual({
      weeks: 4,
      dates: ['2026-01-13', '2026-01-06', '2025-12-30', '2025-12-23'],
      datesWithData: ['2026-01-13', '2025-12-30', '2025-12-23'],
    });
    expect(plan.notes.join(' ')).toMatch(/1 week\(s\) without any/);
  });

  it('takes handle time from the interval, then the whole history, then 300 s, and says which', () => {
    const history: HistoryDay[] = [
      { date: '2026-01-13', rows: [row('2026-01-13T13:00:00.000Z', { offered: 10, answered: 8, handleSeconds: 1600 }), row('2026-01-13T14:00:00.000Z', { offered: 4 })] },
    ];
    const plan = planStaffing(base({ history }));
    expect(at(plan, '08:00')[0]).toMatchObject({ averageHandleSeconds: 200, averageHandleSource: 'interval-history' });
    expect(at(plan, '09:00')[0]).toMatchObject({ averageHandleSeconds: 200, averageHandleSource: 'overall-history' });
    const noAnswers = planStaffing(base({ history: [{ date: '2026-01-13', rows: [row('2026-01-13T13:00:00.000Z', { offered: 3 })] }] }));
    expect(at(noAnswers, '08:00')[0]).toMatchObject({ averageHandleSeconds: 300, averageHandleSource: 'default' });
    expect(noAnswers.notes.join(' ')).toMatch(/assumed 300 s/);
  });

  it('maps a past day where the clocks went back: both 01:00s averaged for the one 01:00 of the target day', () => {
    // 2026-11-01: 01:00 EDT is 05:00 UTC, 01:00 EST is 06:00 UTC.
    const history: HistoryDay[] = [
      { date: '2026-11-01', rows: [row('2026-11-01T05:00:00.000Z', { offered: 10 }), row('2026-11-01T06:00:00.000Z', { offered: 20 })] },
    ];
    const plan = planStaffing(base({ date: '2026-11-08', weeks: 1, history }));
    expect(at(plan, '01:00')).toHaveLength(1);
    expect(at(plan, '01:00')[0]!.forecastContacts).toBe(15);
  });

  it('forecasts both 01:00s of a day the clocks go back from the past weeks’ 01:00', () => {
    // 2026-10-25 is EDT: 01:00 local is 05:00 UTC.
    const plan = planStaffing(base({ date: '2026-11-01', weeks: 1, history: [{ date: '2026-10-25', rows: [row('2026-10-25T05:00:00.000Z', { offered: 12 })] }] }));
    expect(plan.intervals).toHaveLength(50);
    expect(at(plan, '01:00').map((interval) => interval.forecastContacts)).toEqual([12, 12]);
  });

  it('averages 02:00 only over the past weeks that had a 02:00', () => {
    // 2026-03-08 skipped 02:00; 2026-03-01 (EST) had it at 07:00 UTC.
    const history: HistoryDay[] = [
      { date: '2026-03-08', rows: [row('2026-03-08T07:00:00.000Z', { offered: 50 })] }, // 03:00 EDT
      { date: '2026-03-01', rows: [row('2026-03-01T07:00:00.000Z', { offered: 8 })] },
    ];
    const plan = planStaffing(base({ date: '2026-03-15', weeks: 2, history }));
    expect(at(plan, '02:00')[0]).toMatchObject({ forecastContacts: 8, historyWeeks: 1 });
    expect(at(plan, '03:00')[0]).toMatchObject({ forecastContacts: 25, historyWeeks: 2 });
  });

  it('says there is no forecast, with no intervals, when no past week has any counted contact and none was given', () => {
    const plan = planStaffing(base({ history: [{ date: '2026-01-13', rows: [] }, { date: '2026-01-06', rows: [] }] }));
    expect(plan).toMatchObject({
      forecastSource: 'none',
      intervals: [],
      totals: { forecastContacts: 0, agentHours: 0, scheduledAgentHours: 0 },
      history: { weeks: 4, dates: ['2026-01-13', '2026-01-06'], datesWithData: [] },
      observedPatienceSeconds: null,
    });
    expect(plan.notes.join(' ')).toMatch(/No forecast/);
    expect(plan.notes.join(' ')).toMatch(/POST \/v1\/analytics\/staffing with forecast/);
    // Nothing read at all (the weeks are not over yet): the same.
    expect(planStaffing(base()).forecastSource).toBe('none');
    // One week with a contact, or a forecast in the request: planned as before, every interval of the day.
    expect(planStaffing(base({ history: [week('2026-01-13', 1), { date: '2026-01-06', rows: [] }] }))).toMatchObject({ forecastSource: 'history' });
    expect(planStaffing(base({ history: [week('2026-01-13', 1)] })).intervals).toHaveLength(48);
    expect(planStaffing(base({ forecast: [{ start: '08:00', contacts: 5 }] })).intervals).toHaveLength(48);
  });

  it('reads only past days that are over', () => {
    const now = Date.parse('2026-01-20T15:00:00Z');
    expect(historyDates('2026-01-27', 3, newYork, now)).toEqual(['2026-01-13', '2026-01-06']); // 01-20 is not over yet
    expect(historyDates('2026-01-20', 2, newYork, now)).toEqual(['2026-01-13', '2026-01-06']);
  });
});

describe('the staffing plan', () => {
  const published = [{ start: '08:00', contacts: 100, averageHandleSeconds: 180 }];

  it('staffs the published Erlang C example: 14 agents for 80/20, 20 scheduled at 30 % shrinkage', () => {
    const plan = planStaffing(base({ forecast: published }));
    const [eight] = at(plan, '08:00');
    const expected = erlangCPrediction(14, 10, 180, 20);
    expect(eight).toMatchObject({
      forecastContacts: 100,
      historyWeeks: null,
      averageHandleSource: 'forecast',
      trafficErlangs: 10,
      agentsRequired: 14,
      scheduledAgents: 20,
      serviceLevelPercent: Math.round(expected.serviceLevel * 10_000) / 100,
      occupancyPercent: 71.43,
    });
    expect(eight!.averageSpeedOfAnswerSeconds).toBeCloseTo(7.84, 2);
    expect(plan.forecastSource).toBe('request');
    expect(plan.totals).toEqual({ forecastContacts: 100, agentHours: 7, scheduledAgentHours: 10 });
  });

  it('lets the occupancy cap add agents beyond what the service level needs', () => {
    const forecast = [{ start: '10:00', contacts: 200, averageHandleSeconds: 270 }]; // 30 Erlangs
    const loose = planStaffing(base({ forecast, target: { serviceLevelPercent: 80, thresholdSeconds: 20, maxOccupancyPercent: 100, shrinkagePercent: 0 } }));
    const capped = planStaffing(base({ forecast, target: { serviceLevelPercent: 80, thresholdSeconds: 20, maxOccupancyPercent: 80, shrinkagePercent: 0 } }));
    expect(at(loose, '10:00')[0]!.agentsRequired).toBe(35);
    expect(at(capped, '10:00')[0]).toMatchObject({ agentsRequired: 38, scheduledAgents: 38, occupancyPercent: 78.95 });
  });

  it('plans no agents and no predictions for an interval without contacts', () => {
    const plan = planStaffing(base({ forecast: published }));
    expect(at(plan, '07:30')[0]).toMatchObject({
      forecastContacts: 0,
      trafficErlangs: 0,
      agentsRequired: 0,
      scheduledAgents: 0,
      serviceLevelPercent: null,
      averageSpeedOfAnswerSeconds: null,
      occupancyPercent: null,
    });
  });

  it('says Erlang C ignores abandonment, and gives Erlang A with the observed patience', () => {
    // Patience: 6000 s in queue over 50 abandoned = 120 s.
    const history: HistoryDay[] = [{ date: '2026-01-13', rows: [row('2026-01-13T13:00:00.000Z', { offered: 100, answered: 50, handleSeconds: 9000, queueSeconds: 6000, abandonedInQueue: 50 })] }];
    const plan = planStaffing(base({ forecast: published, history, model: 'erlang-a' }));
    expect(plan.notes[0]).toMatch(/Erlang C assumes no caller ever hangs up, so it overstates/);
    expect(plan.observedPatienceSeconds).toBe(120);
    expect(plan.modelUsed).toBe('erlang-a');
    const [eight] = at(plan, '08:00');
    expect(eight!.erlangC.agentsRequired).toBe(14);
    expect(eight!.erlangA!.agentsRequired).toBeLessThan(14);
    expect(eight!.agentsRequired).toBe(eight!.erlangA!.agentsRequired);
    expect(eight!.erlangA!.serviceLevelPercent).toBeGreaterThanOrEqual(80);
    expect(eight!.erlangA!.abandonmentPercent).toBeGreaterThan(0);
  });

  it('falls back to Erlang C, and says so, when no abandonment was ever counted', () => {
    const plan = planStaffing(base({ forecast: published, model: 'erlang-a' }));
    expect(plan.modelUsed).toBe('erlang-c');
    expect(plan.observedPatienceSeconds).toBeNull();
    expect(at(plan, '08:00')[0]!.erlangA).toBeNull();
    expect(plan.notes.join(' ')).toMatch(/patience cannot be estimated/);
  });

  it('refuses forecast rows that are not intervals of the day, or repeat one', () => {
    const attempt = () =>
      planStaffing(base({ date: '2026-03-08', forecast: [{ start: '08:15', contacts: 1 }, { start: '02:00', contacts: 1 }, { start: '09:00', contacts: 1 }, { start: '09:00', contacts: 2 }] }));
    expect(attempt).toThrow(InvalidForecast);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidForecast).errors.map((e) => e.path)).toEqual(['$.forecast[0].start', '$.forecast[1].start', '$.forecast[3].start']);
    }
  });
});

describe('the bounds of one request', () => {
  it('refuses a forecast beyond 20,000 Erlangs in an interval, naming its row', () => {
    const attempt = () => planStaffing(base({ forecast: [{ start: '08:00', contacts: 10 }, { start: '09:00', contacts: 1_000_000, averageHandleSeconds: 3600 }] }));
    expect(attempt).toThrow(InvalidForecast);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidForecast).errors[0]!.path).toBe('$.forecast[1]');
    }
  });

  it('plans a large center quickly, by both models', () => {
    // 20,000 contacts per half-hour at 600 s (6,667 Erlangs), callers patient for half an hour.
    const history: HistoryDay[] = [{ date: '2026-01-13', rows: [row('2026-01-13T13:00:00.000Z', { offered: 20_000, answered: 19_000, handleSeconds: 19_000 * 600, queueSeconds: 1_800_000, abandonedInQueue: 1_000 })] }];
    const started = performance.now();
    const plan = planStaffing(base({ history, model: 'erlang-a' }));
    expect(performance.now() - started).toBeLessThan(5_000);
    const [eight] = at(plan, '08:00');
    expect(eight!.erlangC.agentsRequired).toBe(Math.ceil(20_000 / 3 / 0.85)); // the occupancy cap binds
    expect(eight!.erlangA!.agentsRequired).toBeLessThanOrEqual(eight!.erlangC.agentsRequired);
  });
});
