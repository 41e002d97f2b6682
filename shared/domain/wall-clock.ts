/**
 * The wall clock of an IANA time zone at an instant, read with Intl (one cached formatter per
 * zone). The SLA clock and the analytics calendar both build on it.
 */
export interface ZonedWallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** `mon` … `sun`. */
  weekday: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function zonedWallClock(instant: number, timeZone: string): ZonedWallClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: parts.weekday!.toLowerCase().slice(0, 3) as ZonedWallClock['weekday'],
  };
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** `YYYY-MM-DD HH:mm:ss` on the zone's wall clock at an instant, the form spreadsheets read as a date-time. */
export function wallClockDateTime(instant: number, timeZone: string): string {
  const clock = zonedWallClock(instant, timeZone);
  return `${String(clock.year).padStart(4, '0')}-${twoDigits(clock.month)}-${twoDigits(clock.day)} ${twoDigits(clock.hour)}:${twoDigits(clock.minute)}:${twoDigits(clock.second)}`;
}
