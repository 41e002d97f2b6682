import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { answer } from '../../api/client';
import { useNotify } from '../../app/notifications';
import { useFollow, useRouter } from '../../app/router';
import { ProblemAlert, fieldError } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { Countdown, useNow } from '../my-work/deadline';
import { caseMessages } from './messages';
import { type CaseTranslate, type CaseView, TextArea, useCaseEvent } from './case-event';
import { RecoveryForm } from './recovery-form';
import { Timeline } from './timeline';
import { CaseReply } from '../case-replies/case-reply';

/** `/desk/cases/{caseId}`: one case, worked to its deadlines. */
export default function CasePage() {
  const { path } = useRouter();
  const caseId = decodeURIComponent(/^\/desk\/cases\/([^/]+)/.exec(path)?.[1] ?? '');
  const t = useMessages(caseMessages);
  const api = useApi();
  const read = useQuery({
    queryKey: ['case', caseId],
    queryFn: () => answer(api.GET('/v1/cases/{caseId}', { params: { path: { caseId } } })),
    enabled: caseId !== '',
  });
  if (read.isPending) return <Spinner size="large" />;
  if (read.error) {
    return (
      <SpaceBetween size="l">
        <Header variant="h1">{t('notFound')}</Header>
        <ProblemAlert error={read.error} />
      </SpaceBetween>
    );
  }
  return <CaseDetail c={read.data} t={t} />;
}

function CaseDetail({ c, t }: { c: CaseView; t: CaseTranslate }) {
  const me = useMe();
  const follow = useFollow();
  const format = useFormat();
  const timezone = me.data?.tenant.timezone;
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={`${t(`type.${c.type}`)} · ${t(`severity.${c.severity}`)} · ${c.category}`}
        actions={
          <Button href="/desk" onFollow={follow}>
            {t('back')}
          </Button>
        }
      >
        {c.subject}
      </Header>
      <Container>
        <KeyValuePairs
          columns={4}
          items={[
            { label: t('status'), value: t(`status.${c.status}`) },
            { label: t('assignee'), value: c.assignee ?? t('unassigned') },
            {
              label: t('customer'),
              value: (
                <Link href={`/desk/customers/${c.customerId}`} onFollow={follow}>
                  {c.customerId}
                </Link>
              ),
            },
            { label: t('opened'), value: format.dateTime(c.openedAt, timezone) },
          ]}
        />
      </Container>
      <ColumnLayout columns={2}>
        <Deadlines c={c} t={t} />
        <Moves c={c} t={t} />
      </ColumnLayout>
      {c.type === 'complaint' && c.status !== 'closed' && <RecoveryForm c={c} t={t} />}
      {c.status !== 'closed' && <CaseReply caseId={c.caseId} customerId={c.customerId} />}
      <ColumnLayout columns={2}>
        <NoteForm c={c} t={t} />
        <SpaceBetween size="l">
          <AssignForm c={c} t={t} />
          <LinkContactForm c={c} t={t} />
        </SpaceBetween>
      </ColumnLayout>
      <Timeline c={c} t={t} />
    </SpaceBetween>
  );
}

function Deadlines({ c, t }: { c: CaseView; t: CaseTranslate }) {
  const me = useMe();
  const format = useFormat();
  const now = useNow(1000);
  const timezone = me.data?.tenant.timezone;
  const finished = c.status === 'resolved' || c.status === 'closed';
  const state = (kind: 'firstResponse' | 'resolution') => {
    const clock = c.sla[kind];
    if (clock.metAt) return <StatusIndicator type="success">{t('metAt', { at: format.dateTime(clock.metAt, timezone) })}</StatusIndicator>;
    if (clock.breachedAt) return <StatusIndicator type="error">{t('breachedAt', { at: format.dateTime(clock.dueAt, timezone) })}</StatusIndicator>;
    if (finished) return <StatusIndicator type="stopped">{t('stopped', { status: t(`status.${c.status}`) })}</StatusIndicator>;
    return (
      <SpaceBetween size="xxxs">
        <Countdown dueAt={clock.dueAt} now={now} />
        <Box variant="small">{t('dueAtLabel', { at: format.dateTime(clock.dueAt, timezone) })}</Box>
      </SpaceBetween>
    );
  };
  return (
    <Container header={<Header variant="h2">{t('deadlines')}</Header>}>
      <KeyValuePairs
        columns={2}
        items={[
          { label: t('kind.firstResponse'), value: state('firstResponse') },
          { label: t('kind.resolution'), value: state('resolution') },
        ]}
      />
    </Container>
  );
}

function Moves({ c, t }: { c: CaseView; t: CaseTranslate }) {
  const notify = useNotify();
  const move = useCaseEvent(c.caseId);
  return (
    <Container header={<Header variant="h2" description={t('movesDescription')}>{t('moves')}</Header>}>
      <SpaceBetween size="s">
        {move.error && <ProblemAlert error={move.error} header={t('moveFailed')} />}
        <SpaceBetween direction="horizontal" size="xs">
          {c.allowedTransitions.map((to) => (
            <Button
              key={to}
              variant={to === 'resolved' ? 'primary' : 'normal'}
              loading={move.isPending && move.variables?.type === 'status_change' && move.variables.to === to}
              disabled={move.isPending}
              onClick={() =>
                move.mutate({ type: 'status_change', to }, { onSuccess: () => notify({ type: 'success', content: t('moved', { status: t(`status.${to}`) }) }) })
              }
            >
              {t(`move.${to}`)}
            </Button>
          ))}
        </SpaceBetween>
      </SpaceBetween>
    </Container>
  );
}

