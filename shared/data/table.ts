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
  globalSecondaryIndexes: [
    /** Tenant-wide ordered lists (customers by creation). Sparse: only listed items carry gsi1pk. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** A second sparse list key per item (cases by status; contacts by customer). */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** A third sparse list key per item (cases by assignee; contacts by agent). */
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];
