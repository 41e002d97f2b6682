import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { useNotify } from '../../app/notifications';
import { useFollow } from '../../app/router';
import { CursorPagination, useCursorPages } from '../../components/cursor-pages';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { webhookMessages } from './messages';

type Delivery = Schemas['WebhookDelivery'];
const statusIndicator = { pending: 'pending', succeeded: 'success', failed: 'error' } as const;
const pageSize = 20;

/** One webhook's deliveries, a page at a time by the API's cursor, and its test event. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const t = useMessages(webhookMessages);
  const format = useFormat();
  const api = useApi();
  const me = useMe();
  const notify = useNotify();
  const follow = useFollow();
  const queryClient = useQueryClient();
  const timezone = me.data?.tenant.timezone;

  const webhook = useQuery({
    queryKey: ['webhooks', webhookId],
    queryFn: () => answer(api.GET('/v1/webhooks/{webhookId}', { params: { path: { webhookId } } })),
  });
  const pages = useCursorPages(
    ['webhooks', webhookId, 'deliveries'],
    (cursor) => answer(api.GET('/v1/webhooks/{webhookId}/deliveries', { params: { path: { webhookId }, query: { limit: pageSize, ...(cursor && { cursor }) } } })),
    // While a delivery is under way, its outcome is worth watching.
    { refetchInterval: (page) => (page?.items.some((delivery) => delivery.status === 'pending') ? 2_000 : false) },
  );
  const deliveries = pages.page;

  const sendTest = useMutation({
    mutationFn: () => answer(api.POST('/v1/webhooks/{webhookId}/test', { params: { path: { webhookId } } })),
    onSuccess: () => {
      notify({ type: 'success', content: t('testQueued') });
      // The test delivery is the newest: the first page, read again, shows it.
      pages.restart();
      void queryClient.invalidateQueries({ queryKey: ['webhooks', webhookId, 'deliveries'] });
    },
  });

  return (
    <SpaceBetween size="l">
      <BreadcrumbGroup
        ariaLabel={t('title')}
        onFollow={follow}
        items={[
          { text: t('title'), href: '/webhooks' },
          { text: webhook.data?.url ?? webhookId, href: `/webhooks/${webhookId}` },
        ]}
      />
      {webhook.error && <ProblemAlert error={webhook.error} />}
      <ProblemAlert error={sendTest.error} />
      <Table
        variant="full-page"
        loading={pages.loading}
        loadingText={t('loadingDeliveries')}
        items={pages.items}
        trackBy="deliveryId"
        wrapLines
        header={
          <Header
            variant="h1"
            description={
              <>
                {webhook.data?.url}
                {webhook.data ? ' — ' : ''}
                {t('deliveriesDescription')}
              </>
            }
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button iconName="refresh" ariaLabel={t('refresh')} loading={deliveries.isFetching && !deliveries.isPending} onClick={() => void deliveries.refetch()} />
                <Button variant="primary" loading={sendTest.isPending} disabled={webhook.data?.enabled === false} disabledReason={t('enabledHint')} onClick={() => sendTest.mutate()}>
                  {t('sendTest')}
                </Button>
              </SpaceBetween>
            }
          >
            {t('deliveries')}
          </Header>
        }
        pagination={<CursorPagination pages={pages} labels={{ next: t('nextPage'), previous: t('previousPage'), page: (page) => t('pageLabel', { page }) }} />}
        empty={
          deliveries.error ? (
            <ProblemAlert error={deliveries.error} />
          ) : (
            <Box textAlign="center" color="inherit">
              <b>{t('deliveriesEmptyTitle')}</b>
              <Box variant="p" color="inherit">{t('deliveriesEmptyText')}</Box>
            </Box>
          )
        }
        columnDefinitions={[
          { id: 'event', header: t('event'), isRowHeader: true, cell: (delivery: Delivery) => delivery.detailType },
          {
            id: 'status',
            header: t('status'),
            cell: (delivery) => <StatusIndicator type={statusIndicator[delivery.status]}>{t(`status.${delivery.status}`)}</StatusIndicator>,
          },
          { id: 'attempts', header: t('attempts'), cell: (delivery) => format.number(delivery.attempts) },
          {
            id: 'response',
            header: t('response'),
            cell: (delivery) => (delivery.lastResponseStatus !== undefined ? `HTTP ${delivery.lastResponseStatus}` : delivery.attempts > 0 ? t('noResponse') : '—'),
          },
          { id: 'lastAttempt', header: t('lastAttempt'), cell: (delivery) => (delivery.lastAttemptAt ? format.dateTime(delivery.lastAttemptAt, timezone) : t('notYet')) },
          { id: 'nextAttempt', header: t('nextAttempt'), cell: (delivery) => (delivery.nextAttemptAt ? format.dateTime(delivery.nextAttemptAt, timezone) : '—') },
          { id: 'error', header: t('error'), cell: (delivery) => (delivery.status === 'succeeded' ? '—' : (delivery.lastError ?? '—')) },
          { id: 'created', header: t('created'), cell: (delivery) => format.dateTime(delivery.createdAt, timezone) },
        ]}
      />
    </SpaceBetween>
  );
}
