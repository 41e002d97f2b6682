import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StreamRecord } from 'aws-lambda';
import type { DomainEvent } from '../events/catalog';
import * as z from '../zod';
import { tableName } from './client';
import { tenantPrefix } from './keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Outbox records live a week: long after the stream has relayed them, short enough to stay small. */
const outboxRetentionSeconds = 7 * 24 * 60 * 60;

/** The item type the table's stream filter passes to the event relay. */
export const outboxItemType = 'OutboxEvent';

export const outboxKey = (tenantId: string, eventId: string) => ({
  pk: `${tenantPrefix(tenantId)}#OUTBOX#${eventId}`,
  sk: 'EVENT',
});

/**
 * The event as a write in the same transaction as the state change it records: both happen or
 * neither. The table's stream carries the new record to the relay, which publishes it to
 * EventBridge and retries until it is out, so an EventBridge outage delays events but loses none.
 */
export function outboxPut(event: DomainEvent): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...outboxKey(event.detail.tenantId, event.detail.eventId),
        type: outboxItemType,
        detailType: event.detailType,
        detail: event.detail,
        expiresAt: Math.floor(Date.now() / 1000) + outboxRetentionSeconds,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * An outbox record as the stream's new image carries it. The envelope is checked, the data is not
 * (each consumer validates it against the catalog) and the detail keeps every attribute it has.
 */
const OutboxRecord = z.object({
  detailType: z.string(),
  detail: z.looseObject({ eventId: z.string(), tenantId: z.string(), occurredAt: z.string(), schemaVersion: z.number(), data: z.unknown() }),
});

/**
 * The event an outbox record holds, or undefined when the record is not a readable one: the relay
 * reports it as a failed record (retried, then dead-lettered) rather than dropping it.
 */
function eventOfOutboxItem(item: Record<string, unknown>): DomainEvent | undefined {
  const parsed = OutboxRecord.safeParse(item);
  return parsed.success ? parsed.data : undefined;
}

/** The event an outbox record's stream image holds (outboxPut), or undefined when it holds none that can be published. */
export function outboxEventOf(image: StreamRecord['NewImage']): DomainEvent | undefined {
  if (!image) return undefined;
  let item: Record<string, unknown>;
  try {
    item = unmarshall(image as Record<string, AttributeValue>);
  } catch {
    return undefined;
  }
  return eventOfOutboxItem(item);
}
