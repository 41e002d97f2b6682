import { describe, expect, it } from 'vitest';
import { addDays, daysIn, intervalFor, periodOf, todayIn } from '../../web/src/pages/dashboard/period';

/**
 * The dashboard's periods are the tenant's calendar days, whatever the browser's time zone: at
 * 16:30 UTC on 8 March 2026 it is already the 9th in Taipei and still the 8th in New York.
 */
const now = new Date('2026-03-08T16:30:00Z');

describe("the dashboard's periods", () => {
  it("reads today in the tenant's time zone, not the browser's", () => {
    expect(todayIn('Asia/Taipei', now)).toBe('2026-03-09');
    expect(todayIn('America/New_York', now)).toBe('2026-03-08');
  });

  it('turns the relative ranges into tenant-local days, today included', () => {
    const relative = (key: string, amount: number, unit: 'day' | 'week' | 'month') => periodOf({ type: 'relative', key, amount, unit }, 'Asia/Taipei', now);
    expect(relative('today', 1, 'day')).toEqual({ from: '2026-03-09', to: '2026-03-09' });
    expect(relative('yesterday', 1, 'day')).toEqual({ from: '2026-03-08', to: '2026-03-08' });
    expect(relative('last-7-days', 7, 'day')).toEqual({ from: '2026-03-03', to: '2026-03-09' });
    expect(relative('last-30-days', 30, 'day')).toEqual({ from: '2026-02-08', to: '2026-03-09' });
    // A custom "last 2 weeks" and "last 1 month" (10 February to 9 March: a month of days, today included).
    expect(relative('custom', 2, 'week')).toEqual({ from: '2026-02-24', to: '2026-03-09' });
    expect(relative('custom', 1, 'month')).toEqual({ from: '2026-02-10', to: '2026-03-09' });
  });

  it('takes chosen dates as they are, in either order, and nothing half-chosen', () => {
    expect(periodOf({ type: 'absolute', startDate: '2026-03-05', endDate: '2026-03-01' }, 'Asia/Taipei', now)).toEqual({ from: '2026-03-01', to: '2026-03-05' });
    expect(periodOf({ type: 'absolute', startDate: '2026-03-05', endDate: '' }, 'Asia/Taipei', now)).toBeNull();
    expect(periodOf(null, 'Asia/Taipei', now)).toBeNull();
  });

  it('counts calendar days across month ends and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysIn({ from: '2026-03-08', to: '2026-03-08' })).toBe(1);
    // The day New York's clocks go forward is still one day.
    expect(daysIn({ from: '2026-03-07', to: '2026-03-09' })).toBe(3);
  });

  it('charts hours for a day or two, days up to two months, weeks beyond', () => {
    expect(intervalFor({ from: '2026-03-08', to: '2026-03-09' })).toBe('hour');
    expect(intervalFor({ from: '2026-03-07', to: '2026-03-09' })).toBe('day');
    expect(intervalFor({ from: '2026-01-07', to: '2026-03-09' })).toBe('day');
    expect(intervalFor({ from: '2026-01-06', to: '2026-03-09' })).toBe('week');
  });
});
