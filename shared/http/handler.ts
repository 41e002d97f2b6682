import { randomBytes } from 'node:crypto';
import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from '../zod';
import { logger, metrics, MetricUnit, withLambdaContext } from '../observability';
import { Scope } from '../schemas/api-key';
import { isAwsUnavailable, temporarilyUnavailable } from './aws-errors';
import { type Caller, type Principal, bearerToken, hasScope, isOperatorKey, principalId } from './caller';
import { invalidCursor, isRefusedCursor } from './cursor';
import { isCalendarDate } from '../domain/business-calendar';
import {
  HttpError,
  fieldErrors,
  internalError,
  forbidden,
  methodNotAllowed,
  notFound,
  payloadTooLarge,
  tenantSuspended,
  problemBody,
  unauthorized,
  unsupportedMediaType,
  badRequest,
  validationFailed,
} from './problem';
import type { ApiFunctionName } from './functions';
import { matchRoute, routeKey } from './route-matching';
import { bypassedEdge, cameThroughEdge, clientAddress } from './origin-guard';
import { transportSecurityHeaders } from './transport-security';
import type { OperationsOf, PageOperationsOf, PageRequest, PageResult, RequestSource } from './operation';
import type { RouteDeclaration } from './route-types';
import { type RequestReadWork, requestWeightOf } from './rate-limit';

export const maxBodyBytes = 64 * 1024;

/** A request as the handler's plumbing sees it, whatever its route; operations see it typed by their route (./operation.ts). */
export interface ApiRequest {
  route: RouteDeclaration;
  caller: Caller;
  /** The caller's tenant, on tenant routes. */
  tenantId?: string;
  params: unknown;
  query: unknown;
  body: unknown;
  headers: Record<string, string | undefined>;
  requestId: string;
  /** Where the request came from, as API Gateway saw it: for the audit log, never logged. */
  source: RequestSource;
}

/** An answer as the plumbing sees it; an operation's own is typed by its route's responses. */
export interface ApiResult {
  status: number;
  body?: unknown;
  /** A body that is not JSON (such as text/csv), sent as it is; the operation sets its content-type header. */
  text?: string;
  headers?: Record<string, string>;
  /** What the operation read, on routes declared `weighedByReads`: the request limit counts it by this. */
  readWork?: RequestReadWork;
}

type Event = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { lambda?: Record<string, unknown> };
  };
};

/** Runs an operation under the Idempotency-Key contract (see ./idempotency). */
export type IdempotencyGuard = (request: ApiRequest, run: () => Promise<ApiResult>) => Promise<ApiResult>;

/** The per-tenant request limit (see ./tenant-request-limit and ./rate-limit). */
export interface TenantRequestLimit {
  /** Throws 429 when this execution environment knows the tenant to be over its limit. */
  refuseIfOver(tenantId: string): void;
  /** Counts one request of the tenant, or `weight` requests' worth; never throws. */
  count(tenantId: string, weight?: number): Promise<void>;
}

/**
 * The Lambda handler for one API function: finds the declared route from the API Gateway
 * route key, enforces access, parses and validates input against the declaration's schemas,
 * applies Idempotency-Key, runs the operation and answers JSON or problem+json.
 *
 * The idempotency guard is passed in by functions that have idempotent routes, and the
 * per-tenant request limit by functions that serve tenant routes, so that the others do not
 * bundle or load the data layer they need.
 */
