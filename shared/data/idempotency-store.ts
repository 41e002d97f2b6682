import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod';
import { db, tableName } from './client';
import { keys } from './keys';
import { parseItem } from './stored-item';

const StoredResponse = z.object({
  status: z.number(),
  body: z.optional(z.unknown()),
  headers: z.optional(z.record(z.string(), z.string())),
});
export type StoredResponse = z.infer<typeof StoredResponse>;

const IdempotencyRecord = z.discriminatedUnion('state', [
  z.object({ state: z.literal('in_progress'), requestHash: z.string(), lockedUntil: z.number() }),
  z.object({ state: z.literal('completed'), requestHash: z.string(), response: StoredResponse }),
]);
export type IdempotencyRecord = z.infer<typeof IdempotencyRecord>;

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
      return parseItem(IdempotencyRecord, unmarshall(error.Item));
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
