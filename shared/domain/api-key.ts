import { randomBytes } from 'node:crypto';
import { newId } from '../ids';
import { sha256Hex } from '../crypto';

/**
 * An API key reads `sb.<tenantId>.<keyId>.<secret>`. The ids let the authorizer fetch the one
 * stored record by its tenant-prefixed key (no global index of keys); the 256-bit secret is
 * stored only as its SHA-256, which is enough for a random secret of that length.
 */
export interface IssuedKey {
  keyId: string;
  secret: string;
  secretHash: string;
}

export function issueApiKey(tenantId: string): IssuedKey {
  const keyId = newId('key');
  const secretPart = randomBytes(32).toString('base64url');
  const secret = `sb.${tenantId}.${keyId}.${secretPart}`;
  return { keyId, secret, secretHash: sha256Hex(secret) };
}

/** The shape of every issued key; the edge refuses other credentials on tenant routes by it (infra/edge-stack.ts). */
export const apiKeyPattern = /^sb\.(ten_[0-9A-Z]{26})\.(key_[0-9A-Z]{26})\.[A-Za-z0-9_-]{43}$/;

export function parseApiKey(token: string): { tenantId: string; keyId: string } | undefined {
  const match = apiKeyPattern.exec(token);
  return match ? { tenantId: match[1]!, keyId: match[2]! } : undefined;
}
