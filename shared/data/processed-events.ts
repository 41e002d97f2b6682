import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
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