export function createApiHandler<const Routes extends readonly RouteDeclaration[], Fn extends ApiFunctionName>(
  fn: Fn,
  areaRoutes: Routes,
  typedOperations: OperationsOf<Routes, Fn>,
  options: { idempotency?: IdempotencyGuard; requestLimit?: TenantRequestLimit } = {},
) {
  const declared: readonly RouteDeclaration[] = areaRoutes.filter((route) => route.function === fn);
  const findRoute = routeFinder(declared);
  // Each operation is typed by its own route; this table is what the plumbing calls, checked here to cover the routes.
  const operations = typedOperations as unknown as Partial<Record<string, (request: ApiRequest) => Promise<ApiResult>>>;
  const missing = declared.filter((route) => !operations[route.operationId]).map((route) => route.operationId);
  if (missing.length > 0) throw new Error(`${fn}: no operation for ${missing.join(', ')}`);
  const idempotency = options.idempotency;
  if (!idempotency && declared.some((route) => route.idempotent)) {
    throw new Error(`${fn}: has idempotent routes but no idempotency guard`);
  }
  const requestLimit = options.requestLimit;
  if (!requestLimit && declared.some((route) => route.access.kind === 'tenant')) {
    throw new Error(`${fn}: has tenant routes but no per-tenant request limit`);
  }

  const core = async (event: Event): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = findRoute(event.routeKey);
    if (!route) throw notFound();
    const caller = authorize(route, event);
    let counting: Promise<void> | undefined;
    if (caller.kind === 'tenant') {
      logger.appendKeys({ tenantId: caller.tenantId, keyId: caller.keyId });
      // Checked above: a function with tenant routes has a request limit.
      requestLimit!.refuseIfOver(caller.tenantId);
      counting = requestLimit!.count(caller.tenantId);
    }
    try {
      const { answer, readWork } = await serve(route, caller, event);
      // Counted beside the request like the first one; an expensive read's weight beyond it, once it is known.
      const extraWeight = route.weighedByReads && readWork ? requestWeightOf(readWork) - 1 : 0;
      if (caller.kind === 'tenant' && extraWeight > 0) await requestLimit!.count(caller.tenantId, extraWeight);
      return answer;
    } finally {
      // Lambda freezes the environment once the answer is returned: the count must be written first.
      await counting;
    }
  };

  const serve = async (route: RouteDeclaration, caller: Caller, event: Event): Promise<{ answer: APIGatewayProxyStructuredResultV2; readWork?: RequestReadWork }> => {
    const request: ApiRequest = {
      route,
      caller,
      params: validate(route.request?.params, event.pathParameters ?? {}, 'path'),
      query: validate(route.request?.query, queryOf(event), 'query'),
      body: route.request?.body ? validate(route.request.body, parseBody(event), '$') : undefined,
      headers: event.headers ?? {},
      requestId: event.requestContext.requestId,
      source: { ip: clientAddress(event.headers, event.requestContext.http?.sourceIp ?? ''), userAgent: event.requestContext.http?.userAgent ?? '' },
    };
    const tenantRequest: ApiRequest = caller.kind === 'tenant' ? { ...request, tenantId: caller.tenantId } : request;
    const operation = operations[route.operationId]!;
    const result =
      route.idempotent && idempotency
        ? await idempotency(tenantRequest, () => operation(tenantRequest))
        : await operation(tenantRequest);
    return { answer: respond(result), readWork: result.readWork };
  };

  return servingRoutes(withHttpMiddleware(core, declared), declared);
}

/** The middy stack every HTTP function runs in: Lambda context in the logs, metrics, problem+json answers. */
function withHttpMiddleware(core: (event: Event) => Promise<APIGatewayProxyStructuredResultV2>, declared: readonly RouteDeclaration[] = []) {
  return middy<Event, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(withLambdaContext())
    .use(logMetrics(metrics))
    .use(transportHeaders())
    .use(deprecationHeaders(declared))
    .use(httpAnswers())
    .use(edgeOnly())
    .handler(core);
}

/**
 * Refuses a request that did not come through the edge (CloudFront and WAF) before anything
 * reads it: it reached the `execute-api` endpoint directly, around WAF (see `edgeOrigin`). The
 * caller learns only 403; the log line and the `EdgeBypassRefused` metric say why. Off on the
 * local twin, which sets no origin secret.
 */
function edgeOnly(): middy.MiddlewareObj<Event, APIGatewayProxyStructuredResultV2> {
  return {
    before: async (request) => {
      if (cameThroughEdge(request.event.headers)) return;
      logger.warn('Request refused: it did not come through the edge', { routeKey: request.event.routeKey });
      metrics.addMetric('EdgeBypassRefused', MetricUnit.Count, 1);
      throw bypassedEdge();
    },
  };
}

