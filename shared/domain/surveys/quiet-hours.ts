import { minutesOf } from '../business-calendar';

/**
 * What makes a quiet-hours window impossible, each with the field it names. `24:00` is the end of
 * the day, as in business hours: `21:00`–`24:00` is quiet until midnight. It cannot start a window
 * (that is `00:00`), and a window whose end is its start (`00:00`–`24:00` included) would be quiet
 * all day or not at all: `null` says "any hour", and surveys that should never go out are turned off.
 */
export function quietHoursProblems(hours: { start: string; end: string }): { path: 'start' | 'end'; message: string }[] {
  if (hours.start === '24:00') return [{ path: 'start', message: '24:00 ends a day; quiet hours from midnight start at 00:00' }];
  if (minutesOf(hours.start) % dayMinutes === minutesOf(hours.end) % dayMinutes) {
    const allDay = hours.start !== hours.end;
    return [
      {
        path: 'end',
        message: allDay
          ? 'Quiet all day would send no survey; turn surveys off instead (enabled: false)'
          : 'start and end must differ; send null for no quiet hours',
      },
    ];
  }
  return [];
}

const dayMinutes = 24 * 60;
