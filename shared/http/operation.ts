import type { z } from '../zod';
import type { Caller } from './caller';
import type { ApiFunctionName } from './functions';
import type { RouteDeclaration, RouteRequest } from './route-types';

/**
 * The types of an operation, read from its route declaration (kept literal by `defineRoutes`):
 * what the handler gives it (the parsed params, query and body, and the tenant on tenant routes)
 * and what it may answer (a 2xx status the route declares, with that response's body). Errors are
 * thrown as HttpError (problem+json) and are not part of the result.
 */

type Headers = Record<string, string>;

/** The caller's address and User-Agent from API Gateway's request context. */
export interface RequestSource {
  ip: string;
  userAgent: string;
}

/** The declared schema's parsed value (after its defaults and transforms), or `Otherwise` when the route declares none. */
type Parsed<R extends RouteDeclaration, Part extends keyof RouteRequest, Otherwise> =
  R extends { request: Record<Part, infer Schema extends z.ZodMiniType> } ? z.output<Schema> : Otherwise;

type CallerOf<R extends RouteDeclaration> = R['access'] extends { kind: 'tenant' }
  ? { caller: Extract<Caller, { kind: 'tenant' }>; tenantId: string }
  : R['access'] extends { kind: 'operator' }
    ? { caller: Extract<Caller, { kind: 'operator' }> }
    : R['access'] extends { kind: 'public' }
      ? { caller: Extract<Caller, { kind: 'anonymous' }> }
      : { caller: Caller };

export type OperationRequest<R extends RouteDeclaration = RouteDeclaration> = {
  route: R;
  /** Without a declared schema: the path parameters as API Gateway gives them. */
  params: Parsed<R, 'params', Record<string, string>>;
  /** Without a declared schema: the query string's parameters. */
  query: Parsed<R, 'query', Record<string, string>>;
  body: Parsed<R, 'body', undefined>;
  headers: Record<string, string | undefined>;
  requestId: string;
  /** The caller's address and User-Agent as API Gateway saw them (for the audit log; never logged). */
  source: RequestSource;
} & CallerOf<R>;

type SuccessStatus<R extends RouteDeclaration> = {
  [Status in keyof R['responses']]: Status extends number ? (`${Status}` extends `2${string}` ? Status : never) : never;
}[keyof R['responses']];

type Answer<Status, Response> = Response extends { schema: infer Schema extends z.ZodMiniType }
  ? { status: Status; body: z.output<Schema>; headers?: Headers; text?: never }
  : Response extends { mediaType: string }
    ? /** A body that is not JSON, sent as it is; the operation sets its content-type header. */
      { status: Status; text: string; headers?: Headers; body?: never }
    : { status: Status; headers?: Headers; body?: never; text?: never };

/** A successful answer of the route: one of its declared 2xx statuses, with that response's body. */
export type OperationResult<R extends RouteDeclaration> = {
  [Status in SuccessStatus<R>]: Answer<Status, R['responses'][Status]>;
}[SuccessStatus<R>];

export type Operation<R extends RouteDeclaration> = (request: OperationRequest<R>) => Promise<OperationResult<R>>;

/** The operations of function `Fn`: one per route of `Routes` that names it, keyed by operationId. */
export type OperationsOf<Routes extends readonly RouteDeclaration[], Fn extends ApiFunctionName> = {
  [Id in Extract<Routes[number], { function: Fn }>['operationId']]: Operation<RouteNamed<Routes, Id>>;
};

/** One route of an area's list, by its operationId. */
export type RouteNamed<Routes extends readonly RouteDeclaration[], Id extends Routes[number]['operationId']> = Extract<
  Routes[number],
  { operationId: Id }
>;

/** The request of a route, by its operationId: for helpers that an operation hands its request to. */
export type RequestOf<Routes extends readonly RouteDeclaration[], Id extends Routes[number]['operationId']> = OperationRequest<
  RouteNamed<Routes, Id>
>;

/** The successful answers of a route, by its operationId. */
export type ResultOf<Routes extends readonly RouteDeclaration[], Id extends Routes[number]['operationId']> = OperationResult<
  RouteNamed<Routes, Id>
>;

/** What a page operation is given (routes declared with `page: true`, served by createPageHandler). */
export interface PageRequest<R extends RouteDeclaration = RouteDeclaration> {
  route: R;
  params: Parsed<R, 'params', Record<string, string>>;
  /** The HTML form's fields (application/x-www-form-urlencoded), undefined without a body. */
  form: Record<string, string> | undefined;
  /** For the page's one inline style element: `<style nonce="…">`; the CSP allows no other style or script. */
  styleNonce: string;
  requestId: string;
  /** The caller's address (behind the edge, as CloudFront saw it: clientAddress in ./origin-guard.ts), for per-client limits (never logged). */
  sourceIp: string;
}

/** What a page operation answers: a status the route declares (errors included) and a whole HTML document. */
export type PageResult<R extends RouteDeclaration = RouteDeclaration> = {
  [Status in keyof R['responses'] & number]: {
    status: Status;
    html: string;
    /** Extra headers, e.g. Retry-After on a 429. */
    headers?: Headers;
  };
}[keyof R['responses'] & number];

export type PageOperation<R extends RouteDeclaration> = (request: PageRequest<R>) => Promise<PageResult<R>>;

export type PageOperationsOf<Routes extends readonly RouteDeclaration[], Fn extends ApiFunctionName> = {
  [Id in Extract<Routes[number], { function: Fn }>['operationId']]: PageOperation<RouteNamed<Routes, Id>>;
};

export type PageRequestOf<Routes extends readonly RouteDeclaration[], Id extends Routes[number]['operationId']> = PageRequest<
  RouteNamed<Routes, Id>
>;
export type PageResultOf<Routes extends readonly RouteDeclaration[]> = PageResult<Routes[number]>;
