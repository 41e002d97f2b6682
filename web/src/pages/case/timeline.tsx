import Badge from '@cloudscape-design/components/badge';
import Button from '@cloudscape-design/components/button';
import { useMutation } from '@tanstack/react-query';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tabs from '@cloudscape-design/components/tabs';
import { useApi, useMe } from '../../api/api-context';
import { ProblemAlert } from '../../components/problem';
import { type Schemas, answer } from '../../api/client';
import { useFormat } from '../../i18n/locale';
import type { CaseTranslate, CaseView } from './case-event';

type Entry = Schemas['CaseTimelineEntry'];

/** The known entry types have words of their own; any other (a message, say) is shown by its type and fields. */
const knownTypes = ['opened', 'updated', 'note', 'assign', 'status_change', 'customer_reply', 'link_contact', 'sla_breached', 'service_recovery', 'message_sent'] as const;

/** What the customer was told or said: notes sent to them, their replies, and any entry with a channel (messages). */
const withCustomer = (entry: Entry) => entry.visibility === 'customer' || entry.type === 'customer_reply' || (entry.channel !== undefined && entry.visibility !== 'internal');
const internalNote = (entry: Entry) => entry.visibility === 'internal';

/** The case's timeline, newest first, in three views: everything, what passed with the customer, and internal notes. */
export function Timeline({ c, t }: { c: CaseView; t: CaseTranslate }) {
  const entries = [...c.timeline].reverse();
  const list = (shown: Entry[]) =>
    shown.length === 0 ? (
      <Box color="text-body-secondary">{t('timelineEmpty')}</Box>
    ) : (
      <ol style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {shown.map((entry) => (
          <li key={entry.entryId} style={{ marginBottom: '16px' }}>
            <TimelineEntry caseId={c.caseId} entry={entry} t={t} />
          </li>
        ))}
      </ol>
    );
  return (
    <Container
      header={
        <Header variant="h2" description={c.timelineTruncated ? t('timelineTruncated', { count: c.timeline.length }) : undefined}>
          {t('timeline')}
        </Header>
      }
    >
      <Tabs
        tabs={[
          { id: 'all', label: t('tab.all'), content: list(entries) },
          { id: 'customer', label: t('tab.customer'), content: list(entries.filter(withCustomer)) },
          { id: 'internal', label: t('tab.internal'), content: list(entries.filter(internalNote)) },
        ]}
      />
    </Container>
  );
}

function TimelineEntry({ caseId, entry, t }: { caseId: string; entry: Entry; t: CaseTranslate }) {
  const me = useMe();
  const format = useFormat();
  const known = (knownTypes as readonly string[]).includes(entry.type);
  const title = known ? t(`entry.${entry.type as (typeof knownTypes)[number]}`) : entry.type.replace(/_/g, ' ');
  return (
    <SpaceBetween size="xxxs">
      <SpaceBetween direction="horizontal" size="xs" alignItems="center">
        <Box fontWeight="bold">{title}</Box>
        {entry.visibility === 'internal' && <Badge color="grey">{t('badge.internal')}</Badge>}
        {withCustomer(entry) && <Badge color="blue">{t('badge.customer')}</Badge>}
        <Box variant="small" color="text-body-secondary">
          {format.dateTime(entry.at, me.data?.tenant.timezone)} · {t('by', { actor: entry.actor })}
        </Box>
      </SpaceBetween>
      <EntryDetail entry={entry} t={t} known={known} />
      {entry.attachments && entry.attachments.length > 0 && <Attachments caseId={caseId} attachments={entry.attachments} t={t} />}
      {entry.refusedAttachments?.map((refused, index) => (
        <Box key={index} color="text-status-warning">
          {t(`refused.${refused.reason}`, { name: refused.name, size: byteSize(refused.size, format) })}
        </Box>
      ))}
    </SpaceBetween>
  );
}

