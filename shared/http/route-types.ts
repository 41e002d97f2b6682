import type { z } from '../zod';
import type { Scope } from '../schemas/api-key';
import type { ApiFunctionName } from './functions';
import type { ProblemSlug } from './problem-types';
import type { ResponseHeaderName } from './response-headers';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export type RouteAccess =
  | { kind: 'public' }
  /** Checked by the handler against the operator credential; no tenant authorizer. */
  | { kind: 'operator' }
  /** Tenant API key through the Lambda authorizer, with at least this scope. */
  | { kind: 'tenant'; scope: Scope };

export interface RouteResponse {
  description: string;
  /** The JSON body's schema; a response without one (and without `mediaType`) has no body. */
  schema?: z.ZodMiniType;
  /** A body that is not JSON, such as `text/csv`: the operation answers it as text. */
  mediaType?: string;
  /** The headers this answer may carry beyond those every answer of its kind has (see declaredHeaders in ./route-answers.ts). */
  headers?: readonly ResponseHeaderName[];
}

export interface RouteRequest {
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
}

/**
 * Examples for the OpenAPI document, each valid against the route's schemas (a unit test parses
 * them): the request's path and query parameters as text, as in a URL, its body as sent, and an
 * answer for some of the statuses with a body (JSON, or text such as CSV or HTML).
 */
export interface RouteExamples {
  request?: { params?: Readonly<Record<string, string>>; query?: Readonly<Record<string, string>>; body?: unknown };
  responses?: Readonly<Partial<Record<number, unknown>>>;
}

export interface RouteDeclaration {
  operationId: string;
  method: HttpMethod;
  path: string;
  function: ApiFunctionName;
  access: RouteAccess;
  summary: string;
  /**
   * What the operation does for the caller and its rules (idempotency, If-Match, paging, limits),
   * for the OpenAPI document. Optional in the type so that test fixtures need none; every declared
   * route has one (tests/unit/openapi-examples.test.ts).
   */
  description?: string;
  examples?: RouteExamples;
  tag: string;
  /** POST routes that honour the Idempotency-Key header. */
  idempotent?: boolean;
  /** Updates that require If-Match with the current ETag. */
  requiresIfMatch?: boolean;
  /** Changes that take an optional If-Match: when sent, it must name the current ETag. */
  acceptsIfMatch?: true;
  /**
   * The problem types the route may answer beyond those every route of its kind can (derived from
   * its access, input, idempotency and If-Match in declaredProblems, ./route-answers.ts).
   */
  problems?: readonly ProblemSlug[];
  /**
   * Reads whose cost follows what is asked (a period): the operation reports the DynamoDB reads it
   * made (ApiResult.readWork), and the per-tenant request limit counts the request as that work
   * weighs (requestWeightOf in ./rate-limit.ts) rather than as one.
   */
  weighedByReads?: true;
  /**
   * A page for people rather than the JSON API (served by createPageHandler): it answers text/html,
   * errors included, and takes its body as an HTML form (application/x-www-form-urlencoded).
   */
  page?: true;
  /**
   * Still served, but to be removed in the next major version: the OpenAPI document marks the
   * operation `deprecated` (docs/versioning.md says how a deprecation is announced).
   */
  deprecated?: true;
  /**
   * With `deprecated`, required: when it was deprecated (YYYY-MM-DD, UTC), sent as `Deprecation`
   * (RFC 9745) on every answer of the route; and, once the changelog names it, the earliest
   * removal date, sent as `Sunset` (RFC 8594).
   */
  deprecatedOn?: string;
  sunset?: string;
  request?: RouteRequest;
  responses: Readonly<Record<number, RouteResponse>>;
}

/**
 * An area's route list, keeping each declaration's literal type (its schemas, access and
 * responses) so that its operations are typed from it (see ./operation.ts).
 */
export const defineRoutes = <const Routes extends readonly RouteDeclaration[]>(routes: Routes): Routes => routes;


export const adminAccess = { kind: 'tenant', scope: 'admin' } as const satisfies RouteAccess;
export const agentAccess = { kind: 'tenant', scope: 'agent' } as const satisfies RouteAccess;
export const readonlyAccess = { kind: 'tenant', scope: 'readonly' } as const satisfies RouteAccess;
