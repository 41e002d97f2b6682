import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BusinessCalendar,
  type OpeningHours,
  type SpecialDay,
  type Weekday,
  isCalendarDate,
  minutesOf,
  overlappingIntervals,
  repeatedDates,
  wallClock,
} from '../../shared/domain/business-calendar';
import { addBusinessMinutes, computeDeadline } from '../../shared/domain/sla';
import { type HistoryDay, type StaffingInput, planStaffing } from '../../shared/domain/analytics/staffing';
import { applySettingsPatch, defaultSettings } from '../../shared/domain/settings';
import { decideSurvey, defaultSurveyRules, surveySendTime } from '../../shared/domain/surveys/rules';
import { fieldErrors } from '../../shared/http/problem';
import { SettingsPatch } from '../../shared/schemas/settings';
import type { SlaDuration } from '../../shared/schemas/case';

const nineToSix = [{ open: '09:00', close: '18:00' }];
const week = (weekdays: OpeningHours[], weekend: OpeningHours[] = []): Record<Weekday, OpeningHours[]> => ({
  mon: weekdays,
  tue: weekdays,
  wed: weekdays,
  thu: weekdays,
  fri: weekdays,
  sat: weekend,
  sun: weekend,
});
const closed = (date: string, name = 'Holiday'): SpecialDay => ({ date, name, hours: [] });

const due = (start: string, duration: SlaDuration, calendar: BusinessCalendar) => computeDeadline(new Date(start), duration, calendar).toISOString();

/** The field errors a settings patch is refused with, [] when it is accepted. */
function patchErrors(patch: unknown) {
  const parsed = SettingsPatch.safeParse(patch);
  return parsed.success ? [] : fieldErrors(parsed.error, '$');
}

