import { AnalyticsSummary, AnalyticsSummaryQuery, Heatmap, HeatmapQuery, Timeseries, TimeseriesQuery } from '../../schemas/analytics';
import { defineRoutes, readonlyAccess } from '../route-types';

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
]);
