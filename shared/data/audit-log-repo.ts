import { PutCommand, QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { actorIdOf, type StoredAuditEntry } from '../domain/audit';
import { AuditEntry, type AuditAction } from '../schemas/audit-log';
import { queryListed } from './listed-items';
import { db, tableName } from './client';
import { tenantPrefix } from './keys';
import { parseItem } from './stored-item';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The tenant's audit log (docs/developers/data-model.md, "Audit log"). Append-only: this module builds only
 * Puts of new entries, each conditional on the key being free, and no update or delete; entries
 * leave only by their TTL, one year after they were made.
 *
 * One partition of entries per tenant, sorted by their time-ordered id, and one sparse index
 * partition per filter: by action (gsi1), by actor (gsi2), by actor and action (gsi3). Every list
 * is a Query of one partition, newest first; no filter reads entries it then drops.
 */
export const auditLogKeys = {
  entry: (tenantId: string, entryId: string) => ({ pk: `${tenantPrefix(tenantId)}#AUDIT`, sk: entryId }),
  all: (tenantId: string) => ({ pk: `${tenantPrefix(tenantId)}#AUDIT` }),
  byAction: (tenantId: string, action: string) => ({ gsi1pk: `${tenantPrefix(tenantId)}#AUDIT#ACTION#${action}` }),
  byActor: (tenantId: string, actorId: string) => ({ gsi2pk: `${tenantPrefix(tenantId)}#AUDIT#ACTOR#${actorId}` }),
  byActorAndAction: (tenantId: string, actorId: string, action: string) => ({
    gsi3pk: `${tenantPrefix(tenantId)}#AUDIT#ACTOR#${actorId}#ACTION#${action}`,
  }),
};

export interface AuditLogFilter {
  action?: AuditAction;
  /** An API key id, `operator`, later a person's id. */
  actorId?: string;
}

function auditItem(entry: StoredAuditEntry) {
  const { tenantId, entryId, action } = entry;
  const actorId = actorIdOf(entry.actor);
  return {
    ...auditLogKeys.entry(tenantId, entryId),
    ...auditLogKeys.byAction(tenantId, action),
    gsi1sk: entryId,
    ...auditLogKeys.byActor(tenantId, actorId),
    gsi2sk: entryId,
    ...auditLogKeys.byActorAndAction(tenantId, actorId, action),
    gsi3sk: entryId,
    type: 'AuditEntry',
    ...entry,
  };
}

/**
 * The Put of an audit entry, for the transaction that makes the change it records: the change and
 * its entry are written together or not at all, and a retried transaction writes no second entry.
 */
export function auditEntryPut(entry: StoredAuditEntry): TransactItem {
  return { Put: { TableName: tableName(), Item: auditItem(entry), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** Writes an entry on its own: for what is no DynamoDB write (an export read) or cannot share one transaction. */
export async function putAuditEntry(entry: StoredAuditEntry): Promise<void> {
  await db().send(new PutCommand(auditEntryPut(entry).Put!));
}

/** The partition a filtered list reads: what a cursor of that list must name. */
export function auditLogPartition(tenantId: string, filter: AuditLogFilter): { index?: 'gsi1' | 'gsi2' | 'gsi3'; key: Record<string, string> } {
  const { action, actorId } = filter;
  if (action !== undefined && actorId !== undefined) return { index: 'gsi3', key: auditLogKeys.byActorAndAction(tenantId, actorId, action) };
  if (action !== undefined) return { index: 'gsi1', key: auditLogKeys.byAction(tenantId, action) };
  if (actorId !== undefined) return { index: 'gsi2', key: auditLogKeys.byActor(tenantId, actorId) };
  return { key: auditLogKeys.all(tenantId) };
}

/** A page of the tenant's entries, newest first, as filtered. */
export async function listAuditLog(
  tenantId: string,
  filter: AuditLogFilter,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<{ items: AuditEntry[]; lastKey?: Record<string, unknown> }> {
  const { index, key } = auditLogPartition(tenantId, filter);
  const [[name, value]] = Object.entries(key) as [[string, string]];
  const query = { keyCondition: '#pk = :pk', names: { '#pk': name }, values: { ':pk': value }, newestFirst: true, limit, startKey };
  if (index) {
    const { items, lastKey } = await queryListed({ list: index, ...query });
    return { items: items.map((item) => parseItem(AuditEntry, item)), ...(lastKey && { lastKey }) };
  }
  const { Items, LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: query.keyCondition,
      ExpressionAttributeNames: query.names,
      ExpressionAttributeValues: query.values,
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (Items ?? []).map((item) => parseItem(AuditEntry, item)), lastKey: LastEvaluatedKey };
}