describe('validating the calendar and the weekly hours', () => {
  it('accepts 24:00 as the end of a day, in the weekly hours and on special days', () => {
    expect(patchErrors({ businessHours: { sun: [{ open: '20:00', close: '24:00' }] } })).toEqual([]);
    expect(patchErrors({ specialDays: [{ date: '2026-12-31', name: "New Year's Eve", hours: [{ open: '00:00', close: '24:00' }] }] })).toEqual([]);
  });

  it('refuses times that are no time of day, and 24:00 as an opening', () => {
    expect(patchErrors({ businessHours: { mon: [{ open: '09:00', close: '24:01' }] } }).map((e) => e.path)).toEqual(['$.businessHours.mon[0].close']);
    expect(patchErrors({ businessHours: { mon: [{ open: '24:00', close: '24:00' }] } }).map((e) => e.path)).toEqual(['$.businessHours.mon[0].close']);
    expect(patchErrors({ businessHours: { mon: [{ open: '09:0', close: '18:00' }] } }).map((e) => e.path)).toEqual(['$.businessHours.mon[0].open']);
  });

  it('refuses overlapping intervals of a weekday, naming each of them', () => {
    const errors = patchErrors({
      businessHours: {
        mon: [
          { open: '09:00', close: '12:00' },
          { open: '11:00', close: '14:00' },
        ],
      },
    });
    expect(errors.map((e) => e.path).sort()).toEqual(['$.businessHours.mon[0]', '$.businessHours.mon[1]']);
    expect(errors.find((e) => e.path === '$.businessHours.mon[0]')!.message).toMatch(/Overlaps interval \[1\]/);
  });

  it('names only the intervals that overlap, and lets touching intervals be', () => {
    const hours = [
      { open: '08:00', close: '10:00' },
      { open: '12:00', close: '13:00' },
      { open: '13:00', close: '18:00' },
      { open: '09:00', close: '09:30' },
    ];
    expect(overlappingIntervals(hours)).toEqual([
      { index: 0, overlaps: [3] },
      { index: 3, overlaps: [0] },
    ]);
    expect(patchErrors({ businessHours: { fri: hours } }).map((e) => e.path).sort()).toEqual(['$.businessHours.fri[0]', '$.businessHours.fri[3]']);
    expect(patchErrors({ businessHours: { fri: hours.slice(0, 3) } })).toEqual([]);
  });

  it('refuses dates that are not on the calendar, a date given twice and overlapping hours of a special day', () => {
    const errors = patchErrors({
      specialDays: [
        { date: '2026-02-30', name: 'Nowhere', hours: [] },
        { date: '2026-12-24', name: 'Christmas Eve', hours: [{ open: '09:00', close: '13:00' }] },
        { date: '2026-12-24', name: 'Christmas Eve again', hours: [] },
        {
          date: '2026-12-31',
          name: "New Year's Eve",
          hours: [
            { open: '09:00', close: '12:00' },
            { open: '10:00', close: '11:00' },
          ],
        },
      ],
    });
    expect(errors.map((e) => e.path).sort()).toEqual([
      '$.specialDays[0].date',
      '$.specialDays[2].date',
      '$.specialDays[3].hours[0]',
      '$.specialDays[3].hours[1]',
    ]);
  });

  it('knows real calendar dates and repeated ones', () => {
    expect(['2028-02-29', '2026-12-31'].map(isCalendarDate)).toEqual([true, true]);
    expect(['2026-02-29', '2026-13-01', '2026-1-01', '26-01-01'].map(isCalendarDate)).toEqual([false, false, false, false]);
    expect(repeatedDates([{ date: '2026-01-01' }, { date: '2026-01-02' }, { date: '2026-01-01' }])).toEqual([2]);
  });

  it('bounds the calendar and names the day', () => {
    const many = Array.from({ length: 101 }, (_, i) => closed(new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10)));
    expect(patchErrors({ specialDays: many }).map((e) => e.path)).toEqual(['$.specialDays']);
    expect(patchErrors({ specialDays: many.slice(0, 100) })).toEqual([]);
    expect(patchErrors({ specialDays: [{ date: '2026-01-01', name: '  ', hours: [] }] }).map((e) => e.path)).toEqual(['$.specialDays[0].name']);
  });

  it('a settings patch replaces the calendar whole, in date order, and leaves it alone when it does not name it', () => {
    const tenant = { name: 'Acme', timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW' } as Parameters<typeof defaultSettings>[0];
    const start = defaultSettings(tenant, '2026-01-01T00:00:00.000Z');
    expect(start.specialDays).toEqual([]);
    const set = applySettingsPatch(start, { specialDays: [closed('2026-02-17', '春節'), closed('2026-01-01', '元旦')] }, '2026-01-02T00:00:00.000Z');
    expect(set.specialDays!.map((day) => day.date)).toEqual(['2026-01-01', '2026-02-17']);
    expect(applySettingsPatch(set, { locale: 'en' }, '2026-01-03T00:00:00.000Z').specialDays).toEqual(set.specialDays);
    expect(applySettingsPatch(set, { specialDays: [] }, '2026-01-03T00:00:00.000Z').specialDays).toEqual([]);
    // Stored before the calendar existed: none.
    const { specialDays: _none, ...older } = start;
    expect(applySettingsPatch(older, {}, '2026-01-03T00:00:00.000Z').specialDays).toEqual([]);
  });
});

