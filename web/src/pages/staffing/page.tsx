import Alert from '@cloudscape-design/components/alert';
import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import DatePicker from '@cloudscape-design/components/date-picker';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Table from '@cloudscape-design/components/table';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { ProblemAlert, fieldError } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { staffingMessages } from './messages';

type Plan = Schemas['StaffingPlan'];
type Model = Plan['model'];
type IntervalMinutes = 30 | 60;

/** The goal fields the route takes as overrides; empty means the tenant's setting. */
const goalFields = ['targetPercent', 'thresholdSeconds', 'maxOccupancyPercent', 'shrinkagePercent'] as const;
type GoalField = (typeof goalFields)[number];
type Goal = Record<GoalField | 'patienceSeconds', string> & { model: Model };

const emptyGoal: Goal = { targetPercent: '', thresholdSeconds: '', maxOccupancyPercent: '', shrinkagePercent: '', patienceSeconds: '', model: 'erlang-c' };

/** A forecast row as the person edits it: text, so a half-typed number is kept. */
interface ForecastEdit {
  contacts: string;
  averageHandleSeconds: string;
}

const tomorrowIn = (timeZone: string): string => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const next = new Date(`${today}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
};

/** Every local start of a day's intervals, for entering a forecast where history gives none. */
const startsOfDay = (minutes: IntervalMinutes): string[] =>
  Array.from({ length: (24 * 60) / minutes }, (_, index) => {
    const total = index * minutes;
    return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
  });

const numberOrUndefined = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

export default function StaffingPage() {
  const me = useMe();
  return <Staffing timezone={me.data?.tenant.timezone ?? 'UTC'} />;
}

function Staffing({ timezone }: { timezone: string }) {
  const t = useMessages(staffingMessages);
  const format = useFormat();
  const api = useApi();
  const [date, setDate] = useState(() => tomorrowIn(timezone));
  const [interval, setInterval] = useState<IntervalMinutes>(60);
  const [draft, setDraft] = useState<Goal>(emptyGoal);
  const [applied, setApplied] = useState<Goal>(emptyGoal);
  const [edits, setEdits] = useState<Record<string, ForecastEdit>>({});
  // The starts sent with the last forecast, to put each `$.forecast[i]` error beside its row.
  const sentStarts = useRef<string[]>([]);

  const overrides = (goal: Goal) => {
    const chosen: Partial<Record<GoalField | 'patienceSeconds', number>> & { model: Model } = { model: goal.model };
    for (const field of [...goalFields, 'patienceSeconds'] as const) {
      const value = numberOrUndefined(goal[field]);
      if (value !== undefined) chosen[field] = value;
    }
    return chosen;
  };

  const fromHistory = useQuery({
    queryKey: ['staffing', date, interval, applied],
    queryFn: () =>
      answer(
        api.GET('/v1/analytics/staffing', {
          params: { query: { date, interval, ...overrides(applied) } },
        }),
      ),
    enabled: /^\d{4}-\d{2}-\d{2}$/.test(date),
  });
  const withForecast = useMutation({
    mutationFn: (forecast: { start: string; contacts: number; averageHandleSeconds?: number }[]) =>
      answer(api.POST('/v1/analytics/staffing', { body: { date, interval, forecast, ...overrides(draft) } })),
  });

  // The plan of the person's own forecast stays on screen while its next calculation is under
  // way: a pending mutation has no data, and history's plan in between would flash other figures.
  const [calculated, setCalculated] = useState<Plan>();
  // What the page shows: the plan for the person's own forecast once calculated, else history's.
  const plan: Plan | undefined = calculated ?? fromHistory.data;
  const rows = useMemo(() => {
    const byStart = new Map((plan?.intervals ?? []).map((entry) => [entry.start, entry]));
    const starts = plan?.intervals.length ? [...new Set(plan.intervals.map((entry) => entry.start))] : startsOfDay(interval);
    return starts.map((start) => ({ start, planned: byStart.get(start) }));
  }, [plan, interval]);
  const edited = Object.keys(edits).length > 0;

  const forecastOf = (row: (typeof rows)[number]): ForecastEdit =>
    edits[row.start] ?? {
      contacts: row.planned ? String(Math.round(row.planned.forecastContacts * 100) / 100) : '0',
      averageHandleSeconds: row.planned ? String(Math.round(row.planned.averageHandleSeconds)) : '',
    };
  const edit = (start: string, change: Partial<ForecastEdit>, current: ForecastEdit) => setEdits((all) => ({ ...all, [start]: { ...current, ...change } }));

  const calculate = () => {
    // History's forecast, untouched: the goal's overrides go to GET. Anything the person entered
    // (now or in an earlier calculation) goes to POST, so changing the goal keeps their forecast.
    if (!edited && !calculated && fromHistory.data?.forecastSource === 'history') {
      withForecast.reset();
      setApplied(draft);
      return;
    }
    // Every open interval is sent, so the plan is of exactly the forecast in the table.
    const sent = rows
      .filter((row) => row.planned?.open !== false)
      .map((row) => {
        const forecast = forecastOf(row);
        const averageHandleSeconds = numberOrUndefined(forecast.averageHandleSeconds);
        return { start: row.start, contacts: Number(forecast.contacts || 0), ...(averageHandleSeconds !== undefined && { averageHandleSeconds }) };
      });
    sentStarts.current = sent.map((row) => row.start);
    withForecast.mutate(sent, {
      onSuccess: (next) => {
        setCalculated(next);
        setEdits({});
      },
    });
  };
  const rowError = (start: string, field: 'contacts' | 'averageHandleSeconds') => {
    const index = sentStarts.current.indexOf(start);
    return index < 0 ? undefined : fieldError(withForecast.error, `$.forecast[${index}].${field}`) ?? fieldError(withForecast.error, `$.forecast[${index}]`);
  };
  const resetForecast = () => {
    setEdits({});
    setCalculated(undefined);
    withForecast.reset();
  };
  const changeDay = (next: { date?: string; interval?: IntervalMinutes }) => {
    if (next.date !== undefined) setDate(next.date);
    if (next.interval !== undefined) setInterval(next.interval);
    resetForecast();
  };

  const request = withForecast.error ?? fromHistory.error;
  const target = plan?.target;
  const goalPlaceholder: Record<GoalField, string | undefined> = {
    targetPercent: target && String(target.serviceLevelPercent),
    thresholdSeconds: target && String(target.thresholdSeconds),
    maxOccupancyPercent: target && String(target.maxOccupancyPercent),
    shrinkagePercent: target && String(target.shrinkagePercent),
  };
  const goalLabels: Record<GoalField, { label: string; description?: string }> = {
    targetPercent: { label: t('targetPercent'), description: t('targetPercentDescription') },
    thresholdSeconds: { label: t('thresholdSeconds') },
    maxOccupancyPercent: { label: t('maxOccupancyPercent'), description: t('maxOccupancyDescription') },
    shrinkagePercent: { label: t('shrinkagePercent'), description: t('shrinkageDescription') },
  };
  const intervalOptions = [
    { value: '30', label: t('interval.30') },
    { value: '60', label: t('interval.60') },
  ];
  const modelOptions = (['erlang-c', 'erlang-a'] as const).map((value) => ({ value, label: t(`model.${value}`) }));
  const busy = fromHistory.isFetching || withForecast.isPending;

  const chartPoints = (plan?.intervals ?? []).map((entry, index, all) => ({
    // The hour that occurs twice when clocks go back keeps both bars apart.
    x: all.findIndex((other) => other.start === entry.start) === index ? entry.start : `${entry.start} ′`,
    entry,
  }));
  const xDomain = chartPoints.map((point) => point.x);
  const chartCommon = {
    xScaleType: 'categorical' as const,
    xDomain,
    xTitle: t('time'),
    height: 240,
    hideFilter: true,
    statusType: request ? ('error' as const) : busy && !plan ? ('loading' as const) : ('finished' as const),
    loadingText: t('chartLoading'),
    errorText: t('chartError'),
    empty: <Box color="text-body-secondary">{t('chartEmpty')}</Box>,
    legendTitle: t('legend'),
    i18nStrings: { filterLabel: t('filterLabel'), filterPlaceholder: t('filterPlaceholder'), legendAriaLabel: t('legend') },
  };
  const whole = (value: number) => format.number(value, { maximumFractionDigits: 0 });
  const percentOf = (value: number | null | undefined) => (value === null || value === undefined ? t('noValue') : format.percent(value / 100));
  const shrinkage = target ? format.percent(target.shrinkagePercent / 100) : '';

  return (
    <ContentLayout header={<Header variant="h1" description={t('description')}>{t('title')}</Header>}>
      <SpaceBetween size="l">
        <Container header={<Header variant="h2" description={t('goalDescription')}>{t('goal')}</Header>}>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              calculate();
            }}
          >
            <SpaceBetween size="m">
              <ColumnLayout columns={4}>
                <FormField label={t('day')} description={t('dayDescription', { timezone })} errorText={fieldError(request, '$.date')}>
                  <DatePicker value={date} onChange={(event) => changeDay({ date: event.detail.value })} placeholder="YYYY-MM-DD" />
                </FormField>
                <FormField label={t('interval')} errorText={fieldError(request, '$.interval')}>
                  <Select
                    selectedOption={intervalOptions.find((option) => option.value === String(interval)) ?? null}
                    options={intervalOptions}
                    onChange={(event) => changeDay({ interval: Number(event.detail.selectedOption.value) as IntervalMinutes })}
                  />
                </FormField>
                <FormField label={t('model')} errorText={fieldError(request, '$.model')}>
                  <Select
                    selectedOption={modelOptions.find((option) => option.value === draft.model) ?? null}
                    options={modelOptions}
                    onChange={(event) => setDraft((goal) => ({ ...goal, model: event.detail.selectedOption.value as Model }))}
                  />
                </FormField>
                <FormField label={t('patienceSeconds')} description={t('patienceDescription')} errorText={fieldError(request, '$.patienceSeconds')}>
                  <Input
                    type="number"
                    inputMode="decimal"
                    value={draft.patienceSeconds}
                    placeholder={plan?.patienceSeconds ? String(Math.round(plan.patienceSeconds)) : undefined}
                    onChange={(event) => setDraft((goal) => ({ ...goal, patienceSeconds: event.detail.value }))}
                  />
                </FormField>
                {goalFields.map((field) => (
                  <FormField key={field} data-testid={`goal-${field}`} label={goalLabels[field].label} description={goalLabels[field].description} errorText={fieldError(request, `$.${field}`)}>
                    <Input
                      type="number"
                      inputMode="decimal"
                      value={draft[field]}
                      placeholder={goalPlaceholder[field]}
                      onChange={(event) => setDraft((goal) => ({ ...goal, [field]: event.detail.value }))}
                    />
                  </FormField>
                ))}
              </ColumnLayout>
              <SpaceBetween size="s" direction="horizontal">
                <Button variant="primary" formAction="submit" loading={busy}>
                  {t('calculate')}
                </Button>
                {(edited || calculated) && fromHistory.data?.forecastSource === 'history' && (
                  <Button formAction="none" onClick={resetForecast}>
                    {t('resetForecast')}
                  </Button>
                )}
              </SpaceBetween>
            </SpaceBetween>
          </form>
        </Container>

        {request ? <ProblemAlert error={request} /> : null}
        {fromHistory.isPending && !calculated && !fromHistory.error ? <Spinner size="large" /> : null}
        {plan?.forecastSource === 'none' && !calculated && <Alert type="info">{t('noPlan')}</Alert>}

        {plan && (
          <Container header={<Header variant="h2">{t('totals')}</Header>}>
            <KeyValuePairs
              columns={4}
              items={[
                { label: t('totalContacts'), value: <span data-testid="total-contacts">{whole(plan.totals.forecastContacts)}</span> },
                { label: t('peakAgents'), value: <span data-testid="peak-agents">{whole(Math.max(0, ...plan.intervals.map((entry) => entry.agentsRequired)))}</span> },
                { label: t('agentHours'), value: format.number(plan.totals.agentHours, { maximumFractionDigits: 1 }) },
                { label: t('scheduledAgentHours'), value: format.number(plan.totals.scheduledAgentHours, { maximumFractionDigits: 1 }) },
                { label: t('modelUsed'), value: t(`model.${plan.modelUsed}`) },
                {
                  label: t('forecastSource'),
                  value:
                    plan.forecastSource === 'history'
                      ? t('source.history', { count: format.number(plan.history.datesWithData.length), weeks: format.number(plan.history.weeks) })
                      : t(`source.${plan.forecastSource}`),
                },
              ]}
            />
          </Container>
        )}

        <ColumnLayout columns={2}>
          <Container header={<Header variant="h2" description={t('forecastChartDescription')}>{t('forecastChart')}</Header>}>
            <BarChart
              {...chartCommon}
              ariaLabel={t('forecastChart')}
              yTitle={t('contacts')}
              hideLegend
              series={plan?.intervals.length ? [{ type: 'bar', title: t('forecastContacts'), data: chartPoints.map(({ x, entry }) => ({ x, y: entry.forecastContacts })), valueFormatter: (value) => format.number(value, { maximumFractionDigits: 1 }) }] : []}
            />
          </Container>
          <Container header={<Header variant="h2" description={t('agentsChartDescription')}>{t('agentsChart')}</Header>}>
            <BarChart
              {...chartCommon}
              ariaLabel={t('agentsChart')}
              yTitle={t('agents')}
              series={
                plan?.intervals.length
                  ? [
                      { type: 'bar', title: t('agentsRequired'), data: chartPoints.map(({ x, entry }) => ({ x, y: entry.agentsRequired })), valueFormatter: whole },
                      { type: 'bar', title: t('scheduledAgents'), data: chartPoints.map(({ x, entry }) => ({ x, y: entry.scheduledAgents })), valueFormatter: whole },
                    ]
                  : []
              }
            />
          </Container>
        </ColumnLayout>

        <Table
          variant="container"
          header={
            <Header variant="h2" description={edited ? t('edited') : t('forecastTableDescription')}>
              {t('forecastTable')}
            </Header>
          }
          loading={fromHistory.isPending && !fromHistory.error}
          loadingText={t('chartLoading')}
          items={rows}
          trackBy="start"
          columnDefinitions={[
            { id: 'start', header: t('start'), cell: (row) => row.start, isRowHeader: true },
            {
              id: 'contacts',
              header: t('forecastContacts'),
              cell: (row) => {
                if (row.planned?.open === false) return t('closed');
                const forecast = forecastOf(row);
                const error = rowError(row.start, 'contacts');
                return (
                  <FormField errorText={error} stretch>
                    <Input
                      type="number"
                      inputMode="decimal"
                      value={forecast.contacts}
                      ariaLabel={t('forecastContactsOf', { start: row.start })}
                      invalid={!!error}
                      onChange={(event) => edit(row.start, { contacts: event.detail.value }, forecast)}
                    />
                  </FormField>
                );
              },
            },
            {
              id: 'aht',
              header: t('averageHandleSeconds'),
              cell: (row) => {
                if (row.planned?.open === false) return null;
                const forecast = forecastOf(row);
                const error = rowError(row.start, 'averageHandleSeconds');
                return (
                  <FormField errorText={error} stretch>
                    <Input
                      type="number"
                      inputMode="decimal"
                      value={forecast.averageHandleSeconds}
                      placeholder={plan?.overallAverageHandleSeconds ? String(Math.round(plan.overallAverageHandleSeconds)) : '300'}
                      ariaLabel={t('averageHandleSecondsOf', { start: row.start })}
                      invalid={!!error}
                      onChange={(event) => edit(row.start, { averageHandleSeconds: event.detail.value }, forecast)}
                    />
                  </FormField>
                );
              },
            },
            { id: 'agentsRequired', header: t('agentsRequired'), cell: (row) => (row.planned ? whole(row.planned.agentsRequired) : t('noValue')) },
            { id: 'scheduledAgents', header: t('scheduledAgents'), cell: (row) => (row.planned ? whole(row.planned.scheduledAgents) : t('noValue')) },
            { id: 'serviceLevel', header: t('serviceLevel'), cell: (row) => percentOf(row.planned?.serviceLevelPercent) },
            {
              id: 'asa',
              header: t('asa'),
              cell: (row) =>
                row.planned?.averageSpeedOfAnswerSeconds === null || row.planned === undefined
                  ? t('noValue')
                  : t('seconds', { seconds: format.number(row.planned.averageSpeedOfAnswerSeconds, { maximumFractionDigits: 1 }) }),
            },
            { id: 'occupancy', header: t('occupancy'), cell: (row) => percentOf(row.planned?.occupancyPercent) },
          ]}
        />

        <Container header={<Header variant="h2">{t('caveatTitle')}</Header>}>
          <SpaceBetween size="s">
            <Box variant="p">{t('caveatErlangC')}</Box>
            {target && <Box variant="p">{t('caveatShrinkage', { shrinkage })}</Box>}
            {target && <Box variant="p">{t('caveatOccupancy', { occupancy: format.percent(target.maxOccupancyPercent / 100) })}</Box>}
            <Box variant="p">{t('caveatForecast')}</Box>
            {plan && plan.notes.length > 0 && (
              <ExpandableSection headerText={t('notes')}>
                <ul lang="en">
                  {plan.notes.map((note) => (
                    <li key={note}>{note}</li>
                  ))}
                </ul>
              </ExpandableSection>
            )}
          </SpaceBetween>
        </Container>
      </SpaceBetween>
    </ContentLayout>
  );
}
