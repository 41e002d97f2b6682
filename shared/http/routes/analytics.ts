import { AnalyticsSummary, AnalyticsSummaryQuery, Heatmap, HeatmapQuery, Timeseries, TimeseriesQuery } from '../../schemas/analytics';
import { defineRoutes, readonlyAccess } from '../route-types';

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
    problems: ['not-found'],
    responses: { 200: { description: '7 × 24 cells', schema: Heatmap }, 400: { description: 'Invalid period' } },
  },
]);
