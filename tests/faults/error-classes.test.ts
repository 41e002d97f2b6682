import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ConflictException, ServiceQuotaExceededException, ThrottlingException, ValidationException } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { describe, expect, it } from 'vitest';
import { isAwsUnavailable } from '../../shared/http/aws-errors';
import { permanentSmsRefusal } from '../../shared/ports/sms-sender';

/** Which AWS errors the API answers with 503, and which SMS errors end a survey instead of being retried. */

const meta = { $metadata: {} };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ ...meta, message: 'Transaction cancelled', CancellationReasons: codes.map((Code) => ({ Code })) });

describe('isAwsUnavailable (answered 503 with Retry-After)', () => {
  it('takes throttling, a transaction conflict and AWS-side failures', () => {
    expect(isAwsUnavailable(new ProvisionedThroughputExceededException({ ...meta, message: 'slow down' }))).toBe(true);
    expect(isAwsUnavailable(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isAwsUnavailable(cancelled('ThrottlingError'))).toBe(true);
    expect(isAwsUnavailable(Object.assign(new Error('boom'), { name: 'SomeNewServerError', $fault: 'server' }))).toBe(true);
  });

  it('leaves a failed condition, a client error and a plain bug to their own answers', () => {
    expect(isAwsUnavailable(cancelled('ConditionalCheckFailed', 'None'))).toBe(false);
    expect(isAwsUnavailable(Object.assign(new Error('bad'), { name: 'ValidationException', $fault: 'client' }))).toBe(false);
    expect(isAwsUnavailable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isAwsUnavailable('a string')).toBe(false);
  });
});

describe('permanentSmsRefusal (the survey is not sent, reason sms-refused)', () => {
  it('names an invalid request or a blocked destination by AWS code and reason', () => {
    expect(permanentSmsRefusal(new ValidationException({ ...meta, message: 'invalid', Reason: 'INVALID_PARAMETER' }))).toBe('ValidationException INVALID_PARAMETER');
    expect(permanentSmsRefusal(new ConflictException({ ...meta, message: 'blocked', Reason: 'DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION' }))).toBe(
      'ConflictException DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION',
    );
  });

  it('leaves throttling and a spend quota to the retries', () => {
    expect(permanentSmsRefusal(new ThrottlingException({ ...meta, message: 'Rate exceeded' }))).toBeUndefined();
    expect(permanentSmsRefusal(new ServiceQuotaExceededException({ ...meta, message: 'limit', Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT' }))).toBeUndefined();
    expect(permanentSmsRefusal(new Error('socket hang up'))).toBeUndefined();
  });
});
