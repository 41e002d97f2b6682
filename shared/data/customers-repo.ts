import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from '../zod';
import { Customer } from '../schemas/customer';
import type { CustomerValue, Quadrant, ValueTier } from '../schemas/customer-value';
import type { Change } from '../domain/change';
import { type CustomerTombstone, type UniqueValues, uniqueValuesOf } from '../domain/customer';
import { type NameField, type NameQuery, type SearchToken, customerSearchTokens, legacySearchTokens, searchTokenChanges, tokenBucket } from '../domain/customer-search';
import { itemsOf, queryListed } from './listed-items';
import { db, tableName } from './client';
import { type UniqueKind, keys, tenantPrefix } from './keys';
import { outboxPut } from './outbox';
import { parseItem, parseOptionalItem } from './stored-item';
import type { StoredAuditEntry } from '../domain/audit';
import { auditEntryPut } from './audit-log-repo';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Another customer of the tenant already holds this phone, e-mail or external id. */
export class UniqueValueTaken extends Error {
  constructor(
    readonly kind: UniqueKind,
    readonly existingCustomerId: string,
  ) {
    super(`${kind} already belongs to ${existingCustomerId}`);
  }
}

/** The customer changed since it was read (its version moved on, or it was erased). */
export class StaleCustomer extends Error {}

export type StoredCustomer = { state: 'active'; customer: Customer } | { state: 'erased'; erasedAt: string; version: number };

export async function insertCustomer(tenantId: string, customer: Customer): Promise<void> {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: customerItem(tenantId, customer),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...uniqueClaims(tenantId, customer.customerId, uniqueValuesOf(customer)),
    ...searchTokenPuts(tenantId, customer.customerId, customerSearchTokens(customer)),
  ];
  await transact(items);
}

export async function getCustomer(tenantId: string, customerId: string): Promise<StoredCustomer | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.customer(tenantId, customerId), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : undefined;
}

/** Writes the new state if the stored version is still `expectedVersion`, moving uniqueness markers with it. */
export async function replaceCustomer(tenantId: string, before: Customer, after: Customer): Promise<void> {
  const previous = uniqueValuesOf(before);
  const next = uniqueValuesOf(after);
  const changed = (Object.keys({ ...previous, ...next }) as UniqueKind[]).filter((kind) => previous[kind] !== next[kind]);
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: customerItem(tenantId, after),
        ConditionExpression: 'attribute_exists(pk) AND version = :expected AND attribute_not_exists(erasedAt)',
        ExpressionAttributeValues: { ':expected': before.version },
      },
    },
    ...releases(tenantId, before.customerId, pick(previous, changed)),
    ...uniqueClaims(tenantId, after.customerId, pick(next, changed)),
    ...searchTokenMoves(tenantId, after.customerId, customerSearchTokens(before), customerSearchTokens(after)),
    ...legacySearchTokenDeletes(tenantId, before),
  ];
  await transact(items);
}

/**
 * Replaces the customer by the erasure's tombstone and frees its phone, e-mail and external id,
 * with the erasure's events (Customer Erased) in the same transaction: the customer-erasure
 * consumer then scrubs the personal data their contacts and cases hold. A customer already erased
 * fails the condition, so neither the tombstone, the event nor the audit entry is written twice.
 */
export async function eraseCustomer(tenantId: string, current: Customer, erasure: Change<CustomerTombstone>, audit: StoredAuditEntry): Promise<void> {
  await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.customer(tenantId, current.customerId), type: 'Customer', tenantId, ...erasure.next },
        ConditionExpression: 'version = :expected AND attribute_not_exists(erasedAt)',
        ExpressionAttributeValues: { ':expected': current.version },
      },
    },
    ...releases(tenantId, current.customerId, uniqueValuesOf(current)),
    ...searchTokenDeletes(tenantId, current.customerId, customerSearchTokens(current).map((entry) => entry.token)),
    ...legacySearchTokenDeletes(tenantId, current),
    ...erasure.events.map(outboxPut),
    auditEntryPut(audit),
  ]);
}

/**
 * The write of a change that moves no phone, e-mail or external id (such as consent), for a caller
 * that commits it in its own transaction with other writes (an outbox event, a processed marker).
 * The transaction fails if the customer's version moved on or it was erased.
 */
