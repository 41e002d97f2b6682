import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../crypto';
import type { Scope } from '../schemas/api-key';

/** Who, within a tenant, is calling: one of its API keys, or one of its people signed in with an access token. */
export type Principal = { kind: 'key'; keyId: string } | { kind: 'person'; personId: string; agentId: string };

export type Caller =
  | {
      kind: 'tenant';
      tenantId: string;
      /** The API key's id, or the person's id: kept for code that does not read `principal` yet. */
      keyId: string;
      principal: Principal;
      scopes: Scope[];
    }
  | { kind: 'operator' }
  | { kind: 'anonymous' };

const rank: Record<Scope, number> = { readonly: 0, agent: 1, supervisor: 2, admin: 3 };

/** admin includes supervisor, supervisor includes agent, agent includes readonly. */
export const hasScope = (granted: readonly Scope[], required: Scope) =>
  granted.some((scope) => rank[scope] >= rank[required]);

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

export function constantTimeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** The operator credential is configured as the SHA-256 of the operator key, never the key itself. */
export function isOperatorKey(token: string | undefined): boolean {
  const expected = process.env.OPERATOR_KEY_SHA256;
  if (!token || !expected) return false;
  return constantTimeEqualHex(sha256Hex(token), expected);
}

/** The authorizer context's `principal`: `key:<keyId>` or `person:<personId>`. */
export const principalText = (principal: Principal): string =>
  principal.kind === 'key' ? `key:${principal.keyId}` : `person:${principal.personId}`;

/** The id a principal is known by in logs, idempotency records and the audit log's `actor` filter. */
export const principalId = (principal: Principal): string => (principal.kind === 'key' ? principal.keyId : principal.personId);
