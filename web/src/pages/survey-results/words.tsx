import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useApi } from '../../api/api-context';
import { type ConsoleClient, type Schemas, answer } from '../../api/client';
import { useFollow } from '../../app/router';
import { ProblemAlert } from '../../components/problem';
import { useFormat, useLocale, useMessages } from '../../i18n/locale';
import { surveyResultsMessages } from './messages';
import type { Period } from './periods';

type Survey = Schemas['Survey'];
type Template = Schemas['SurveyTemplate'];

/** Surveys read per period at most: the words are picked from the surveys' answers in the browser. */
const surveyPagesCap = 20;
const surveysPerPage = 100;
const rowsPerPage = 10;

interface WordsRow {
  survey: Survey;
  answeredAt: string;
  words: { questionId: string; question?: string; text: string }[];
  scores: { type: 'csat' | 'nps' | 'ces'; value: number }[];
}

/** Every survey of the period, page by page (oldest first, as the API lists them), up to the cap. */
async function surveysOfPeriod(api: ConsoleClient, period: Period, onProgress: (count: number) => void) {
  const surveys: Survey[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < surveyPagesCap; page++) {
    const answered = await answer(
      api.GET('/v1/surveys', { params: { query: { from: period.from, to: period.to, limit: surveysPerPage, ...(cursor && { cursor }) } } }),
    );
    surveys.push(...answered.items);
    onProgress(surveys.length);
    cursor = answered.nextCursor ?? undefined;
    if (!cursor) return { surveys, capped: false };
  }
  return { surveys, capped: true };
}

const templateKey = (survey: Pick<Survey, 'templateId' | 'templateVersion'>) => `${survey.templateId}@${survey.templateVersion}`;

