import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { CustomerValue, SegmentsSummary, Transaction } from '../schemas/customer-value';
import * as z from '../zod';
import { conditionally, db, tableName } from './client';
import { queryListed } from './listed-items';
import { customerListPartition, segmentPartition, valueListKeys } from './customers-repo';
import { keys, tenantPrefix } from './keys';
import { parseItem, parseOptionalItem } from './stored-item';

export const customerValueKeys = {
  transaction: (tenantId: string, customerId: string, at: string, transactionId: string) => ({
    pk: keys.customer(tenantId, customerId).pk,
    sk: `TXN#${at}#${transactionId}`,
  }),
  /** Keeps the tenant's transactionId unique per customer; holds a copy of the transaction for the repeat's answer. */
  transactionId: (tenantId: string, customerId: string, transactionId: string) => ({
    pk: keys.customer(tenantId, customerId).pk,
    sk: `TXNID#${transactionId}`,
  }),
  summary: (tenantId: string) => ({ pk: tenantPrefix(tenantId), sk: 'CUSTOMER_VALUE#SUMMARY' }),
  refreshClaim: (tenantId: string) => ({ pk: tenantPrefix(tenantId), sk: 'CUSTOMER_VALUE#REFRESH' }),
  schedule: (tenantId: string) => ({ pk: tenantPrefix(tenantId), sk: 'CUSTOMER_VALUE#SCHEDULE' }),
};

export type RecordOutcome = { kind: 'recorded' } | { kind: 'duplicate'; stored: Transaction } | { kind: 'customer-changed' };

/**
 * One transaction: the id marker and the transaction itself (both `attribute_not_exists`) and the
 * customer's new aggregates, conditional on the version they were computed from and on the
 * customer not being erased. A taken transactionId answers the transaction stored under it.
 */
export async function recordTransaction(
  tenantId: string,
  readVersion: number,
  value: CustomerValue,
  transaction: Transaction,
): Promise<RecordOutcome> {
  const { customerId, transactionId } = transaction;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...customerValueKeys.transactionId(tenantId, customerId, transactionId), type: 'CustomerTransactionId', transaction },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...customerValueKeys.transaction(tenantId, customerId, transaction.at, transactionId),
                type: 'CustomerTransaction',
                ...transaction,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: keys.customer(tenantId, customerId),
              UpdateExpression: 'SET #value = :value, version = :next',
              ConditionExpression: 'attribute_exists(pk) AND version = :read AND attribute_not_exists(erasedAt)',
              ExpressionAttributeNames: { '#value': 'value' },
              ExpressionAttributeValues: { ':value': value, ':read': readVersion, ':next': readVersion + 1 },
            },
          },
        ],
      }),
    );
    return { kind: 'recorded' };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [marker, , customer] = error.CancellationReasons ?? [];
    if (marker?.Code === 'ConditionalCheckFailed' && marker.Item) {
      return { kind: 'duplicate', stored: parseItem(TransactionIdItem, unmarshall(marker.Item)).transaction };
    }
    if (customer?.Code === 'ConditionalCheckFailed') return { kind: 'customer-changed' };
    throw error;
  }
}

export async function getTransactionById(tenantId: string, customerId: string, transactionId: string): Promise<Transaction | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: customerValueKeys.transactionId(tenantId, customerId, transactionId), ConsistentRead: true }),
  );
  return parseOptionalItem(TransactionIdItem, Item)?.transaction;
}

export const transactionListPartition = (tenantId: string, customerId: string) => ({ pk: keys.customer(tenantId, customerId).pk });

/** A customer's transactions, newest first. */
export async function listTransactions(
  tenantId: string,
  customerId: string,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<{ items: Transaction[]; lastKey?: Record<string, unknown> }> {
  const { Items, LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :txn)',
      ExpressionAttributeValues: { ':pk': transactionListPartition(tenantId, customerId).pk, ':txn': 'TXN#' },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (Items ?? []).map(transactionOf), lastKey: LastEvaluatedKey };
}

