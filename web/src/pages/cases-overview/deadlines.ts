/** The statuses of the backlog, in the order the page shows them (the server counts the same three). */
export const backlogStatuses = ['open', 'in_progress', 'awaiting_customer'] as const;

/** The age bands the server counts the backlog by (GET /v1/analytics/case-backlog, byAge). */
export const ageBands = ['day', 'days3', 'week', 'month', 'older'] as const;

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** `Intl.RelativeTimeFormat` in the unit a person would say: minutes, then hours, then days. */
export function relativeTime(iso: string, nowMs: number, locale: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const diff = Date.parse(iso) - nowMs;
  const absolute = Math.abs(diff);
  if (absolute < hourMs) return format.format(Math.round(diff / 60_000), 'minute');
  if (absolute < 2 * dayMs) return format.format(Math.round(diff / hourMs), 'hour');
  return format.format(Math.round(diff / dayMs), 'day');
}
