import Alert from '@cloudscape-design/components/alert';
import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { ApiProblem, type ConsoleClient, type Schemas, answer } from '../../api/client';
import { useFollow, useRouter } from '../../app/router';
import { CursorPagination, useCursorPages } from '../../components/cursor-pages';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useLocale, useMessages } from '../../i18n/locale';
import { type BacklogStatus, type Deadline, ageBandOf, ageBands, backlogStatuses, missedDeadline, nearlyBreached, nextDeadline, relativeTime } from './deadlines';
import { casesOverviewMessages } from './messages';

type Case = Schemas['Case'];
type Status = Case['status'];

/** Cases read per status at most to count the backlog (the API lists 100 a page). */
const backlogPagesCap = 20;
const rowsPerPage = 10;

export default function CasesOverviewPage() {
  const { path } = useRouter();
  const caseId = path.startsWith('/cases/') ? decodeURIComponent(path.slice('/cases/'.length)) : undefined;
  if (caseId) return <SingleCaseNotice caseId={caseId} />;
  return <Overview />;
}

function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

async function casesInStatus(api: ConsoleClient, status: BacklogStatus) {
  const cases: Case[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < backlogPagesCap; page++) {
    const answered = await answer(api.GET('/v1/cases', { params: { query: { status, limit: 100, ...(cursor && { cursor }) } } }));
    cases.push(...answered.items);
    cursor = answered.nextCursor ?? undefined;
    if (!cursor) return { cases, capped: false };
  }
  return { cases, capped: true };
}

function Overview() {
  const t = useMessages(casesOverviewMessages);
  const api = useApi();
  const now = useNow();
  const backlog = useQueries({
    queries: backlogStatuses.map((status) => ({ queryKey: ['cases', 'backlog', status], queryFn: () => casesInStatus(api, status) })),
  });
  const loading = backlog.some((status) => status.isPending);
  const error = backlog.find((status) => status.error)?.error;
  const unresolved = backlog.flatMap((status) => status.data?.cases ?? []);
  return (
    <ContentLayout header={<Header variant="h1" description={t('description')}>{t('title')}</Header>}>
      <SpaceBetween size="l">
        <Backlog backlog={backlog.map((status) => status.data)} loading={loading} error={error} now={now} />
        <BreachedCases now={now} />
        <NearlyBreached cases={unresolved} loading={loading} now={now} />
      </SpaceBetween>
    </ContentLayout>
  );
}

function Backlog({
  backlog,
  loading,
  error,
  now,
}: {
  backlog: ({ cases: Case[]; capped: boolean } | undefined)[];
  loading: boolean;
  error: unknown;
  now: number;
}) {
  const t = useMessages(casesOverviewMessages);
  const format = useFormat();
  const counts = backlogStatuses.map((status, index) => ({ status, count: backlog[index]?.cases.length ?? 0, capped: backlog[index]?.capped ?? false }));
  const total = counts.reduce((sum, entry) => sum + entry.count, 0);
  const series = backlogStatuses.map((status, index) => ({
    title: t(`status.${status}`),
    type: 'bar' as const,
    data: ageBands.map((band) => ({ x: t(`age.${band}`), y: (backlog[index]?.cases ?? []).filter((c) => ageBandOf(c.openedAt, now) === band).length })),
  }));
  const figure = (label: string, value: number, id: string) => (
    <div key={id}>
      <Box variant="awsui-key-label">{label}</Box>
      <Box variant="awsui-value-large" data-figure={id}>
        {loading ? <Spinner /> : format.number(value)}
      </Box>
    </div>
  );
  return (
    <Container header={<Header variant="h2" description={t('backlogDescription')}>{t('backlog')}</Header>}>
      <SpaceBetween size="l">
        {error ? <ProblemAlert error={error} /> : null}
        {counts
          .filter((entry) => entry.capped)
          .map((entry) => (
            <Alert key={entry.status} type="info" header={t(`status.${entry.status}`)}>
              {t('backlogCapped', { count: format.number(entry.count) })}
            </Alert>
          ))}
        <ColumnLayout columns={4} variant="text-grid">
          {figure(t('backlogTotal'), total, 'total')}
          {counts.map((entry) => figure(t(`status.${entry.status}`), entry.count, entry.status))}
        </ColumnLayout>
        <div>
          <Box variant="h3" padding={{ bottom: 'xs' }}>
            {t('ageChart')}
          </Box>
          <BarChart
            series={total === 0 ? [] : series}
            xDomain={ageBands.map((band) => t(`age.${band}`))}
            xScaleType="categorical"
            stackedBars
            xTitle={t('ageChartX')}
            yTitle={t('ageChartY')}
            ariaLabel={t('ageChart')}
            height={140}
            yTickFormatter={(count) => (Number.isInteger(count) ? format.number(count) : '')}
            hideFilter
            statusType={error ? 'error' : loading ? 'loading' : 'finished'}
            loadingText={t('backlogReading')}
            errorText={t('backlogFailed')}
            empty={
              <Box textAlign="center" color="inherit">
                <b>{t('ageEmpty')}</b>
                <Box variant="p" color="inherit">
                  {t('ageEmptyHint')}
                </Box>
              </Box>
            }
          />
        </div>
      </SpaceBetween>
    </Container>
  );
}

