import type { Schemas } from '../../api/client';
import { useFormat, useMessages } from '../../i18n/locale';
import { dashboardMessages } from './messages';

export type Dimension = NonNullable<Schemas['AnalyticsSummary']['groupBy']>;
export const dimensions: readonly Dimension[] = ['queue', 'agent', 'channel', 'reason'];

export type ChartedMetric =
  | 'offered'
  | 'handled'
  | 'abandoned'
  | 'abandonmentRate'
  | 'averageSpeedOfAnswerSeconds'
  | 'averageHandleTimeSeconds'
  | 'serviceLevelPercent'
  | 'firstContactResolutionRate'
  | 'csat'
  | 'nps'
  | 'ces'
  | 'casesOpened'
  | 'slaCompliance';

interface ChartedMetricDefinition {
  unit: 'count' | 'percent' | 'seconds' | 'score';
  /** The dimensions the metric's events carry (docs/metrics.md): the others chart the whole only. */
  dimensions: readonly Dimension[];
}

const contactDimensions = dimensions;
const surveyDimensions: readonly Dimension[] = ['queue', 'agent', 'channel'];

export const chartedMetrics: Record<ChartedMetric, ChartedMetricDefinition> = {
  offered: { unit: 'count', dimensions: contactDimensions },
  handled: { unit: 'count', dimensions: contactDimensions },
  abandoned: { unit: 'count', dimensions: contactDimensions },
  abandonmentRate: { unit: 'percent', dimensions: contactDimensions },
  averageSpeedOfAnswerSeconds: { unit: 'seconds', dimensions: contactDimensions },
  averageHandleTimeSeconds: { unit: 'seconds', dimensions: contactDimensions },
  serviceLevelPercent: { unit: 'percent', dimensions: contactDimensions },
  firstContactResolutionRate: { unit: 'percent', dimensions: contactDimensions },
  csat: { unit: 'percent', dimensions: surveyDimensions },
  nps: { unit: 'score', dimensions: surveyDimensions },
  ces: { unit: 'score', dimensions: surveyDimensions },
  casesOpened: { unit: 'count', dimensions: ['agent'] },
  slaCompliance: { unit: 'percent', dimensions: [] },
};

/** The figures of the dashboard in the page's language: counts, percents (the API's 0–100) and durations. */
export function useFigures() {
  const t = useMessages(dashboardMessages);
  const format = useFormat();
  return {
    count: (value: number | null | undefined) => (value === null || value === undefined ? t('noValue') : format.number(value)),
    percent: (value: number | null | undefined) => (value === null || value === undefined ? t('noValue') : format.percent(value / 100)),
    score: (value: number | null | undefined) =>
      value === null || value === undefined ? t('noValue') : format.number(value, { maximumFractionDigits: 1 }),
    duration: (seconds: number | null | undefined) => {
      if (seconds === null || seconds === undefined) return t('noValue');
      if (seconds < 60) return t('seconds', { seconds: format.number(seconds, { maximumFractionDigits: 1 }) });
      const whole = Math.round(seconds);
      return t('minutesSeconds', { minutes: format.number(Math.floor(whole / 60)), seconds: format.number(whole % 60) });
    },
  };
}
