import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useEffect, useState } from 'react';
import { type Locale, defineMessages, useLocale, useMessages } from '../../i18n/locale';

/** The time now, ticking every `everyMs`: for countdowns. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

const messages = defineMessages(
  {
    dueIn: 'Due in {left}',
    overdue: 'Overdue by {left}',
    dueAt: 'due {at}',
  },
  {
    dueIn: '{left}後到期',
    overdue: '已逾期 {left}',
    dueAt: '期限 {at}',
  },
);

const units: Record<Locale, { d: string; h: string; m: string; s: string; join: string }> = {
  en: { d: 'd', h: 'h', m: 'min', s: 's', join: ' ' },
  'zh-TW': { d: ' 天', h: ' 小時', m: ' 分', s: ' 秒', join: ' ' },
};

/** A span of time in the person's language, to the second under an hour, to the minute under a day, else days and hours. */
export function formatSpan(ms: number, locale: Locale): string {
  const u = units[locale];
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts =
    days > 0 ? [`${days}${u.d}`, `${hours}${u.h}`] : hours > 0 ? [`${hours}${u.h}`, `${minutes}${u.m}`] : [`${minutes}${u.m}`, `${seconds}${u.s}`];
  return parts.join(u.join);
}

/** Within this, a deadline shows as a warning. */
export const dueSoonMs = 60 * 60_000;

/** A live countdown to `dueAt`: red once overdue, amber within the hour. */
export function Countdown({ dueAt, now }: { dueAt: string; now: number }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const left = Date.parse(dueAt) - now;
  const text = left < 0 ? t('overdue', { left: formatSpan(left, locale) }) : t('dueIn', { left: formatSpan(left, locale) });
  const type = left < 0 ? 'error' : left <= dueSoonMs ? 'warning' : 'pending';
  return <StatusIndicator type={type}>{text}</StatusIndicator>;
}

/** The deadline a case is worked to: the nearest not met (past when overdue), as the API orders My work. */
export function nearestDeadline(c: { status: string; sla: Record<'firstResponse' | 'resolution', { dueAt: string; metAt?: string }> }):
  | { kind: 'firstResponse' | 'resolution'; dueAt: string }
  | undefined {
  if (c.status === 'resolved' || c.status === 'closed') return undefined;
  const running = (['firstResponse', 'resolution'] as const).filter((kind) => !c.sla[kind].metAt).map((kind) => ({ kind, dueAt: c.sla[kind].dueAt }));
  return running.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
}
