import { type ProblemSlug, problemType } from './problem-types';
import type { ResponseHeaderName } from './response-headers';
import type { RouteDeclaration } from './route-types';

/**
 * The problem types every route of its kind can answer, from its properties: what the shared
 * plumbing (./handler.ts, ./idempotency.ts, ./etag.ts, ./rate-limit.ts, ./aws-errors.ts,
 * ./origin-guard.ts) may refuse it with, whatever its operation does.
 */
export function commonProblems(route: RouteDeclaration): ProblemSlug[] {
  const problems: ProblemSlug[] = [];
  const request = route.request ?? {};
  if (request.params || request.query || request.body) problems.push('validation-error');
  // An unreadable body, a repeated query parameter or a cursor not of this list, an Idempotency-Key over 255 characters.
  if (request.query || request.body || route.idempotent) problems.push('bad-request');
  if (route.access.kind !== 'public') problems.push('unauthorized');
  // A request that went around the edge (./origin-guard.ts), on every route; a key without the scope on tenant routes.
  problems.push('forbidden');
  if (route.access.kind === 'tenant') problems.push('tenant-suspended');
  if (request.params) problems.push('not-found');
  if (route.idempotent) problems.push('idempotency-in-progress', 'idempotency-key-reused', 'idempotency-key-other-caller');
  if (route.requiresIfMatch || route.acceptsIfMatch) problems.push('precondition-failed');
  if (route.requiresIfMatch) problems.push('precondition-required');
  if (request.body) problems.push('payload-too-large', 'unsupported-media-type');
  // The tenant's limit per minute on tenant routes; the edge's limit per client address on every route.
  problems.push('too-many-requests', 'internal', 'temporarily-unavailable');
  return problems;
}

/**
 * The problem types a route may answer, by status: the common ones and those it declares. The
 * OpenAPI document declares exactly these, and the local twin refuses any other error answer.
 * Pages (`page: true`) answer HTML and have none.
 */
export function declaredProblems(route: RouteDeclaration): Map<number, ProblemSlug[]> {
  const byStatus = new Map<number, ProblemSlug[]>();
  if (route.page) return byStatus;
  for (const slug of new Set([...commonProblems(route), ...(route.problems ?? [])])) {
    const { status } = problemType(slug);
    byStatus.set(status, [...(byStatus.get(status) ?? []), slug]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/** The headers an answer of the route with `status` may carry: its response's own and those of its kind. */
export function declaredHeaders(route: RouteDeclaration, status: number): ResponseHeaderName[] {
  const headers = new Set<ResponseHeaderName>(route.responses[status]?.headers ?? []);
  if (route.idempotent && status >= 200 && status < 300) headers.add('Idempotent-Replayed');
  if (status === 401) headers.add('WWW-Authenticate');
  if (status === 429 || status === 503) headers.add('Retry-After');
  return [...headers];
}
