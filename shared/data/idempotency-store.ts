import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';

export interface StoredResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type IdempotencyRecord =
  | { state: 'in_progress'; requestHash: string; lockedUntil: number }
  | { state: 'completed'; requestHash: string; response: StoredResponse };

const retentionSeconds = 24 * 60 * 60;
const lockSeconds = 30;

/**
 * Claims the key for this request. Returns undefined when the claim is ours (first use, or a
 * previous attempt whose lock expired), else the record that already holds the key.
 */
export async function claimIdempotencyKey(
  scope: string,
  keyHash: string,
  requestHash: string,
  now = Date.now(),
): Promise<IdempotencyRecord | undefined> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.idempotency(scope, keyHash),
          state: 'in_progress',
          requestHash,
          lockedUntil: now + lockSeconds * 1000,
          expiresAt: Math.floor(now / 1000) + retentionSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :inProgress AND lockedUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':inProgress': 'in_progress', ':now': now },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) {
      const item = unmarshall(error.Item);
      return item.state === 'completed'
        ? { state: 'completed', requestHash: item.requestHash, response: item.response }
        : { state: 'in_progress', requestHash: item.requestHash, lockedUntil: item.lockedUntil };
    }
    throw error;
  }
}

export async function completeIdempotencyKey(scope: string, keyHash: string, response: StoredResponse) {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.idempotency(scope, keyHash),
      UpdateExpression: 'SET #state = :completed, #response = :response REMOVE lockedUntil',
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: { ':completed': 'completed', ':response': response },
    }),
  );
}

/** A failed attempt gives the key back so that a retry can run. */
export async function releaseIdempotencyKey(scope: string, keyHash: string) {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.idempotency(scope, keyHash) }));
}
