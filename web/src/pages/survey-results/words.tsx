import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useApi } from '../../api/api-context';
import { type Schemas, answer } from '../../api/client';
import { useFollow } from '../../app/router';
import { CursorPagination, useCursorPages } from '../../components/cursor-pages';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useLocale, useMessages } from '../../i18n/locale';
import { surveyResultsMessages } from './messages';
import type { Period } from './periods';

type Comment = Schemas['SurveyComment'];
const rowsPerPage = 10;
const scoreTypes = ['csat', 'nps', 'ces'] as const;
const scoreLabel = { csat: 'scoreCsat', nps: 'scoreNps', ces: 'scoreCes' } as const;

/**
 * The customers' own words of the period, newest first, a page at a time as the server lists them
 * (GET /v1/analytics/survey-comments): each with its question, the survey's scores, agent, queue
 * and the service-recovery case it opened.
 */
export function CustomerWords({ period, timeZone }: { period: Period; timeZone: string }) {
  const t = useMessages(surveyResultsMessages);
  const format = useFormat();
  const { locale } = useLocale();
  const api = useApi();
  const follow = useFollow();
  const pages = useCursorPages(['survey-comments', period.from, period.to], (cursor) =>
    answer(api.GET('/v1/analytics/survey-comments', { params: { query: { from: period.from, to: period.to, limit: rowsPerPage, ...(cursor && { cursor }) } } })),
  );

  return (
    <Table
      header={
        <Header variant="h2" description={t('wordsDescription')}>
          {t('words')}
        </Header>
      }
      ariaLabels={{ tableLabel: t('words') }}
      loading={pages.page.isPending}
      loadingText={t('wordsReading')}
      items={pages.items}
      trackBy="surveyId"
      wrapLines
      pagination={<CursorPagination pages={pages} labels={{ next: t('paginationNext'), previous: t('paginationPrevious'), page: (page) => t('paginationPage', { page }) }} />}
      empty={
        pages.page.error ? (
          <ProblemAlert error={pages.page.error} />
        ) : (
          <Box textAlign="center" color="inherit">
            <b>{t('wordsEmpty')}</b>
            <Box variant="p" color="inherit">
              {t('wordsEmptyHint')}
            </Box>
          </Box>
        )
      }
      columnDefinitions={[
        { id: 'date', header: t('colDate'), cell: (row) => format.dateTime(row.finishedAt, timeZone), width: 180 },
        {
          id: 'score',
          header: t('colScore'),
          width: 150,
          cell: (row) => {
            const given = scoreTypes.flatMap((type) => (typeof row.scores[type] === 'number' ? [{ type, value: row.scores[type] }] : []));
            return given.length === 0 ? (
              t('noScore')
            ) : (
              <SpaceBetween size="xxxs">
                {given.map((score) => (
                  <span key={score.type}>{t(scoreLabel[score.type], { value: score.value })}</span>
                ))}
              </SpaceBetween>
            );
          },
        },
        {
          id: 'words',
          header: t('colWords'),
          isRowHeader: true,
          cell: (row) => (
            <SpaceBetween size="xxs">
              {row.words.map((word) => (
                <div key={word.questionId}>
                  {word.question && (
                    <Box variant="small" color="text-body-secondary">
                      {word.question[locale]}
                    </Box>
                  )}
                  <Box>“{word.text}”</Box>
                </div>
              ))}
            </SpaceBetween>
          ),
        },
        { id: 'agent', header: t('colAgent'), cell: (row) => agentAndQueue(row), width: 160 },
        {
          id: 'case',
          header: t('colCase'),
          width: 220,
          cell: (row) =>
            row.case ? (
              <SpaceBetween size="xxxs">
                <Link href={`/cases/${row.case.caseId}`} onFollow={follow}>
                  {row.case.caseId}
                </Link>
                <StatusIndicator type={row.case.status === 'resolved' || row.case.status === 'closed' ? 'success' : 'pending'}>{t(`caseStatus.${row.case.status}`)}</StatusIndicator>
              </SpaceBetween>
            ) : (
              t('noCase')
            ),
        },
      ]}
    />
  );
}

function agentAndQueue(row: Comment) {
  return (
    <SpaceBetween size="xxxs">
      <span>{row.agentId ?? '—'}</span>
      {row.queue ? <Box variant="small">{row.queue}</Box> : null}
    </SpaceBetween>
  );
}
