import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import DatePicker from '@cloudscape-design/components/date-picker';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Tiles from '@cloudscape-design/components/tiles';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useApi, useMe } from '../../api/api-context';
import { type ConsoleClient, answer } from '../../api/client';
import { ProblemAlert, fieldError } from '../../components/problem';
import { useFormat, useMessages } from '../../i18n/locale';
import { type CsvPage, dataRowsOf, filenameOf, joinPages, nextCursorOf } from './csv-pages';
import { exportMessages } from './messages';

type ExportKind = 'contacts' | 'survey-responses';
const kinds: ExportKind[] = ['contacts', 'survey-responses'];

/** Today's date (YYYY-MM-DD) in the tenant's time zone. */
const todayIn = (timezone: string | undefined) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** One answer of an export route, as text, with where the rest is. */
async function readPage(api: ConsoleClient, kind: ExportKind, query: { from: string; to: string; include?: 'notes'; cursor?: string }): Promise<CsvPage> {
  const call =
    kind === 'contacts'
      ? api.GET('/v1/exports/contacts', { params: { query }, parseAs: 'text' })
      : api.GET('/v1/exports/survey-responses', { params: { query: { from: query.from, to: query.to, ...(query.cursor && { cursor: query.cursor }) } }, parseAs: 'text' });
  const { response } = await call;
  const text = await answer(call);
  return { text, nextCursor: nextCursorOf(response.headers.get('link')), filename: filenameOf(response.headers.get('content-disposition')) };
}

interface Prepared {
  url: string;
  filename: string;
  rows: number;
}

export default function ExportsPage() {
  const t = useMessages(exportMessages);
  const format = useFormat();
  const api = useApi();
  const me = useMe();
  const timezone = me.data?.tenant.timezone;
  const today = todayIn(timezone);
  const [kind, setKind] = useState<ExportKind>('contacts');
  const [from, setFrom] = useState(() => `${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [withNotes, setWithNotes] = useState(false);
  const [progress, setProgress] = useState<{ rows: number; part: number } | undefined>();
  const [prepared, setPrepared] = useState<Prepared | undefined>();

  // A prepared file lives in memory until another replaces it or the page closes.
  useEffect(() => () => { if (prepared) URL.revokeObjectURL(prepared.url); }, [prepared]);

  const run = useMutation({
    mutationFn: async (): Promise<Prepared> => {
      setPrepared(undefined);
      const pages: string[] = [];
      let rows = 0;
      let filename = `${kind}.csv`;
      let cursor: string | undefined;
      setProgress({ rows: 0, part: 1 });
      do {
        const page = await readPage(api, kind, { from, to, ...(withNotes && kind === 'contacts' && { include: 'notes' as const }), ...(cursor && { cursor }) });
        if (pages.length === 0 && page.filename) filename = page.filename;
        pages.push(page.text);
        rows += dataRowsOf(page.text);
        cursor = page.nextCursor;
        setProgress({ rows, part: pages.length + 1 });
      } while (cursor);
      const blob = new Blob([joinPages(pages)], { type: 'text/csv;charset=utf-8' });
      return { url: URL.createObjectURL(blob), filename, rows };
    },
    onSuccess: setPrepared,
    onSettled: () => setProgress(undefined),
  });

  const dateError = (field: 'from' | 'to') => fieldError(run.error, `query.${field}`) ?? fieldError(run.error, `$.query.${field}`);

  return (
    <ContentLayout header={<Header variant="h1" description={t('description')}>{t('title')}</Header>}>
      <form onSubmit={(event) => { event.preventDefault(); run.mutate(); }}>
        <Form
          actions={<Button variant="primary" loading={run.isPending} disabled={!from || !to}>{t('download')}</Button>}
          errorText={run.error ? <ProblemAlert error={run.error} header={t('failed')} /> : undefined}
        >
          <Container>
            <SpaceBetween size="l">
              <FormField label={t('what')} stretch>
                <Tiles
                  value={kind}
                  onChange={(event) => setKind(event.detail.value as ExportKind)}
                  items={kinds.map((value) => ({ value, label: t(`kind.${value}`), description: t(`kindHelp.${value}`) }))}
                />
              </FormField>
              <FormField label={t('period')} description={t('periodHint', { timezone: timezone ?? 'UTC' })} stretch>
                <ColumnLayout columns={2}>
                  <FormField label={t('from')} errorText={dateError('from')}>
                    <DatePicker value={from} onChange={(event) => setFrom(event.detail.value)} placeholder={t('datePlaceholder')} openCalendarAriaLabel={() => t('openCalendar')} />
                  </FormField>
                  <FormField label={t('to')} errorText={dateError('to')}>
                    <DatePicker value={to} onChange={(event) => setTo(event.detail.value)} placeholder={t('datePlaceholder')} openCalendarAriaLabel={() => t('openCalendar')} />
                  </FormField>
                </ColumnLayout>
              </FormField>
              {kind === 'contacts' && (
                <FormField description={t('notesHint')}>
                  <Checkbox checked={withNotes} onChange={(event) => setWithNotes(event.detail.checked)}>{t('notes')}</Checkbox>
                </FormField>
              )}
              {progress && (
                <div role="status">
                  <StatusIndicator type="loading">
                    {progress.part > 1 ? t('runningPages', { rows: format.number(progress.rows), part: progress.part }) : t('running', { rows: format.number(progress.rows) })}
                  </StatusIndicator>
                </div>
              )}
              {prepared && (
                <SpaceBetween size="s">
                  <div role="status">
                    <StatusIndicator type="success">{t('ready', { rows: format.number(prepared.rows) })}</StatusIndicator>
                  </div>
                  {prepared.rows === 0 && <Box variant="p">{t('nothing')}</Box>}
                  <Button iconName="download" href={prepared.url} download={prepared.filename}>
                    {t('save', { filename: prepared.filename })}
                  </Button>
                </SpaceBetween>
              )}
            </SpaceBetween>
          </Container>
        </Form>
      </form>
    </ContentLayout>
  );
}
