import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { ApiProblem, type Schemas, answer } from '../../api/client';
import { useNotify } from '../../app/notifications';
import { useFollow } from '../../app/router';
import { reaches } from '../../app/scopes';
import { ProblemAlert, fieldError } from '../../components/problem';
import { ContactControlPanelToggle } from '../../connect/contact-control-panel';
import { useFormat, useMessages } from '../../i18n/locale';
import { Countdown, nearestDeadline, useNow } from './deadline';
import { myWorkMessages } from './messages';

type Case = Schemas['Case'];
type Translate = ReturnType<typeof useMessages<keyof typeof myWorkMessages.en>>;

/** `/desk`: the agent's own open cases by deadline, the team queue to claim from, and (supervisors) the team's load. */
export default function MyWorkPage() {
  const t = useMessages(myWorkMessages);
  const me = useMe();
  const supervisor = reaches(me.data?.scopes ?? [], 'supervisor');
  const now = useNow(1000);
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description={t('description')}>
        {t('title')}
      </Header>
      <ContactControlPanelToggle />
      <MyCases t={t} now={now} />
      <TeamQueue t={t} now={now} />
      {supervisor && <Workload t={t} />}
    </SpaceBetween>
  );
}

function useCaseList(queryKey: string[], path: '/v1/me/cases' | '/v1/case-queue') {
  const api = useApi();
  return useInfiniteQuery({
    queryKey,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => answer(api.GET(path, { params: { query: { limit: 25, ...(pageParam && { cursor: pageParam }) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Deadlines move as others work: read again every minute (the live channel refreshes sooner).
    refetchInterval: 60_000,
  });
}

function caseColumns(t: Translate, now: number, timezone: string | undefined, format: ReturnType<typeof useFormat>) {
  return [
    {
      id: 'subject',
      header: t('colSubject'),
      isRowHeader: true,
      cell: (c: Case) => <CaseLink c={c} />,
    },
    { id: 'severity', header: t('colSeverity'), cell: (c: Case) => t(`severity.${c.severity}`) },
    { id: 'status', header: t('colStatus'), cell: (c: Case) => t(`status.${c.status}`) },
    {
      id: 'deadline',
      header: t('colDeadline'),
      cell: (c: Case) => {
        const due = nearestDeadline(c);
        return due ? <Countdown dueAt={due.dueAt} now={now} /> : t('none');
      },
    },
    {
      id: 'due',
      header: t('colDue'),
      cell: (c: Case) => {
        const due = nearestDeadline(c);
        return due ? `${t(`kind.${due.kind}`)} · ${format.dateTime(due.dueAt, timezone)}` : t('none');
      },
    },
  ];
}

function CaseLink({ c }: { c: Case }) {
  const follow = useFollow();
  return (
    <Link href={`/desk/cases/${c.caseId}`} onFollow={follow}>
      {c.subject}
    </Link>
  );
}

function MyCases({ t, now }: { t: Translate; now: number }) {
  const cases = useCaseList(['cases', 'mine'], '/v1/me/cases');
  return <CaseListTable t={t} now={now} list={cases} kind="mine" />;
}

/**
 * One list of cases (My cases, the team queue): its rows as loaded so far, the countdowns, what
 * to do when it is empty, and More for the next page; `actionColumns` add what the list allows.
 */
function CaseListTable({ t, now, list, kind, actionColumns = [] }: { t: Translate; now: number; list: ReturnType<typeof useCaseList>; kind: 'mine' | 'queue'; actionColumns?: TableProps.ColumnDefinition<Case>[] }) {
  const me = useMe();
  const format = useFormat();
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Table
      loading={list.isPending}
      loadingText={t('loading')}
      items={items}
      trackBy="caseId"
      wrapLines
      header={
        <Header variant="h2" description={t(`${kind}Description`)} counter={list.data ? `(${items.length}${list.hasNextPage ? '+' : ''})` : undefined}>
          {t(kind)}
        </Header>
      }
      empty={
        list.error ? (
          <ProblemAlert error={list.error} />
        ) : (
          <Box textAlign="center" color="inherit">
            <b>{t(`${kind}Empty`)}</b>
            <Box variant="p" color="inherit">{t(`${kind}EmptyHint`)}</Box>
          </Box>
        )
      }
      columnDefinitions={[...caseColumns(t, now, me.data?.tenant.timezone, format), ...actionColumns]}
      footer={<MoreButton t={t} list={list} />}
    />
  );
}

function MoreButton({ t, list }: { t: Translate; list: ReturnType<typeof useCaseList> }) {
  if (!list.hasNextPage) return undefined;
  return (
    <Box textAlign="center">
      <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
        {t('more')}
      </Button>
    </Box>
  );
}

function TeamQueue({ t, now }: { t: Translate; now: number }) {
  const api = useApi();
  const me = useMe();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const cases = useCaseList(['cases', 'queue'], '/v1/case-queue');
  const mayClaim = me.data?.principal.kind === 'person' && reaches(me.data.scopes, 'agent');
  const claim = useMutation({
    mutationFn: (c: Case) => answer(api.POST('/v1/cases/{caseId}/claim', { params: { path: { caseId: c.caseId } } })),
    onSuccess: (claimed) => {
      notify({ type: 'success', content: t('claimed', { subject: claimed.subject }) });
      queryClient.setQueryData(['case', claimed.caseId], undefined);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['cases'] }),
  });
  const lostTo = claim.error instanceof ApiProblem && claim.error.slug === 'case-already-claimed' ? (claim.error.problem as { assignee?: string }).assignee : undefined;
  return (
    <SpaceBetween size="s">
      {lostTo !== undefined ? (
        <Alert type="warning" dismissible onDismiss={() => claim.reset()} header={t('claimFailed')}>
          {t('alreadyClaimed', { assignee: lostTo })}
        </Alert>
      ) : (
        claim.error && <ProblemAlert error={claim.error} header={t('claimFailed')} />
      )}
      <CaseListTable
        t={t}
        now={now}
        list={cases}
        kind="queue"
        actionColumns={
          mayClaim
            ? [
                {
                  id: 'claim',
                  header: t('claim'),
                  cell: (c: Case) => (
                    <Button
                      ariaLabel={t('claimLabel', { subject: c.subject })}
                      loading={claim.isPending && claim.variables?.caseId === c.caseId}
                      disabled={claim.isPending}
                      onClick={() => claim.mutate(c)}
                    >
                      {t('claim')}
                    </Button>
                  ),
                },
              ]
            : []
        }
      />
    </SpaceBetween>
  );
}

type Load = Schemas['CaseWorkload']['agents'][number];

function Workload({ t }: { t: Translate }) {
  const api = useApi();
  const me = useMe();
  const format = useFormat();
  const workload = useQuery({ queryKey: ['cases', 'workload'], queryFn: () => answer(api.GET('/v1/case-workload')), refetchInterval: 60_000 });
  const [reassigning, setReassigning] = useState<Load | undefined>();
  const timezone = me.data?.tenant.timezone;
  const rows: (Load & { unassigned?: true })[] = workload.data
    ? [...workload.data.agents, { agentId: t('unassigned'), unassigned: true, ...workload.data.unassigned }]
    : [];
  const agentName = (load: Load) => load.displayName ?? load.agentId;
  return (
    <>
      <Table
        loading={workload.isPending}
        loadingText={t('loading')}
        items={rows}
        trackBy="agentId"
        wrapLines
        header={
          <Header variant="h2" description={t('workloadDescription', { minutes: workload.data?.dueSoonMinutes ?? 60 })}>
            {t('workload')}
          </Header>
        }
        empty={
          workload.error ? (
            <ProblemAlert error={workload.error} />
          ) : (
            <Box textAlign="center" color="inherit">
              <b>{t('workloadEmpty')}</b>
              <Box variant="p" color="inherit">{t('workloadEmptyHint')}</Box>
            </Box>
          )
        }
        columnDefinitions={[
          { id: 'agent', header: t('colAgent'), isRowHeader: true, cell: (row) => (row.unassigned ? row.agentId : `${agentName(row)}${row.displayName ? ` (${row.agentId})` : ''}`) },
          { id: 'open', header: t('colOpen'), cell: (row) => format.number(row.open) },
          { id: 'breached', header: t('colBreached'), cell: (row) => format.number(row.breached) },
          { id: 'dueSoon', header: t('colDueSoon'), cell: (row) => format.number(row.dueSoon) },
          { id: 'nextDue', header: t('colNextDue'), cell: (row) => (row.nextDueAt ? format.dateTime(row.nextDueAt, timezone) : t('none')) },
          {
            id: 'reassign',
            header: t('reassign'),
            cell: (row) =>
              row.unassigned ? null : (
                <Button ariaLabel={t('reassignLabel', { agent: agentName(row) })} disabled={row.open === 0} onClick={() => setReassigning(row)}>
                  {t('reassign')}
                </Button>
              ),
          },
        ]}
      />
      {reassigning && workload.data && (
        <ReassignModal t={t} from={reassigning} agents={workload.data.agents} onClose={() => setReassigning(undefined)} />
      )}
    </>
  );
}

function ReassignModal({ t, from, agents, onClose }: { t: Translate; from: Load; agents: Load[]; onClose: () => void }) {
  const api = useApi();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [caseId, setCaseId] = useState<string | undefined>();
  const [to, setTo] = useState<string | undefined>();
  const name = from.displayName ?? from.agentId;
  const held = useQuery({
    queryKey: ['cases', 'assignee', from.agentId],
    queryFn: () => answer(api.GET('/v1/cases', { params: { query: { assignee: from.agentId, limit: 100 } } })),
  });
  const open = (held.data?.items ?? []).filter((c) => c.status !== 'resolved' && c.status !== 'closed');
  const reassign = useMutation({
    mutationFn: () => answer(api.POST('/v1/cases/{caseId}/events', { params: { path: { caseId: caseId! } }, body: { type: 'assign', assignee: to! } })),
    onSuccess: (result) => {
      notify({ type: 'success', content: t('reassigned', { agent: to! }) });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      void queryClient.invalidateQueries({ queryKey: ['case', result.case.caseId] });
      onClose();
    },
  });
  const caseOptions = open.map((c) => ({ value: c.caseId, label: c.subject }));
  const agentOptions = agents.filter((agent) => agent.agentId !== from.agentId).map((agent) => ({ value: agent.agentId, label: agent.displayName ?? agent.agentId, description: agent.agentId }));
  return (
    <Modal
      visible
      onDismiss={onClose}
      header={t('reassignTitle', { agent: name })}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose}>{t('cancel')}</Button>
            <Button variant="primary" disabled={!caseId || !to} loading={reassign.isPending} onClick={() => reassign.mutate()}>
              {t('reassignSave')}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        {reassign.error && <ProblemAlert error={reassign.error} />}
        {held.error && <ProblemAlert error={held.error} />}
        {held.data && open.length === 0 && <Box>{t('reassignNoCases', { agent: name })}</Box>}
        <FormField label={t('reassignCase')}>
          <Select
            statusType={held.isPending ? 'loading' : 'finished'}
            loadingText={t('loading')}
            selectedOption={caseOptions.find((option) => option.value === caseId) ?? null}
            options={caseOptions}
            placeholder={t('reassignCasePlaceholder')}
            onChange={(event) => setCaseId(event.detail.selectedOption.value)}
          />
        </FormField>
        <FormField label={t('reassignTo')} errorText={fieldError(reassign.error, '$.assignee')}>
          <Select
            selectedOption={agentOptions.find((option) => option.value === to) ?? null}
            options={agentOptions}
            placeholder={t('reassignToPlaceholder')}
            onChange={(event) => setTo(event.detail.selectedOption.value)}
          />
        </FormField>
      </SpaceBetween>
    </Modal>
  );
}
