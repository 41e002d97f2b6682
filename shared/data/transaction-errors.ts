import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * The reason code of each item of a cancelled transaction, in the order the items were written
 * ('None' for an item that did not fail): 'ConditionalCheckFailed', 'TransactionConflict' … or
 * undefined when `error` is not a cancelled transaction. Lets a function react to a cancellation
 * without knowing the SDK's exception.
 */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  return error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((reason) => reason.Code) : undefined;
}
