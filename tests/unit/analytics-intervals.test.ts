import { describe, expect, it } from 'vitest';
import {
  intervalsOf,
  localDateOf,
  mondayOnOrBefore,
  resolvePeriod,
  startOfLocalDay,
  toLocalIso,
  weekdayHourOf,
} from '../../shared/domain/analytics/intervals';

const hours = (ms: number) => ms / 3_600_000;
const day = (date: string, timeZone: string) => resolvePeriod(date, date, timeZone);
const starts = (timeZone: string, spans: { start: number }[]) => spans.map((span) => toLocalIso(span.start, timeZone));

describe('tenant-local days', () => {
  const newYork = 'America/New_York';

  it('makes the spring-forward day in New York 23 hours long, with no 02:00', () => {
    const sunday = day('2026-03-08', newYork);
    expect(new Date(sunday.start).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(hours(sunday.end - sunday.start)).toBe(23);
    const hourly = intervalsOf(sunday, 'hour', newYork);
    expect(hourly).toHaveLength(23);
    expect(starts(newYork, hourly).slice(0, 3)).toEqual(['2026-03-08T00:00:00-05:00', '2026-03-08T01:00:00-05:00', '2026-03-08T03:00:00-04:00']);
    expect(hourly.every((span) => hours(span.end - span.start) === 1)).toBe(true);
  });

  it('makes the fall-back day in New York 25 hours long, with 01:00 twice', () => {
    const sunday = day('2026-11-01', newYork);
    expect(hours(sunday.end - sunday.start)).toBe(25);
    const hourly = intervalsOf(sunday, 'hour', newYork);
    expect(hourly).toHaveLength(25);
    expect(starts(newYork, hourly).slice(1, 4)).toEqual(['2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T02:00:00-05:00']);
    expect(toLocalIso(sunday.end, newYork)).toBe('2026-11-02T00:00:00-05:00');
  });

  it('gives each day around the change its own length', () => {
    const days = intervalsOf(resolvePeriod('2026-10-31', '2026-11-02', newYork), 'day', newYork);
    expect(days.map((span) => hours(span.end - span.start))).toEqual([24, 25, 24]);
    expect(starts(newYork, days)).toEqual(['2026-10-31T00:00:00-04:00', '2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00']);
  });

  it('keeps Taipei, which has no daylight saving, at 24-hour days starting 16:00 UTC', () => {
    const days = intervalsOf(resolvePeriod('2026-03-07', '2026-03-09', 'Asia/Taipei'), 'day', 'Asia/Taipei');
    expect(days.map((span) => new Date(span.start).toISOString())).toEqual([
      '2026-03-06T16:00:00.000Z',
      '2026-03-07T16:00:00.000Z',
      '2026-03-08T16:00:00.000Z',
    ]);
    expect(days.every((span) => hours(span.end - span.start) === 24)).toBe(true);
  });

  it('starts Kolkata hours at half past the UTC hour (+05:30), so each holds two whole 30-minute slots', () => {
    const hourly = intervalsOf(day('2026-06-15', 'Asia/Kolkata'), 'hour', 'Asia/Kolkata');
    expect(hourly).toHaveLength(24);
    expect(new Date(hourly[0]!.start).toISOString()).toBe('2026-06-14T18:30:00.000Z');
    expect(new Date(hourly[10]!.start).toISOString()).toBe('2026-06-15T04:30:00.000Z');
    expect(toLocalIso(hourly[10]!.start, 'Asia/Kolkata')).toBe('2026-06-15T10:00:00+05:30');
  });

  it('starts Kathmandu days at 18:15 UTC (+05:45)', () => {
    expect(new Date(startOfLocalDay('2026-01-05', 'Asia/Kathmandu')).toISOString()).toBe('2026-01-04T18:15:00.000Z');
  });

  it('starts a day whose midnight is skipped (Santiago, spring forward at 00:00) at 01:00', () => {
    expect(toLocalIso(startOfLocalDay('2026-09-06', 'America/Santiago'), 'America/Santiago')).toBe('2026-09-06T01:00:00-03:00');
  });
});

describe('weeks', () => {
  it('start on Monday, tenant-local, and clip to the period', () => {
    const newYork = 'America/New_York';
    // Wednesday 28 October to Wednesday 11 November 2026 inclusive.
    const weeks = intervalsOf(resolvePeriod('2026-10-28', '2026-11-11', newYork), 'week', newYork);
    expect(starts(newYork, weeks)).toEqual(['2026-10-28T00:00:00-04:00', '2026-11-02T00:00:00-05:00', '2026-11-09T00:00:00-05:00']);
    // Wed–Sun with the 25-hour Sunday; a whole week; Mon–Wed.
    expect(weeks.map((span) => hours(span.end - span.start))).toEqual([4 * 24 + 25, 7 * 24, 3 * 24]);
  });

  it('finds the Monday on or before a date', () => {
    expect(mondayOnOrBefore('2026-11-01')).toBe('2026-10-26');
    expect(mondayOnOrBefore('2026-11-02')).toBe('2026-11-02');
    expect(mondayOnOrBefore('2027-01-03')).toBe('2026-12-28');
  });
});

describe('periods', () => {
  it('reads dates as whole local days with an inclusive end, and instants as they are', () => {
    const taipei = resolvePeriod('2026-03-01', '2026-03-31', 'Asia/Taipei');
    expect(new Date(taipei.start).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(new Date(taipei.end).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    const instants = resolvePeriod('2026-03-01T09:00:00+08:00', '2026-03-01T10:30:00Z', 'Asia/Taipei');
    expect(new Date(instants.start).toISOString()).toBe('2026-03-01T01:00:00.000Z');
    expect(new Date(instants.end).toISOString()).toBe('2026-03-01T10:30:00.000Z');
  });

  it('clips hours to a period that starts mid-hour', () => {
    const period = resolvePeriod('2026-03-01T09:30:00+08:00', '2026-03-01T11:00:00+08:00', 'Asia/Taipei');
    expect(starts('Asia/Taipei', intervalsOf(period, 'hour', 'Asia/Taipei'))).toEqual(['2026-03-01T09:30:00+08:00', '2026-03-01T10:00:00+08:00']);
  });

  it('names the local date, weekday and hour of an instant', () => {
    const instant = Date.parse('2026-11-01T05:30:00Z');
    expect(localDateOf(instant, 'America/New_York')).toBe('2026-11-01');
    expect(weekdayHourOf(instant, 'America/New_York')).toEqual({ weekday: 'sun', hour: 1 });
    expect(weekdayHourOf(instant, 'Asia/Taipei')).toEqual({ weekday: 'sun', hour: 13 });
  });
});