function CustomerName({ customerId }: { customerId: string }) {
  const t = useMessages(casesOverviewMessages);
  const api = useApi();
  const customer = useQuery({
    queryKey: ['customer', customerId],
    queryFn: () => answer(api.GET('/v1/customers/{customerId}', { params: { path: { customerId } } })),
    staleTime: 5 * 60_000,
  });
  if (customer.isPending) return <Spinner />;
  if (customer.error) return <>{customer.error instanceof ApiProblem && customer.error.status === 410 ? t('customerErased') : t('customerUnknown')}</>;
  const c = customer.data;
  const name = c.displayName ?? ([c.givenName, c.familyName].filter(Boolean).join(' ') || c.customerId);
  return <>{name}</>;
}

function useCaseColumns(deadlineOf: (c: Case) => Deadline | undefined, now: number, withStatus: boolean): TableProps.ColumnDefinition<Case>[] {
  const t = useMessages(casesOverviewMessages);
  const format = useFormat();
  const { locale } = useLocale();
  const follow = useFollow();
  const timeZone = useMe().data?.tenant.timezone;
  const owner = (c: Case) => (!c.assignee ? t('unassigned') : c.assignee.startsWith('queue:') ? t('queueOwner', { queue: c.assignee.slice('queue:'.length) }) : c.assignee);
  return [
    {
      id: 'case',
      header: t('colCase'),
      isRowHeader: true,
      cell: (c) => (
        <Link href={`/cases/${c.caseId}`} onFollow={follow}>
          {c.caseId}
        </Link>
      ),
    },
    {
      id: 'subject',
      header: t('colSubject'),
      cell: (c) => (
        <SpaceBetween size="xxxs">
          <span>{c.subject}</span>
          <Box variant="small">{t('typeSeverity', { type: t(`type.${c.type}`), severity: t(`severity.${c.severity}`) })}</Box>
        </SpaceBetween>
      ),
    },
    { id: 'customer', header: t('colCustomer'), cell: (c) => <CustomerName customerId={c.customerId} /> },
    { id: 'owner', header: t('colOwner'), cell: owner },
    ...(withStatus ? [{ id: 'status', header: t('colStatus'), cell: (c: Case) => t(`status.${c.status}`) }] : []),
    {
      id: 'deadline',
      header: t('colDeadline'),
      cell: (c) => {
        const deadline = deadlineOf(c);
        if (!deadline) return '—';
        const kind = t(`kind.${deadline.kind}`);
        const relative = relativeTime(deadline.dueAt, now, locale);
        return (
          <SpaceBetween size="xxxs">
            <StatusIndicator type={deadline.breachedAt ? 'error' : 'warning'}>
              {t(deadline.breachedAt ? 'missed' : 'due', { kind, relative })}
            </StatusIndicator>
            <Box variant="small">{format.dateTime(deadline.dueAt, timeZone)}</Box>
          </SpaceBetween>
        );
      },
    },
  ];
}

type BreachedFilter = Status | 'any';
const breachedFilters: BreachedFilter[] = ['open', 'in_progress', 'awaiting_customer', 'resolved', 'closed', 'any'];