/** nosniff and HSTS on every answer (./transport-security.ts); the edge sends the same values. */
function transportHeaders(): middy.MiddlewareObj<Event, APIGatewayProxyStructuredResultV2> {
  const addHeaders = async (request: middy.Request<Event, APIGatewayProxyStructuredResultV2>) => {
    if (request.response) request.response.headers = { ...request.response.headers, ...transportSecurityHeaders };
  };
  // Registered before httpAnswers: middy runs `after` and `onError` in reverse, so httpAnswers builds the answer first.
  return { after: addHeaders, onError: addHeaders };
}

/**
 * `Deprecation` (RFC 9745) and, when declared, `Sunset` (RFC 8594) on every answer of a route
 * declared `deprecated`, errors included: a client learns of it whatever it was answered. A
 * deprecated route without a valid `deprecatedOn`, or with an invalid `sunset`, fails at start.
 */
function deprecationHeaders(declared: readonly RouteDeclaration[]): middy.MiddlewareObj<Event, APIGatewayProxyStructuredResultV2> {
  const byKey = new Map(declared.filter((route) => route.deprecated).map((route) => [routeKey(route), deprecationHeadersOf(route)]));
  const addHeaders = async (request: middy.Request<Event, APIGatewayProxyStructuredResultV2>) => {
    const headers = byKey.get(request.event.routeKey);
    if (headers && request.response) request.response.headers = { ...request.response.headers, ...headers };
  };
  // Registered before httpAnswers, like transportHeaders, so that the answer is built first.
  return { after: addHeaders, onError: addHeaders };
}

/** The Deprecation and Sunset headers a deprecated route's answers carry. */
export function deprecationHeadersOf(route: Pick<RouteDeclaration, 'operationId' | 'deprecated' | 'deprecatedOn' | 'sunset'>): Record<string, string> {
  if (!route.deprecated) return {};
  const deprecatedAt = declaredDate(route.deprecatedOn);
  if (deprecatedAt === undefined) throw new Error(`${route.operationId}: deprecated without a deprecatedOn date (YYYY-MM-DD)`);
  const headers: Record<string, string> = { deprecation: `@${Math.floor(deprecatedAt / 1000)}` };
  if (route.sunset !== undefined) {
    const sunsetAt = declaredDate(route.sunset);
    if (sunsetAt === undefined) throw new Error(`${route.operationId}: sunset is not a date (YYYY-MM-DD)`);
    if (sunsetAt <= deprecatedAt) throw new Error(`${route.operationId}: sunset must come after deprecatedOn`);
    headers.sunset = new Date(sunsetAt).toUTCString();
  }
  return headers;
}

/** Midnight UTC of a YYYY-MM-DD calendar date, or undefined when it is not one. */
function declaredDate(value: string | undefined): number | undefined {
  return value !== undefined && isCalendarDate(value) ? Date.parse(`${value}T00:00:00Z`) : undefined;
}

/** The handler, labelled with the route keys it serves (checked against the declarations by a test). */
function servingRoutes<Handler extends object>(handler: Handler, declared: readonly RouteDeclaration[]): Handler & { servedRouteKeys: string[] } {
  return Object.assign(handler, { servedRouteKeys: declared.map(routeKey) });
}

function routeFinder(declared: readonly RouteDeclaration[]) {
  const byKey = new Map(declared.map((route) => [routeKey(route), route]));
  return (key: string) => byKey.get(key);
}

/** The `$default` route: anything not declared answers 404, or 405 with Allow for a known path. */
export function createFallbackHandler(allRoutes: readonly RouteDeclaration[]) {
  return withHttpMiddleware(async (event) => {
    const match = matchRoute(allRoutes, event.requestContext.http.method, event.rawPath);
    if (match && 'allowed' in match) throw methodNotAllowed(match.allowed);
    throw notFound(`No route ${event.requestContext.http.method} ${event.rawPath}`);
  });
}

/** A page request as the plumbing sees it, whatever its route. */
type AnyPageRequest = Omit<PageRequest, 'params'> & { params: unknown };

