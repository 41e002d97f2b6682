import { describe, expect, it } from 'vitest';
import {
  type BusinessCalendar,
  computeDeadline,
  defaultSlaPolicy,
  instantOf,
  mergeSlaPolicy,
  raisedSeverity,
  resolveSlaPolicy,
  slaDeadline,
} from '../../shared/domain/sla';
import type { SlaDuration } from '../../shared/schemas/case';

const nineToSix = [{ open: '09:00', close: '18:00' }];
const weekdays = (hours: { open: string; close: string }[]) => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
  sat: [],
  sun: [],
});
const taipei: BusinessCalendar = { timezone: 'Asia/Taipei', businessHours: weekdays(nineToSix) };
const newYork: BusinessCalendar = { timezone: 'America/New_York', businessHours: weekdays(nineToSix) };
const london: BusinessCalendar = { timezone: 'Europe/London', businessHours: weekdays([{ open: '09:00', close: '17:00' }]) };

const due = (start: string, duration: SlaDuration, calendar: BusinessCalendar) =>
  computeDeadline(new Date(start), duration, calendar).toISOString();

describe('SLA deadlines in elapsed time', () => {
  it('adds minutes and hours as plain elapsed time, DST or not', () => {
    expect(due('2026-03-08T06:30:00Z', { amount: 90, unit: 'minutes' }, newYork)).toBe('2026-03-08T08:00:00.000Z');
    // 01:30 EST + 2 h crosses the spring-forward gap: 2 real hours, 04:30 EDT on the wall.
    expect(due('2026-03-08T06:30:00Z', { amount: 2, unit: 'hours' }, newYork)).toBe('2026-03-08T08:30:00.000Z');
  });
});

