import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { ApiProblem, type Schemas, answer } from '../../api/client';
import { useNotify } from '../../app/notifications';
import { ProblemAlert, fieldError } from '../../components/problem';
import { type Translate, useFormat, useMessages } from '../../i18n/locale';
import { peopleMessages } from './messages';
import { ConfirmModal } from '../../components/confirm-modal';

type Person = Schemas['Person'];
type Role = Person['role'];
type Keys = keyof typeof peopleMessages.en;
const roles: Role[] = ['admin', 'supervisor', 'agent', 'viewer'];

export function RoleChoice({ value, onChange, t }: { value: Role; onChange(role: Role): void; t: Translate<Keys> }) {
  return (
    <RadioGroup
      value={value}
      onChange={(event) => onChange(event.detail.value as Role)}
      items={roles.map((role) => ({ value: role, label: t(`role.${role}`), description: t(`roleHelp.${role}`) }))}
    />
  );
}

const stateIndicator = { invited: 'pending', active: 'success', deactivated: 'stopped' } as const;

/** The mail service refused the address (422 mail-refused): said in the page's words, beside the address. */
const isMailRefused = (error: unknown) => error instanceof ApiProblem && error.slug === 'mail-refused';

export default function PeoplePage() {
  const t = useMessages(peopleMessages);
  const format = useFormat();
  const api = useApi();
  const me = useMe();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<Person | undefined>();
  const [deactivating, setDeactivating] = useState<Person | undefined>();

  const people = useInfiniteQuery({
    queryKey: ['people'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => answer(api.GET('/v1/people', { params: { query: { limit: 50, ...(pageParam && { cursor: pageParam }) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = people.data?.pages.flatMap((page) => page.items) ?? [];
  const timezone = me.data?.tenant.timezone;
  const myId = me.data?.principal.kind === 'person' ? me.data.principal.personId : undefined;

  const changeState = useMutation({
    mutationFn: ({ person, action }: { person: Person; action: 'deactivate' | 'reactivate' | 'resend' }) =>
      answer(
        action === 'deactivate'
          ? api.POST('/v1/people/{personId}/deactivate', { params: { path: { personId: person.personId } } })
          : action === 'reactivate'
            ? api.POST('/v1/people/{personId}/reactivate', { params: { path: { personId: person.personId } } })
            : api.POST('/v1/people/{personId}/invitation', { params: { path: { personId: person.personId }, header: { 'Idempotency-Key': crypto.randomUUID() } } }),
      ),
    onSuccess: (person, { action }) => {
      setDeactivating(undefined);
      notify({ type: 'success', content: t(action === 'deactivate' ? 'deactivated' : action === 'reactivate' ? 'reactivated' : 'invitationResent', { email: person.email }) });
      void queryClient.invalidateQueries({ queryKey: ['people'] });
    },
  });

  // A resend the mail service refused: named in the alert and marked on the person's row.
  const refusedPersonId = isMailRefused(changeState.error) ? changeState.variables?.person.personId : undefined;

  return (
    <SpaceBetween size="l">
      <ProblemAlert error={changeState.error} header={refusedPersonId ? t('resendRefused', { email: changeState.variables!.person.email }) : undefined} />
      <Table
        variant="full-page"
        loading={people.isPending}
        loadingText={t('title')}
        items={items}
        trackBy="personId"
        header={
          <Header
            variant="h1"
            description={t('description')}
            counter={people.data ? `(${items.length}${people.hasNextPage ? '+' : ''})` : undefined}
            actions={<Button variant="primary" onClick={() => setInviting(true)}>{t('invite')}</Button>}
          >
            {t('title')}
          </Header>
        }
        empty={
          people.error ? (
            <ProblemAlert error={people.error} />
          ) : (
            <Box textAlign="center" color="inherit">
              <b>{t('emptyTitle')}</b>
              <Box variant="p" color="inherit">{t('emptyText')}</Box>
            </Box>
          )
        }
        columnDefinitions={[
          {
            id: 'email',
            header: t('email'),
            cell: (person) => {
              const text = `${person.email}${person.personId === myId ? ` ${t('you')}` : ''}`;
              return person.personId === refusedPersonId ? (
                <SpaceBetween size="xxs">
                  {text}
                  <StatusIndicator type="error">{t('mailRefusedShort')}</StatusIndicator>
                </SpaceBetween>
              ) : (
                text
              );
            },
            isRowHeader: true,
          },
          { id: 'name', header: t('displayName'), cell: (person) => person.displayName ?? '—' },
          { id: 'role', header: t('role'), cell: (person) => t(`role.${person.role}`) },
          { id: 'state', header: t('state'), cell: (person) => <StatusIndicator type={stateIndicator[person.state]}>{t(`state.${person.state}`)}</StatusIndicator> },
          { id: 'agentId', header: t('agentId'), cell: (person) => person.agentId },
          { id: 'lastSignIn', header: t('lastSignIn'), cell: (person) => (person.lastSignInAt ? format.dateTime(person.lastSignInAt, timezone) : t('never')) },
          {
            id: 'actions',
            header: t('actions'),
            cell: (person) => (
              <ButtonDropdown
                variant="inline-icon"
                ariaLabel={`${t('actions')}: ${person.email}`}
                items={[
                  { id: 'edit', text: t('edit') },
                  ...(person.state === 'invited' ? [{ id: 'resend', text: t('resendInvitation') }] : []),
                  person.state === 'deactivated' ? { id: 'reactivate', text: t('reactivate') } : { id: 'deactivate', text: t('deactivate') },
                ]}
                onItemClick={(event) => {
                  if (event.detail.id === 'edit') setEditing(person);
                  else if (event.detail.id === 'deactivate') setDeactivating(person);
                  else if (event.detail.id === 'resend') changeState.mutate({ person, action: 'resend' });
                  else changeState.mutate({ person, action: 'reactivate' });
                }}
              />
            ),
          },
        ]}
        footer={
          people.hasNextPage ? (
            <Box textAlign="center">
              <Button onClick={() => void people.fetchNextPage()} loading={people.isFetchingNextPage}>{t('next')}</Button>
            </Box>
          ) : undefined
        }
      />
      {inviting && <PersonModal t={t} onClose={() => setInviting(false)} />}
      {editing && <PersonModal t={t} person={editing} onClose={() => setEditing(undefined)} />}
      {deactivating && (
        <ConfirmModal
          header={t('deactivateTitle', { email: deactivating.email })}
          text={t('deactivateText')}
          confirmLabel={t('deactivate')}
          cancelLabel={t('cancel')}
          busy={changeState.isPending}
          error={changeState.error}
          onConfirm={() => changeState.mutate({ person: deactivating, action: 'deactivate' })}
          onClose={() => setDeactivating(undefined)}
        />
      )}
    </SpaceBetween>
  );
}

/**
 * Inviting a person (no `person`) or changing one: the same form, but that an invitation also
 * takes the e-mail address (which never changes after) and says what the person will receive.
 */
function PersonModal({ t, person, onClose }: { t: Translate<Keys>; person?: Person; onClose(): void }) {
  const api = useApi();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>(person?.role ?? 'agent');
  const [displayName, setDisplayName] = useState(person?.displayName ?? '');
  const [agentId, setAgentId] = useState(person?.agentId ?? '');
  // One key for this invitation: sending twice (a double click, a retry) invites once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const submit = useMutation({
    mutationFn: () =>
      person
        ? answer(
            api.PATCH('/v1/people/{personId}', {
              params: { path: { personId: person.personId }, header: { 'If-Match': `"${person.version}"` } },
              body: {
                ...(role !== person.role && { role }),
                ...(displayName !== (person.displayName ?? '') && { displayName: displayName.trim() ? displayName : null }),
                ...(agentId !== person.agentId && { agentId }),
              },
            }),
          )
        : answer(
            api.POST('/v1/people', {
              params: { header: { 'Idempotency-Key': idempotencyKey } },
              body: { email, role, ...(displayName.trim() && { displayName }), ...(agentId.trim() && { agentId }) },
            }),
          ),
    onSuccess: (saved) => {
      notify({ type: 'success', content: t(person ? 'saved' : 'invited', { email: saved.email }) });
      void queryClient.invalidateQueries({ queryKey: ['people'] });
      onClose();
    },
  });
  return (
    <Modal visible header={person ? `${t('edit')}: ${person.email}` : t('invite')} onDismiss={onClose}>
      <form onSubmit={(event) => { event.preventDefault(); submit.mutate(); }}>
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>{t('cancel')}</Button>
              <Button variant="primary" loading={submit.isPending}>{t(person ? 'save' : 'send')}</Button>
            </SpaceBetween>
          }
          errorText={submit.error ? <ProblemAlert error={submit.error} /> : undefined}
        >
          <SpaceBetween size="m">
            {!person && <Box variant="p">{t('inviteText')}</Box>}
            {!person && (
              <FormField label={t('email')} errorText={isMailRefused(submit.error) ? t('mailRefused') : fieldError(submit.error, '$.email')}>
                <Input type="email" value={email} onChange={(event) => setEmail(event.detail.value)} autoFocus />
              </FormField>
            )}
            <FormField label={t('role')} errorText={fieldError(submit.error, '$.role')}>
              <RoleChoice value={role} onChange={setRole} t={t} />
            </FormField>
            <FormField label={t('displayName')} description={t('displayNameHint')} errorText={fieldError(submit.error, '$.displayName')}>
              <Input value={displayName} onChange={(event) => setDisplayName(event.detail.value)} />
            </FormField>
            <FormField label={t('agentId')} description={t('agentIdHint')} errorText={fieldError(submit.error, '$.agentId')}>
              <Input value={agentId} onChange={(event) => setAgentId(event.detail.value)} />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
