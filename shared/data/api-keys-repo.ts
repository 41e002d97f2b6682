import { GetCommand, PutCommand, QueryCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKey, Scope } from '../schemas/api-key';
import { conditionally, db, tableName } from './client';
import { keys } from './keys';

export interface StoredApiKey extends ApiKey {
  tenantId: string;
  secretHash: string;
}

export const apiKeyItem = (key: StoredApiKey) => ({ ...keys.apiKey(key.tenantId, key.keyId), type: 'ApiKey', ...key });

export async function putApiKey(key: StoredApiKey): Promise<void> {
  await db().send(
    new PutCommand({ TableName: tableName(), Item: apiKeyItem(key), ConditionExpression: 'attribute_not_exists(pk)' }),
  );
}

export async function getApiKey(tenantId: string, keyId: string): Promise<StoredApiKey | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.apiKey(tenantId, keyId) }));
  return Item ? toStored(Item) : undefined;
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
  return { items: (Items ?? []).map(toStored), lastKey: LastEvaluatedKey };
}

/** Deletes the key; false when there was none. */
export async function deleteApiKey(tenantId: string, keyId: string): Promise<boolean> {
  return conditionally(() =>
    db().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.apiKey(tenantId, keyId),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    ),
  );
}

function toStored(item: Record<string, unknown>): StoredApiKey {
  return {
    tenantId: item.tenantId as string,
    keyId: item.keyId as string,
    name: item.name as string,
    scopes: item.scopes as Scope[],
    prefix: item.prefix as string,
    secretHash: item.secretHash as string,
    createdAt: item.createdAt as string,
  };
}

export const publicApiKey = ({ keyId, name, scopes, prefix, createdAt }: StoredApiKey): ApiKey => ({
  keyId,
  name,
  scopes,
  prefix,
  createdAt,
});
