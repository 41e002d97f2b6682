import { createHash, timingSafeEqual } from 'node:crypto';
import { edgeOrigin } from './functions';
import { HttpError } from './problem';

/**
 * The origin secrets this function accepts (see `edgeOrigin`), or undefined when none are
 * configured: the local twin, which has no edge in front of it. Read on every call, so a test
 * can switch the check on and off.
 */
export function acceptedOriginSecrets(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const secrets = (env[edgeOrigin.secretsVariable] ?? '').split(' ').filter(Boolean);
  return secrets.length > 0 ? secrets : undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** True when the request carries one of the accepted origin secrets, or when no secret is configured. Compared in constant time. */
export function cameThroughEdge(headers: Record<string, string | undefined> | undefined, secrets = acceptedOriginSecrets()): boolean {
  if (!secrets) return true;
  const sent = headers?.[edgeOrigin.header];
  if (!sent) return false;
  const sentDigest = digest(sent);
  // Every secret is compared, so the time taken does not tell which one (if any) nearly matched.
  return secrets.map((secret) => timingSafeEqual(digest(secret), sentDigest)).includes(true);
}

/**
 * The answer to a request that went around the edge: a bare 403 that tells the caller nothing
 * about why (no header name, no hint of a secret); the function logs and counts the refusal.
 */
export const bypassedEdge = () => new HttpError(403, 'forbidden', 'Forbidden');