export function customerChangeWrite(tenantId: string, before: Customer, after: Customer): TransactItem {
  const previous = uniqueValuesOf(before);
  const next = uniqueValuesOf(after);
  if ((Object.keys({ ...previous, ...next }) as UniqueKind[]).some((kind) => previous[kind] !== next[kind])) {
    throw new Error('customerChangeWrite cannot move a phone, e-mail or external id; use replaceCustomer');
  }
  const tokenChanges = searchTokenChanges(customerSearchTokens(before), customerSearchTokens(after));
  if (tokenChanges.remove.length > 0 || tokenChanges.write.length > 0) {
    throw new Error('customerChangeWrite cannot change a name; use replaceCustomer');
  }
  return {
    Put: {
      TableName: tableName(),
      Item: customerItem(tenantId, after),
      ConditionExpression: 'attribute_exists(pk) AND version = :expected AND attribute_not_exists(erasedAt)',
      ExpressionAttributeValues: { ':expected': before.version },
    },
  };
}

/**
 * A change of the customer's own fields (consent, say) with its events, in one transaction on the
 * condition that the customer is still at `before.version` and not erased: 'stale' when it is not.
 */
export async function saveCustomerChange(tenantId: string, before: Customer, change: Change<Customer>): Promise<'saved' | 'stale'> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [customerChangeWrite(tenantId, before, change.next), ...change.events.map(outboxPut)] }));
    return 'saved';
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'stale';
    throw error;
  }
}

export async function findCustomerIdBy(tenantId: string, kind: UniqueKind, value: string): Promise<string | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.uniqueValue(tenantId, kind, value) }),
  );
  return parseOptionalItem(UniqueValueItem, Item)?.customerId;
}

type CustomerPage = { items: Customer[]; lastKey?: Record<string, unknown> };

export function listCustomers(tenantId: string, limit: number, startKey?: Record<string, unknown>): Promise<CustomerPage> {
  return activeCustomersPage('gsi1', customerListPartition(tenantId).gsi1pk, limit, startKey);
}

export const customerListPartition = (tenantId: string) => ({ gsi1pk: keys.customerListing(tenantId, '').gsi1pk });

/** The sparse gsi2 list of a customer-value segment (docs/customer-value.md); the key follows `value.segment`. */
export const segmentPartition = (tenantId: string, segment: string) => ({
  gsi2pk: `${keys.customerListing(tenantId, '').gsi1pk}#SEGMENT#${segment}`,
});

/** The customers of one customer-value segment, by id. */
export function listCustomersInSegment(tenantId: string, segment: string, limit: number, startKey?: Record<string, unknown>): Promise<CustomerPage> {
  return activeCustomersPage('gsi2', segmentPartition(tenantId, segment).gsi2pk, limit, startKey);
}

/**
 * The sparse gsi3 list of a customer-value tier (docs/customer-value.md). The sort key starts
 * with the quadrant, so one quadrant is a begins_with in each of the three tier partitions.
 */
export const valueTierPartition = (tenantId: string, tier: ValueTier) => ({
  gsi3pk: `${keys.customerListing(tenantId, '').gsi1pk}#TIER#${tier}`,
});
export const valueSortKey = (quadrant: Quadrant, customerId: string) => `${quadrant}#${customerId}`;

/** The gsi3 keys of a scored customer, or none before the first customer-value run scores it. */
export function valueListKeys(tenantId: string, customerId: string, value: CustomerValue | undefined) {
  if (!value?.tier || !value.quadrant) return undefined;
  return { ...valueTierPartition(tenantId, value.tier), gsi3sk: valueSortKey(value.quadrant, customerId) };
}

