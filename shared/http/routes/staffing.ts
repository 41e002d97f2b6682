import { StaffingForecastBody, StaffingPlan, StaffingQuery } from '../../schemas/staffing';
import { defineRoutes, readonlyAccess } from '../route-types';

/**
 * A plan for 16 March 2026 in Taipei from a caller's forecast, as planStaffing computes it: two of
 * the day's 24 hourly intervals are shown.
 */
const planExample = {
  date: '2026-03-16',
  timezone: 'Asia/Taipei',
  interval: 60,
  model: 'erlang-a',
  modelUsed: 'erlang-a',
  target: {
    serviceLevelPercent: 80,
    thresholdSeconds: 20,
    maxOccupancyPercent: 85,
    shrinkagePercent: 30,
  },
  forecastSource: 'request',
  history: {
    weeks: 4,
    dates: [],
    datesWithData: [],
  },
  observedPatienceSeconds: null,
  patienceSeconds: 90,
  overallAverageHandleSeconds: null,
  totals: {
    forecastContacts: 270,
    agentHours: 24,
    scheduledAgentHours: 35,
  },
  notes: [
    'Erlang C assumes no caller ever hangs up, so it overstates the agents needed where callers abandon; erlangA gives the figures with callers abandoning at the patience shown.',
    'agentsRequired is agents handling contacts; scheduledAgents adds shrinkage. Service level, ASA and occupancy are predicted for agentsRequired.',
    'No answered contact in the weeks read: handle time assumed 300 s.',
  ],
  intervals: [
    {
      start: '09:00',
      open: true,
      startsAt: '2026-03-16T09:00:00+08:00',
      endsAt: '2026-03-16T10:00:00+08:00',
      forecastContacts: 120,
      historyWeeks: null,
      averageHandleSeconds: 240,
      averageHandleSource: 'forecast',
      trafficErlangs: 8,
      agentsRequired: 10,
      scheduledAgents: 15,
      serviceLevelPercent: 83.89,
      averageSpeedOfAnswerSeconds: 5.14,
      occupancyPercent: 74.03,
      erlangC: {
        agentsRequired: 11,
        scheduledAgents: 16,
        serviceLevelPercent: 80.92,
        averageSpeedOfAnswerSeconds: 19.6,
        occupancyPercent: 72.73,
        waitingPercent: 24.5,
      },
      erlangA: {
        agentsRequired: 10,
        scheduledAgents: 15,
        serviceLevelPercent: 83.89,
        averageSpeedOfAnswerSeconds: 5.14,
        occupancyPercent: 74.03,
        waitingPercent: 23.29,
        abandonmentPercent: 7.46,
      },
    },
    {
      start: '10:00',
      open: true,
      startsAt: '2026-03-16T10:00:00+08:00',
      endsAt: '2026-03-16T11:00:00+08:00',
      forecastContacts: 150,
      historyWeeks: null,
      averageHandleSeconds: 300,
      averageHandleSource: 'default',
      trafficErlangs: 12.5,
      agentsRequired: 14,
      scheduledAgents: 20,
      serviceLevelPercent: 80.29,
      averageSpeedOfAnswerSeconds: 6.38,
      occupancyPercent: 81.23,
      erlangC: {
        agentsRequired: 17,
        scheduledAgents: 25,
        serviceLevelPercent: 87.54,
        averageSpeedOfAnswerSeconds: 11.21,
        occupancyPercent: 73.53,
        waitingPercent: 16.82,
      },
      erlangA: {
        agentsRequired: 14,
        scheduledAgents: 20,
        serviceLevelPercent: 80.29,
        averageSpeedOfAnswerSeconds: 6.38,
        occupancyPercent: 81.23,
        waitingPercent: 28.33,
        abandonmentPercent: 9.03,
      },
    },
  ],
} as const;

/** Agents needed per tenant-local interval of a day, by Erlang C and Erlang A (docs/metrics.md, "Staffing"). */
export const staffingRoutes = defineRoutes([
  {
    operationId: 'getStaffing',
    method: 'GET',
    path: '/v1/analytics/staffing',
    function: 'staffing',
    access: readonlyAccess,
    tag: 'Analytics',
    summary: 'Forecast a day from the same weekday of past weeks and staff each interval for the service-level goal',
    request: { query: StaffingQuery },
    description:
      'Forecasts each tenant-local interval (30 or 60 minutes) of a day from the same weekday and local time of past weeks (default from settings), and staffs it for the service-level goal ' +
      'by Erlang C, and by Erlang A where a patience is known or given. Goal, threshold, occupancy cap, shrinkage, weeks and patience may be overridden in the query. ' +
      'The per-tenant request limit counts the request by the reads it makes',
    examples: {
      request: { query: { date: '2026-03-16', interval: '60', model: 'erlang-a', patienceSeconds: '90' } },
      responses: {
        200: {
          ...planExample,
          forecastSource: 'history',
          history: { weeks: 4, dates: ['2026-03-09', '2026-03-02', '2026-02-23', '2026-02-16'], datesWithData: ['2026-03-09', '2026-03-02', '2026-02-23', '2026-02-16'] },
          intervals: planExample.intervals.map((interval) => ({ ...interval, historyWeeks: 4, averageHandleSource: 'interval-history' as const })),
        },
      },
    },
    problems: ['not-found'],
    responses: { 200: { description: 'The plan, one entry per local interval', schema: StaffingPlan }, 400: { description: 'Invalid date, interval or override' } },
  },
  {
    // Computes from the body and stores nothing, so a repeat gives the same answer without Idempotency-Key.
    operationId: 'planStaffing',
    method: 'POST',
    path: '/v1/analytics/staffing',
    function: 'staffing',
    access: readonlyAccess,
    tag: 'Analytics',
    summary: "Staff each interval of a day for the caller's own forecast",
    request: { body: StaffingForecastBody },
    description:
      'The same plan for the caller\'s own forecast (intervals not listed have no contacts; handle time defaults to history, else 300 s). ' +
      'It computes from the body and stores nothing, so a repeat gives the same answer without Idempotency-Key',
    examples: {
      request: {
        body: {
          date: '2026-03-16',
          interval: 60,
          forecast: [
            { start: '09:00', contacts: 120, averageHandleSeconds: 240 },
            { start: '10:00', contacts: 150 },
          ],
          model: 'erlang-a',
          patienceSeconds: 90,
        },
      },
      responses: { 200: planExample },
    },
    problems: ['not-found'],
    responses: { 200: { description: 'The plan, one entry per local interval', schema: StaffingPlan }, 400: { description: 'Invalid forecast or override' } },
  },
]);
