import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import LineChart from '@cloudscape-design/components/line-chart';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Table from '@cloudscape-design/components/table';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { surveyResultsMessages } from './messages';
import { type Period, type PeriodId, periodEndingNow, periodIds } from './periods';
import { CustomerWords } from './words';

type Summary = Schemas['SurveyResultsSummary'];
type Figures = Summary['overall'];
type GroupBy = 'agent' | 'queue' | 'channel' | 'template';
const groupByOptions: readonly GroupBy[] = ['agent', 'queue', 'channel', 'template'];

export default function SurveyResultsPage() {
  const t = useMessages(surveyResultsMessages);
  const format = useFormat();
  const me = useMe();
  const timeZone = me.data?.tenant.timezone ?? 'UTC';
  const [periodId, setPeriodId] = useState<PeriodId>('30d');
  const period = useMemo(() => periodEndingNow(periodId, timeZone), [periodId, timeZone]);

  return (
    <ContentLayout header={<Header variant="h1" description={t('description')}>{t('title')}</Header>}>
      <SpaceBetween size="l">
        <Container>
          <SpaceBetween size="xs">
            <FormField label={t('period')} controlId="survey-results-period">
              <Select
                controlId="survey-results-period"
                selectedOption={{ value: periodId, label: t(`period.${periodId}`) }}
                options={periodIds.map((id) => ({ value: id, label: t(`period.${id}`) }))}
                onChange={(event) => setPeriodId(event.detail.selectedOption.value as PeriodId)}
              />
            </FormField>
            <Box variant="small">
              {t('periodRange', { from: format.date(period.from, timeZone), to: format.date(period.to, timeZone), timezone: timeZone })}
            </Box>
          </SpaceBetween>
        </Container>
        <Breakdown period={period} />
        <Trends period={period} timeZone={timeZone} />
        <CustomerWords period={period} timeZone={timeZone} />
      </SpaceBetween>
    </ContentLayout>
  );
}

function useSummary(from: string, to: string, groupBy?: GroupBy) {
  const api = useApi();
  return useQuery({
    queryKey: ['survey-results', from, to, groupBy ?? 'overall'],
    queryFn: () => answer(api.GET('/v1/survey-results/summary', { params: { query: { from, to, ...(groupBy && { groupBy }) } } })),
  });
}

function KeyFigures({ figures }: { figures: Figures }) {
  const t = useMessages(surveyResultsMessages);
  const format = useFormat();
  const percent = (value: number | null) => (value === null ? '—' : format.percent(value / 100));
  const figure = (id: string, label: string, value: string, detail: string, hint?: string) => (
    <div>
      <Box variant="awsui-key-label">{label}</Box>
      <Box variant="awsui-value-large" data-figure={id}>
        {value}
      </Box>
      <Box variant="small" display="block">
        {detail}
      </Box>
      {hint && (
        <Box variant="small" display="block" color="text-body-secondary">
          {hint}
        </Box>
      )}
    </div>
  );
  const answered = (count: number) => (count === 0 ? t('noAnswers') : t('answers', { count: format.number(count) }));
  return (
    <ColumnLayout columns={4} variant="text-grid">
      <SpaceBetween size="s">
        {figure('sent', t('sent'), format.number(figures.sent), '')}
        {figure('responseRate', t('responseRate'), percent(figures.responseRate), t('responseRateOf', { responses: format.number(figures.responses), sent: format.number(figures.sent) }))}
      </SpaceBetween>
      {figure('csat', t('csat'), percent(figures.csat.score), answered(figures.csat.answers), t('csatHint'))}
      {figure('nps', t('nps'), figures.nps.score === null ? '—' : format.number(figures.nps.score, { maximumFractionDigits: 1 }), answered(figures.nps.answers), t('npsHint'))}
      {figure('ces', t('ces'), figures.ces.average === null ? '—' : format.number(figures.ces.average, { maximumFractionDigits: 2 }), answered(figures.ces.answers), t('cesHint'))}
    </ColumnLayout>
  );
}

