import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod';
import { conditionally, db, tableName } from './client';
import { keys, tenantPrefix } from './keys';
import { indexOf } from './table';
import { parseItem } from './stored-item';

const StoredResponse = z.object({
  status: z.number(),
  body: z.optional(z.unknown()),
  headers: z.optional(z.record(z.string(), z.string())),
});
export type StoredResponse = z.infer<typeof StoredResponse>;

/**
 * Why a completed record keeps only the status and headers of its answer: it held a secret shown
 * once (never stored), or personal data of a customer since erased.
 */
const Withheld = z.enum(['secret', 'erased']);
export type Withheld = z.infer<typeof Withheld>;

/** `callerId` is the API key id (or `operator`) that made the first request; records written before it existed lack it. */
const IdempotencyRecord = z.discriminatedUnion('state', [
  z.object({ state: z.literal('in_progress'), requestHash: z.string(), lockedUntil: z.number(), callerId: z.optional(z.string()) }),
  z.object({
    state: z.literal('completed'),
    requestHash: z.string(),
    response: StoredResponse,
    callerId: z.optional(z.string()),
    withheld: z.optional(Withheld),
  }),
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
  callerId: string,
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
          callerId,
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

/** The sparse gsi2 partition listing a customer's replayable answers, so that erasing the customer can find them. */
const customerReplays = (tenantId: string, customerId: string) => `${tenantPrefix(tenantId)}#CUS#${customerId}#IDEMP`;

/**
 * Stores the answer to replay. `withheld` says the body was left out (and why); `customerId` names
 * the customer whose personal data the stored body holds, listing the record for erasure.
 */
export async function completeIdempotencyKey(
  scope: string,
  keyHash: string,
  response: StoredResponse,
  options: { withheld?: Withheld; customerId?: string } = {},
) {
  const { withheld, customerId } = options;
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.idempotency(scope, keyHash),
      UpdateExpression: [
        'SET #state = :completed, #response = :response',
        ...(withheld ? [', withheld = :withheld'] : []),
        ...(customerId ? [', gsi2pk = :replays, gsi2sk = :keyHash'] : []),
        ' REMOVE lockedUntil',
      ].join(''),
      ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
      ExpressionAttributeValues: {
        ':completed': 'completed',
        ':response': response,
        ...(withheld && { ':withheld': withheld }),
        ...(customerId && { ':replays': customerReplays(scope, customerId), ':keyHash': keyHash }),
      },
    }),
  );
}

/**
 * Drops the stored bodies of the answers that named an erased customer, keeping their status and
 * headers: a replay then answers that the data was erased. Returns how many records it changed;
 * a second run finds none left (they leave the list as they are scrubbed).
 */
export async function eraseCustomerReplays(tenantId: string, customerId: string): Promise<number> {
  let scrubbed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const { Items, LastEvaluatedKey } = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: indexOf('gsi2'),
        KeyConditionExpression: 'gsi2pk = :replays',
        ExpressionAttributeValues: { ':replays': customerReplays(tenantId, customerId) },
        ProjectionExpression: 'gsi2sk',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of Items ?? []) {
      const keyHash = String(item.gsi2sk);
      // A record expired and removed by TTL since the index was read has nothing left to scrub.
      const written = await conditionally(() =>
        db().send(
          new UpdateCommand({
            TableName: tableName(),
            Key: keys.idempotency(tenantId, keyHash),
            UpdateExpression: 'SET withheld = :erased REMOVE #response.body, gsi2pk, gsi2sk',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#response': 'response' },
            ExpressionAttributeValues: { ':erased': 'erased' },
          }),
        ),
      );
      if (written) scrubbed += 1;
    }
    startKey = LastEvaluatedKey;
  } while (startKey);
  return scrubbed;
}

/** A failed attempt gives the key back so that a retry can run. */
export async function releaseIdempotencyKey(scope: string, keyHash: string) {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.idempotency(scope, keyHash) }));
}