function AssignForm({ c, t }: { c: CaseView; t: CaseTranslate }) {
  const me = useMe();
  const api = useApi();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [agent, setAgent] = useState(c.assignee ?? '');
  const assign = useCaseEvent(c.caseId);
  const myAgentId = me.data?.principal.kind === 'person' ? me.data.principal.agentId : undefined;
  const claim = useMutation({
    mutationFn: () => answer(api.POST('/v1/cases/{caseId}/claim', { params: { path: { caseId: c.caseId } } })),
    onSuccess: (claimed) => notify({ type: 'success', content: t('assigned', { agent: claimed.assignee ?? '' }) }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['case', c.caseId] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });
  const error = assign.error ?? claim.error;
  return (
    <Container header={<Header variant="h2">{t('assign')}</Header>}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          claim.reset();
          const to = agent.trim();
          assign.mutate({ type: 'assign', assignee: to === '' ? null : to }, { onSuccess: () => notify({ type: 'success', content: t('assigned', { agent: to || t('unassigned') }) }) });
        }}
      >
        <SpaceBetween size="s">
          {error && <ProblemAlert error={error} header={t('assignFailed')} />}
          <FormField label={t('assignTo')} description={t('assignToHint')} errorText={fieldError(assign.error, '$.assignee')}>
            <Input value={agent} onChange={(event) => setAgent(event.detail.value)} />
          </FormField>
          <SpaceBetween direction="horizontal" size="xs">
            <Button formAction="submit" loading={assign.isPending} disabled={c.status === 'closed'}>
              {t('assignSave')}
            </Button>
            {myAgentId && c.assignee !== myAgentId && c.status !== 'closed' && (
              <Button
                formAction="none"
                loading={claim.isPending}
                onClick={() => {
                  assign.reset();
                  claim.mutate();
                }}
              >
                {t('takeIt')}
              </Button>
            )}
          </SpaceBetween>
        </SpaceBetween>
      </form>
    </Container>
  );
}

function LinkContactForm({ c, t }: { c: CaseView; t: CaseTranslate }) {
  const notify = useNotify();
  const follow = useFollow();
  const [contactId, setContactId] = useState('');
  const link = useCaseEvent(c.caseId);
  return (
    <Container header={<Header variant="h2">{t('link')}</Header>}>
      <SpaceBetween size="s">
        {c.contactIds.length === 0 ? (
          <Box color="text-body-secondary">{t('noContacts')}</Box>
        ) : (
          <SpaceBetween direction="horizontal" size="xs">
            {c.contactIds.map((id) => (
              <Link key={id} href={`/desk/contacts/new?customerId=${c.customerId}&contactId=${id}`} onFollow={follow}>
                {id}
              </Link>
            ))}
          </SpaceBetween>
        )}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            link.mutate(
              { type: 'link_contact', contactId: contactId.trim() },
              {
                onSuccess: () => {
                  setContactId('');
                  notify({ type: 'success', content: t('linked') });
                },
              },
            );
          }}
        >
          <SpaceBetween size="s">
            {link.error && <ProblemAlert error={link.error} />}
            <FormField label={t('linkContact')} description={t('linkContactHint')} errorText={fieldError(link.error, '$.contactId')}>
              <Input value={contactId} onChange={(event) => setContactId(event.detail.value)} />
            </FormField>
            <Button formAction="submit" loading={link.isPending} disabled={contactId.trim() === '' || c.status === 'closed'}>
              {t('linkSave')}
            </Button>
          </SpaceBetween>
        </form>
      </SpaceBetween>
    </Container>
  );
}

function NoteForm({ c, t }: { c: CaseView; t: CaseTranslate }) {
  const notify = useNotify();
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<'internal' | 'customer'>('internal');
  const note = useCaseEvent(c.caseId);
  return (
    <Container header={<Header variant="h2">{t('note')}</Header>}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          note.mutate(
            { type: 'note', text, visibility },
            {
              onSuccess: () => {
                setText('');
                notify({ type: 'success', content: t('noteAdded') });
              },
            },
          );
        }}
      >
        <SpaceBetween size="s">
          {note.error && <ProblemAlert error={note.error} />}
          <FormField label={t('noteText')} errorText={fieldError(note.error, '$.text')}>
            <TextArea value={text} onChange={setText} label={t('noteText')} />
          </FormField>
          <FormField label={t('noteVisibility')}>
            <RadioGroup
              ariaLabel={t('noteVisibility')}
              value={visibility}
              onChange={(event) => setVisibility(event.detail.value as 'internal' | 'customer')}
              items={[
                { value: 'internal', label: t('visibility.internal') },
                { value: 'customer', label: t('visibility.customer') },
              ]}
            />
          </FormField>
          <Button formAction="submit" loading={note.isPending} disabled={text.trim() === '' || c.status === 'closed'}>
            {t('noteSave')}
          </Button>
        </SpaceBetween>
      </form>
    </Container>
  );
}