export function CustomerWords({ period, timeZone }: { period: Period; timeZone: string }) {
  const t = useMessages(surveyResultsMessages);
  const format = useFormat();
  const { locale } = useLocale();
  const api = useApi();
  const [progress, setProgress] = useState(0);
  const [pageIndex, setPageIndex] = useState(1);
  const surveys = useQuery({
    queryKey: ['surveys-of-period', period.from, period.to],
    queryFn: () => surveysOfPeriod(api, period, setProgress),
  });

  // The questions the surveys were asked with: each template version once.
  const withAnswers = useMemo(() => (surveys.data?.surveys ?? []).filter((survey) => Object.values(survey.answers).some((value) => value !== null)), [surveys.data]);
  const versions = useMemo(
    () => [...new Map(withAnswers.filter((survey) => survey.templateId && survey.templateVersion).map((survey) => [templateKey(survey), survey])).values()],
    [withAnswers],
  );
  const templates = useQueries({
    queries: versions.map((survey) => ({
      queryKey: ['survey-template', survey.templateId, survey.templateVersion],
      queryFn: () =>
        answer(
          api.GET('/v1/survey-templates/{templateId}', {
            params: { path: { templateId: survey.templateId! }, query: { version: survey.templateVersion! } },
          }),
        ),
      staleTime: Infinity,
    })),
  });
  const templatesByKey = new Map<string, Template>();
  templates.forEach((template) => {
    if (template.data) templatesByKey.set(`${template.data.templateId}@${template.data.version}`, template.data);
  });
  const templatesPending = templates.some((template) => template.isPending);

  const rows: WordsRow[] = templatesPending
    ? []
    : withAnswers
      .map((survey) => {
        const questions = templatesByKey.get(templateKey(survey))?.questions ?? [];
        const questionOf = (questionId: string) => questions.find((question) => question.questionId === questionId);
        const words = Object.entries(survey.answers)
          .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '')
          .map(([questionId, text]) => ({ questionId, text, question: questionOf(questionId)?.text[locale] }));
        const scores = Object.entries(survey.answers).flatMap(([questionId, value]) => {
          const type = questionOf(questionId)?.type;
          return typeof value === 'number' && (type === 'csat' || type === 'nps' || type === 'ces') ? [{ type, value }] : [];
        });
        return { survey, words, scores, answeredAt: survey.completedAt ?? survey.updatedAt };
      })
      .filter((row) => row.words.length > 0)
      .sort((a, b) => b.answeredAt.localeCompare(a.answeredAt));

  const pagesCount = Math.max(1, Math.ceil(rows.length / rowsPerPage));
  const currentPage = Math.min(pageIndex, pagesCount);
  const visible = rows.slice((currentPage - 1) * rowsPerPage, currentPage * rowsPerPage);
  const loading = surveys.isPending || templatesPending;
  const templateError = templates.find((template) => template.error)?.error;

  return (
    <Table
      header={
        <Header variant="h2" description={t('wordsDescription')} counter={loading ? undefined : `(${format.number(rows.length)})`}>
          {t('words')}
        </Header>
      }
      ariaLabels={{ tableLabel: t('words') }}
      loading={loading}
      loadingText={t('wordsReading', { count: format.number(progress) })}
      items={visible}
      trackBy={(row) => row.survey.surveyId}
      wrapLines
      filter={
        (surveys.error || templateError || surveys.data?.capped) && (
          <SpaceBetween size="xs">
            {surveys.error && <ProblemAlert error={surveys.error} />}
            {templateError && <ProblemAlert error={templateError} />}
            {surveys.data?.capped && <Alert type="info">{t('wordsCapped', { count: format.number(surveys.data.surveys.length) })}</Alert>}
          </SpaceBetween>
        )
      }
      pagination={
        <Pagination
          currentPageIndex={currentPage}
          pagesCount={pagesCount}
          onChange={(event) => setPageIndex(event.detail.currentPageIndex)}
          ariaLabels={{
            nextPageLabel: t('paginationNext'),
            previousPageLabel: t('paginationPrevious'),
            pageLabel: (page) => t('paginationPage', { page }),
          }}
        />
      }
      empty={
        <Box textAlign="center" color="inherit">
          <b>{t('wordsEmpty')}</b>
          <Box variant="p" color="inherit">
            {t('wordsEmptyHint')}
          </Box>
        </Box>
      }
      columnDefinitions={[
        { id: 'date', header: t('colDate'), cell: (row) => format.dateTime(row.answeredAt, timeZone), width: 180 },
        {
          id: 'score',
          header: t('colScore'),
          width: 150,
          cell: (row) =>
            row.scores.length === 0 ? (
              t('noScore')
            ) : (
              <SpaceBetween size="xxxs">
                {row.scores.map((score) => (
                  <span key={score.type}>{t(score.type === 'csat' ? 'scoreCsat' : score.type === 'nps' ? 'scoreNps' : 'scoreCes', { value: score.value })}</span>
                ))}
              </SpaceBetween>
            ),
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
                      {word.question}
                    </Box>
                  )}
                  <Box>“{word.text}”</Box>
                </div>
              ))}
            </SpaceBetween>
          ),
        },
        { id: 'agent', header: t('colAgent'), cell: (row) => row.survey.agentId ?? '—', width: 140 },
        { id: 'case', header: t('colCase'), cell: (row) => <RecoveryCase survey={row.survey} />, width: 220 },
      ]}
    />
  );
}

/**
 * The case opened to follow this survey up, if any. Cases name their survey (surveyId) but the
 * list has no filter by survey, so the customer's complaints are read, one query per customer.
 */
function RecoveryCase({ survey }: { survey: Survey }) {
  const t = useMessages(surveyResultsMessages);
  const api = useApi();
  const follow = useFollow();
  const customerId = survey.customerId;
  const complaints = useQuery({
    queryKey: ['cases', 'complaints-of-customer', customerId],
    queryFn: () => answer(api.GET('/v1/cases', { params: { query: { customerId: customerId!, type: 'complaint', limit: 100 } } })),
    enabled: customerId !== undefined,
  });
  if (!customerId) return <>{t('noCase')}</>;
  if (complaints.isPending) return <StatusIndicator type="loading">{t('caseLooking')}</StatusIndicator>;
  if (complaints.error) return <StatusIndicator type="warning">{t('caseLookupFailed')}</StatusIndicator>;
  const found = complaints.data.items.find((item) => item.surveyId === survey.surveyId);
  if (!found) return <>{t('noCase')}</>;
  return (
    <SpaceBetween size="xxxs">
      <Link href={`/cases/${found.caseId}`} onFollow={follow}>
        {found.caseId}
      </Link>
      <StatusIndicator type={found.status === 'resolved' || found.status === 'closed' ? 'success' : 'pending'}>{t(`caseStatus.${found.status}`)}</StatusIndicator>
    </SpaceBetween>
  );
}