describe('SLA deadlines in calendar days', () => {
  it('lands on the same local time n days later (complaints: 15 days)', () => {
    // 2026-03-02 10:00 in Taipei (UTC+8, no DST).
    expect(due('2026-03-02T02:00:00Z', { amount: 15, unit: 'days' }, taipei)).toBe('2026-03-17T02:00:00.000Z');
  });

  it('keeps the wall-clock time across DST: 23 real hours in spring, 25 in autumn', () => {
    // Sat 12:00 EST → Sun 12:00 EDT.
    expect(due('2026-03-07T17:00:00Z', { amount: 1, unit: 'days' }, newYork)).toBe('2026-03-08T16:00:00.000Z');
    // Sat 12:00 EDT → Sun 12:00 EST.
    expect(due('2026-10-31T16:00:00Z', { amount: 1, unit: 'days' }, newYork)).toBe('2026-11-01T17:00:00.000Z');
  });

  it('moves a local time that DST skips forward by the gap', () => {
    // Sat 02:30 EST; Sunday has no 02:30, so 03:30 EDT (still exactly 24 h later).
    expect(due('2026-03-07T07:30:00Z', { amount: 1, unit: 'days' }, newYork)).toBe('2026-03-08T07:30:00.000Z');
  });

  it('reads a repeated local time as its first occurrence', () => {
    // 2026-11-01 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(new Date(instantOf('America/New_York', { year: 2026, month: 11, day: 1 }, 90)).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });
});

describe('SLA deadlines in business hours', () => {
  it('counts only open time, carrying over the weekend', () => {
    // Fri 16:00 Taipei + 4 h: 2 h on Friday, 2 h from Monday 09:00.
    expect(due('2026-03-06T08:00:00Z', { amount: 4, unit: 'businessHours' }, taipei)).toBe('2026-03-09T03:00:00.000Z');
  });

  it('starts counting at opening time when the clock starts before it, or on a closed day', () => {
    // Mon 07:00 → 09:00 + 4 h = 13:00 Taipei.
    expect(due('2026-03-02T23:00:00Z', { amount: 4, unit: 'businessHours' }, taipei)).toBe('2026-03-03T05:00:00.000Z');
    // Sat 11:00 → Mon 09:00 + 1 h.
    expect(due('2026-03-07T03:00:00Z', { amount: 1, unit: 'businessHours' }, taipei)).toBe('2026-03-09T02:00:00.000Z');
  });

  it('ends at closing time when the hours run out exactly then, not at the next opening', () => {
    // Mon 14:00 + 4 h = 18:00 Taipei the same day.
    expect(due('2026-03-02T06:00:00Z', { amount: 4, unit: 'businessHours' }, taipei)).toBe('2026-03-02T10:00:00.000Z');
  });

  it('follows local opening hours across a DST change over the weekend', () => {
    // New York: Fri 16:00 EST + 4 h → 2 h Friday, then Monday 09:00 EDT + 2 h = 11:00 EDT = 15:00Z.
    expect(due('2026-03-06T21:00:00Z', { amount: 4, unit: 'businessHours' }, newYork)).toBe('2026-03-09T15:00:00.000Z');
    // London: Fri 16:00 GMT + 4 h → 1 h Friday, Monday 09:00 BST + 3 h = 12:00 BST = 11:00Z.
    expect(due('2026-03-27T16:00:00Z', { amount: 4, unit: 'businessHours' }, london)).toBe('2026-03-30T11:00:00.000Z');
  });

  it('counts real hours when the opening hours span the DST change itself', () => {
    const allDaySunday: BusinessCalendar = {
      timezone: 'America/New_York',
      businessHours: { ...weekdays([]), sun: [{ open: '00:00', close: '23:59' }] },
    };
    // Sun 00:00 EST + 3 business hours: the clocks skip 02:00–03:00, so 04:00 EDT = 08:00Z.
    expect(due('2026-03-08T05:00:00Z', { amount: 3, unit: 'businessHours' }, allDaySunday)).toBe('2026-03-08T08:00:00.000Z');
  });

  it('honours split days and merges overlapping intervals', () => {
    const lunchBreak: BusinessCalendar = {
      timezone: 'Europe/London',
      businessHours: weekdays([
        { open: '13:00', close: '17:00' },
        { open: '09:00', close: '12:00' },
      ]),
    };
    // Mon 2026-01-05 11:00 GMT + 2 h: 11–12, lunch, 13–14.
    expect(due('2026-01-05T11:00:00Z', { amount: 2, unit: 'businessHours' }, lunchBreak)).toBe('2026-01-05T14:00:00.000Z');
    const overlapping: BusinessCalendar = {
      timezone: 'UTC',
      businessHours: weekdays([
        { open: '09:00', close: '12:00' },
        { open: '11:00', close: '14:00' },
      ]),
    };
    // 09–14 counts once: 5 h, so 6 h ends Tuesday 10:00.
    expect(due('2026-01-05T09:00:00Z', { amount: 6, unit: 'businessHours' }, overlapping)).toBe('2026-01-06T10:00:00.000Z');
  });
});

describe('SLA deadlines in business days', () => {
  it('is closing time of the n-th open day after the day the clock starts', () => {
    // Mon 10:00 Taipei, 1 business day → Tue 18:00.
    expect(due('2026-03-02T02:00:00Z', { amount: 1, unit: 'businessDays' }, taipei)).toBe('2026-03-03T10:00:00.000Z');
    // Fri 20:00 → Mon 18:00; Sat → Mon 18:00; Wed, 3 days → Mon 18:00.
    expect(due('2026-03-06T12:00:00Z', { amount: 1, unit: 'businessDays' }, taipei)).toBe('2026-03-09T10:00:00.000Z');
    expect(due('2026-03-07T02:00:00Z', { amount: 1, unit: 'businessDays' }, taipei)).toBe('2026-03-09T10:00:00.000Z');
    expect(due('2026-03-04T02:00:00Z', { amount: 3, unit: 'businessDays' }, taipei)).toBe('2026-03-09T10:00:00.000Z');
  });

  it('closes at local time after a DST change', () => {
    // Fri 10:00 EST, 1 business day → Mon 18:00 EDT = 22:00Z.
    expect(due('2026-03-06T15:00:00Z', { amount: 1, unit: 'businessDays' }, newYork)).toBe('2026-03-09T22:00:00.000Z');
  });

  it('falls back to calendar time for a tenant with no opening hours at all', () => {
    const closed: BusinessCalendar = { timezone: 'Asia/Taipei', businessHours: weekdays([]) };
    expect(due('2026-03-07T02:00:00Z', { amount: 4, unit: 'businessHours' }, closed)).toBe('2026-03-07T06:00:00.000Z');
    expect(due('2026-03-07T02:00:00Z', { amount: 2, unit: 'businessDays' }, closed)).toBe('2026-03-09T02:00:00.000Z');
  });
});

describe('SLA policy', () => {
  it('gives complaints 15 calendar days to resolution by default, at every severity', () => {
    for (const severity of ['low', 'medium', 'high', 'critical'] as const) {
      expect(defaultSlaPolicy.targets.complaint[severity].resolution).toEqual({ amount: 15, unit: 'days' });
    }
    const opened = new Date('2026-03-02T02:00:00Z');
    expect(slaDeadline(defaultSlaPolicy, taipei, 'complaint', 'medium', 'resolution', opened).toISOString()).toBe(
      '2026-03-17T02:00:00.000Z',
    );
  });

  it('reads a tenant without a stored policy as the defaults', () => {
    expect(resolveSlaPolicy({})).toEqual(defaultSlaPolicy);
    expect(resolveSlaPolicy(undefined)).toEqual(defaultSlaPolicy);
  });

  it('merges a patch deeply: only the named targets and rules change; assignTo null removes', () => {
    const patched = mergeSlaPolicy(defaultSlaPolicy, {
      targets: { complaint: { high: { resolution: { amount: 5, unit: 'businessDays' } } } },
      escalation: { resolution: { assignTo: 'queue:supervisors' } },
    });
    expect(patched.targets.complaint.high).toEqual({
      firstResponse: defaultSlaPolicy.targets.complaint.high.firstResponse,
      resolution: { amount: 5, unit: 'businessDays' },
    });
    expect(patched.targets.complaint.low).toEqual(defaultSlaPolicy.targets.complaint.low);
    expect(patched.escalation.resolution).toEqual({ raiseSeverity: true, assignTo: 'queue:supervisors' });
    expect(defaultSlaPolicy.escalation.resolution).not.toHaveProperty('assignTo');
    const removed = mergeSlaPolicy(patched, { escalation: { resolution: { assignTo: null } } });
    expect(removed.escalation.resolution).toEqual({ raiseSeverity: true });
  });

  it('raises severity one step, and critical stays critical', () => {
    expect(['low', 'medium', 'high', 'critical'].map((s) => raisedSeverity(s as 'low'))).toEqual([
      'medium',
      'high',
      'critical',
      'critical',
    ]);
  });
});
