import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { useNotify } from '../../app/notifications';
import { useFollow, useRouter } from '../../app/router';
import { ProblemAlert } from '../../components/problem';
import { SecretShownOnce } from '../../components/secret-shown-once';
import { useMessages } from '../../i18n/locale';
import { WebhookDeliveries } from './deliveries';
import { webhookMessages } from './messages';
import { WebhookForm } from './webhook-form';
import { ConfirmModal } from '../../components/confirm-modal';

type Webhook = Schemas['Webhook'];

export default function WebhooksPage() {
  const { path } = useRouter();
  const webhookId = /^\/webhooks\/([^/]+)$/.exec(path)?.[1];
  return webhookId ? <WebhookDeliveries webhookId={decodeURIComponent(webhookId)} /> : <WebhookList />;
}

function WebhookList() {
  const t = useMessages(webhookMessages);
  const api = useApi();
  const notify = useNotify();
  const follow = useFollow();
  const { navigate } = useRouter();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Webhook | 'new' | undefined>();
  const [shownSecret, setShownSecret] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<Webhook | undefined>();

  const webhooks = useInfiniteQuery({
    queryKey: ['webhooks'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => answer(api.GET('/v1/webhooks', { params: { query: { limit: 50, ...(pageParam && { cursor: pageParam }) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = webhooks.data?.pages.flatMap((page) => page.items) ?? [];

  const remove = useMutation({
    mutationFn: (webhook: Webhook) => answer(api.DELETE('/v1/webhooks/{webhookId}', { params: { path: { webhookId: webhook.webhookId } } })),
    onSuccess: () => {
      setDeleting(undefined);
      notify({ type: 'success', content: t('deleted') });
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
      void queryClient.invalidateQueries({ queryKey: ['audit-log'] });
    },
  });

  return (
    <SpaceBetween size="l">
      <Table
        variant="full-page"
        loading={webhooks.isPending}
        loadingText={t('loading')}
        items={items}
        trackBy="webhookId"
        wrapLines
        header={
          <Header
            variant="h1"
            description={t('description')}
            counter={webhooks.data ? `(${items.length}${webhooks.hasNextPage ? '+' : ''})` : undefined}
            actions={<Button variant="primary" onClick={() => setEditing('new')}>{t('create')}</Button>}
          >
            {t('title')}
          </Header>
        }
        empty={
          webhooks.error ? (
            <ProblemAlert error={webhooks.error} />
          ) : (
            <Box textAlign="center" color="inherit">
              <b>{t('emptyTitle')}</b>
              <Box variant="p" color="inherit">{t('emptyText')}</Box>
            </Box>
          )
        }
        columnDefinitions={[
          {
            id: 'url',
            header: t('url'),
            isRowHeader: true,
            cell: (webhook) => (
              <Link href={`/webhooks/${webhook.webhookId}`} onFollow={follow} ariaLabel={`${t('deliveries')}: ${webhook.url}`}>
                {webhook.url}
              </Link>
            ),
          },
          { id: 'description', header: t('webhookDescription'), cell: (webhook) => webhook.description ?? '—' },
          { id: 'eventTypes', header: t('eventTypes'), cell: (webhook) => (webhook.eventTypes.includes('*') ? t('allEvents') : webhook.eventTypes.join(', ')) },
          {
            id: 'state',
            header: t('state'),
            cell: (webhook) => <StatusIndicator type={webhook.enabled ? 'success' : 'stopped'}>{webhook.enabled ? t('state.on') : t('state.off')}</StatusIndicator>,
          },
          {
            id: 'actions',
            header: t('actions'),
            cell: (webhook) => (
              <ButtonDropdown
                variant="inline-icon"
                ariaLabel={`${t('actions')}: ${webhook.url}`}
                items={[
                  { id: 'deliveries', text: t('deliveries') },
                  { id: 'edit', text: t('edit') },
                  { id: 'delete', text: t('delete') },
                ]}
                onItemClick={(event) => {
                  if (event.detail.id === 'deliveries') navigate(`/webhooks/${webhook.webhookId}`);
                  else if (event.detail.id === 'edit') setEditing(webhook);
                  else { remove.reset(); setDeleting(webhook); }
                }}
              />
            ),
          },
        ]}
        footer={
          webhooks.hasNextPage ? (
            <Box textAlign="center">
              <Button onClick={() => void webhooks.fetchNextPage()} loading={webhooks.isFetchingNextPage}>{t('next')}</Button>
            </Box>
          ) : undefined
        }
      />
      {editing && (
        <WebhookForm
          t={t}
          webhook={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            notify({ type: 'success', content: t('saved') });
            setEditing(undefined);
          }}
          onCreated={(created) => {
            setEditing(undefined);
            setShownSecret(created.secret);
          }}
        />
      )}
      {shownSecret && (
        <SecretShownOnce
          secret={shownSecret}
          onDone={() => setShownSecret(undefined)}
          labels={{ title: t('secretTitle'), warning: t('secretWarning'), secret: t('secretLabel'), copy: t('copy'), copied: t('copied'), copyFailed: t('copyFailed'), done: t('done') }}
        />
      )}
      {deleting && (
        <ConfirmModal
          header={t('deleteTitle')}
          text={t('deleteText', { url: deleting.url })}
          confirmLabel={t('delete')}
          cancelLabel={t('cancel')}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(deleting)}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </SpaceBetween>
  );
}