function BreachedCases({ now }: { now: number }) {
  const t = useMessages(casesOverviewMessages);
  const api = useApi();
  const [filter, setFilter] = useState<BreachedFilter>('open');
  const pages = useCursorPages(['cases', 'breached', filter], (cursor) =>
    answer(api.GET('/v1/cases', { params: { query: { breached: true, limit: 25, ...(filter !== 'any' && { status: filter }), ...(cursor && { cursor }) } } })),
  );
  const columns = useCaseColumns(missedDeadline, now, filter === 'any');
  return (
    <Table
      header={
        <Header variant="h2" description={t('breachedDescription')}>
          {t('breached')}
        </Header>
      }
      filter={
        <FormField label={t('breachedStatus')} controlId="breached-status">
          <Select
            controlId="breached-status"
            selectedOption={{ value: filter, label: t(`status.${filter}`) }}
            options={breachedFilters.map((value) => ({ value, label: t(`status.${value}`) }))}
            onChange={(event) => setFilter(event.detail.selectedOption.value as BreachedFilter)}
          />
        </FormField>
      }
      ariaLabels={{ tableLabel: t('breached') }}
      columnDefinitions={columns}
      items={pages.items}
      trackBy="caseId"
      loading={pages.page.isPending}
      loadingText={t('loading')}
      wrapLines
      pagination={<CursorPagination pages={pages} labels={{ next: t('paginationNext'), previous: t('paginationPrevious'), page: (page) => t('paginationPage', { page }) }} />}
      empty={
        pages.page.error ? (
          <ProblemAlert error={pages.page.error} />
        ) : (
          <Box textAlign="center" color="inherit">
            <b>{t('breachedEmpty')}</b>
            <Box variant="p" color="inherit">
              {t('breachedEmptyHint')}
            </Box>
          </Box>
        )
      }
    />
  );
}

function NearlyBreached({ cases, loading, now }: { cases: Case[]; loading: boolean; now: number }) {
  const t = useMessages(casesOverviewMessages);
  const [pageIndex, setPageIndex] = useState(1);
  const rows = nearlyBreached(cases, now);
  const columns = useCaseColumns(nextDeadline, now, true);
  const pagesCount = Math.max(1, Math.ceil(rows.length / rowsPerPage));
  const currentPage = Math.min(pageIndex, pagesCount);
  return (
    <Table
      header={
        <Header variant="h2" description={t('nearlyDescription')} counter={loading ? undefined : `(${rows.length})`}>
          {t('nearly')}
        </Header>
      }
      ariaLabels={{ tableLabel: t('nearly') }}
      columnDefinitions={columns}
      items={rows.slice((currentPage - 1) * rowsPerPage, currentPage * rowsPerPage)}
      trackBy="caseId"
      loading={loading}
      loadingText={t('loading')}
      wrapLines
      pagination={
        <Pagination
          currentPageIndex={currentPage}
          pagesCount={pagesCount}
          onChange={(event) => setPageIndex(event.detail.currentPageIndex)}
          ariaLabels={{ nextPageLabel: t('paginationNext'), previousPageLabel: t('paginationPrevious'), pageLabel: (page) => t('paginationPage', { page }) }}
        />
      }
      empty={
        <Box textAlign="center" color="inherit">
          <b>{t('nearlyEmpty')}</b>
          <Box variant="p" color="inherit">
            {t('nearlyEmptyHint')}
          </Box>
        </Box>
      }
    />
  );
}

/** `/cases/<caseId>` until the case page exists: what the case is, and the way back. */
function SingleCaseNotice({ caseId }: { caseId: string }) {
  const t = useMessages(casesOverviewMessages);
  const api = useApi();
  const follow = useFollow();
  const found = useQuery({
    queryKey: ['case', caseId],
    queryFn: () => answer(api.GET('/v1/cases/{caseId}', { params: { path: { caseId } } })),
  });
  return (
    <ContentLayout header={<Header variant="h1">{t('caseNotHere', { caseId })}</Header>}>
      <SpaceBetween size="l">
        {found.error ? <ProblemAlert error={found.error} /> : null}
        {found.isPending ? <Spinner /> : null}
        {found.data ? <Alert type="info">{t('caseNotHereText', { status: t(`status.${found.data.status}`), subject: found.data.subject })}</Alert> : null}
        <Button href="/cases" onFollow={follow}>
          {t('backToOverview')}
        </Button>
      </SpaceBetween>
    </ContentLayout>
  );
}