describe('business-time SLAs follow the calendar', () => {
  // Monday 2026-03-02 closed; Asia/Taipei is UTC+8 all year.
  const taipei: BusinessCalendar = { timezone: 'Asia/Taipei', businessHours: week(nineToSix), specialDays: [closed('2026-03-02', '和平紀念日補假')] };

  it('skips a closed holiday when counting business hours', () => {
    // Friday 16:00: 2 h on Friday, Monday closed, 2 h on Tuesday → Tuesday 11:00 (03:00Z).
    expect(due('2026-02-27T08:00:00Z', { amount: 4, unit: 'businessHours' }, taipei)).toBe('2026-03-03T03:00:00.000Z');
    // Without the holiday it is Monday 11:00.
    expect(due('2026-02-27T08:00:00Z', { amount: 4, unit: 'businessHours' }, { ...taipei, specialDays: [] })).toBe('2026-03-02T03:00:00.000Z');
  });

  it('does not count a closed holiday as a business day', () => {
    // From Friday, the first business day after it is Tuesday (Monday is closed): its close, 18:00 (10:00Z).
    expect(due('2026-02-27T02:00:00Z', { amount: 1, unit: 'businessDays' }, taipei)).toBe('2026-03-03T10:00:00.000Z');
  });

  it("uses a special day's shorter hours, and opens on a special working weekend day", () => {
    const london: BusinessCalendar = {
      timezone: 'Europe/London',
      businessHours: week([{ open: '09:00', close: '17:00' }]),
      specialDays: [
        { date: '2026-12-24', name: 'Christmas Eve', hours: [{ open: '09:00', close: '13:00' }] },
        closed('2026-12-25', 'Christmas Day'),
      ],
    };
    // Thursday 24 Dec 12:00: 1 h before 13:00, Friday closed, the weekend closed, 2 h on Monday → 11:00 (GMT).
    expect(due('2026-12-24T12:00:00Z', { amount: 3, unit: 'businessHours' }, london)).toBe('2026-12-28T11:00:00.000Z');
    // A business day closes at the special day's close.
    expect(due('2026-12-23T10:00:00Z', { amount: 1, unit: 'businessDays' }, london)).toBe('2026-12-24T13:00:00.000Z');
    // A make-up working Saturday (補班) in Taipei: Friday 17:00 + 2 h → Saturday 10:00 (02:00Z).
    const makeUp: BusinessCalendar = { timezone: 'Asia/Taipei', businessHours: week(nineToSix), specialDays: [{ date: '2026-02-07', name: '補班', hours: nineToSix }] };
    expect(due('2026-02-06T09:00:00Z', { amount: 2, unit: 'businessHours' }, makeUp)).toBe('2026-02-07T02:00:00.000Z');
  });

  it('reads 24:00 as midnight, the next day', () => {
    const allNight: BusinessCalendar = { timezone: 'UTC', businessHours: { ...week([]), sun: [{ open: '18:00', close: '24:00' }], mon: [{ open: '00:00', close: '02:00' }] } };
    // Sunday 23:00 + 2 h: one hour to midnight, one on Monday from 00:00.
    expect(due('2026-03-01T23:00:00Z', { amount: 2, unit: 'businessHours' }, allNight)).toBe('2026-03-02T01:00:00.000Z');
    expect(due('2026-02-28T12:00:00Z', { amount: 1, unit: 'businessDays' }, allNight)).toBe('2026-03-02T00:00:00.000Z');
  });

  // ---------------------------------------------------------------- properties

  const halfHour = fc.integer({ min: 0, max: 48 }).map((n) => n * 30);
  const time = (minutes: number) => (minutes === 1440 ? '24:00' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
  /** 0–2 intervals of a day that neither overlap nor are empty. */
  const dayHours = fc.uniqueArray(halfHour, { maxLength: 4 }).map((bounds) => {
    const sorted = [...bounds].sort((a, b) => a - b);
    const hours: OpeningHours[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) hours.push({ open: time(sorted[i]!), close: time(sorted[i + 1]!) });
    return hours;
  });
  const day0 = Date.UTC(2026, 0, 1);
  const dateOf = (offset: number) => new Date(day0 + offset * 86_400_000).toISOString().slice(0, 10);
  const calendar = fc
    .record({
      timezone: fc.constantFrom('UTC', 'Asia/Taipei', 'America/New_York'),
      businessHours: fc.record({ mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours, sun: dayHours }),
      specialDays: fc.uniqueArray(fc.record({ offset: fc.integer({ min: 0, max: 90 }), hours: fc.oneof(fc.constant<OpeningHours[]>([]), dayHours) }), {
        selector: (day) => day.offset,
        maxLength: 30,
      }),
    })
    .filter((c) => Object.values(c.businessHours).some((hours) => hours.length > 0))
    .map(
      (c): BusinessCalendar => ({
        ...c,
        specialDays: c.specialDays.map((day) => ({ date: dateOf(day.offset), name: `day ${day.offset}`, hours: day.hours })),
      }),
    );
  const start = fc.integer({ min: day0, max: day0 + 60 * 86_400_000 }).map((ms) => new Date(ms));
  const minutes = fc.integer({ min: 1, max: 3_000 });

  /** The hours of the local day the wall clock shows, read straight from the calendar (special day first). */
  function hoursOfWallDay(instant: number, c: BusinessCalendar) {
    const local = wallClock(instant, c.timezone);
    const date = `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
    const weekday = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
    const special = c.specialDays?.find((day) => day.date === date);
    return { hours: special?.hours ?? c.businessHours[weekday], minute: local.hour * 60 + local.minute + local.second / 60 };
  }

  it('never lands a business-hours deadline on a closed day or outside open hours', () => {
    // New York's skipped hour has no wall clock to check against; the zones without DST do.
    const noDst = calendar.filter((c) => c.timezone !== 'America/New_York');
    fc.assert(
      fc.property(noDst, start, minutes, (c, from, amount) => {
        const deadline = addBusinessMinutes(from, amount, c).getTime();
        // The last millisecond counted lies inside an interval of its local day.
        const { hours, minute } = hoursOfWallDay(deadline - 1, c);
        expect(hours.some((interval) => minutesOf(interval.open) <= minute && minute < minutesOf(interval.close))).toBe(true);
        expect(deadline).toBeGreaterThan(from.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('adds business time monotonically: more time or a later start never gives an earlier deadline', () => {
    fc.assert(
      fc.property(calendar, start, start, minutes, minutes, (c, a, b, x, y) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const [less, more] = x <= y ? [x, y] : [y, x];
        const at = (from: Date, amount: number) => addBusinessMinutes(from, amount, c).getTime();
        expect(at(early, less)).toBeLessThanOrEqual(at(early, more));
        expect(at(early, less)).toBeLessThanOrEqual(at(late, less));
      }),
      { numRuns: 200 },
    );
  });

  it('a closed special day only ever moves a deadline later', () => {
    fc.assert(
      fc.property(calendar, start, minutes, fc.integer({ min: 0, max: 90 }), (c, from, amount, offset) => {
        const others = (c.specialDays ?? []).filter((day) => day.date !== dateOf(offset));
        const open = { ...c, specialDays: others };
        const holiday = { ...c, specialDays: [...others, closed(dateOf(offset))] };
        const at = (cal: BusinessCalendar) => addBusinessMinutes(from, amount, cal).getTime();
        expect(at(holiday)).toBeGreaterThanOrEqual(at(open));
      }),
      { numRuns: 200 },
    );
  });
});

describe('survey quiet hours follow the calendar', () => {
  const quiet = { start: '21:00', end: '08:00' };
  const rules = { delayMinutes: 10, quietHours: quiet };
  const taipei = 'Asia/Taipei';
  const newYearHolidays = [closed('2026-02-17', '春節'), closed('2026-02-18', '春節')];

  it('holds a survey due on a closed day until the quiet hours end on the next day that is not closed', () => {
    // Closed Monday 16 Feb 20:55 (12:55Z), due 21:05: quiet until 08:00 on the 17th, closed, the 18th closed → 08:00 on the 19th.
    expect(surveySendTime(rules, '2026-02-16T12:55:00.000Z', taipei, newYearHolidays).toISOString()).toBe('2026-02-19T00:00:00.000Z');
    // Closed during the holiday at 14:00: held to the 19th as well.
    expect(surveySendTime(rules, '2026-02-17T06:00:00.000Z', taipei, newYearHolidays).toISOString()).toBe('2026-02-19T00:00:00.000Z');
    // Without the calendar: 08:00 the next morning.
    expect(surveySendTime(rules, '2026-02-16T12:55:00.000Z', taipei).toISOString()).toBe('2026-02-17T00:00:00.000Z');
  });

  it("leaves days with other hours, and a tenant without quiet hours, alone", () => {
    const shortDay = [{ date: '2026-02-17', name: '除夕', hours: [{ open: '09:00', close: '12:00' }] }];
    expect(surveySendTime(rules, '2026-02-17T06:00:00.000Z', taipei, shortDay).toISOString()).toBe('2026-02-17T06:10:00.000Z');
    expect(surveySendTime({ delayMinutes: 10, quietHours: null }, '2026-02-17T06:00:00.000Z', taipei, newYearHolidays).toISOString()).toBe('2026-02-17T06:10:00.000Z');
  });

  it('the decision schedules the held survey, and counts it on the day it goes out', () => {
    const decision = decideSurvey(
      { ...defaultSurveyRules('svt_1'), enabled: true },
      {
        contact: { contactId: 'con_1', channel: 'voice', purpose: 'service', customerId: 'cus_1', closedAt: '2026-02-17T06:00:00.000Z' },
        timezone: taipei,
        specialDays: newYearHolidays,
        customer: { hasPhone: true, smsConsent: 'granted' },
        samplingDraw: 0,
        surveysOnSendDay: 0,
      },
    );
    expect(decision).toEqual({ send: true, at: '2026-02-19T00:00:00.000Z', day: '2026-02-19' });
  });
});

describe('staffing opens only the intervals the calendar opens', () => {
  const newYork = 'America/New_York';
  // Tuesday 2026-01-20; the Tuesday before had 100 contacts 10:00–10:30 and 40 at 15:00.
  const history: HistoryDay[] = [
    {
      date: '2026-01-13',
      rows: [
        { slotStart: '2026-01-13T15:00:00.000Z', dimension: 'all', value: '*', counters: { offered: 100, answered: 100, handleSeconds: 100 * 180 } },
        { slotStart: '2026-01-13T20:00:00.000Z', dimension: 'all', value: '*', counters: { offered: 40, answered: 40, handleSeconds: 40 * 180 } },
      ],
    },
  ];
  const input = (overrides: Partial<StaffingInput> = {}): StaffingInput => ({
    date: '2026-01-20',
    timeZone: newYork,
    intervalMinutes: 30,
    model: 'erlang-c',
    target: { serviceLevelPercent: 80, thresholdSeconds: 20, maxOccupancyPercent: 85, shrinkagePercent: 30 },
    weeks: 1,
    history,
    ...overrides,
  });
  const at = (plan: ReturnType<typeof planStaffing>, start: string) => plan.intervals.find((interval) => interval.start === start)!;

  it('on an ordinary day every interval is open, as the history says', () => {
    const plan = planStaffing(input());
    expect(plan.intervals.every((interval) => interval.open)).toBe(true);
    expect(at(plan, '10:00').agentsRequired).toBeGreaterThan(0);
  });

  it('on a closed day no interval is open and none needs agents, whatever the history', () => {
    const plan = planStaffing(input({ specialDay: { name: 'Martin Luther King Jr. Day', openings: [] } }));
    expect(plan.intervals.some((interval) => interval.open)).toBe(false);
    expect(plan.intervals.every((interval) => interval.agentsRequired === 0 && interval.forecastContacts === 0)).toBe(true);
    expect(plan.totals.agentHours).toBe(0);
    expect(plan.notes.join(' ')).toMatch(/2026-01-20 is Martin Luther King Jr. Day in the business calendar, closed all day/);
  });

  it("on a special day with its own hours only the intervals overlapping them are open", () => {
    // 09:00–12:15 local (EST, UTC−5): 09:00 … 12:00 are open, 12:00 because it overlaps.
    const openings = [{ open: Date.parse('2026-01-20T14:00:00Z'), close: Date.parse('2026-01-20T17:15:00Z') }];
    const plan = planStaffing(input({ specialDay: { name: 'Short day', openings } }));
    expect(plan.intervals.filter((interval) => interval.open).map((interval) => interval.start)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '12:00']);
    expect(at(plan, '10:00').agentsRequired).toBeGreaterThan(0);
    expect(at(plan, '15:00')).toMatchObject({ open: false, forecastContacts: 0, agentsRequired: 0 });
    // A forecast given for a closed interval is not planned, and the notes say so.
    const given = planStaffing(input({ specialDay: { name: 'Short day', openings }, forecast: [{ start: '15:00', contacts: 30 }, { start: '09:00', contacts: 30 }] }));
    expect(at(given, '15:00').agentsRequired).toBe(0);
    expect(at(given, '09:00').agentsRequired).toBeGreaterThan(0);
    expect(given.notes.join(' ')).toMatch(/contacts at 15:00 fall in closed intervals/);
  });
});
