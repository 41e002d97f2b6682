import { HttpError } from './problem';

/** Seconds a client should wait before retrying a request refused because AWS was busy. */
export const retryAfterSeconds = 2;

/** Errors AWS raises when it is busy or briefly unable to serve, after the SDK's own retries. */
const busyErrorNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'TransactionInProgressException',
  'TransactionConflictException',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

/** Reasons a transaction is cancelled that a later retry can overcome (a condition that failed cannot). */
const busyCancellationCodes = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

interface AwsServiceError {
  name?: unknown;
  $fault?: unknown;
  CancellationReasons?: { Code?: string }[];
}

/**
 * Whether an error is AWS being busy or failing on its side (throttling, a transaction conflict,
 * a 5xx), as opposed to a bug or a refused request. Such errors reach a handler only once the SDK
 * has spent its retries; a DynamoDB transaction that failed so wrote nothing.
 */
export function isAwsUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $fault, CancellationReasons } = error as AwsServiceError;
  if (typeof name === 'string' && busyErrorNames.has(name)) return true;
  if (name === 'TransactionCanceledException') return (CancellationReasons ?? []).some((reason) => busyCancellationCodes.has(reason.Code ?? ''));
  return $fault === 'server' && typeof name === 'string';
}

/** 503 with Retry-After: the request may be retried as it is (with the same Idempotency-Key). */
export const temporarilyUnavailable = () =>
  new HttpError(
    'temporarily-unavailable',
    'A service Switchboard depends on is busy; the request was not carried out. Retry it after Retry-After seconds, with the same Idempotency-Key',
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  );
