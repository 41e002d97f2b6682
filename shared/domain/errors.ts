/**
 * One field a domain rule refuses: the JSON path of the offending value (`$.endedAt`) and why.
 * The domain's Invalid… errors carry a list of them; the HTTP layer answers them as the
 * `errors` of a problem+json validation-error (shared/http/problem.ts) without changing them.
 */
export interface FieldError {
  path: string;
  message: string;
}
