import Alert from '@cloudscape-design/components/alert';
import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { ApiProblem, type Schemas, answer } from '../../api/client';
import { useFollow, useRouter } from '../../app/router';
import { CursorPagination, useCursorPages } from '../../components/cursor-pages';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useLocale, useMessages } from '../../i18n/locale';
import { ageBands, backlogStatuses, relativeTime } from './deadlines';
import { casesOverviewMessages } from './messages';

type Case = Schemas['Case'];
type Listed = Schemas['CaseWithDeadline'];
type Backlog = Schemas['CaseBacklog'];

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

function Overview() {
  const t = useMessages(casesOverviewMessages);
  const api = useApi();
  const now = useNow();
  // One read: the counts are kept by the server as cases move (GET /v1/analytics/case-backlog).
  const backlog = useQuery({ queryKey: ['cases', 'backlog'], queryFn: () => answer(api.GET('/v1/analytics/case-backlog')), refetchInterval: 60_000 });
  return (
    <ContentLayout header={<Header variant="h1" description={t('description')}>{t('title')}</Header>}>
      <SpaceBetween size="l">
        <BacklogFigures backlog={backlog.data} loading={backlog.isPending} error={backlog.error} />
        <DeadlineCases list="breached" now={now} />
        <DeadlineCases list="nearly_breached" now={now} />
      </SpaceBetween>
    </ContentLayout>
  );
}

function BacklogFigures({ backlog, loading, error }: { backlog?: Backlog; loading: boolean; error: unknown }) {
  const t = useMessages(casesOverviewMessages);
  const format = useFormat();
  const total = backlog?.total ?? 0;
  const series = backlogStatuses.map((status) => {
    const counts = backlog?.byStatus.find((entry) => entry.status === status)?.byAge;
    return {
      title: t(`status.${status}`),
      type: 'bar' as const,
      data: ageBands.map((band) => ({ x: t(`age.${band}`), y: counts?.[band] ?? 0 })),
    };
  });
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
        <ColumnLayout columns={4} variant="text-grid">
          {figure(t('backlogTotal'), total, 'total')}
          {backlogStatuses.map((status) => figure(t(`status.${status}`), backlog?.byStatus.find((entry) => entry.status === status)?.total ?? 0, status))}
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

function useCaseColumns(now: number): TableProps.ColumnDefinition<Listed>[] {
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
      cell: ({ case: c }) => (
        <Link href={`/cases/${c.caseId}`} onFollow={follow}>
          {c.caseId}
        </Link>
      ),
    },
    {
      id: 'subject',
      header: t('colSubject'),
      cell: ({ case: c }) => (
        <SpaceBetween size="xxxs">
          <span>{c.subject}</span>
          <Box variant="small">{t('typeSeverity', { type: t(`type.${c.type}`), severity: t(`severity.${c.severity}`) })}</Box>
        </SpaceBetween>
      ),
    },
    { id: 'customer', header: t('colCustomer'), cell: ({ case: c }) => <CustomerName customerId={c.customerId} /> },
    { id: 'owner', header: t('colOwner'), cell: ({ case: c }) => owner(c) },
    { id: 'status', header: t('colStatus'), cell: ({ case: c }) => t(`status.${c.status}`) },
    {
      id: 'deadline',
      header: t('colDeadline'),
      cell: ({ deadline }) => {
        const kind = t(`kind.${deadline.kind}`);
        const relative = relativeTime(deadline.dueAt, now, locale);
        const passed = Date.parse(deadline.dueAt) <= now;
        return (
          <SpaceBetween size="xxxs">
            <StatusIndicator type={deadline.breached || passed ? 'error' : 'warning'}>{t(deadline.breached || passed ? 'missed' : 'due', { kind, relative })}</StatusIndicator>
            <Box variant="small">{format.dateTime(deadline.dueAt, timeZone)}</Box>
          </SpaceBetween>
        );
      },
    },
  ];
}

type DeadlineList = 'breached' | 'nearly_breached';

/** Cases by deadline, a page at a time, as the server lists them (GET /v1/analytics/case-backlog/deadlines). */
function DeadlineCases({ list, now }: { list: DeadlineList; now: number }) {
  const t = useMessages(casesOverviewMessages);
  const api = useApi();
  const pages = useCursorPages(['cases', 'deadlines', list], (cursor) =>
    answer(api.GET('/v1/analytics/case-backlog/deadlines', { params: { query: { list, limit: rowsPerPage, ...(cursor && { cursor }) } } })),
  );
  const columns = useCaseColumns(now);
  const title = list === 'breached' ? t('breached') : t('nearly');
  return (
    <Table
      header={
        <Header variant="h2" description={list === 'breached' ? t('breachedDescription') : t('nearlyDescription')}>
          {title}
        </Header>
      }
      ariaLabels={{ tableLabel: title }}
      columnDefinitions={columns}
      items={pages.items}
      trackBy={(row) => row.case.caseId}
      loading={pages.page.isPending}
      loadingText={t('loading')}
      wrapLines
      pagination={<CursorPagination pages={pages} labels={{ next: t('paginationNext'), previous: t('paginationPrevious'), page: (page) => t('paginationPage', { page }) }} />}
      empty={
        pages.page.error ? (
          <ProblemAlert error={pages.page.error} />
        ) : (
          <Box textAlign="center" color="inherit">
            <b>{list === 'breached' ? t('breachedEmpty') : t('nearlyEmpty')}</b>
            <Box variant="p" color="inherit">
              {list === 'breached' ? t('breachedEmptyHint') : t('nearlyEmptyHint')}
            </Box>
          </Box>
        )
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
