import type { FieldError } from '../domain/errors';
import type { z } from '../zod';

export type { FieldError };

/** An error that has a place in the HTTP contract; anything else is answered as a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
    /** RFC 9457 extension members, e.g. the id of the existing resource in a conflict. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export const problemTypeBase = 'https://switchboard.dev/problems/';

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpError(400, 'bad-request', 'Bad request', detail, errors);
export const validationFailed = (errors: FieldError[]) =>
  new HttpError(400, 'validation-error', 'The request is not valid', 'See errors for each invalid field', errors);
export const unauthorized = (detail = 'A valid API key is required: Authorization: Bearer <key>') =>
  new HttpError(401, 'unauthorized', 'Unauthorized', detail, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (detail: string) => new HttpError(403, 'forbidden', 'Forbidden', detail);
/** A suspended tenant's keys: refused on every tenant route until the operator resumes it. */
export const tenantSuspended = () =>
  new HttpError(403, 'tenant-suspended', 'Tenant suspended', 'The operator of the service has suspended this tenant; its keys are refused until it is resumed');
export const notFound = (detail = 'No such resource') => new HttpError(404, 'not-found', 'Not found', detail);
export const methodNotAllowed = (allowed: string[]) =>
  new HttpError(405, 'method-not-allowed', 'Method not allowed', `Allowed: ${allowed.join(', ')}`, undefined, {
    allow: allowed.join(', '),
  });
export const conflict = (detail: string, slug = 'conflict', extensions: Record<string, unknown> = {}) =>
  new HttpError(409, slug, 'Conflict', detail, undefined, {}, extensions);
export const gone = (detail: string) => new HttpError(410, 'gone', 'Gone', detail);
export const preconditionFailed = (detail: string) =>
  new HttpError(412, 'precondition-failed', 'Precondition failed', detail);
export const payloadTooLarge = (limit: number) =>
  new HttpError(413, 'payload-too-large', 'Payload too large', `The body must be at most ${limit} bytes`);
export const unsupportedMediaType = () =>
  new HttpError(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as application/json');
export const unprocessable = (detail: string, slug = 'unprocessable') =>
  new HttpError(422, slug, 'Unprocessable request', detail);
export const preconditionRequired = (detail: string) =>
  new HttpError(428, 'precondition-required', 'Precondition required', detail);

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
    type: problemTypeBase + error.slug,
    title: error.title,
    status: error.status,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extensions,
  };
}
