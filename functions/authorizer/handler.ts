import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { getApiKeyAndTenantState } from '../../shared/data/api-keys-repo';
import { parseApiKey } from '../../shared/domain/api-key';
import { sha256Hex } from '../../shared/crypto';
import { bearerToken, constantTimeEqualHex } from '../../shared/http/caller';
import { cameThroughEdge } from '../../shared/http/origin-guard';
import { logger } from '../../shared/observability';

export interface TenantAuthorizerContext {
  tenantId: string;
  keyId: string;
  /** Space-separated, since authorizer context values must be scalars. */
  scopes: string;
  /** 'suspended' when the operator suspended the tenant: every tenant route answers 403 tenant-suspended. */
  tenantState: 'active' | 'suspended';
}

type Result = APIGatewaySimpleAuthorizerWithContextResult<TenantAuthorizerContext | Record<string, never>>;

/**
 * An unknown, malformed or revoked key is passed on with no identity rather than denied: an
 * HTTP API answers a denial with a bare 403 {"message":"Forbidden"} that cannot be reshaped,
 * while the handler answers it with the contract's 401 problem+json. No identity means no
 * tenant, so nothing can be read or written with it.
 */
const anonymous: Result = { isAuthorized: true, context: {} };
const denied: Result = { isAuthorized: false, context: {} };

/**
 * HTTP API Lambda authorizer (payload 2.0, simple responses). It only establishes who the
 * caller is, and whether its tenant is suspended (read with the key, in one round trip; the
 * answer is cached like the rest, so a suspension bites within tenantAuthorizer.cacheSeconds).
 * Each route's required scope is checked by the handler, because a cached answer is reused for
 * every route the same key calls.
 */
export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<Result> {
  // A request with a wrong origin secret (a missing one never gets here: it is part of the
  // identity source) went around the edge: API Gateway answers 403 and caches the denial.
  if (!cameThroughEdge(event.headers)) {
    logger.warn('Request refused: it did not come through the edge');
    return denied;
  }
  const token = bearerToken(event.headers?.authorization);
  const parsed = token ? parseApiKey(token) : undefined;
  if (!token || !parsed) return anonymous;
  const found = await getApiKeyAndTenantState(parsed.tenantId, parsed.keyId);
  const stored = found?.key;
  if (!found || !stored || !constantTimeEqualHex(sha256Hex(token), stored.secretHash)) {
    logger.info('API key refused', { tenantId: parsed.tenantId, keyId: parsed.keyId });
    return anonymous;
  }
  return {
    isAuthorized: true,
    context: { tenantId: stored.tenantId, keyId: stored.keyId, scopes: stored.scopes.join(' '), tenantState: found.tenantState },
  };
}
