import { cachedTenantPlan, countApiRequestsOfDay, dynamoWindowCounter } from '../data/rate-limit-repo';
import type { TenantRequestLimit } from './handler';
import { countTenantRequest, refuseIfOverLimit } from './rate-limit';

/**
 * The per-tenant request limit (./rate-limit.ts) counted in DynamoDB, for createApiHandler's
 * `requestLimit` option. Functions that serve tenant routes pass it in, so that the others
 * (openapi, the fallback) bundle no DynamoDB client at all.
 */
export const tenantRequestLimit: TenantRequestLimit = {
  refuseIfOver: (tenantId) => refuseIfOverLimit(tenantId),
  count: (tenantId, weight) => countTenantRequest(tenantId, { counter: dynamoWindowCounter, planOf: cachedTenantPlan, countDay: countApiRequestsOfDay }, weight),
};
