import { AnalyticsSummary, AnalyticsSummaryQuery, Heatmap, HeatmapQuery, Timeseries, TimeseriesQuery } from '../../schemas/analytics';
import { Page } from '../../schemas/common';
import { CaseBacklog, CaseDeadlinesQuery, CaseWithDeadline, SurveyComment, SurveyCommentsQuery } from '../../schemas/insights';
import { defineRoutes, readonlyAccess } from '../route-types';
import { caseExample } from './cases';

const periodExample = { from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', timezone: 'Asia/Taipei' } as const;

const metricsExample = {
  contacts: {
    offered: 1830,
    handled: 1742,
    abandoned: 88,
    queued: 1830,
    abandonedInQueue: 88,
    abandonmentRate: 4.81,
    averageSpeedOfAnswerSeconds: 18.42,
    averageHandleTimeSeconds: 371.6,
    averageTalkSeconds: 301.25,
    averageAfterContactWorkSeconds: 70.35,
    serviceLevel: { percent: 82.37, thresholdSeconds: 20, targetPercent: 80, met: true },
    firstContactResolutionRate: 76.1,
    transferRate: 6.2,
  },
  surveys: { sent: 402, completed: 161, responseRate: 43.03, csat: 81.25, csatResponses: 160, nps: 32.5, npsResponses: 120, ces: 5.6, cesResponses: 94 },
  cases: { opened: 57, resolved: 49, resolvedWithinSla: 45, backlog: 12, slaCompliance: 91.84, slaBreaches: 4 },
  referrals: { made: 64, converted: 19, lost: 21, conversionRate: 29.69, valueByCurrency: { TWD: 24681 } },
};

/** Operational metrics read from the write-time counters, in the tenant's time zone (docs/metrics.md). */
export const analyticsRoutes = defineRoutes([
  {
    operationId: 'getAnalyticsSummary',
    method: 'GET',
    path: '/v1/analytics/summary',
    function: 'analytics',
    access: readonlyAccess,
    weighedByReads: true,
    tag: 'Analytics',
    summary: 'Every metric for a period, for the whole tenant and optionally per queue, agent, channel or reason',
    request: { query: AnalyticsSummaryQuery },
    description:
      'Every metric of a period (at most 366 days) from the write-time counters: offered, handled and abandoned contacts, ASA, AHT with talk and after-contact work, ' +
      'service level against the tenant\'s goal, FCR, transfers, CSAT, NPS, CES and response rate, cases, backlog and SLA compliance, referrals and their value; ' +
      'overall and, with groupBy, per queue, agent, channel or reason. A date bound is a whole tenant-local day (to included), a date-time an instant (to excluded). ' +
      'The per-tenant request limit counts the request by the reads it makes',
    examples: { request: { query: { from: '2026-03-01', to: '2026-03-31' } }, responses: { 200: { period: periodExample, metrics: metricsExample } } },
    problems: ['not-found'],
    responses: { 200: { description: 'The figures', schema: AnalyticsSummary }, 400: { description: 'Invalid or too long a period' } },
  },
  {
    operationId: 'getAnalyticsTimeseries',
    method: 'GET',
    path: '/v1/analytics/timeseries',
    function: 'analytics',
    access: readonlyAccess,
    weighedByReads: true,
    tag: 'Analytics',
    summary: 'One metric per tenant-local hour, day or week of a period (at most 2,000 intervals)',
    request: { query: TimeseriesQuery },
    description:
      'One metric per tenant-local hour, day (23 or 25 hours at clock changes) or week (from Monday) of a period, every interval present even when empty, ' +
      'overall and, with groupBy, per group; at most 2,000 intervals. The per-tenant request limit counts the request by the reads it makes',
    examples: {
      request: { query: { metric: 'offered', interval: 'day', from: '2026-03-09', to: '2026-03-10' } },
      responses: {
        200: {
          period: { from: '2026-03-09T00:00:00+08:00', to: '2026-03-11T00:00:00+08:00', timezone: 'Asia/Taipei' },
          metric: 'offered',
          interval: 'day',
          points: [
            { start: '2026-03-09T00:00:00+08:00', end: '2026-03-10T00:00:00+08:00', value: 64 },
            { start: '2026-03-10T00:00:00+08:00', end: '2026-03-11T00:00:00+08:00', value: 71 },
          ],
        },
      },
    },
    problems: ['not-found'],
    responses: { 200: { description: 'One point per interval', schema: Timeseries }, 400: { description: 'Invalid period or too many intervals' } },
  },
  {
    operationId: 'getAnalyticsHeatmap',
    method: 'GET',
    path: '/v1/analytics/heatmap',
    function: 'analytics',
    access: readonlyAccess,
    weighedByReads: true,
    tag: 'Analytics',
    summary: 'Offered contacts per local weekday and hour (default: the last four whole weeks)',
    request: { query: HeatmapQuery },
    description:
      'Offered contacts per tenant-local weekday and hour (7 × 24 cells, Monday 00:00 first) with how often each occurred in the period and the average, ' +
      'by default over the last 28 whole local days. The per-tenant request limit counts the request by the reads it makes',
    examples: {
      request: { query: { from: '2026-02-09', to: '2026-03-08' } },
      responses: {
        200: {
          period: { from: '2026-02-09T00:00:00+08:00', to: '2026-03-09T00:00:00+08:00', timezone: 'Asia/Taipei' },
          cells: [
            { weekday: 'mon', hour: 9, offered: 248, occurrences: 4, averageOffered: 62 },
            { weekday: 'mon', hour: 10, offered: 276, occurrences: 4, averageOffered: 69 },
          ],
        },
      },
    },
    problems: ['not-found'],
    responses: { 200: { description: '7 × 24 cells', schema: Heatmap }, 400: { description: 'Invalid period' } },
  },
  {
    operationId: 'getCaseBacklog',
    method: 'GET',
    path: '/v1/analytics/case-backlog',
    function: 'analytics',
    access: readonlyAccess,
    weighedByReads: true,
    tag: 'Analytics',
    summary: 'Unresolved cases by status and by how long ago they were opened',
    description:
      'The cases open, in progress or awaiting the customer, per status and per age band (under 1 day, 1–3 days, 3–7 days, 7–30 days, 30 days or more), ' +
      'counted to the hour each case was opened and aged at asOf. Read from counters the insights projection keeps from case events, ' +
      'so it costs one Query whatever the number of cases, and a change made a moment ago may not show yet. The per-tenant request limit counts the request by the reads it makes',
    examples: {
      responses: {
        200: {
          asOf: '2026-03-09T08:15:00.000Z',
          total: 7,
          byStatus: [
            { status: 'open', total: 4, byAge: { day: 2, days3: 1, week: 1, month: 0, older: 0 } },
            { status: 'in_progress', total: 2, byAge: { day: 0, days3: 1, week: 0, month: 1, older: 0 } },
            { status: 'awaiting_customer', total: 1, byAge: { day: 0, days3: 0, week: 0, month: 0, older: 1 } },
          ],
          byAge: { day: 2, days3: 2, week: 1, month: 1, older: 1 },
          oldestOpenedAt: '2026-01-20T03:00:00.000Z',
        },
      },
    },
    responses: { 200: { description: 'The backlog', schema: CaseBacklog } },
  },
  {
    operationId: 'listCaseDeadlines',
    method: 'GET',
    path: '/v1/analytics/case-backlog/deadlines',
    function: 'analytics',
    access: readonlyAccess,
    weighedByReads: true,
    tag: 'Analytics',
    summary: 'Unresolved cases that missed a deadline, or whose next deadline falls within 24 hours, by deadline',
    request: { query: CaseDeadlinesQuery },
    description:
      'list=breached: the unresolved cases that missed a first-response or resolution deadline, the longest overdue first. ' +
      'list=nearly_breached: the unresolved cases whose next deadline (first response until it is met, then resolution) falls within the next 24 hours, ' +
      'soonest first, with any whose deadline has just passed and whose breach is not yet recorded. Each with the case as it is now. ' +
      'Paged by `limit` (1–100, default 25) and `cursor`; a page may hold fewer than limit items (a case resolved a moment ago) and still carry nextCursor',
    examples: {
      request: { query: { list: 'nearly_breached', limit: '25' } },
      responses: { 200: { items: [{ deadline: { kind: 'resolution', dueAt: caseExample.sla.resolution.dueAt, breached: false }, case: caseExample }] } },
    },
    responses: { 200: { description: 'A page of cases with the deadline each is listed by', schema: Page(CaseWithDeadline) } },
  },
  {
    operationId: 'listSurveyComments',
    method: 'GET',
    path: '/v1/analytics/survey-comments',
    function: 'analytics',
    access: readonlyAccess,
    weighedByReads: true,
    tag: 'Analytics',
    summary: "The customers' own words (free-text answers) of the surveys finished in a period, newest first",
    request: { query: SurveyCommentsQuery },
    description:
      'The surveys completed, or expired part-answered, in [from, to) whose customers wrote a free-text answer, newest first: the words with the question asked, ' +
      'the scores of the same survey, its agent, queue and channel, and the service-recovery case it opened. Words removed by the customer\'s erasure are not shown. ' +
      'Paged by `limit` (1–100, default 25) and `cursor`; a page may hold fewer than limit items and still carry nextCursor',
    examples: {
      request: { query: { from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', limit: '25' } },
      responses: {
        200: {
          items: [
            {
              surveyId: 'svy_01JFB3C4D5E6F7G8H9J0K1M2N3',
              finishedAt: '2026-03-08T02:41:10.000Z',
              status: 'completed',
              templateId: 'tpl_01JFB3C4D5E6F7G8H9J0K1M2N4',
              templateVersion: 2,
              customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
              agentId: 'agent-017',
              queue: 'billing',
              channel: 'voice',
              words: [{ questionId: 'comment', question: { en: 'Anything else you want to tell us?', 'zh-TW': '還有什麼想告訴我們的嗎？' }, text: '等了很久才有人接' }],
              scores: { csat: 2 },
              case: { caseId: 'cas_01JFB3C4D5E6F7G8H9J0K1M2N5', status: 'in_progress' },
            },
          ],
        },
      },
    },
    responses: { 200: { description: 'A page of surveys with words', schema: Page(SurveyComment) }, 400: { description: 'Invalid period' } },
  },
]);
