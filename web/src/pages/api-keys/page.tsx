import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { useNotify } from '../../app/notifications';
import { ProblemAlert, fieldError } from '../../components/problem';
import { SecretShownOnce } from '../../components/secret-shown-once';
import { type Translate, useFormat, useMessages } from '../../i18n/locale';
import { apiKeyMessages } from './messages';
import { ConfirmModal } from '../../components/confirm-modal';

type ApiKey = Schemas['ApiKey'];
type Scope = ApiKey['scopes'][number];
type Keys = keyof typeof apiKeyMessages.en;
/** Strongest first, as a person reads a list of powers. */
const scopes: Scope[] = ['admin', 'supervisor', 'agent', 'readonly'];

export default function ApiKeysPage() {
  const t = useMessages(apiKeyMessages);
  const format = useFormat();
  const api = useApi();
  const me = useMe();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ name: string; secret: string } | undefined>();
  const [revoking, setRevoking] = useState<ApiKey | undefined>();
  const timezone = me.data?.tenant.timezone;

  const keys = useInfiniteQuery({
    queryKey: ['api-keys'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => answer(api.GET('/v1/api-keys', { params: { query: { limit: 50, ...(pageParam && { cursor: pageParam }) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = keys.data?.pages.flatMap((page) => page.items) ?? [];

  const revoke = useMutation({
    mutationFn: (key: ApiKey) => answer(api.DELETE('/v1/api-keys/{keyId}', { params: { path: { keyId: key.keyId } } })),
    onSuccess: (_nothing, key) => {
      setRevoking(undefined);
      notify({ type: 'success', content: t('revoked', { name: key.name }) });
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
      void queryClient.invalidateQueries({ queryKey: ['audit-log'] });
    },
  });

  return (
    <SpaceBetween size="l">
      <Table
        variant="full-page"
        loading={keys.isPending}
        loadingText={t('loading')}
        items={items}
        trackBy="keyId"
        header={
          <Header
            variant="h1"
            description={t('description')}
            counter={keys.data ? `(${items.length}${keys.hasNextPage ? '+' : ''})` : undefined}
            actions={<Button variant="primary" onClick={() => setCreating(true)}>{t('create')}</Button>}
          >
            {t('title')}
          </Header>
        }
        empty={
          keys.error ? (
            <ProblemAlert error={keys.error} />
          ) : (
            <Box textAlign="center" color="inherit">
              <b>{t('emptyTitle')}</b>
              <Box variant="p" color="inherit">{t('emptyText')}</Box>
            </Box>
          )
        }
        columnDefinitions={[
          { id: 'name', header: t('name'), cell: (key) => key.name, isRowHeader: true },
          { id: 'scopes', header: t('scopes'), cell: (key) => key.scopes.map((scope) => t(`scope.${scope}`)).join(', ') },
          { id: 'keyId', header: t('keyId'), cell: (key) => <Box variant="code">{key.keyId}</Box> },
          { id: 'created', header: t('created'), cell: (key) => format.dateTime(key.createdAt, timezone) },
          {
            id: 'actions',
            header: t('actions'),
            cell: (key) => (
              <Button variant="inline-link" ariaLabel={`${t('revoke')}: ${key.name}`} onClick={() => { revoke.reset(); setRevoking(key); }}>
                {t('revoke')}
              </Button>
            ),
          },
        ]}
        footer={
          keys.hasNextPage ? (
            <Box textAlign="center">
              <Button onClick={() => void keys.fetchNextPage()} loading={keys.isFetchingNextPage}>{t('next')}</Button>
            </Box>
          ) : undefined
        }
      />
      {creating && (
        <CreateKeyModal
          t={t}
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setShown({ name: created.name, secret: created.secret });
          }}
        />
      )}
      {shown && (
        <SecretShownOnce
          secret={shown.secret}
          onDone={() => setShown(undefined)}
          labels={{
            title: t('secretTitle', { name: shown.name }),
            warning: t('secretWarning'),
            secret: t('secretLabel'),
            copy: t('copy'),
            copied: t('copied'),
            copyFailed: t('copyFailed'),
            done: t('done'),
          }}
        />
      )}
      {revoking && (
        <ConfirmModal
          header={t('revokeTitle', { name: revoking.name })}
          text={t('revokeText')}
          confirmLabel={t('revoke')}
          cancelLabel={t('cancel')}
          busy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate(revoking)}
          onClose={() => setRevoking(undefined)}
        />
      )}
    </SpaceBetween>
  );
}

function CreateKeyModal({ t, onClose, onCreated }: { t: Translate<Keys>; onClose(): void; onCreated(key: Schemas['ApiKeyWithSecret']): void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('readonly');
  // One key per form: a double click creates one key, and its replay says the secret was shown once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const create = useMutation({
    mutationFn: () =>
      answer(api.POST('/v1/api-keys', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body: { name, scopes: [scope] } })),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
      void queryClient.invalidateQueries({ queryKey: ['audit-log'] });
      onCreated(created);
    },
  });
  return (
    <Modal visible header={t('create')} onDismiss={onClose}>
      <form onSubmit={(event) => { event.preventDefault(); create.mutate(); }}>
        <Form
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onClose}>{t('cancel')}</Button>
              <Button variant="primary" loading={create.isPending}>{t('createSubmit')}</Button>
            </SpaceBetween>
          }
          errorText={create.error ? <ProblemAlert error={create.error} /> : undefined}
        >
          <SpaceBetween size="m">
            <FormField label={t('name')} description={t('nameHint')} errorText={fieldError(create.error, '$.name')}>
              <Input value={name} onChange={(event) => setName(event.detail.value)} autoFocus />
            </FormField>
            <FormField label={t('scopes')} description={t('scopesHint')} errorText={fieldError(create.error, '$.scopes', true)}>
              <RadioGroup
                value={scope}
                onChange={(event) => setScope(event.detail.value as Scope)}
                items={scopes.map((value) => ({ value, label: t(`scope.${value}`), description: t(`scopeHelp.${value}`) }))}
              />
            </FormField>
          </SpaceBetween>
        </Form>
      </form>
    </Modal>
  );
}