/** The customers of one value tier (within one quadrant when given), by quadrant then id. */
export function listCustomersInTier(
  tenantId: string,
  tier: ValueTier,
  quadrant: Quadrant | undefined,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<CustomerPage> {
  return activeCustomersPage('gsi3', valueTierPartition(tenantId, tier).gsi3pk, limit, startKey, quadrant && `${quadrant}#`);
}

/** The tiers in the order a quadrant's list reads them. */
export const valueTiers: readonly ValueTier[] = ['high', 'mid', 'low'];

/**
 * The customers of one quadrant: its part of each tier's partition, high tier first. A page
 * goes on into the next tier while it has room (a tier's Query that reads fewer entries than
 * its Limit has reached the tier's end), so `lastKey` is always in the tier the page ended in.
 */
export async function listCustomersInQuadrant(
  tenantId: string,
  quadrant: Quadrant,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<CustomerPage> {
  const items: Customer[] = [];
  const first = startKey ? valueTiers.findIndex((tier) => valueTierPartition(tenantId, tier).gsi3pk === startKey.gsi3pk) : 0;
  if (first < 0) throw new Error('The start key is in no tier of this tenant');
  for (let index = first; index < valueTiers.length && items.length < limit; index++) {
    const page = await listCustomersInTier(tenantId, valueTiers[index]!, quadrant, limit - items.length, index === first ? startKey : undefined);
    items.push(...page.items);
    if (page.lastKey) return { items, lastKey: page.lastKey };
  }
  return { items };
}

/** One page of a sparse customer list index; erased customers (tombstones) are left out. */
async function activeCustomersPage(
  index: 'gsi1' | 'gsi2' | 'gsi3',
  partition: string,
  limit: number,
  startKey?: Record<string, unknown>,
  sortKeyPrefix?: string,
): Promise<CustomerPage> {
  const { items: found, lastKey: LastEvaluatedKey } = await queryListed({
    list: index,
    keyCondition: sortKeyPrefix === undefined ? `${index}pk = :pk` : `${index}pk = :pk AND begins_with(${index}sk, :prefix)`,
    values: { ':pk': partition, ...(sortKeyPrefix !== undefined && { ':prefix': sortKeyPrefix }) },
    limit,
    startKey,
  });
  const items = found.map(fromItem).flatMap((stored) => (stored.state === 'active' ? [stored.customer] : []));
  return { items, lastKey: LastEvaluatedKey };
}

function customerItem(tenantId: string, customer: Customer) {
  return {
    ...keys.customer(tenantId, customer.customerId),
    ...keys.customerListing(tenantId, customer.customerId),
    ...(customer.value?.segment && { ...segmentPartition(tenantId, customer.value.segment), gsi2sk: customer.customerId }),
    ...valueListKeys(tenantId, customer.customerId, customer.value),
    type: 'Customer',
    tenantId,
    ...customer,
  };
}

const UniqueValueItem = z.object({ customerId: z.string() });
const TombstoneItem = z.object({ erasedAt: z.string(), version: z.int() });

function fromItem(item: Record<string, unknown>): StoredCustomer {
  if (item.erasedAt) return { state: 'erased', ...parseItem(TombstoneItem, item) };
  return { state: 'active', customer: parseItem(Customer, item) };
}

function uniqueClaims(tenantId: string, customerId: string, values: UniqueValues): TransactItem[] {
  return definedEntries(values).map(([kind, value]) => ({
    Put: {
      TableName: tableName(),
      Item: { ...keys.uniqueValue(tenantId, kind, value), type: 'UniqueValue', customerId },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  }));
}

function releases(tenantId: string, customerId: string, values: UniqueValues): TransactItem[] {
  return definedEntries(values).map(([kind, value]) => ({
    Delete: {
      TableName: tableName(),
      Key: keys.uniqueValue(tenantId, kind, value),
      ConditionExpression: 'customerId = :owner',
      ExpressionAttributeValues: { ':owner': customerId },
    },
  }));
}

async function transact(items: TransactItem[]): Promise<void> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    reasons.forEach((reason, index) => {
      if (reason.Code !== 'ConditionalCheckFailed') return;
      const put = items[index]?.Put;
      if (put?.Item?.type === 'UniqueValue' && reason.Item) {
        const holder = parseItem(UniqueValueItem, unmarshall(reason.Item));
        throw new UniqueValueTaken(String(put.Item.pk).split('#')[2] as UniqueKind, holder.customerId);
      }
    });
    if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw new StaleCustomer();
    throw error;
  }
}

// ---------------------------------------------------------------- search tokens

/**
 * A name token of a customer (docs/developers/data-model.md, "Customer search"): one item per token and
 * customer, in a partition per tenant and bucket (a word's first three letters, or its first CJK
 * character; a pair's two buckets), sorted by token, so a prefix is one Query `begins_with(sk, prefix)`
 * in a partition that holds only the names sharing that start. Written, moved and deleted in the
 * customer's own transactions.
 */
export const searchTokenKey = (tenantId: string, token: string, customerId: string) => ({
  pk: searchTokenPartition(tenantId, tokenBucket(token)),
  sk: `${token}#${customerId}`,
});

const searchTokenPartition = (tenantId: string, bucket: string) => `${tenantPrefix(tenantId)}#CUSNAME#${bucket}`;

/** Where the first rules kept a token: a partition per first character, which grew with the tenant. */
export const legacySearchTokenKey = (tenantId: string, token: string, customerId: string) => ({
  pk: `${tenantPrefix(tenantId)}#CUSSEARCH#${[...token][0] ?? ''}`,
  sk: `${token}#${customerId}`,
});

/** Deletes what the first rules wrote for these names (nothing once the backfill ran; a Delete of no item changes nothing). */
function legacySearchTokenDeletes(tenantId: string, customer: Customer): TransactItem[] {
  return legacySearchTokens(customer).map((token) => ({
    Delete: { TableName: tableName(), Key: legacySearchTokenKey(tenantId, token, customer.customerId) },
  }));
}

function searchTokenPuts(tenantId: string, customerId: string, tokens: readonly SearchToken[]): TransactItem[] {
  return tokens.map(({ token, fields }) => ({
    Put: { TableName: tableName(), Item: { ...searchTokenKey(tenantId, token, customerId), type: 'CustomerSearchToken', customerId, fields } },
  }));
}

function searchTokenDeletes(tenantId: string, customerId: string, tokens: readonly string[]): TransactItem[] {
  return tokens.map((token) => ({ Delete: { TableName: tableName(), Key: searchTokenKey(tenantId, token, customerId) } }));
}

function searchTokenMoves(tenantId: string, customerId: string, before: readonly SearchToken[], after: readonly SearchToken[]): TransactItem[] {
  const { remove, write } = searchTokenChanges(before, after);
  return [...searchTokenDeletes(tenantId, customerId, remove), ...searchTokenPuts(tenantId, customerId, write)];
}

/**
 * Writes a customer's tokens and deletes those of the first rules (the backfill): conditional on the
 * customer still being at the version read, so a rename meanwhile is never undone. Writing them again
 * changes nothing. false when the customer changed or was erased: read it again.
 */
export async function writeSearchTokens(tenantId: string, customer: Customer): Promise<boolean> {
  const tokens = customerSearchTokens(customer);
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: keys.customer(tenantId, customer.customerId),
              ConditionExpression: 'version = :read AND attribute_not_exists(erasedAt)',
              ExpressionAttributeValues: { ':read': customer.version },
            },
          },
          ...searchTokenPuts(tenantId, customer.customerId, tokens),
          ...legacySearchTokenDeletes(tenantId, customer),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && (error.CancellationReasons ?? [])[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

const SearchTokenItem = z.object({ sk: z.string(), customerId: z.string(), fields: z.array(z.enum(['givenName', 'familyName', 'displayName'])) });

export interface SearchTokenPage {
  entries: { token: string; customerId: string; fields: NameField[] }[];
  lastKey?: Record<string, unknown>;
}

/** One page of the tokens of the query's bucket that start with its prefix, in token order (a token equal to the prefix first). */
export async function searchTokenPage(tenantId: string, query: NameQuery, pageSize: number, startKey?: Record<string, unknown>): Promise<SearchTokenPage> {
  const { Items = [], LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': searchTokenPartition(tenantId, query.bucket), ':prefix': query.prefix },
      Limit: pageSize,
      ExclusiveStartKey: startKey,
    }),
  );
  const entries = Items.map((item) => {
    const { sk, customerId, fields } = parseItem(SearchTokenItem, item);
    return { token: sk.slice(0, sk.length - customerId.length - 1), customerId, fields };
  });
  return { entries, ...(LastEvaluatedKey && { lastKey: LastEvaluatedKey }) };
}

/** The active customers among `customerIds`, in that order (eventually consistent: a search result, not a read before a write). */
export async function activeCustomersByIds(tenantId: string, customerIds: readonly string[]): Promise<Customer[]> {
  const items = await itemsOf(customerIds.map((customerId) => keys.customer(tenantId, customerId)), undefined);
  return items.map(fromItem).flatMap((stored) => (stored.state === 'active' ? [stored.customer] : []));
}

const definedEntries = (values: UniqueValues) =>
  (Object.entries(values) as [UniqueKind, string | undefined][]).filter((entry): entry is [UniqueKind, string] => !!entry[1]);

const pick = (values: UniqueValues, kinds: UniqueKind[]): UniqueValues =>
  Object.fromEntries(kinds.map((kind) => [kind, values[kind]]));
