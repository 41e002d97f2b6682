import { BatchGetCommand, type BatchGetCommandOutput, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { type ListKey, indexOf } from './table';

type Item = Record<string, unknown>;

/** One page of a list read from an index that projects its keys only (shared/data/table.ts). */
export interface ListedQuery {
  /** The list keys the Query reads (gsi1pk/gsi1sk for 'gsi1'). */
  list: ListKey;
  keyCondition: string;
  /** Names and values of the key condition only (DynamoDB refuses names an expression does not use). */
  names?: Record<string, string>;
  values: Record<string, unknown>;
  /** Index entries read, as a Query's Limit: the items kept may be fewer. */
  limit?: number;
  startKey?: Item;
  newestFirst?: boolean;
  /**
   * What a FilterExpression was before the indexes projected keys only: applied to the items
   * read, so a page may hold fewer than `limit`, exactly as a filtered Query's page may.
   */
  keep?: (item: Item) => boolean;
  /** The attributes to read of each item (a ProjectionExpression), when not all of them. */
  attributes?: { expression: string; names?: Record<string, string> };
}

export interface ListedPage {
  items: Item[];
  lastKey?: Item;
  /** Index entries the Query read (a Query's ScannedCount). */
  scanned: number;
}

/**
 * A page of a list: the index's keys by Query, then the items by BatchGetItem, in the index's
 * order. An item deleted between the two reads is left out, as a Query of an ALL index that had
 * not yet caught up with the delete would have left it in; the index is eventually consistent either way.
 */
export async function queryListed(query: ListedQuery): Promise<ListedPage> {
  const page = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: indexOf(query.list),
      KeyConditionExpression: query.keyCondition,
      ...(query.names && Object.keys(query.names).length > 0 && { ExpressionAttributeNames: query.names }),
      ExpressionAttributeValues: query.values,
      ...(query.limit !== undefined && { Limit: query.limit }),
      ...(query.newestFirst && { ScanIndexForward: false }),
      ExclusiveStartKey: query.startKey,
    }),
  );
  const entries = page.Items ?? [];
  const items = await itemsOf(
    entries.map((entry) => ({ pk: entry.pk, sk: entry.sk })),
    query.attributes,
  );
  const kept = items.filter((item) => query.keep?.(item) ?? true);
  return { items: kept, ...(page.LastEvaluatedKey && { lastKey: page.LastEvaluatedKey }), scanned: page.ScannedCount ?? entries.length };
}

const batchGetLimit = 100;

/** The items of `itemKeys` that exist, in the order of `itemKeys`. */
export async function itemsOf(itemKeys: { pk: unknown; sk: unknown }[], attributes: ListedQuery['attributes']): Promise<Item[]> {
  const table = tableName();
  const found = new Map<string, Item>();
  const projection = attributes && {
    // pk and sk are always read: they put the items back in the index's order.
    ProjectionExpression: `pk, sk, ${attributes.expression}`,
    ...(attributes.names && { ExpressionAttributeNames: attributes.names }),
  };
  for (let start = 0; start < itemKeys.length; start += batchGetLimit) {
    let wanted: Item[] | undefined = itemKeys.slice(start, start + batchGetLimit);
    for (let attempt = 0; wanted && wanted.length > 0; attempt++) {
      if (attempt === 5) throw new Error('BatchGetItem left keys unprocessed five times');
      const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await db().send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: wanted, ...projection } } }),
      );
      for (const item of Responses?.[table] ?? []) found.set(itemKeyOf(item), item);
      wanted = UnprocessedKeys?.[table]?.Keys;
      if (wanted && wanted.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
  return itemKeys.map((key) => found.get(itemKeyOf(key))).filter((item): item is Item => item !== undefined);
}

const itemKeyOf = (item: { pk?: unknown; sk?: unknown }) => `${String(item.pk)}\u0000${String(item.sk)}`;