/**
 * The Lambda handler for a function whose routes are pages for people (`page: true`): the same
 * middy stack, logging and metrics as the JSON API, but every answer — errors included — is an
 * HTML page, with headers that keep it inert: no script may run, nothing is cached or referred.
 * `errorPage` renders what a person sees for a request refused before the operation (an invalid
 * form body, 413, 415) or for an unexpected failure (500, logged).
 */
export function createPageHandler<const Routes extends readonly RouteDeclaration[], Fn extends ApiFunctionName>(
  fn: Fn,
  areaRoutes: Routes,
  typedOperations: PageOperationsOf<Routes, Fn>,
  options: { errorPage: (status: number, styleNonce: string) => string },
) {
  const declared: readonly RouteDeclaration[] = areaRoutes.filter((route) => route.function === fn);
  // As in createApiHandler: each page operation is typed by its own route, the plumbing calls them alike.
  const operations = typedOperations as unknown as Partial<Record<string, (request: AnyPageRequest) => Promise<PageResult>>>;
  const findRoute = routeFinder(declared);
  const notPages = declared.filter((route) => !route.page).map((route) => route.operationId);
  if (notPages.length > 0) throw new Error(`${fn}: ${notPages.join(', ')} not declared as pages`);
  const missing = declared.filter((route) => !operations[route.operationId]).map((route) => route.operationId);
  if (missing.length > 0) throw new Error(`${fn}: no operation for ${missing.join(', ')}`);

  const core = async (event: Event): Promise<APIGatewayProxyStructuredResultV2> => {
    const styleNonce = randomBytes(16).toString('base64');
    let result: PageResult;
    try {
      const route = findRoute(event.routeKey);
      if (!route) throw notFound();
      const request: AnyPageRequest = {
        route,
        params: validate(route.request?.params, event.pathParameters ?? {}, 'path'),
        form: route.request?.body ? parseForm(event) : undefined,
        styleNonce,
        requestId: event.requestContext.requestId,
        sourceIp: clientAddress(event.headers, event.requestContext.http?.sourceIp ?? ''),
      };
      result = await operations[route.operationId]!(request);
    } catch (error) {
      if (!(error instanceof HttpError)) logger.error('Unhandled error', error as Error);
      const status = error instanceof HttpError ? error.status : 500;
      result = { status, html: options.errorPage(status, styleNonce) };
    }
    return {
      statusCode: result.status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'none'; style-src 'nonce-${styleNonce}'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cache-control': 'no-store',
        ...result.headers,
      },
      body: result.html,
    };
  };

  return servingRoutes(withHttpMiddleware(core, declared), declared);
}

/**
 * An HTML form's body: application/x-www-form-urlencoded, which API Gateway hands over base64
 * encoded (it is not a text type to it); a field sent twice is refused.
 */
function parseForm(event: Event): Record<string, string> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) throw payloadTooLarge(maxBodyBytes);
  const contentType = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (text !== '' && contentType !== 'application/x-www-form-urlencoded') throw unsupportedMediaType();
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (fields.has(name)) throw badRequest('A form field is given twice');
    fields.set(name, value);
  }
  // fromEntries defines own properties: a field named __proto__ stays a field.
  return Object.fromEntries(fields);
}

/** The authorizer's space-separated scopes, as a list. */
const Scopes = z.array(Scope);

function authorize(route: RouteDeclaration, event: Event): Caller {
  const access = route.access;
  if (access.kind === 'public') return { kind: 'anonymous' };
  if (access.kind === 'operator') {
    if (!isOperatorKey(bearerToken(event.headers?.authorization))) throw unauthorized('The operator key is required');
    return { kind: 'operator' };
  }
  const context = event.requestContext.authorizer?.lambda;
  const tenantId = context?.tenantId;
  const principal = principalOf(context);
  if (typeof tenantId !== 'string' || !principal) throw unauthorized();
  // Refused before anything else, scopes included: a suspended tenant's keys can do nothing.
  if (context?.tenantState === 'suspended') throw tenantSuspended();
  const scopes = Scopes.safeParse(String(context?.scopes ?? '').split(' ').filter(Boolean));
  if (!scopes.success) throw unauthorized();
  if (!hasScope(scopes.data, access.scope)) {
    const who = principal.kind === 'key' ? 'This key lacks' : "This person's role lacks";
    throw forbidden(`${who} the ${access.scope} scope that ${routeKey(route)} requires`);
  }
  return { kind: 'tenant', tenantId, keyId: principalId(principal), principal, scopes: scopes.data };
}

