import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredDelivery, StoredWebhook } from '../domain/webhook';
import { Webhook, WebhookDelivery } from '../schemas/webhook';
import * as z from '../zod';
import { conditionally, db, tableName } from './client';
import { tenantPrefix } from './keys';
import { parseItem } from './stored-item';
import type { StoredAuditEntry } from '../domain/audit';
import { auditEntryPut } from './audit-log-repo';
import { cancellationCodes } from './transaction-errors';

/** Delivery records, and the marker that makes one per (webhook, event), are kept 30 days. */
const deliveryRetentionSeconds = 30 * 24 * 60 * 60;

/**
 * A tenant's webhooks share one small partition (at most a few dozen items), read whole by the
 * dispatcher for every event. Each webhook's deliveries have a partition of their own, newest last
 * by their time-ordered id.
 */
export const webhookKeys = {
  webhook: (tenantId: string, webhookId: string) => ({ pk: `${tenantPrefix(tenantId)}#WEBHOOKS`, sk: `WH#${webhookId}` }),
  webhookList: (tenantId: string) => ({ pk: `${tenantPrefix(tenantId)}#WEBHOOKS` }),
  webhookPrefix: 'WH#',
  delivery: (tenantId: string, webhookId: string, deliveryId: string) => ({
    pk: `${tenantPrefix(tenantId)}#WH#${webhookId}#DELIVERIES`,
    sk: deliveryId,
  }),
  deliveryList: (tenantId: string, webhookId: string) => ({ pk: `${tenantPrefix(tenantId)}#WH#${webhookId}#DELIVERIES` }),
  deliveryOfEvent: (tenantId: string, webhookId: string, eventId: string) => ({
    pk: `${tenantPrefix(tenantId)}#WH#${webhookId}#EVT#${eventId}`,
    sk: 'DELIVERY',
  }),
};

/** The webhook changed since it was read. */
export class StaleWebhook extends Error {}

type Page<T> = { items: T[]; lastKey?: Record<string, unknown> };

/** Stores a new webhook with its audit entry, in one transaction. */
export async function insertWebhook(tenantId: string, webhook: StoredWebhook, audit: StoredAuditEntry): Promise<void> {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: tableName(), Item: webhookItem(tenantId, webhook), ConditionExpression: 'attribute_not_exists(pk)' } },
        auditEntryPut(audit),
      ],
    }),
  );
}

export async function getWebhook(tenantId: string, webhookId: string): Promise<StoredWebhook | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: webhookKeys.webhook(tenantId, webhookId), ConsistentRead: true }),
  );
  return Item ? fromWebhookItem(Item) : undefined;
}

export async function listWebhooks(tenantId: string, limit: number, startKey?: Record<string, unknown>): Promise<Page<StoredWebhook>> {
  const { Items, LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': webhookKeys.webhookList(tenantId).pk, ':prefix': webhookKeys.webhookPrefix },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (Items ?? []).map(fromWebhookItem), lastKey: LastEvaluatedKey };
}

/** Every webhook of the tenant; there are at most maxWebhooksPerTenant. */
export async function allWebhooks(tenantId: string): Promise<StoredWebhook[]> {
  const all: StoredWebhook[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await listWebhooks(tenantId, 100, startKey);
    all.push(...page.items);
    startKey = page.lastKey;
  } while (startKey);
  return all;
}

export async function countWebhooks(tenantId: string): Promise<number> {
  const { Count } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': webhookKeys.webhookList(tenantId).pk, ':prefix': webhookKeys.webhookPrefix },
      Select: 'COUNT',
    }),
  );
  return Count ?? 0;
}

/**
 * Writes the new state if the stored version is still the one read, with the change's audit
 * entries (none, one, or two when a secret rotation comes with other changes) in the same
 * transaction; StaleWebhook otherwise.
 */
export async function replaceWebhook(tenantId: string, before: StoredWebhook, after: StoredWebhook, audit: StoredAuditEntry[]): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: webhookItem(tenantId, after),
              ConditionExpression: 'attribute_exists(pk) AND version = :expected',
              ExpressionAttributeValues: { ':expected': before.version },
            },
          },
          ...audit.map(auditEntryPut),
        ],
      }),
    );
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new StaleWebhook();
    throw error;
  }
}

