import { zonedWallClock } from '../../../../shared/domain/wall-clock';

/**
 * The periods the page offers, cut into tenant-local days or weeks. Each bucket is asked of
 * GET /v1/survey-results/summary on its own, so the trend counts surveys exactly as the breakdown
 * does (by decision time); the buckets partition the period, so together they read what one
 * summary of the whole period would.
 */
export type PeriodId = '7d' | '30d' | '12w';

export const periodIds: readonly PeriodId[] = ['7d', '30d', '12w'];

const shape: Record<PeriodId, { buckets: number; daysPerBucket: number }> = {
  '7d': { buckets: 7, daysPerBucket: 1 },
  '30d': { buckets: 30, daysPerBucket: 1 },
  '12w': { buckets: 12, daysPerBucket: 7 },
};

export interface Bucket {
  from: string;
  to: string;
}

export interface Period {
  id: PeriodId;
  from: string;
  to: string;
  daysPerBucket: number;
  buckets: Bucket[];
}

/** How far `timeZone` is ahead of UTC at the instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const wall = zonedWallClock(ms, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant a tenant-local calendar day starts (the date may overflow: day 0, day 32 roll over). */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day);
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  return second;
}

/** The period ending now, in whole tenant-local days or weeks (today so far is the last day). */
export function periodEndingNow(id: PeriodId, timeZone: string, nowMs: number = Date.now()): Period {
  const { buckets, daysPerBucket } = shape[id];
  const today = zonedWallClock(nowMs, timeZone);
  const days = buckets * daysPerBucket;
  const dayStart = (daysFromFirst: number) =>
    startOfLocalDay(today.year, today.month, today.day - days + 1 + daysFromFirst, timeZone);
  const list: Bucket[] = [];
  for (let index = 0; index < buckets; index++) {
    const from = dayStart(index * daysPerBucket);
    const to = index === buckets - 1 ? nowMs : dayStart((index + 1) * daysPerBucket);
    list.push({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  }
  return { id, from: list[0]!.from, to: list[list.length - 1]!.to, daysPerBucket, buckets: list };
}
