import type { CounterRow, Dimension } from '../../shared/domain/analytics/counters';
import { type IntervalUnit, type Span, addDays, localDateOf, resolvePeriod } from '../../shared/domain/analytics/intervals';
import { type ServiceLevelGoal, countedFor, sumCounters, summarize } from '../../shared/domain/analytics/metrics';
import {
  boundedIntervals,
  heatmapOf,
  maxGroupedPoints,
  periodError,
  periodOut,
  rowsByValue,
  rowsStartingIn,
  seriesOf,
} from '../../shared/domain/analytics/series';
import { planPeriodReads } from '../../shared/domain/analytics/rollups';
import { type ReadWork, noWork, readCounterRows, readOpenCaseCount, readRolledUpRows } from '../../shared/data/analytics-repo';
import { functionClock } from '../../shared/ports/clock';
import { getSettings } from '../../shared/data/tenants-repo';
import { resolveAnalyticsSettings } from '../../shared/domain/settings';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { notFound, validationFailed } from '../../shared/http/problem';
import { analyticsRoutes } from '../../shared/http/routes/analytics';
import { backlogFigures, nearlyBreachedWithinMs } from '../../shared/domain/analytics/case-backlog';
import { wordsOf } from '../../shared/domain/analytics/survey-words';
import { surveyScores } from '../../shared/domain/surveys/scores';
import { deadlinesPartition, listDeadlineCases, readBacklogCounters } from '../../shared/data/case-backlog-repo';
import { listSurveysWithWords, surveyWordsPartition } from '../../shared/data/survey-words-repo';
import { getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { decodeCursor, encodeCursor, invalidCursor } from '../../shared/http/cursor';
import type { SurveyTemplate } from '../../shared/schemas/survey-template';

export const handler = createApiHandler('analytics', analyticsRoutes, {
  async getAnalyticsSummary(request) {
    const { tenantId, query } = request;
    const work = noWork();
    const { timezone, goal } = await tenantAnalytics(tenantId, work);
    const period = checkedPeriod(query.from, query.to, timezone);
    const [allRows, groupRows, backlog] = await Promise.all([
      summedRowsIn(tenantId, 'all', period, timezone, work),
      query.groupBy ? summedRowsIn(tenantId, query.groupBy, period, timezone, work) : Promise.resolve([]),
      readOpenCaseCount(tenantId, work),
    ]);
    const groups = query.groupBy
      ? [...rowsByValue(groupRows)].map(([value, rows]) => ({ value, metrics: summarize(sumCounters(rows), goal, query.groupBy!, null) }))
      : undefined;
    return {
      status: 200,
      body: {
        period: periodOut(period, timezone),
        ...(query.groupBy && { groupBy: query.groupBy }),
        metrics: summarize(sumCounters(allRows), goal, 'all', backlog),
        ...(groups && { groups }),
      },
      readWork: work,
    };
  },

  async getAnalyticsTimeseries(request) {
    const { tenantId, query } = request;
    const work = noWork();
    const { timezone, goal } = await tenantAnalytics(tenantId, work);
    const period = checkedPeriod(query.from, query.to, timezone);
    if (query.groupBy && !countedFor(query.metric, query.groupBy)) {
      throw validationFailed([{ path: 'query.groupBy', message: `${query.metric} is not counted per ${query.groupBy}: its events do not carry one (docs/metrics.md)` }]);
    }
    const intervals = checkedIntervals(period, query.interval, timezone);
    const [allRows, groupRows] = await Promise.all([
      rowsIn(tenantId, 'all', period, work),
      query.groupBy ? rowsIn(tenantId, query.groupBy, period, work) : Promise.resolve([]),
    ]);
    const pointsOf = seriesOf(query.metric, intervals, timezone, goal);
    const groups = rowsByValue(groupRows);
    if ((groups.size + 1) * intervals.length > maxGroupedPoints) {
      throw validationFailed([
        {
          path: 'query.groupBy',
          message: `${groups.size} ${query.groupBy} values × ${intervals.length} intervals is more than ${maxGroupedPoints} points: shorten the period or use a longer interval`,
        },
      ]);
    }
    const series = query.groupBy
      ? [...groups].map(([value, rows]) => ({ value, points: pointsOf(rows, query.groupBy!) }))
      : undefined;
    return {
      status: 200,
      body: {
        period: periodOut(period, timezone),
        metric: query.metric,
        interval: query.interval,
        ...(query.groupBy && { groupBy: query.groupBy }),
        points: pointsOf(allRows, 'all'),
        ...(series && { series }),
      },
      readWork: work,
    };
  },

  async getAnalyticsHeatmap(request) {
    const { tenantId, query } = request;
    const work = noWork();
    const { timezone } = await tenantAnalytics(tenantId, work);
    // By default the four weeks up to now: the 27 local days before today, and today so far.
    const now = functionClock.now();
    const today = localDateOf(now.getTime(), timezone);
    const period = checkedPeriod(query.from ?? addDays(today, -27), query.to ?? now.toISOString(), timezone);
    const rows = await rowsIn(tenantId, 'all', period, work);
    return { status: 200, body: { period: periodOut(period, timezone), cells: heatmapOf(period, rows, timezone) }, readWork: work };
  },

  async getCaseBacklog(request) {
    const now = functionClock.now();
    const { counters, requests } = await readBacklogCounters(request.tenantId);
    const { oldestOpenedHour, ...figures } = backlogFigures(counters, now.getTime());
    return {
      status: 200,
      body: { asOf: now.toISOString(), ...figures, ...(oldestOpenedHour && { oldestOpenedAt: oldestOpenedHour }) },
      readWork: { requests, items: counters.length },
    };
  },

  async listCaseDeadlines(request) {
    const { tenantId, query } = request;
    const list = query.list === 'breached' ? 'breached' : 'running';
    const startKey = decodeCursor(query.cursor, tenantId, deadlinesPartition(tenantId, list));
    const dueBefore = list === 'running' ? new Date(functionClock.now().getTime() + nearlyBreachedWithinMs).toISOString() : undefined;
    const page = await listDeadlineCases(tenantId, list, { limit: query.limit, startKey, ...(dueBefore && { dueBefore }) });
    const items = page.items.map((entry) => ({ case: entry.case, deadline: { ...entry.deadline, breached: list === 'breached' } }));
    return { status: 200, body: { items, nextCursor: encodeCursor(page.lastKey) } };
  },

  async listSurveyComments(request) {
    const { tenantId, query } = request;
    const from = new Date(query.from).toISOString();
    const to = new Date(query.to).toISOString();
    const startKey = decodeCursor(query.cursor, tenantId, surveyWordsPartition(tenantId));
    // A cursor of another period would read outside this one.
    if (startKey && !(typeof startKey.sk === 'string' && startKey.sk >= from && startKey.sk < to)) throw invalidCursor();
    const page = await listSurveysWithWords(tenantId, { from, to }, query.limit, startKey);
    const templates = await templateVersionsOf(tenantId, page.items.map((entry) => entry.survey));
    const items = page.items.flatMap(({ survey, finishedAt, case: recoveryCase }) => {
      const words = wordsOf(survey.answers);
      if (words.length === 0) return [];
      const template = survey.templateId && survey.templateVersion ? templates.get(`${survey.templateId}@${survey.templateVersion}`) : undefined;
      const scores = template ? surveyScores(template, survey.answers) : {};
      return [
        {
          surveyId: survey.surveyId,
          finishedAt,
          status: survey.completedAt ? ('completed' as const) : ('expired' as const),
          ...(survey.templateId && { templateId: survey.templateId }),
          ...(survey.templateVersion && { templateVersion: survey.templateVersion }),
          ...(survey.customerId && { customerId: survey.customerId }),
          ...(survey.agentId && { agentId: survey.agentId }),
          ...(survey.queue && { queue: survey.queue }),
          channel: survey.channel,
          words: words.map((word) => {
            const question = template?.questions.find((candidate) => candidate.questionId === word.questionId);
            return { ...word, ...(question && { question: question.text }) };
          }),
          scores: {
            ...(scores.csat !== undefined && { csat: scores.csat }),
            ...(scores.nps !== undefined && { nps: scores.nps }),
            ...(scores.ces !== undefined && { ces: scores.ces }),
          },
          ...(recoveryCase && { case: recoveryCase }),
        },
      ];
    });
    return { status: 200, body: { items, nextCursor: encodeCursor(page.lastKey) } };
  },
}, { requestLimit: tenantRequestLimit });

async function tenantAnalytics(tenantId: string, work: ReadWork): Promise<{ timezone: string; goal: ServiceLevelGoal }> {
  const settings = await getSettings(tenantId);
  work.requests += 1;
  work.items += 1;
  if (!settings) throw notFound('The tenant has no settings');
  return { timezone: settings.timezone, goal: resolveAnalyticsSettings(settings).serviceLevel as ServiceLevelGoal };
}

function checkedPeriod(from: string, to: string, timezone: string): Span {
  const period = resolvePeriod(from, to, timezone);
  const error = periodError(period);
  if (error) throw validationFailed([error]);
  return period;
}

function checkedIntervals(period: Span, unit: IntervalUnit, timezone: string): Span[] {
  const bounded = boundedIntervals(period, unit, timezone);
  if ('error' in bounded) throw validationFailed([bounded.error]);
  return bounded.intervals;
}

async function rowsIn(tenantId: string, dimension: Dimension, period: Span, work: ReadWork): Promise<CounterRow[]> {
  return rowsStartingIn(await readCounterRows(tenantId, dimension, new Date(period.start), new Date(period.end), { work }), period);
}

/**
 * A period's rows for summing, not charting: its settled whole local days and months from
 * rollups, the rest from slots (planPeriodReads), so a year costs about what a week does.
 */
async function summedRowsIn(tenantId: string, dimension: Dimension, period: Span, timezone: string, work: ReadWork): Promise<CounterRow[]> {
  const plan = planPeriodReads(period, timezone, functionClock.now().getTime());
  const [slotRows, rolledUp] = await Promise.all([
    Promise.all(plan.slotSpans.map((span) => rowsIn(tenantId, dimension, span, work))),
    readRolledUpRows(tenantId, dimension, timezone, plan.units, work),
  ]);
  return [...slotRows.flat(), ...rolledUp];
}

/** Each template version the surveys were asked with, read once. */
async function templateVersionsOf(tenantId: string, surveys: { templateId?: string; templateVersion?: number }[]): Promise<Map<string, SurveyTemplate>> {
  const wanted = new Map<string, { templateId: string; version: number }>();
  for (const survey of surveys) {
    if (survey.templateId && survey.templateVersion) wanted.set(`${survey.templateId}@${survey.templateVersion}`, { templateId: survey.templateId, version: survey.templateVersion });
  }
  const read = await Promise.all([...wanted].map(async ([key, { templateId, version }]) => [key, await getSurveyTemplateVersion(tenantId, templateId, version)] as const));
  return new Map(read.flatMap(([key, template]) => (template ? [[key, template] as const] : [])));
}