/** Deletes the webhook with its audit entry, in one transaction; false when there was none (and nothing is written). */
export async function deleteWebhook(tenantId: string, webhookId: string, audit: StoredAuditEntry): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: tableName(), Key: webhookKeys.webhook(tenantId, webhookId), ConditionExpression: 'attribute_exists(pk)' } },
          auditEntryPut(audit),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/**
 * Records the delivery of an event to a webhook, once: the delivery and a marker keyed by
 * (webhook, event) are written together, each only if absent. A redelivered event finds the
 * marker and gets the id of the delivery that already exists.
 */
export async function createDelivery(
  tenantId: string,
  delivery: StoredDelivery,
): Promise<{ created: true } | { created: false; existingDeliveryId: string }> {
  const expiresAt = Math.floor(Date.parse(delivery.createdAt) / 1000) + deliveryRetentionSeconds;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...webhookKeys.deliveryOfEvent(tenantId, delivery.webhookId, delivery.eventId),
                type: 'WebhookEventDelivery',
                deliveryId: delivery.deliveryId,
                expiresAt,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: deliveryItemWithTtl(tenantId, delivery),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return { created: true };
  } catch (error) {
    const existing = error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
    if (existing?.Code === 'ConditionalCheckFailed' && existing.Item?.deliveryId?.S) {
      return { created: false, existingDeliveryId: existing.Item.deliveryId.S };
    }
    throw error;
  }
}

export async function getDelivery(tenantId: string, webhookId: string, deliveryId: string): Promise<StoredDelivery | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: webhookKeys.delivery(tenantId, webhookId, deliveryId), ConsistentRead: true }),
  );
  return Item ? fromDeliveryItem(Item) : undefined;
}

/** Newest first. */
export async function listDeliveries(
  tenantId: string,
  webhookId: string,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<Page<StoredDelivery>> {
  const { Items, LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': webhookKeys.deliveryList(tenantId, webhookId).pk },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (Items ?? []).map(fromDeliveryItem), lastKey: LastEvaluatedKey };
}

/**
 * Takes the delivery for one attempt: only a pending delivery still at the version read, and not
 * held by another attempt whose lease is running. Returns the claimed state, or undefined.
 */
export async function claimDelivery(
  tenantId: string,
  delivery: StoredDelivery,
  leaseUntil: Date,
  now: Date,
): Promise<StoredDelivery | undefined> {
  const written = await conditionally(() =>
    db().send(
      new PutCommand({
        TableName: tableName(),
        Item: deliveryItemWithTtl(tenantId, { ...delivery, attemptLeaseUntil: leaseUntil.toISOString(), version: delivery.version + 1 }),
        ConditionExpression:
          'version = :expected AND #status = :pending AND (attribute_not_exists(attemptLeaseUntil) OR attemptLeaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':expected': delivery.version, ':pending': 'pending', ':now': now.toISOString() },
      }),
    ),
  );
  return written ? { ...delivery, attemptLeaseUntil: leaseUntil.toISOString(), version: delivery.version + 1 } : undefined;
}

/** Saves the delivery's next state if nobody moved it since `expectedVersion`; false when somebody did. */
export async function saveDelivery(tenantId: string, next: StoredDelivery, expectedVersion: number): Promise<boolean> {
  return conditionally(() =>
    db().send(
      new PutCommand({
        TableName: tableName(),
        Item: deliveryItemWithTtl(tenantId, next),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    ),
  );
}

function webhookItem(tenantId: string, webhook: StoredWebhook) {
  return { ...webhookKeys.webhook(tenantId, webhook.webhookId), type: 'Webhook', tenantId, ...webhook };
}

const StoredWebhookItem = z.extend(Webhook, {
  sealedSecret: z.string(),
  sealedPreviousSecret: z.optional(z.string()),
  previousSecretExpiresAt: z.optional(z.string()),
});

function fromWebhookItem(item: Record<string, unknown>): StoredWebhook {
  return parseItem(StoredWebhookItem, item);
}

function deliveryItem(tenantId: string, delivery: StoredDelivery) {
  return { ...webhookKeys.delivery(tenantId, delivery.webhookId, delivery.deliveryId), type: 'WebhookDelivery', tenantId, ...delivery };
}

const deliveryItemWithTtl = (tenantId: string, delivery: StoredDelivery) => ({
  ...deliveryItem(tenantId, delivery),
  expiresAt: Math.floor(Date.parse(delivery.createdAt) / 1000) + deliveryRetentionSeconds,
});

const StoredDeliveryItem = z.extend(WebhookDelivery, { body: z.string(), version: z.int(), attemptLeaseUntil: z.optional(z.string()) });

function fromDeliveryItem(item: Record<string, unknown>): StoredDelivery {
  return parseItem(StoredDeliveryItem, item);
}
