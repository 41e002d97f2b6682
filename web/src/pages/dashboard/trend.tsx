import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { Schemas } from '../../api/client';
import { LazyBarChart, LazyLineChart } from '../../components/lazy-charts';
import { ProblemAlert } from '../../components/problem';
import { useLocale, useMessages } from '../../i18n/locale';
import { type ChartedMetric, type Dimension, chartedMetrics } from './figures';
import { dashboardMessages } from './messages';

type Timeseries = Schemas['Timeseries'];

/** At most this many groups get a line of their own; the chart stays readable. */
const mostSeries = 8;

interface TrendProps {
  metric: ChartedMetric;
  onMetricChange(metric: ChartedMetric): void;
  dimension: Dimension | undefined;
  timezone: string;
  data: Timeseries | undefined;
  loading: boolean;
  error: unknown;
}

/** One metric over the period, per hour, day or week; with a breakdown, one line per group. */
export function Trend({ metric, onMetricChange, dimension, timezone, data, loading, error }: TrendProps) {
  const t = useMessages(dashboardMessages);
  const { locale } = useLocale();
  const unit = chartedMetrics[metric].unit;
  const interval = data?.interval ?? 'day';
  const tick = new Intl.DateTimeFormat(
    locale,
    interval === 'hour'
      ? { timeZone: timezone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : { timeZone: timezone, month: 'short', day: 'numeric' },
  );
  // Categorical labels must be unique: the hour that occurs twice when clocks go back gets a mark.
  const labels = new Map<string, string>();
  for (const point of data?.points ?? []) {
    let text = tick.format(new Date(point.start));
    while ([...labels.values()].includes(text)) text += ' ′';
    labels.set(point.start, text);
  }
  const label = (start: string) => labels.get(start) ?? tick.format(new Date(start));
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 'count' ? 0 : 1 });
  const valueFormatter = (value: number) => numbers.format(value);
  // The axis may step by halves even for counts; its ticks keep one decimal so no two read alike.
  const ticks = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

  type Point = { x: string; y: number };
  const toPoints = (points: Timeseries['points']): Point[] => points.map((point) => ({ x: label(point.start), y: point.value ?? 0 }));
  const pointsWithValues = (points: Timeseries['points']): Point[] =>
    points.flatMap((point) => (point.value === null ? [] : [{ x: label(point.start), y: point.value }]));
  // Counts are 0 where nothing happened; a rate with nothing to divide is absent, not 0.
  const pointsOf = unit === 'count' ? toPoints : pointsWithValues;
  const series = data?.series?.length
    ? [...data.series]
        .sort((a, b) => total(b.points) - total(a.points))
        .slice(0, mostSeries)
        .map((group) => ({ title: group.value, data: pointsOf(group.points), valueFormatter }))
    : data
      ? [{ title: t('wholeCenter'), data: pointsOf(data.points), valueFormatter }]
      : [];
  const xDomain = data ? data.points.map((point) => label(point.start)) : [];
  const nothing = !data || series.every((one) => (unit === 'count' ? one.data.every((point) => point.y === 0) : one.data.length === 0));
  const metricTitle = t(`metric.${metric}`);
  const common = {
    xScaleType: 'categorical' as const,
    xDomain,
    height: 260,
    ariaLabel: `${t('trend')}: ${metricTitle}`,
    xTitle: t(`interval.${interval}`),
    yTitle: metricTitle,
    statusType: error ? ('error' as const) : loading && !data ? ('loading' as const) : ('finished' as const),
    loadingText: t('chartLoading'),
    errorText: t('chartError'),
    empty: <Box color="text-body-secondary">{t('chartEmpty')}</Box>,
    noMatch: <Box color="text-body-secondary">{t('chartEmpty')}</Box>,
    hideFilter: !data?.series?.length,
    hideLegend: !data?.series?.length,
    legendTitle: t('legend'),
    i18nStrings: { filterLabel: t('filterLabel'), filterPlaceholder: t('filterPlaceholder'), legendAriaLabel: t('legend') },
    yTickFormatter: (value: number) => ticks.format(value),
  };
  const options = (Object.keys(chartedMetrics) as ChartedMetric[]).map((name) => ({ value: name, label: t(`metric.${name}`) }));
  const perDimensionMissing = dimension !== undefined && !chartedMetrics[metric].dimensions.includes(dimension);
  return (
    <Container
      header={
        <Header variant="h2" description={t('trendDescription', { interval: t(`interval.${interval}`), timezone })}>
          {t('trend')}
        </Header>
      }
    >
      <SpaceBetween size="m">
        <SpaceBetween size="m" direction="horizontal">
          <FormField label={t('figure')}>
            <Select
              selectedOption={options.find((option) => option.value === metric) ?? null}
              options={options}
              onChange={(event) => onMetricChange(event.detail.selectedOption.value as ChartedMetric)}
            />
          </FormField>
        </SpaceBetween>
        {perDimensionMissing && <Box color="text-body-secondary">{t('notCountedPerDimension', { dimension: t(`by.${dimension}`) })}</Box>}
        {error ? <ProblemAlert error={error} /> : null}
        {unit === 'count' ? (
          <LazyBarChart {...common} series={nothing ? [] : series.map((bar) => ({ ...bar, type: 'bar' as const }))} stackedBars={!!data?.series?.length} />
        ) : (
          <LazyLineChart {...common} series={nothing ? [] : series.map((line) => ({ ...line, type: 'line' as const }))} />
        )}
      </SpaceBetween>
    </Container>
  );
}

const total = (points: Timeseries['points']) => points.reduce((sum, point) => sum + (point.value ?? 0), 0);
