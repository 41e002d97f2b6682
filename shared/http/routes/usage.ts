import { UsageQuery, UsageReport } from '../../schemas/usage';
import { defineRoutes, readonlyAccess } from '../route-types';

/** What the tenant used against its plan's limits (docs/api.md, "Usage"; docs/sms.md). */
export const usageRoutes = defineRoutes([
  {
    operationId: 'getUsage',
    method: 'GET',
    path: '/v1/usage',
    function: 'usage',
    access: readonlyAccess,
    tag: 'Usage',
    // A month of a busy tenant's analytics counters is many items: the request limit counts what it read.
    weighedByReads: true,
    summary:
      "SMS segments and estimated cost by UTC day and destination country, SMS sends refused, API requests, contacts and surveys sent in a period (default: this UTC month), against the plan's limits",
    request: { query: UsageQuery },
    responses: { 200: { description: 'The usage', schema: UsageReport }, 400: { description: 'to before from, or a period over 31 days' } },
  },
]);
