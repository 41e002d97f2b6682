import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import type { DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { answer } from '../../api/client';
import { useRouter } from '../../app/router';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useLocale, useMessages } from '../../i18n/locale';
import { type ChartedMetric, type Dimension, chartedMetrics, dimensions } from './figures';
import { BusyHours } from './heatmap';
import { dashboardMessages } from './messages';
import { intervalFor, longestPeriodDays, daysIn, periodOf, relativeOptions, todayRange } from './period';
import { SummaryTiles } from './tiles';
import { Trend } from './trend';

/**
 * How often the figures are read again, so that contacts closed meanwhile appear without a
 * reload. `?refresh=<seconds>` changes it (a wall display may want 10 s; the browser test 2 s).
 */
const defaultRefreshSeconds = 30;

// The breakdown's table is shown only once a person asks for a breakdown: not on the first page.
const GroupsTable = lazy(() => import('./groups').then((module) => ({ default: module.GroupsTable })));
// The period's calendar likewise: until a person opens it, a light button shows the period chosen.
const PeriodPicker = lazy(() => import('./period-picker'));
const refreshSecondsFrom = (query: URLSearchParams): number => {
  const asked = Number(query.get('refresh'));
  return Number.isFinite(asked) && asked >= 1 && asked <= 3600 ? asked : defaultRefreshSeconds;
};

export default function DashboardPage() {
  const me = useMe();
  // The shell renders pages once /v1/me has answered.
  const timezone = me.data?.tenant.timezone ?? 'UTC';
  return <Dashboard timezone={timezone} />;
}