/** The principal the authorizer named (`key:<keyId>` or `person:<personId>` with its agentId); a keyId alone is a key. */
function principalOf(context: Record<string, unknown> | undefined): Principal | undefined {
  const named = typeof context?.principal === 'string' ? context.principal : undefined;
  if (named?.startsWith('person:') && typeof context?.agentId === 'string') {
    return { kind: 'person', personId: named.slice('person:'.length), agentId: context.agentId };
  }
  if (named?.startsWith('key:')) return { kind: 'key', keyId: named.slice('key:'.length) };
  if (named === undefined && typeof context?.keyId === 'string') return { kind: 'key', keyId: context.keyId };
  return undefined;
}

function validate(schema: z.ZodMiniType | undefined, input: unknown, root: string): unknown {
  if (!schema) return input;
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationFailed(fieldErrors(parsed.error, root));
  return parsed.data;
}

function queryOf(event: Event): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value === undefined) continue;
    // API Gateway joins repeated parameters with commas; a filter takes one value.
    if (value.includes(',') && (event.rawQueryString ?? '').split('&').filter((p) => p.startsWith(`${name}=`)).length > 1) {
      throw badRequest(`Query parameter ${name} may be given once`);
    }
    query[name] = value;
  }
  return query;
}

function parseBody(event: Event): unknown {
  const raw = event.body;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) throw payloadTooLarge(maxBodyBytes);
  const contentType = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!/^application\/([a-z0-9.+-]+\+)?json$/.test(contentType)) throw unsupportedMediaType();
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON');
  }
}

function respond(result: ApiResult): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: result.status,
    headers: {
      ...(result.body !== undefined ? { 'content-type': 'application/json' } : {}),
      'cache-control': 'no-store',
      ...result.headers,
    },
    body: result.text ?? (result.body !== undefined ? JSON.stringify(result.body) : ''),
  };
}

/**
 * Every answer is counted by status class (Status2xx, Status4xx, …; EMF through logMetrics) and
 * logged once with its route and status, the API Gateway request id as correlation id, and
 * nothing of the request's content. Errors become problem+json: an HttpError as it says, anything
 * else as a logged 500.
 */
function httpAnswers(): middy.MiddlewareObj<Event, APIGatewayProxyStructuredResultV2> {
  // Keyed by event: the local twin runs many invocations of one module at once.
  const startedAt = new WeakMap<Event, number>();
  const finish = (event: Event, status: number, problem?: string) => {
    metrics.addMetric(`Status${Math.floor(status / 100)}xx`, MetricUnit.Count, 1);
    logger.info('Request handled', {
      routeKey: event.routeKey,
      status,
      ...(problem && { problem }),
      durationMs: Math.round(performance.now() - (startedAt.get(event) ?? performance.now())),
    });
  };
  return {
    before: async (request) => {
      startedAt.set(request.event, performance.now());
      logger.setCorrelationId(request.event.requestContext?.requestId);
    },
    after: async (request) => {
      finish(request.event, request.response?.statusCode ?? 200);
    },
    onError: async (request) => {
      const error = request.error;
      let httpError: HttpError;
      if (error instanceof HttpError) {
        httpError = error;
      } else if (isRefusedCursor(error)) {
        httpError = invalidCursor();
      } else if (isAwsUnavailable(error)) {
        logger.warn('AWS busy or unavailable after the SDK retries', { errorName: (error as Error).name });
        httpError = temporarilyUnavailable();
      } else {
        logger.error('Unhandled error', error as Error);
        httpError = internalError();
      }
      request.response = {
        statusCode: httpError.status,
        headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...httpError.headers },
        body: JSON.stringify(problemBody(httpError, request.event?.rawPath)),
      };
      finish(request.event, httpError.status, httpError.slug);
    },
  };
}
