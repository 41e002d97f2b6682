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
    description:
      'What the tenant used in a period of UTC days (default this UTC month, at most 31 days): SMS segments and estimated cost by day and destination country, ' +
      'SMS sends refused, API requests, contacts and surveys sent, with the plan\'s limits and where the current month stands against them. ' +
      'The per-tenant request limit counts the request by the reads it makes',
    examples: {
      request: { query: { from: '2026-03-01', to: '2026-03-02' } },
      responses: {
        200: {
          period: { from: '2026-03-01', to: '2026-03-02' },
          plan: 'business',
          limits: { smsSegmentsPerDay: 5000, smsSegmentsPerMonth: 100000, smsSpendCapUsdPerMonth: 2500, apiRequestsPerMinute: 1200 },
          currentMonth: { month: '2026-03', smsSegments: 9412, smsEstimatedCostUsd: 379.4, smsSegmentsToday: 388, percentOfCap: 15.18 },
          totals: { smsSegments: 812, smsEstimatedCostUsd: 32.73, smsRefused: 3, apiRequests: 40211, contacts: 1830, surveysSent: 402 },
          days: [
            {
              date: '2026-03-01',
              smsSegments: 398,
              smsEstimatedCostUsd: 16.04,
              smsRefused: 1,
              apiRequests: 19877,
              contacts: 902,
              surveysSent: 197,
              countries: [{ country: 'TW', smsSegments: 398, smsEstimatedCostUsd: 16.04 }],
            },
            {
              date: '2026-03-02',
              smsSegments: 414,
              smsEstimatedCostUsd: 16.69,
              smsRefused: 2,
              apiRequests: 20334,
              contacts: 928,
              surveysSent: 205,
              countries: [{ country: 'TW', smsSegments: 414, smsEstimatedCostUsd: 16.69 }],
            },
          ],
          priceTable: { effectiveDate: '2026-01-15', currency: 'USD' },
        },
      },
    },
    responses: { 200: { description: 'The usage', schema: UsageReport }, 400: { description: 'to before from, or a period over 31 days' } },
  },
]);
