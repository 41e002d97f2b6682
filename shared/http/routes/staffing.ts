import { StaffingForecastBody, StaffingPlan, StaffingQuery } from '../../schemas/staffing';
import { defineRoutes, readonlyAccess } from '../route-types';

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
    problems: ['not-found'],
    responses: { 200: { description: 'The plan, one entry per local interval', schema: StaffingPlan }, 400: { description: 'Invalid forecast or override' } },
  },
]);
