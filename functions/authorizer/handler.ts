import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { getApiKeyAndTenantState } from '../../shared/data/api-keys-repo';
import { getPersonAndTenantStateBySubject, recordSignIn } from '../../shared/data/people-repo';
import { sessionStillValid, signInDue, signInRecordingIntervalMs } from '../../shared/domain/person';
import { verifyPersonToken } from '../../shared/ports/person-tokens';
import { roleScopes } from '../../shared/schemas/person';
import { parseApiKey } from '../../shared/domain/api-key';
import { sha256Hex } from '../../shared/crypto';
import { bearerToken, constantTimeEqualHex } from '../../shared/http/caller';
import { cameThroughEdge } from '../../shared/http/origin-guard';
import { logger } from '../../shared/observability';

export interface TenantAuthorizerContext {
  tenantId: string;
  /** `key:<keyId>` or `person:<personId>`. */
  principal: string;
  /** The key's id, or the person's id: for handlers that read `keyId` still. */
  keyId: string;
  /** A person's agent id (people only). */
  agentId?: string;
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
  // A JWT (three dot-separated parts) is a person's access token; an API key has four.
  if (token && token.split('.').length === 3) return personAnswer(token);
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
    context: { tenantId: stored.tenantId, principal: `key:${stored.keyId}`, keyId: stored.keyId, scopes: stored.scopes.join(' '), tenantState: found.tenantState },
  };
}

/**
 * A person's access token: verified (signature, issuer, expiry, client), then the person read by
 * its subject with the tenant's state. An unknown or deactivated person, or a token issued before
 * the person's last sign-out everywhere, is anonymous, like a revoked key. The tenant and role come
 * from the table, never from the token.
 */
async function personAnswer(token: string): Promise<Result> {
  const verified = await verifyPersonToken(token);
  if (!verified) {
    logger.info('Person token refused: not a valid access token');
    return anonymous;
  }
  const found = await getPersonAndTenantStateBySubject(verified.subject);
  const person = found?.person;
  if (!found || !person || person.state === 'deactivated' || !sessionStillValid(person, verified.issuedAt)) {
    logger.info('Person token refused', { tenantId: person?.tenantId, personId: person?.personId, state: person?.state });
    return anonymous;
  }
  const now = new Date();
  if (signInDue(person.lastSignInAt, now)) {
    // At most once per interval (a conditional update); a failure to record costs the caller nothing.
    const since = new Date(now.getTime() - signInRecordingIntervalMs).toISOString();
    await recordSignIn(person.tenantId, person.personId, now.toISOString(), since).catch((error: unknown) =>
      logger.warn('Sign-in not recorded', { personId: person.personId, error: (error as Error).name }),
    );
  }
  return {
    isAuthorized: true,
    context: {
      tenantId: person.tenantId,
      principal: `person:${person.personId}`,
      keyId: person.personId,
      agentId: person.agentId,
      scopes: roleScopes[person.role].join(' '),
      tenantState: found.tenantState,
    },
  };
}
