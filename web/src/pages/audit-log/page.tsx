import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { CursorPagination, useCursorPages } from '../../components/cursor-pages';
import { ProblemAlert, fieldError } from '../../components/problem';
import { type Translate, useFormat, useMessages } from '../../i18n/locale';
import { auditMessages } from './messages';

type Entry = Schemas['AuditEntry'];
type Action = Entry['action'];
type Keys = keyof typeof auditMessages.en;
const pageSize = 25;

/** The actions the console names, in the order of the filter; one the API adds later shows as its own id. */
const actions: Action[] = [
  'api-key.created',
  'api-key.revoked',
  'settings.changed',
  'webhook.created',
  'webhook.changed',
  'webhook.secret-rotated',
  'webhook.deleted',
  'export.downloaded',
  'customer.erased',
  'tenant.created',
  'tenant.suspended',
  'tenant.resumed',
  'allocation.granted',
  'allocation.released',
  'person.invited',
  'person.invitation-resent',
  'person.changed',
  'person.deactivated',
  'person.reactivated',
  'person.signed-out-everywhere',
];

function actionText(t: Translate<Keys>, action: string): string {
  const key = `action.${action}` as Keys;
  return key in auditMessages.en ? t(key) : action;
}

/** The summary in words: what changed, never a value (the API keeps none). */
function detailsOf(t: Translate<Keys>, entry: Entry, format: ReturnType<typeof useFormat>): string {
  const summary = entry.summary as Record<string, unknown>;
  const parts: string[] = [];
  if (entry.target.id && entry.target.type !== 'export') parts.push(entry.target.id);
  if (Array.isArray(summary.scopes)) parts.push(t('scopes', { scopes: summary.scopes.join(', ') }));
  if (Array.isArray(summary.changedFields)) parts.push(t('changedFields', { fields: summary.changedFields.join(', ') }));
  if (Array.isArray(summary.eventTypes)) parts.push(t('eventTypes', { types: summary.eventTypes.join(', ') }));
  if (entry.action === 'export.downloaded') {
    const { export: kind, from, to, rows, withNotes } = entry.summary;
    parts.push(`${t('exported', { export: kind, from, to, rows: format.number(rows) })}${withNotes ? `, ${t('withNotes')}` : ''}`);
  }
  if (typeof summary.role === 'string') parts.push(t('role', { role: summary.role }));
  if (typeof summary.reason === 'string') parts.push(t('reason', { reason: summary.reason }));
  return parts.join(' · ') || '—';
}

export default function AuditLogPage() {
  const t = useMessages(auditMessages);
  const format = useFormat();
  const api = useApi();
  const me = useMe();
  const timezone = me.data?.tenant.timezone;
  const [action, setAction] = useState<Action | undefined>();
  const [actorText, setActorText] = useState('');
  const [actor, setActor] = useState<string | undefined>();

  // Another filter is another list, which starts at its first page.
  const pages = useCursorPages(['audit-log', action ?? '', actor ?? ''], (cursor) =>
    answer(api.GET('/v1/audit-log', { params: { query: { limit: pageSize, ...(action && { action }), ...(actor && { actor }), ...(cursor && { cursor }) } } })),
  );
  const entries = pages.page;
  // Key names for the "who" column; a revoked key is no longer listed and shows by its id.
  const keys = useQuery({ queryKey: ['api-keys', 'names'], queryFn: () => answer(api.GET('/v1/api-keys', { params: { query: { limit: 100 } } })) });
  const keyNames = useMemo(() => new Map((keys.data?.items ?? []).map((key) => [key.keyId, key.name])), [keys.data]);
  const people = useQuery({ queryKey: ['people', 'names'], queryFn: () => answer(api.GET('/v1/people', { params: { query: { limit: 100 } } })) });
  const personNames = useMemo(
    () => new Map((people.data?.items ?? []).map((person) => [person.personId, person.displayName ? `${person.displayName} <${person.email}>` : person.email])),
    [people.data],
  );
  const who = (entry: Entry) => {
    const actorOf = entry.actor as { type: string; keyId?: string; personId?: string };
    if (actorOf.type === 'operator') return t('actor.operator');
    if (actorOf.type === 'api-key' && actorOf.keyId) {
      const name = keyNames.get(actorOf.keyId);
      return name ? `${t('actor.key', { name })} (${actorOf.keyId})` : t('actor.unknownKey', { keyId: actorOf.keyId });
    }
    const personId = actorOf.personId ?? '';
    const name = personNames.get(personId);
    return name ? `${t('actor.person', { name })} (${personId})` : t('actor.person', { name: personId });
  };
  const filtered = action !== undefined || actor !== undefined;
  const actionOptions = [{ value: '', label: t('anyAction') }, ...actions.map((value) => ({ value, label: actionText(t, value) }))];

  return (
    <Table
      variant="full-page"
      loading={pages.loading}
      loadingText={t('loading')}
      items={pages.items}
      trackBy="entryId"
      wrapLines
      header={
        <Header
          variant="h1"
          description={t('description')}
          actions={<Button iconName="refresh" ariaLabel={t('refresh')} loading={entries.isFetching && !entries.isPending} onClick={() => void entries.refetch()} />}
        >
          {t('title')}
        </Header>
      }
      filter={
        <form onSubmit={(event) => { event.preventDefault(); setActor(actorText.trim() || undefined); pages.restart(); }}>
          <SpaceBetween direction="horizontal" size="m" alignItems="end">
            <FormField label={t('actionFilter')} errorText={fieldError(entries.error, 'query.action')}>
              <Select
                selectedOption={actionOptions.find((option) => option.value === (action ?? '')) ?? actionOptions[0]!}
                onChange={(event) => setAction((event.detail.selectedOption.value || undefined) as Action | undefined)}
                options={actionOptions}
              />
            </FormField>
            <FormField label={t('actorFilter')} description={t('actorFilterHint')} errorText={fieldError(entries.error, 'query.actor')}>
              <Input value={actorText} placeholder={t('actorPlaceholder')} onChange={(event) => setActorText(event.detail.value)} />
            </FormField>
            <Button>{t('apply')}</Button>
            {filtered && (
              <Button formAction="none" variant="link" onClick={() => { setAction(undefined); setActor(undefined); setActorText(''); }}>
                {t('clear')}
              </Button>
            )}
          </SpaceBetween>
        </form>
      }
      pagination={<CursorPagination pages={pages} labels={{ next: t('nextPage'), previous: t('previousPage'), page: (page) => t('pageLabel', { page }) }} />}
      empty={
        entries.error ? (
          <ProblemAlert error={entries.error} />
        ) : (
          <Box textAlign="center" color="inherit">
            <b>{t('emptyTitle')}</b>
            <Box variant="p" color="inherit">{filtered ? t('emptyFilteredText') : t('emptyText')}</Box>
          </Box>
        )
      }
      columnDefinitions={[
        { id: 'when', header: t('when'), cell: (entry) => format.dateTime(entry.at, timezone) },
        { id: 'who', header: t('who'), cell: who },
        { id: 'what', header: t('what'), isRowHeader: true, cell: (entry) => actionText(t, entry.action) },
        { id: 'details', header: t('details'), cell: (entry) => detailsOf(t, entry, format) },
        { id: 'where', header: t('where'), cell: (entry) => `${entry.source.ip} · ${entry.source.userAgent || t('noUserAgent')}` },
      ]}
    />
  );
}
