import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { useNotify } from '../../app/notifications';
import { reaches } from '../../app/scopes';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { CannedReplyForm } from './canned-reply-form';
import { cannedReplyMessages } from './messages';
import { cannedRepliesKey } from './queries';
import { ConfirmModal } from '../../components/confirm-modal';

type CannedReply = Schemas['CannedReply'];

/** /desk/canned-replies: agents read the team's canned replies; supervisors and admins add, change and delete them. */
export default function CannedRepliesPage() {
  const t = useMessages(cannedReplyMessages);
  const format = useFormat();
  const api = useApi();
  const me = useMe();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<CannedReply | 'new' | undefined>();
  const [deleting, setDeleting] = useState<CannedReply | undefined>();
  const manages = reaches(me.data?.scopes ?? [], 'supervisor');
  const timezone = me.data?.tenant.timezone;

  const replies = useInfiniteQuery({
    queryKey: [...cannedRepliesKey, 'list'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => answer(api.GET('/v1/canned-replies', { params: { query: { limit: 100, ...(pageParam && { cursor: pageParam }) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = replies.data?.pages.flatMap((page) => page.items) ?? [];

  const remove = useMutation({
    mutationFn: (reply: CannedReply) => answer(api.DELETE('/v1/canned-replies/{cannedReplyId}', { params: { path: { cannedReplyId: reply.cannedReplyId } } })),
    onSuccess: () => {
      setDeleting(undefined);
      notify({ type: 'success', content: t('deleted') });
      void queryClient.invalidateQueries({ queryKey: cannedRepliesKey });
    },
  });

  const text = (reply: CannedReply, language: 'en' | 'zh-TW') => reply.texts[language] ?? '—';

  return (
    <SpaceBetween size="l">
      <Table
        variant="full-page"
        loading={replies.isPending}
        loadingText={t('loading')}
        items={items}
        trackBy="cannedReplyId"
        wrapLines
        header={
          <Header
            variant="h1"
            description={manages ? t('description') : `${t('description')} ${t('readOnly')}`}
            counter={replies.data ? `(${items.length}${replies.hasNextPage ? '+' : ''})` : undefined}
            actions={manages ? <Button variant="primary" onClick={() => setEditing('new')}>{t('create')}</Button> : undefined}
          >
            {t('title')}
          </Header>
        }
        empty={
          replies.error ? (
            <ProblemAlert error={replies.error} />
          ) : (
            <Box textAlign="center" color="inherit">
              <b>{t('emptyTitle')}</b>
              <Box variant="p" color="inherit">{manages ? t('emptyText') : t('emptyTextReadOnly')}</Box>
            </Box>
          )
        }
        columnDefinitions={[
          { id: 'title', header: t('replyTitle'), isRowHeader: true, cell: (reply) => reply.title },
          { id: 'zh', header: t('textZh'), cell: (reply) => text(reply, 'zh-TW') },
          { id: 'en', header: t('textEn'), cell: (reply) => text(reply, 'en') },
          { id: 'updated', header: t('updated'), cell: (reply) => format.dateTime(reply.updatedAt, timezone) },
          ...(manages
            ? [
                {
                  id: 'actions',
                  header: t('actions'),
                  cell: (reply: CannedReply) => (
                    <ButtonDropdown
                      variant="inline-icon"
                      ariaLabel={`${t('actions')}: ${reply.title}`}
                      items={[
                        { id: 'edit', text: t('edit') },
                        { id: 'delete', text: t('delete') },
                      ]}
                      onItemClick={(event) => {
                        if (event.detail.id === 'edit') setEditing(reply);
                        else {
                          remove.reset();
                          setDeleting(reply);
                        }
                      }}
                    />
                  ),
                },
              ]
            : []),
        ]}
        footer={
          replies.hasNextPage ? (
            <Box textAlign="center">
              <Button onClick={() => void replies.fetchNextPage()} loading={replies.isFetchingNextPage}>{t('next')}</Button>
            </Box>
          ) : undefined
        }
      />
      {editing && (
        <CannedReplyForm
          t={t}
          reply={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            notify({ type: 'success', content: t('saved') });
            setEditing(undefined);
          }}
        />
      )}
      {deleting && (
        <ConfirmModal
          header={t('deleteTitle')}
          text={t('deleteText', { title: deleting.title })}
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