function Breakdown({ period }: { period: Period }) {
  const t = useMessages(surveyResultsMessages);
  const format = useFormat();
  const api = useApi();
  const [groupBy, setGroupBy] = useState<GroupBy>('agent');
  const summary = useSummary(period.from, period.to, groupBy);
  const templates = useQuery({
    queryKey: ['survey-templates', 'names'],
    queryFn: () => answer(api.GET('/v1/survey-templates', { params: { query: { limit: 100 } } })),
    enabled: groupBy === 'template',
  });
  const templateName = (templateId: string) => templates.data?.items.find((template) => template.templateId === templateId)?.name ?? templateId;
  const percent = (value: number | null) => (value === null ? '—' : format.percent(value / 100));
  type Group = NonNullable<Summary['groups']>[number];
  const groupLabel = (group: Group) => (group.key === null ? t('groupNone') : groupBy === 'template' ? templateName(group.key) : group.key);

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">{t('keyFigures')}</Header>}>
        {summary.error ? <ProblemAlert error={summary.error} /> : summary.data ? <KeyFigures figures={summary.data.overall} /> : <Spinner />}
      </Container>
      <Table
        header={
          <Header
            variant="h2"
            description={t('breakdownDescription')}
            actions={
              <SegmentedControl
                label={t('breakdownBy')}
                selectedId={groupBy}
                options={groupByOptions.map((id) => ({ id, text: t(`groupBy.${id}`) }))}
                onChange={(event) => setGroupBy(event.detail.selectedId as GroupBy)}
              />
            }
          >
            {t('breakdown')}
          </Header>
        }
        loading={summary.isPending}
        loadingText={t('chartLoading')}
        items={summary.data?.groups ?? []}
        trackBy={(group) => group.key ?? ''}
        ariaLabels={{ tableLabel: t('breakdown') }}
        empty={summary.error ? <ProblemAlert error={summary.error} /> : <Box textAlign="center">{t('breakdownEmpty')}</Box>}
        columnDefinitions={[
          { id: 'group', header: t(`groupBy.${groupBy}`), cell: groupLabel, isRowHeader: true },
          { id: 'sent', header: t('sent'), cell: (group) => format.number(group.sent) },
          { id: 'responses', header: t('colResponses'), cell: (group) => format.number(group.responses) },
          { id: 'responseRate', header: t('responseRate'), cell: (group) => percent(group.responseRate) },
          { id: 'csat', header: t('csat'), cell: (group) => `${percent(group.csat.score)} (${format.number(group.csat.answers)})` },
          {
            id: 'nps',
            header: t('nps'),
            cell: (group) => `${group.nps.score === null ? '—' : format.number(group.nps.score, { maximumFractionDigits: 1 })} (${format.number(group.nps.answers)})`,
          },
          {
            id: 'ces',
            header: t('ces'),
            cell: (group) => `${group.ces.average === null ? '—' : format.number(group.ces.average, { maximumFractionDigits: 2 })} (${format.number(group.ces.answers)})`,
          },
          { id: 'resolved', header: t('colResolved'), cell: (group) => percent(group.resolved.yesShare) },
        ]}
      />
    </SpaceBetween>
  );
}

function Trends({ period, timeZone }: { period: Period; timeZone: string }) {
  const t = useMessages(surveyResultsMessages);
  const format = useFormat();
  const api = useApi();
  const buckets = useQueries({
    queries: period.buckets.map((bucket) => ({
      queryKey: ['survey-results', bucket.from, bucket.to, 'overall'],
      queryFn: () => answer(api.GET('/v1/survey-results/summary', { params: { query: { from: bucket.from, to: bucket.to } } })),
    })),
  });
  const failed = buckets.find((bucket) => bucket.error);
  const status = failed ? 'error' : buckets.some((bucket) => bucket.isPending) ? 'loading' : 'finished';
  const points = (value: (figures: Figures) => number | null) =>
    period.buckets.flatMap((bucket, index) => {
      const figures = buckets[index]?.data?.overall;
      const y = figures ? value(figures) : null;
      return y === null ? [] : [{ x: new Date(bucket.from), y }];
    });
  const xDomain = [new Date(period.buckets[0]!.from), new Date(period.buckets[period.buckets.length - 1]!.from)];
  const tick = (date: Date) => format.date(date.toISOString(), timeZone);
  const retry = () => buckets.filter((bucket) => bucket.error).forEach((bucket) => void bucket.refetch());

  const chart = (title: string, series: { x: Date; y: number }[], yDomain: [number, number], valueFormat: (y: number) => string) => (
    <div>
      <Box variant="h3" padding={{ bottom: 'xs' }}>
        {title}
      </Box>
      <LineChart
        series={[{ title, type: 'line', data: series, valueFormatter: valueFormat }]}
        xScaleType="time"
        xDomain={xDomain}
        yDomain={yDomain}
        xTickFormatter={tick}
        yTickFormatter={(y) => format.number(y)}
        xTitle={t('chartX')}
        ariaLabel={title}
        height={180}
        hideFilter
        hideLegend
        statusType={status}
        loadingText={t('chartLoading')}
        errorText={t('chartError')}
        recoveryText={t('chartRecovery')}
        onRecoveryClick={retry}
        empty={
          <Box textAlign="center" color="inherit">
            <b>{t('chartEmpty')}</b>
            <Box variant="p" color="inherit">
              {t('chartEmptyHint')}
            </Box>
          </Box>
        }
      />
    </div>
  );

  return (
    <Container header={<Header variant="h2" description={t('trendsDescription')}>{t('trends')}</Header>}>
      <SpaceBetween size="m">
        {failed?.error && <ProblemAlert error={failed.error} />}
        <ColumnLayout columns={3}>
          {chart(t('trendCsat'), points((figures) => figures.csat.score), [0, 100], (y) => format.percent(y / 100))}
          {chart(t('trendNps'), points((figures) => figures.nps.score), [-100, 100], (y) => format.number(y, { maximumFractionDigits: 1 }))}
          {chart(t('trendCes'), points((figures) => figures.ces.average), [1, 7], (y) => format.number(y, { maximumFractionDigits: 2 }))}
        </ColumnLayout>
      </SpaceBetween>
    </Container>
  );
}