function Dashboard({ timezone }: { timezone: string }) {
  const t = useMessages(dashboardMessages);
  const { locale } = useLocale();
  const format = useFormat();
  const api = useApi();
  const queryClient = useQueryClient();
  const { query } = useRouter();
  const refreshSeconds = refreshSecondsFrom(query);
  const [range, setRange] = useState<DateRangePickerProps.Value>(todayRange);
  const [pickerWanted, setPickerWanted] = useState(false);
  const [dimension, setDimension] = useState<Dimension | undefined>();
  const [metric, setMetric] = useState<ChartedMetric>('offered');

  const period = periodOf(range, timezone) ?? periodOf(todayRange, timezone)!;
  const interval = intervalFor(period);
  const timeseriesGroupBy = dimension && chartedMetrics[metric].dimensions.includes(dimension) ? dimension : undefined;
  const live = { refetchInterval: refreshSeconds * 1000, refetchIntervalInBackground: false, placeholderData: keepPreviousData, staleTime: 0 };

  const summary = useQuery({
    queryKey: ['analytics', 'summary', period.from, period.to, dimension ?? null],
    queryFn: () => answer(api.GET('/v1/analytics/summary', { params: { query: { from: period.from, to: period.to, ...(dimension && { groupBy: dimension }) } } })),
    ...live,
  });
  const timeseries = useQuery({
    queryKey: ['analytics', 'timeseries', metric, interval, period.from, period.to, timeseriesGroupBy ?? null],
    queryFn: () =>
      answer(
        api.GET('/v1/analytics/timeseries', {
          params: { query: { metric, interval, from: period.from, to: period.to, ...(timeseriesGroupBy && { groupBy: timeseriesGroupBy }) } },
        }),
      ),
    ...live,
  });
  const heatmap = useQuery({
    queryKey: ['analytics', 'heatmap'],
    queryFn: () => answer(api.GET('/v1/analytics/heatmap')),
    ...live,
  });

  const updatedAt = Math.max(summary.dataUpdatedAt, timeseries.dataUpdatedAt, heatmap.dataUpdatedAt);
  const updating = summary.isFetching || timeseries.isFetching || heatmap.isFetching;
  const clock = new Intl.DateTimeFormat(locale, { timeZone: timezone, timeStyle: 'medium' });

  // Calendar days, written as such: noon UTC of a date is that date in UTC whatever the browser's zone.
  const day = (date: string) => format.date(`${date}T12:00:00Z`, 'UTC');
  const periodText = period.from === period.to ? day(period.from) : t('periodShown', { from: day(period.from), to: day(period.to) });
  const rangeLabel = (value: DateRangePickerProps.RelativeValue) =>
    value.key && relativeOptions.some((option) => option.key === value.key)
      ? t(`range.${value.key}` as 'range.today')
      : t('range.custom', { amount: format.number(value.amount), unit: t(`unit.${value.unit}` as 'unit.day') });
  // What the light button shows before the calendar is loaded: the same words as the picker's own trigger.
  const rangeText = range.type === 'relative' ? rangeLabel(range) : periodText;
  const isValidRange: DateRangePickerProps.ValidationFunction = (value) => {
    if (value?.type === 'absolute' && (!value.startDate || !value.endDate)) return { valid: false, errorMessage: t('chooseRange') };
    const chosen = periodOf(value, timezone);
    if (!chosen) return { valid: false, errorMessage: t('chooseRange') };
    if (daysIn(chosen) > longestPeriodDays) return { valid: false, errorMessage: t('rangeTooLong', { days: format.number(longestPeriodDays) }) };
    return { valid: true };
  };
  const dimensionOptions = [
    { value: 'none', label: t('by.none') },
    ...dimensions.map((value) => ({ value, label: t(`by.${value}`) })),
  ];

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={t('description', { timezone })}
          actions={
            <Button iconName="refresh" loading={updating} onClick={() => void queryClient.invalidateQueries({ queryKey: ['analytics'] })}>
              {t('refresh')}
            </Button>
          }
        >
          {t('title')}
        </Header>
      }
    >
      <SpaceBetween size="l">
        <SpaceBetween size="l" direction="horizontal" alignItems="end">
          <FormField label={t('period')} description={periodText}>
            {pickerWanted ? (
              <Suspense fallback={<Button iconName="calendar" loading ariaLabel={t('period')}>{rangeText}</Button>}>
                <PeriodPicker
                  value={range}
                  onChange={setRange}
                  relativeOptions={relativeOptions}
                  isValidRange={isValidRange}
                  formatRelativeRange={rangeLabel}
                  customRangeLabel={t('customRange')}
                  ariaLabel={t('period')}
                  openAtOnce
                />
              </Suspense>
            ) : (
              <Button iconName="calendar" ariaLabel={`${t('period')}: ${rangeText}`} ariaExpanded={false} onClick={() => setPickerWanted(true)}>
                {rangeText}
              </Button>
            )}
          </FormField>
          <FormField label={t('breakDownBy')}>
            <Select
              selectedOption={dimensionOptions.find((option) => option.value === (dimension ?? 'none')) ?? null}
              options={dimensionOptions}
              onChange={(event) => {
                const chosen = event.detail.selectedOption.value;
                setDimension(chosen === 'none' ? undefined : (chosen as Dimension));
              }}
            />
          </FormField>
          <Box padding={{ bottom: 'xxs' }}>
            <div data-testid="updated-at">
              {updatedAt > 0 ? (
                <StatusIndicator type="success">{t('updatedAt', { time: clock.format(updatedAt) })}</StatusIndicator>
              ) : (
                <StatusIndicator type="loading">{t('updating')}</StatusIndicator>
              )}
            </div>
            <Box variant="small" color="text-body-secondary">
              {t('refreshEvery', { seconds: format.number(refreshSeconds) })}
            </Box>
          </Box>
        </SpaceBetween>
        {summary.error ? <ProblemAlert error={summary.error} /> : null}
        {summary.data ? <SummaryTiles metrics={summary.data.metrics} /> : summary.isPending && <Spinner size="large" />}
        {dimension && summary.data?.groupBy === dimension && (
          <Suspense fallback={<Spinner size="large" />}>
            <GroupsTable dimension={dimension} groups={summary.data.groups ?? []} loading={summary.isFetching && summary.isPlaceholderData} />
          </Suspense>
        )}
        <Trend
          metric={metric}
          onMetricChange={setMetric}
          dimension={dimension}
          timezone={timezone}
          data={timeseries.data}
          loading={timeseries.isFetching}
          error={timeseries.error}
        />
        <BusyHours data={heatmap.data} loading={heatmap.isPending} error={heatmap.error} timezone={timezone} />
      </SpaceBetween>
    </ContentLayout>
  );
}
