import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { tenantPrefix } from './keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Markers outlive any redelivery EventBridge or a DLQ redrive can make (24 h retries, 14-day queues). */
const markerRetentionSeconds = 30 * 24 * 60 * 60;

export const processedKey = (consumer: string, tenantId: string, eventId: string) => ({
  pk: `${tenantPrefix(tenantId)}#DONE#${consumer}#${eventId}`,
  sk: 'DONE',
});

/**
 * A marker that `consumer` has done its work for `id`, as one write of the caller's transaction:
 * when the marker exists already the transaction is cancelled with this item's
 * ConditionalCheckFailed. `attributes` are stored with it (e.g. what was created); it is kept for
 * good unless `expiresFrom` is given, then for the usual retention from that instant.
 */
export function processedMarkerPut(
  consumer: string,
  tenantId: string,
  id: string,
  options: { attributes?: Record<string, unknown>; expiresFrom?: string } = {},
): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...processedKey(consumer, tenantId, id),
        type: 'ProcessedEvent',
        ...options.attributes,
        ...(options.expiresFrom !== undefined && { expiresAt: Math.floor(Date.parse(options.expiresFrom) / 1000) + markerRetentionSeconds }),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Whether `consumer` has marked `id` done (applyOnce, processedMarkerPut); a consistent read. */
export async function isProcessed(consumer: string, tenantId: string, id: string): Promise<boolean> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: processedKey(consumer, tenantId, id), ConsistentRead: true }));
  return Item !== undefined;
}

/**
 * Applies a consumer's writes for one event exactly once: a marker for (consumer, event) is put
 * in the same transaction, so a redelivered event finds it and changes nothing.
 */
export async function applyOnce(
  consumer: string,
  tenantId: string,
  eventId: string,
  writes: TransactItem[],
): Promise<'applied' | 'duplicate'> {
  const marker: TransactItem = {
    Put: {
      TableName: tableName(),
      Item: {
        ...processedKey(consumer, tenantId, eventId),
        type: 'ProcessedEvent',
        expiresAt: Math.floor(Date.now() / 1000) + markerRetentionSeconds,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [marker, ...writes] }));
    return 'applied';
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      return 'duplicate';
    }
    throw error;
  }
}
