/**
 * The single table's shape, declared once: the CDK data stack and the local twin both
 * create the table from this definition.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    /** Tenant-wide ordered lists (customers by creation). Sparse: only listed items carry gsi1pk. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ],
} as const;

export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];
