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
export const bypassedEdge = () => new HttpError('forbidden');

/** Added by CloudFront (the edge's origin request policy forwards it): the viewer's `ip:port`. */
export const viewerAddressHeader = 'cloudfront-viewer-address';

/**
 * The caller's address. Behind the edge, API Gateway's `sourceIp` is a CloudFront server shared by
 * many viewers, so per-client limits (the survey-link guard) key on the address CloudFront saw,
 * trusted only where origin secrets are configured (the middleware has then checked the request
 * came through the edge). Elsewhere, and should CloudFront not send it, `sourceIp`.
 */
export function clientAddress(headers: Record<string, string | undefined> | undefined, sourceIp: string, secrets = acceptedOriginSecrets()): string {
  const viewer = secrets ? headers?.[viewerAddressHeader] : undefined;
  // `203.0.113.7:46532` or `2001:db8::1:46532`: the port follows the last colon.
  const address = viewer?.slice(0, Math.max(0, viewer.lastIndexOf(':'))).replace(/^\[(.*)\]$/, '$1');
  return address || sourceIp;
}
