/**
 * The single table's shape, declared once: the CDK data stack and the local twin both
 * create the table from this definition.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  /** The stream carries each new outbox record to the event relay (see shared/events/outbox-stream.ts). */
  stream: 'NEW_IMAGE',
  /**
   * Every index projects its keys only (the table's pk and sk with the index's own): a save that
   * changes no index key writes nothing to the index, and a new item's copy is under 1 KB. A list
   * reads the index for the keys, then the items themselves by BatchGetItem (`queryListed`,
   * shared/data/listed-items.ts). The names end in `-keys` because DynamoDB cannot change a
   * projection in place: a deployed stage replaced gsi1…gsi3 (projection ALL) one by one
   * (docs/developers/data-model.md, "Index projections").
   */
  globalSecondaryIndexes: [
    /** Tenant-wide ordered lists (customers by creation). Sparse: only listed items carry gsi1pk. */
    { indexName: 'gsi1-keys', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'KEYS_ONLY' },
    /** A second sparse list key per item (cases by status; contacts by customer). */
    { indexName: 'gsi2-keys', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'KEYS_ONLY' },
    /** A third sparse list key per item (cases by assignee; contacts by agent). */
    { indexName: 'gsi3-keys', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'KEYS_ONLY' },
  ],
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];

/** The key attributes' family a list names (gsi1pk/gsi1sk → 'gsi1'), apart from the physical index that holds them. */
export type ListKey = 'gsi1' | 'gsi2' | 'gsi3';

/** The index that holds the list keys `key` (gsi1pk/gsi1sk for 'gsi1'). */
export function indexOf(key: ListKey): IndexName {
  const index = tableDefinition.globalSecondaryIndexes.find((candidate) => candidate.partitionKey === `${key}pk`);
  if (!index) throw new Error(`No index holds the keys ${key}pk/${key}sk`);
  return index.indexName;
}
