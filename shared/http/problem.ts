import type { FieldError } from '../domain/errors';
import type { z } from '../zod';
import { type ProblemSlug, type ProblemSlugOf, problemType, problemTypeUri } from './problem-types';

export type { FieldError };
export { problemTypeBase } from './problem-types';

/** What a problem carries beyond its type's status and title. */
export interface ProblemParts {
  /** The invalid fields, on problem types that declare `errors`. */
  errors?: FieldError[];
  /** Response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  /** RFC 9457 extension members the problem type declares, e.g. the id of the existing resource in a conflict. */
  extensions?: Record<string, unknown>;
}

/**
 * An error that has a place in the HTTP contract; anything else is answered as a 500. It names a
 * problem type of the catalog (./problem-types.ts), which gives its status and title.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly title: string;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(
    readonly slug: ProblemSlug,
    readonly detail?: string,
    parts: ProblemParts = {},
  ) {
    const { status, title } = problemType(slug);
    super(detail ?? title);
    this.status = status;
    this.title = title;
    this.errors = parts.errors;
    this.headers = parts.headers ?? {};
    this.extensions = parts.extensions ?? {};
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new HttpError('bad-request', detail, { errors });
export const validationFailed = (errors: FieldError[]) => new HttpError('validation-error', 'See errors for each invalid field', { errors });
export const unauthorized = (detail = 'A valid API key is required: Authorization: Bearer <key>') =>
  new HttpError('unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } });
export const forbidden = (detail: string) => new HttpError('forbidden', detail);
/** A suspended tenant's keys: refused on every tenant route until the operator resumes it. */
export const tenantSuspended = () =>
  new HttpError('tenant-suspended', 'The operator of the service has suspended this tenant; its keys are refused until it is resumed');
export const notFound = (detail = 'No such resource') => new HttpError('not-found', detail);
export const methodNotAllowed = (allowed: string[]) =>
  new HttpError('method-not-allowed', `Allowed: ${allowed.join(', ')}`, { headers: { allow: allowed.join(', ') } });
export const conflict = (detail: string, slug: ProblemSlugOf<409> = 'conflict', extensions: Record<string, unknown> = {}) =>
  new HttpError(slug, detail, { extensions });
/** The customer was erased: only its tombstone is left. */
export const customerErased = (customerId: string, erasedAt: string) =>
  new HttpError('customer-erased', `This customer was erased at ${erasedAt}`, { extensions: { customerId, erasedAt } });
export const preconditionFailed = (detail: string) => new HttpError('precondition-failed', detail);
export const payloadTooLarge = (limit: number) => new HttpError('payload-too-large', `The body must be at most ${limit} bytes`);
export const unsupportedMediaType = () => new HttpError('unsupported-media-type', 'Send the body as application/json');
/** 422 of a declared kind: there is no catch-all unprocessable type, each says what cannot be carried out. */
export const unprocessable = (detail: string, slug: ProblemSlugOf<422>, errors?: FieldError[]) => new HttpError(slug, detail, { errors });
export const preconditionRequired = (detail: string) => new HttpError('precondition-required', detail);
export const internalError = () => new HttpError('internal', 'Something went wrong on our side; it has been logged');

/** zod issues as field errors with a JSON path rooted at `root` (`$` for the body). */
export function fieldErrors(error: z.core.$ZodError, root: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.reduce<string>(
      (path, part) => (typeof part === 'number' ? `${path}[${part}]` : `${path}.${String(part)}`),
      root,
    ),
    message: issue.code === 'unrecognized_keys' ? `Unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

export function problemBody(error: HttpError, instance?: string) {
  return {
    type: problemTypeUri(error.slug),
    title: error.title,
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extensions,
  };
}