function EntryDetail({ entry, t, known }: { entry: Entry; t: CaseTranslate; known: boolean }) {
  const format = useFormat();
  const lines: string[] = [];
  const status = (value: string) => t(`status.${value as 'open'}`);
  switch (entry.type) {
    case 'status_change':
      if (entry.from && entry.to) lines.push(t('statusMove', { from: status(entry.from), to: status(entry.to) }));
      break;
    case 'assign':
      lines.push(entry.assignee ? (entry.reason === 'claimed' ? t('claimedBy', { agent: entry.assignee }) : entry.assignee) : t('unassignedEntry'));
      break;
    case 'updated':
      if (entry.fields) lines.push(t('fields', { fields: entry.fields.join(', ') }));
      break;
    case 'sla_breached':
      if (entry.kind) lines.push(t('missed', { kind: t(`kind.${entry.kind}`) }));
      break;
    case 'link_contact':
      if (entry.contactId) lines.push(entry.contactId);
      break;
    case 'message_sent':
    case 'customer_reply':
      if (entry.channel === 'sms' || entry.channel === 'email') lines.push(t(`channel.${entry.channel}`));
      if (entry.subject) lines.push(t('subject', { subject: entry.subject }));
      break;
    case 'service_recovery':
      if (entry.step) lines.push(t(`step.${entry.step}`));
      if (entry.compensation) {
        lines.push(`${t(`compensation.${entry.compensation.type}`)} ${format.number(entry.compensation.amount, { style: 'currency', currency: entry.compensation.currency })}`);
      }
      if (entry.customerSatisfied !== undefined) lines.push(t(entry.customerSatisfied ? 'satisfied.true' : 'satisfied.false'));
      break;
    default:
      if (!known) {
        // An entry type this page does not know yet: its fields as they are.
        const { entryId: _id, type: _type, at: _at, actor: _actor, text: _text, visibility: _visibility, ...rest } = entry as Record<string, unknown>;
        for (const [name, value] of Object.entries(rest)) lines.push(`${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
      }
  }
  if (entry.reason && entry.type !== 'assign') lines.push(entry.reason);
  return (
    <>
      {lines.map((line, index) => (
        <Box key={index}>{line}</Box>
      ))}
      {entry.text && <Box variant="p">{entry.text}</Box>}
    </>
  );
}

const byteSize = (bytes: number, format: ReturnType<typeof useFormat>) =>
  bytes < 1024 * 1024 ? `${format.number(Math.max(1, Math.round(bytes / 1024)))} KB` : `${format.number(bytes / (1024 * 1024), { maximumFractionDigits: 1 })} MB`;

/**
 * A mail's kept attachments. The download route answers a short-lived link (a browser cannot send
 * the bearer token when following a link), which the page then opens.
 */
function Attachments({ caseId, attachments, t }: { caseId: string; attachments: NonNullable<Entry['attachments']>; t: CaseTranslate }) {
  const api = useApi();
  const format = useFormat();
  const download = useMutation({
    mutationFn: (attachmentId: string) => answer(api.GET('/v1/cases/{caseId}/attachments/{attachmentId}', { params: { path: { caseId, attachmentId } } })),
    onSuccess: (link) => window.open(link.url, '_blank', 'noopener'),
  });
  return (
    <SpaceBetween size="xxs">
      <Box variant="small" fontWeight="bold">
        {t('attachments')}
      </Box>
      <SpaceBetween direction="horizontal" size="xs">
        {attachments.map((attachment) => (
          <Button key={attachment.attachmentId} iconName="download" loading={download.isPending && download.variables === attachment.attachmentId} onClick={() => download.mutate(attachment.attachmentId)}>
            {t('download', { name: attachment.name, size: byteSize(attachment.size, format) })}
          </Button>
        ))}
      </SpaceBetween>
      {download.error ? <ProblemAlert error={download.error} /> : null}
    </SpaceBetween>
  );
}
