import type { Schemas } from '../../api/client';

type Case = Schemas['Case'];
export type DeadlineKind = 'firstResponse' | 'resolution';

export interface Deadline {
  kind: DeadlineKind;
  dueAt: string;
  breachedAt?: string;
}

export const backlogStatuses = ['open', 'in_progress', 'awaiting_customer'] as const;
export type BacklogStatus = (typeof backlogStatuses)[number];

const kinds: DeadlineKind[] = ['firstResponse', 'resolution'];

/** The deadline a case still has to meet: first response until it is met, then resolution. */
export function nextDeadline(c: Case): Deadline | undefined {
  for (const kind of kinds) {
    const clock = c.sla[kind];
    if (!clock.metAt) return { kind, dueAt: clock.dueAt, ...(clock.breachedAt && { breachedAt: clock.breachedAt }) };
  }
  return undefined;
}

/** The deadline the case missed (the first one, when it missed both). */
export function missedDeadline(c: Case): Deadline | undefined {
  for (const kind of kinds) {
    const clock = c.sla[kind];
    if (clock.breachedAt) return { kind, dueAt: clock.dueAt, breachedAt: clock.breachedAt };
  }
  return undefined;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Unresolved cases whose next deadline has not passed yet and falls within `withinMs`, soonest first. */
export function nearlyBreached(cases: readonly Case[], nowMs: number, withinMs = dayMs): Case[] {
  return cases
    .filter((c) => {
      const deadline = nextDeadline(c);
      if (!deadline || deadline.breachedAt) return false;
      const due = Date.parse(deadline.dueAt);
      return due > nowMs && due <= nowMs + withinMs;
    })
    .sort((a, b) => Date.parse(nextDeadline(a)!.dueAt) - Date.parse(nextDeadline(b)!.dueAt));
}

export const ageBands = ['day', 'days3', 'week', 'month', 'older'] as const;
export type AgeBand = (typeof ageBands)[number];

/** How long ago a case was opened, in the bands a supervisor reads a backlog by. */
export function ageBandOf(openedAt: string, nowMs: number): AgeBand {
  const age = nowMs - Date.parse(openedAt);
  if (age < dayMs) return 'day';
  if (age < 3 * dayMs) return 'days3';
  if (age < 7 * dayMs) return 'week';
  if (age < 30 * dayMs) return 'month';
  return 'older';
}

/** `Intl.RelativeTimeFormat` in the unit a person would say: minutes, then hours, then days. */
export function relativeTime(iso: string, nowMs: number, locale: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const diff = Date.parse(iso) - nowMs;
  const absolute = Math.abs(diff);
  if (absolute < hourMs) return format.format(Math.round(diff / 60_000), 'minute');
  if (absolute < 2 * dayMs) return format.format(Math.round(diff / hourMs), 'hour');
  return format.format(Math.round(diff / dayMs), 'day');
}
