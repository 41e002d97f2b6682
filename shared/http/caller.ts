import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../crypto';
import type { Scope } from '../schemas/api-key';

export type Caller =
  | { kind: 'tenant'; tenantId: string; keyId: string; scopes: Scope[] }
  | { kind: 'operator' }
  | { kind: 'anonymous' };

const rank: Record<Scope, number> = { readonly: 0, agent: 1, admin: 2 };

/** admin includes agent, agent includes readonly. */
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
