import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredAuditEntry } from '../domain/audit';
import { auditEntryPut } from './audit-log-repo';
import { ApiKey } from '../schemas/api-key';
import * as z from '../zod';
import { db, tableName } from './client';
import { keys } from './keys';
import { parseItem } from './stored-item';
import { cancellationCodes } from './transaction-errors';

export interface StoredApiKey extends ApiKey {
  tenantId: string;
  secretHash: string;
}

export const apiKeyItem = (key: StoredApiKey) => ({ ...keys.apiKey(key.tenantId, key.keyId), type: 'ApiKey', ...key });

/** Stores a new key with its audit entry, in one transaction. */
export async function putApiKey(key: StoredApiKey, audit: StoredAuditEntry): Promise<void> {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: tableName(), Item: apiKeyItem(key), ConditionExpression: 'attribute_not_exists(pk)' } },
        auditEntryPut(audit),
      ],
    }),
  );
}

export async function getApiKey(tenantId: string, keyId: string): Promise<StoredApiKey | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.apiKey(tenantId, keyId) }));
  return Item ? parseStoredApiKey(Item) : undefined;
}

/** The tenant item's state, as the authorizer reads it (absent on tenants from before suspension existed: active). */
const TenantStateItem = z.object({ state: z._default(z.enum(['active', 'suspended']), 'active') });

/**
 * The API key and its tenant's state in one round trip (a BatchGetItem of two items of the
 * tenant's partition), for the authorizer.
 */
export async function getApiKeyAndTenantState(
  tenantId: string,
  keyId: string,
): Promise<{ key: StoredApiKey; tenantState: 'active' | 'suspended' } | undefined> {
  const table = tableName();
  const keyOfKey = keys.apiKey(tenantId, keyId);
  const { Responses } = await db().send(
    new BatchGetCommand({
      RequestItems: { [table]: { Keys: [keyOfKey, keys.tenant(tenantId)], ProjectionExpression: 'pk, sk, tenantId, keyId, #name, scopes, createdAt, secretHash, #state', ExpressionAttributeNames: { '#name': 'name', '#state': 'state' } } },
    }),
  );
  const items = Responses?.[table] ?? [];
  const keyItem = items.find((item) => item.sk === keyOfKey.sk);
  const tenantItem = items.find((item) => item.sk === keys.tenant(tenantId).sk);
  if (!keyItem || !tenantItem) return undefined;
  return { key: parseStoredApiKey(keyItem), tenantState: parseItem(TenantStateItem, tenantItem).state };
}

export async function listApiKeys(
  tenantId: string,
  limit: number,
  startKey?: Record<string, unknown>,
): Promise<{ items: StoredApiKey[]; lastKey?: Record<string, unknown> }> {
  const { Items, LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenant(tenantId).pk, ':prefix': keys.apiKeyPrefix },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (Items ?? []).map(parseStoredApiKey), lastKey: LastEvaluatedKey };
}

/** Deletes the key with its audit entry, in one transaction; false when there was no key (and nothing is written). */
export async function deleteApiKey(tenantId: string, keyId: string, audit: StoredAuditEntry): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: tableName(), Key: keys.apiKey(tenantId, keyId), ConditionExpression: 'attribute_exists(pk)' } },
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

const StoredApiKeyItem = z.extend(ApiKey, { tenantId: z.string(), secretHash: z.string() });

export function parseStoredApiKey(item: Record<string, unknown>): StoredApiKey {
  return parseItem(StoredApiKeyItem, item);
}

export const publicApiKey = ({ keyId, name, scopes, createdAt }: StoredApiKey): ApiKey => ({
  keyId,
  name,
  scopes,
  createdAt,
});

/**
 * Deletes an admin key in one transaction with a check that another admin key (`keptKeyId`)
 * still exists. Two admins revoking each other at once then cannot both succeed: each
 * transaction reads the key the other deletes, and DynamoDB serializes them. Scopes never
 * change after issue, so the kept key's existence is enough. The revocation's audit entry is
 * written in the same transaction. 'gone': the key was already
 * deleted; 'retry': the kept key is gone or another transaction got in the way.
 */
export async function deleteAdminKeyKeeping(
  tenantId: string,
  keyId: string,
  keptKeyId: string,
  audit: StoredAuditEntry,
): Promise<'deleted' | 'gone' | 'retry'> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: tableName(), Key: keys.apiKey(tenantId, keyId), ConditionExpression: 'attribute_exists(pk)' } },
          { ConditionCheck: { TableName: tableName(), Key: keys.apiKey(tenantId, keptKeyId), ConditionExpression: 'attribute_exists(pk)' } },
          auditEntryPut(audit),
        ],
      }),
    );
    return 'deleted';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    return codes[0] === 'ConditionalCheckFailed' ? 'gone' : 'retry';
  }
}