/** A customer's transactions at or after `from`, all pages (for the job). */
export async function transactionsSince(
  tenantId: string,
  customerId: string,
  from: Date,
): Promise<Pick<Transaction, 'at' | 'amount' | 'margin' | 'kind'>[]> {
  const found: Pick<Transaction, 'at' | 'amount' | 'margin' | 'kind'>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.customer(tenantId, customerId).pk, ':from': `TXN#${from.toISOString()}`, ':to': 'TXN#~' },
        // pk and sk only to name the item should it be refused (StoredItemInvalid).
        ProjectionExpression: 'pk, sk, #at, amount, margin, kind',
        ExpressionAttributeNames: { '#at': 'at' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) found.push(parseItem(TransactionFiguresItem, item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

/** Every active customer of the tenant who has a `value` (at least one transaction), all pages of the customer list. */
export async function customersWithValue(tenantId: string): Promise<{ customerId: string; version: number; value: CustomerValue }[]> {
  const found: { customerId: string; version: number; value: CustomerValue }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryListed({
      list: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': customerListPartition(tenantId).gsi1pk },
      attributes: { expression: 'customerId, version, #value', names: { '#value': 'value' } },
      startKey,
      keep: (item) => item.value !== undefined,
    });
    for (const item of page.items) {
      found.push(parseItem(CustomerWithValueItem, item));
    }
    startKey = page.lastKey;
  } while (startKey);
  return found;
}

/**
 * The job's scores onto the customer, with the sparse list keys of its segment (gsi2) and of its tier and quadrant (gsi3). Conditional on the
 * version the job read: a transaction recorded meanwhile wins, and the next run scores it.
 */
export async function writeCustomerValue(tenantId: string, customerId: string, readVersion: number, value: CustomerValue): Promise<boolean> {
  const valueKeys = valueListKeys(tenantId, customerId, value);
  const removed = [...(value.segment ? [] : ['gsi2pk', 'gsi2sk']), ...(valueKeys ? [] : ['gsi3pk', 'gsi3sk'])];
  return conditionally(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.customer(tenantId, customerId),
        UpdateExpression: [
          `SET #value = :value, version = :next${value.segment ? ', gsi2pk = :gsi2pk, gsi2sk = :gsi2sk' : ''}${valueKeys ? ', gsi3pk = :gsi3pk, gsi3sk = :gsi3sk' : ''}`,
          removed.length > 0 ? `REMOVE ${removed.join(', ')}` : '',
        ].join(' ').trim(),
        ConditionExpression: 'attribute_exists(pk) AND version = :read AND attribute_not_exists(erasedAt)',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: {
          ':value': value,
          ':read': readVersion,
          ':next': readVersion + 1,
          ...(value.segment && { ':gsi2pk': segmentPartition(tenantId, value.segment).gsi2pk, ':gsi2sk': customerId }),
          ...(valueKeys && { ':gsi3pk': valueKeys.gsi3pk, ':gsi3sk': valueKeys.gsi3sk }),
        },
      }),
    ),
  );
}

export async function putSummary(tenantId: string, summary: SegmentsSummary): Promise<void> {
  await db().send(
    new PutCommand({ TableName: tableName(), Item: { ...customerValueKeys.summary(tenantId), type: 'CustomerValueSummary', summary } }),
  );
}

export async function getSummary(tenantId: string): Promise<SegmentsSummary | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: customerValueKeys.summary(tenantId) }));
  return parseOptionalItem(SummaryItem, Item)?.summary;
}

/** Takes the tenant's refresh slot unless one was taken within `intervalMs`; false when it was. */
export function claimRefresh(tenantId: string, now: Date, intervalMs: number): Promise<boolean> {
  return conditionally(() =>
    db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...customerValueKeys.refreshClaim(tenantId), type: 'CustomerValueRefresh', requestedAt: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk) OR requestedAt <= :earliest',
        ExpressionAttributeValues: { ':earliest': new Date(now.getTime() - intervalMs).toISOString() },
      }),
    ),
  );
}

export async function lastRefreshRequest(tenantId: string): Promise<string | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: customerValueKeys.refreshClaim(tenantId), ConsistentRead: true }));
  return parseOptionalItem(RefreshClaimItem, Item)?.requestedAt;
}

export async function releaseRefresh(tenantId: string, requestedAt: Date): Promise<void> {
  await conditionally(() =>
    db().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: customerValueKeys.refreshClaim(tenantId),
        ConditionExpression: 'requestedAt = :mine',
        ExpressionAttributeValues: { ':mine': requestedAt.toISOString() },
      }),
    ),
  );
}

/** Whether the tenant's daily run was ever armed (the chain then re-arms itself). */
export async function dailyRunArmed(tenantId: string): Promise<boolean> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: customerValueKeys.schedule(tenantId) }));
  return Item !== undefined;
}

export async function markDailyRunArmed(tenantId: string, firstRunAt: Date): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...customerValueKeys.schedule(tenantId), type: 'CustomerValueSchedule', firstRunAt: firstRunAt.toISOString() },
    }),
  );
}

/** The transaction-id marker, holding a copy of the transaction. */
const TransactionIdItem = z.object({ transaction: Transaction });
/** A transaction read with the job's projection (at, amount, margin, kind). */
const TransactionFiguresItem = z.pick(Transaction, { at: true, amount: true, margin: true, kind: true });
/** A customer profile read with the job's projection (customerId, version, value). */
const CustomerWithValueItem = z.object({ customerId: z.string(), version: z.int(), value: CustomerValue });
const SummaryItem = z.object({ summary: SegmentsSummary });
const RefreshClaimItem = z.object({ requestedAt: z.string() });

function transactionOf(item: Record<string, unknown>): Transaction {
  return parseItem(Transaction, item);
}
