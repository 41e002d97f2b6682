import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Settings } from '../schemas/settings';
import type { Plan } from '../schemas/tenant';
import { type StoredApiKey, apiKeyItem } from './api-keys-repo';
import { db, tableName } from './client';
import { keys } from './keys';

export interface TenantProfile {
  tenantId: string;
  name: string;
  plan: Plan;
  createdAt: string;
}

/** The tenant, its settings and its first admin key appear together or not at all. */
export async function insertTenant(profile: TenantProfile, settings: Settings, adminKey: StoredApiKey): Promise<void> {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { ...keys.tenant(profile.tenantId), type: 'Tenant', ...profile },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName(),
            Item: settingsItem(profile.tenantId, settings),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: tableName(), Item: apiKeyItem(adminKey), ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    }),
  );
}

/** Profile and settings in one round trip (a BatchGetItem of two keys in the tenant's partition). */
export async function getTenantWithSettings(
  tenantId: string,
): Promise<{ profile: TenantProfile; settings: Settings } | undefined> {
  const table = tableName();
  const { Responses } = await db().send(
    new BatchGetCommand({ RequestItems: { [table]: { Keys: [keys.tenant(tenantId), keys.settings(tenantId)], ConsistentRead: true } } }),
  );
  const items = Responses?.[table] ?? [];
  const profile = items.find((item) => item.sk === 'TENANT');
  const settings = items.find((item) => item.sk === 'SETTINGS');
  if (!profile || !settings) return undefined;
  return { profile: stripKeys(profile) as unknown as TenantProfile, settings: stripKeys(settings) as unknown as Settings };
}

export async function getSettings(tenantId: string): Promise<Settings | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.settings(tenantId), ConsistentRead: true }),
  );
  return Item ? (stripKeys(Item) as unknown as Settings) : undefined;
}

/** Writes the settings if their stored version is still `expectedVersion`; false when it moved on. */
export async function replaceSettings(tenantId: string, settings: Settings, expectedVersion: number): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: settingsItem(tenantId, settings),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

const settingsItem = (tenantId: string, settings: Settings) => ({ ...keys.settings(tenantId), type: 'Settings', ...settings });

function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest;
}
