import { BatchGetCommand, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { Settings } from '../schemas/settings';
import { Plan } from '../schemas/tenant';
import { Allocations, type AllocationKind, type OperatorTenant, type ResourceRef, Suspension, TenantState } from '../schemas/operator';
import { allocationList, canonicalResourceId, emptyAllocations } from '../domain/allocations';
import * as z from '../zod';
import { type StoredApiKey, apiKeyItem } from './api-keys-repo';
import { newSurveyTemplateItems } from './survey-templates-repo';
import type { SurveyTemplate } from '../schemas/survey-template';
import { queryListed } from './listed-items';
import { db, tableName } from './client';
import { cancellationCodes } from './transaction-errors';
import { keys, tenantPrefix } from './keys';
import type { StoredAuditEntry } from '../domain/audit';
import { auditEntryPut } from './audit-log-repo';
import { parseItem, parseOptionalItem } from './stored-item';
import type { StoredPerson } from '../domain/person';
import { newPersonItems } from './people-repo';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const TenantProfile = z.object({ tenantId: z.string(), name: z.string(), plan: Plan, createdAt: z.string() });
export type TenantProfile = z.infer<typeof TenantProfile>;

/**
 * The tenant item as the operator sees it. `state`, `allocations` and `version` are absent on
 * tenants created before the operator routes: active, nothing allocated, version 0.
 */
const StoredOperatorTenant = z.extend(TenantProfile, {
  state: z._default(TenantState, 'active'),
  suspension: z.optional(Suspension),
  allocations: z.optional(Allocations),
  version: z._default(z.int(), 0),
});

/**
 * Every tenant, listed for the operator (GET /v1/operator/tenants): a sparse gsi1 partition of
 * the system pseudo-tenant `_operator`, one entry per tenant item, ordered by tenant id. Written
 * with the tenant item, so nothing else keeps it up to date.
 */
const tenantDirectory = (tenantId: string) => ({ gsi1pk: `${tenantPrefix('_operator')}#TENANTS`, gsi1sk: tenantId });
export const tenantDirectoryPartition = { gsi1pk: tenantDirectory('').gsi1pk };

/** A routing item (Amazon Connect instance, SMS number): the tenant it belongs to. */
const RouteItem = z.object({ tenantId: z.string() });

/**
 * The tenant, its settings, its first admin (an API key, or a person with its claims) and its
 * default survey template appear together or not at all.
 */
export async function insertTenant(
  profile: TenantProfile,
  settings: Settings,
  firstAdmin: { key: StoredApiKey } | { person: StoredPerson },
  surveyTemplate: SurveyTemplate,
  audit: StoredAuditEntry,
  alsoWrite: readonly TransactItem[] = [],
): Promise<void> {
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...keys.tenant(profile.tenantId),
              ...tenantDirectory(profile.tenantId),
              type: 'Tenant',
              ...profile,
              state: 'active',
              allocations: emptyAllocations(),
              version: 1,
            },
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
        ...('key' in firstAdmin
          ? [{ Put: { TableName: tableName(), Item: apiKeyItem(firstAdmin.key), ConditionExpression: 'attribute_not_exists(pk)' } }]
          : newPersonItems(firstAdmin.person)),
        ...newSurveyTemplateItems(profile.tenantId, surveyTemplate),
        auditEntryPut(audit),
        ...alsoWrite,
      ],
    }),
  );
}

/**
 * Profile and settings in one round trip (a BatchGetItem of two keys in the tenant's partition),
 * and from the same tenant item what a sender must check (its state and allocations).
 */
export async function getTenantWithSettings(
  tenantId: string,
): Promise<{ profile: TenantProfile; settings: Settings; sendingRights: TenantSendingRights } | undefined> {
  const table = tableName();
  const { Responses } = await db().send(
    new BatchGetCommand({ RequestItems: { [table]: { Keys: [keys.tenant(tenantId), keys.settings(tenantId)], ConsistentRead: true } } }),
  );
  const items = Responses?.[table] ?? [];
  const profile = items.find((item) => item.sk === 'TENANT');
  const settings = items.find((item) => item.sk === 'SETTINGS');
  if (!profile || !settings) return undefined;
  const operator = operatorTenant(profile);
  return {
    profile: parseItem(TenantProfile, profile),
    settings: parseItem(Settings, settings),
    sendingRights: { state: operator.state, allocations: operator.allocations },
  };
}

export async function getSettings(tenantId: string): Promise<Settings | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.settings(tenantId), ConsistentRead: true }),
  );
  return parseOptionalItem(Settings, Item);
}

/**
 * The routing item of an Amazon Connect instance: which tenant its contact events belong to. The
 * Connect consumer knows only the instance ARN, so the item sits in the system pseudo-tenant
 * `_connect` (no tenant id starts with `_`), as idempotency records of operator calls sit in `_operator`.
 */
export const connectRouteKey = (instanceArn: string) => ({ pk: `${tenantPrefix('_connect')}#INSTANCE#${instanceArn}`, sk: 'ROUTE' });

/**
 * The routing item of an SMS number (E.164): which tenant the replies sent to it belong to. AWS
 * delivers every tenant's two-way SMS to the same topic, naming only the number, so the item sits
 * in the system pseudo-tenant `_sms`, like Amazon Connect instances in `_connect`.
 */
export const smsNumberRouteKey = (e164: string) => ({ pk: `${tenantPrefix('_sms')}#NUMBER#${e164}`, sk: 'ROUTE' });

/** The tenant whose settings name this number (E.164) as their SMS origination identity, if any. */
export async function findTenantIdBySmsNumber(e164: string): Promise<string | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: smsNumberRouteKey(e164), ConsistentRead: true }));
  return parseOptionalItem(RouteItem, Item)?.tenantId;
}


/** The claim item of one resource: which tenant holds it. One item per resource, so a resource has at most one holder. */
export function claimKey(kind: AllocationKind, id: string): { pk: string; sk: string } {
  switch (kind) {
    case 'sms-origination-identity':
      return id.startsWith('+') ? smsNumberRouteKey(id) : { pk: `${tenantPrefix('_sms')}#IDENTITY#${id}`, sk: 'ROUTE' };
    case 'sms-configuration-set':
      return { pk: `${tenantPrefix('_sms')}#CONFIGSET#${id}`, sk: 'ROUTE' };
    case 'sms-opt-out-list':
      return { pk: `${tenantPrefix('_sms')}#OPTOUTLIST#${id}`, sk: 'ROUTE' };
    case 'connect-account':
      return { pk: `${tenantPrefix('_connect')}#ACCOUNT#${id}`, sk: 'ROUTE' };
    case 'connect-instance':
      return connectRouteKey(id);
    case 'mail-identity':
      return { pk: `${tenantPrefix('_mail')}#IDENTITY#${id}`, sk: 'ROUTE' };
  }
}

const ClaimItem = z.object({
  tenantId: z.string(),
  /** Set when the operator registered the resource (claims written by settings before allocations lack it). */
  claimedAt: z.optional(z.string()),
  /** Connect instances: whether the tenant's settings list it, so its events are logged as contacts. */
  ingest: z.optional(z.boolean()),
});

/** The tenant as the operator sees it, or undefined when there is none. */
export async function getOperatorTenant(tenantId: string): Promise<OperatorTenant | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: keys.tenant(tenantId), ConsistentRead: true }));
  return Item ? operatorTenant(Item) : undefined;
}

function operatorTenant(item: Record<string, unknown>): OperatorTenant {
  const stored = parseItem(StoredOperatorTenant, item);
  return { ...stored, allocations: stored.allocations ?? emptyAllocations() };
}

/** A page of every tenant, by tenant id, after `afterTenantId` (gsi1, the `_operator` tenant directory). */
export async function listOperatorTenants(limit: number, afterTenantId?: string): Promise<{ items: OperatorTenant[]; lastTenantId?: string }> {
  const { items: found, lastKey: LastEvaluatedKey } = await queryListed({
    list: 'gsi1',
    keyCondition: 'gsi1pk = :pk',
    values: { ':pk': tenantDirectoryPartition.gsi1pk },
    limit,
    ...(afterTenantId !== undefined && { startKey: { ...tenantDirectory(afterTenantId), ...keys.tenant(afterTenantId) } }),
  });
  const items = found.map(operatorTenant);
  return { items, ...(LastEvaluatedKey && { lastTenantId: String(LastEvaluatedKey.gsi1sk) }) };
}

/** The optimistic-concurrency condition on the tenant item: absent `version` is 0 (tenants from before the operator routes). */
const tenantVersionCondition = (expectedVersion: number) =>
  expectedVersion === 0
    ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(version)', ExpressionAttributeValues: {} }
    : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };

/** The tenant item's new allocations (and its directory entry, which tenants from before the operator routes lack). */
function allocationsUpdate(tenant: OperatorTenant, allocations: Allocations) {
  const condition = tenantVersionCondition(tenant.version);
  const directory = tenantDirectory(tenant.tenantId);
  return {
    Update: {
      TableName: tableName(),
      Key: keys.tenant(tenant.tenantId),
      UpdateExpression: 'SET allocations = :allocations, version = :next, gsi1pk = :dirPk, gsi1sk = :dirSk',
      ConditionExpression: condition.ConditionExpression,
      ExpressionAttributeValues: {
        ...condition.ExpressionAttributeValues,
        ':allocations': allocations,
        ':next': tenant.version + 1,
        ':dirPk': directory.gsi1pk,
        ':dirSk': directory.gsi1sk,
      },
    },
  };
}

const settingsUnchanged = (tenantId: string, settingsVersion: number) => ({
  ConditionCheck: {
    TableName: tableName(),
    Key: keys.settings(tenantId),
    ConditionExpression: 'version = :settingsVersion',
    ExpressionAttributeValues: { ':settingsVersion': settingsVersion },
  },
});

/**
 * 'taken': another tenant holds the resource; 'stale': the tenant or its settings changed since
 * they were read (read again and retry).
 */
export type AllocationWrite = 'written' | 'taken' | 'stale';

/**
 * Gives the tenant a resource (`resource.id` canonical): the tenant item's allocations and the
 * resource's claim item in one transaction, the claim only if no other tenant holds it, so two
 * tenants claiming one resource at once cannot both win. The settings must still be at
 * `settingsVersion` (a Connect instance's claim records whether they list it). The operator's
 * audit entry is written in the same transaction.
 */
export async function allocateResource(
  tenant: OperatorTenant,
  resource: ResourceRef,
  settings: { version: number; instanceListed: boolean },
  now: string,
  audit: StoredAuditEntry,
): Promise<AllocationWrite> {
  const list = allocationList[resource.kind];
  const allocations = { ...tenant.allocations, [list]: [...tenant.allocations[list], resource.id] };
  return allocationTransaction([
    allocationsUpdate(tenant, allocations),
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...claimKey(resource.kind, resource.id),
          type: 'ResourceClaim',
          kind: resource.kind,
          resourceId: resource.id,
          tenantId: tenant.tenantId,
          claimedAt: now,
          ...(resource.kind === 'connect-instance' && { ingest: settings.instanceListed }),
        },
        // Claiming again what one already holds (a claim made through settings before allocations) is no conflict.
        ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :tenantId',
        ExpressionAttributeValues: { ':tenantId': tenant.tenantId },
      },
    },
    settingsUnchanged(tenant.tenantId, settings.version),
    auditEntryPut(audit),
  ]);
}

/** Takes a resource back: the allocations and the claim in one transaction, while the settings are still at `settingsVersion`. */
export async function releaseResource(
  tenant: OperatorTenant,
  resource: ResourceRef,
  settingsVersion: number,
  audit: StoredAuditEntry,
): Promise<AllocationWrite> {
  const list = allocationList[resource.kind];
  const allocations = { ...tenant.allocations, [list]: tenant.allocations[list].filter((id) => id !== resource.id) };
  return allocationTransaction([
    allocationsUpdate(tenant, allocations),
    {
      Delete: {
        TableName: tableName(),
        Key: claimKey(resource.kind, resource.id),
        // Another tenant's claim is never touched.
        ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :tenantId',
        ExpressionAttributeValues: { ':tenantId': tenant.tenantId },
      },
    },
    settingsUnchanged(tenant.tenantId, settingsVersion),
    auditEntryPut(audit),
  ]);
}

async function allocationTransaction(items: Record<string, unknown>[]): Promise<AllocationWrite> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items as never }));
    return 'written';
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    if (codes[1] === 'ConditionalCheckFailed') return 'taken';
    if (codes.includes('ConditionalCheckFailed') || codes.includes('TransactionConflict')) return 'stale';
    throw error;
  }
}

/** Suspends or resumes the tenant if its item is still at `expectedVersion`; false when it moved on. */
export async function setTenantState(
  tenant: OperatorTenant,
  state: 'active' | 'suspended',
  suspension: z.infer<typeof Suspension> | undefined,
  audit: StoredAuditEntry,
): Promise<boolean> {
  const condition = tenantVersionCondition(tenant.version);
  const directory = tenantDirectory(tenant.tenantId);
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.tenant(tenant.tenantId),
              UpdateExpression: `SET #state = :state, version = :next, gsi1pk = :dirPk, gsi1sk = :dirSk${suspension ? ', suspension = :suspension' : ' REMOVE suspension'}`,
              ConditionExpression: condition.ConditionExpression,
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: {
                ...condition.ExpressionAttributeValues,
                ':state': state,
                ':next': tenant.version + 1,
                ':dirPk': directory.gsi1pk,
                ':dirSk': directory.gsi1sk,
                ...(suspension && { ':suspension': suspension }),
              },
            },
          },
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

/** Adds an admin key to an existing tenant, with its audit entry; false when there is no such tenant. */
export async function insertAdminKeyForTenant(adminKey: StoredApiKey, audit: StoredAuditEntry): Promise<boolean> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tableName(), Key: keys.tenant(adminKey.tenantId), ConditionExpression: 'attribute_exists(pk)' } },
          { Put: { TableName: tableName(), Item: apiKeyItem(adminKey), ConditionExpression: 'attribute_not_exists(pk)' } },
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

/** What a sender needs to know before sending for a tenant: its state and its allocations (one read of the tenant item). */
export type TenantSendingRights = { state: 'active' | 'suspended'; allocations: Allocations };

export async function getTenantSendingRights(tenantId: string): Promise<TenantSendingRights | undefined> {
  const tenant = await getOperatorTenant(tenantId);
  return tenant && { state: tenant.state, allocations: tenant.allocations };
}

/**
 * Which tenant an Amazon Connect event belongs to, from its instance's and its account's claim
 * items (one BatchGetItem): both must be the operator's registration to one tenant.
 */
export async function getConnectRegistration(
  instanceArn: string,
  accountId: string,
): Promise<{ instance?: z.infer<typeof ClaimItem>; accountTenantId?: string }> {
  const table = tableName();
  const instanceKey = claimKey('connect-instance', instanceArn);
  const accountKey = claimKey('connect-account', accountId);
  const { Responses } = await db().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [instanceKey, accountKey], ConsistentRead: true } } }));
  const items = Responses?.[table] ?? [];
  const instance = items.find((item) => item.pk === instanceKey.pk);
  const account = items.find((item) => item.pk === accountKey.pk);
  return {
    ...(instance && { instance: parseItem(ClaimItem, instance) }),
    ...(account && { accountTenantId: parseItem(ClaimItem, account).tenantId }),
  };
}

/**
 * Writes the settings if their stored version is still `expectedVersion` and the tenant's
 * allocations are still those they were checked against (`tenantVersion`); false when either
 * moved on. The Amazon Connect instances the settings start or stop listing have their claim's
 * `ingest` flag set in the same transaction (only on a claim of this tenant).
 */
export async function replaceSettings(
  tenantId: string,
  settings: Settings,
  expectedVersion: number,
  tenantVersion: number,
  connect: { listed: string[]; unlisted: string[] } = { listed: [], unlisted: [] },
  audit?: StoredAuditEntry,
): Promise<boolean> {
  const tenantCondition = tenantVersionCondition(tenantVersion);
  const ingestFlag = (instanceArn: string, ingest: boolean) => ({
    Update: {
      TableName: tableName(),
      Key: connectRouteKey(instanceArn),
      UpdateExpression: 'SET ingest = :ingest',
      ConditionExpression: 'tenantId = :tenantId',
      ExpressionAttributeValues: { ':ingest': ingest, ':tenantId': tenantId },
    },
  });
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: settingsItem(tenantId, settings),
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': expectedVersion },
            },
          },
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: keys.tenant(tenantId),
              ConditionExpression: tenantCondition.ConditionExpression,
              ...(Object.keys(tenantCondition.ExpressionAttributeValues).length > 0 && { ExpressionAttributeValues: tenantCondition.ExpressionAttributeValues }),
            },
          },
          ...connect.listed.map((arn) => ingestFlag(arn, true)),
          ...connect.unlisted.map((arn) => ingestFlag(arn, false)),
          ...(audit ? [auditEntryPut(audit)] : []),
        ],
      }),
    );
    return true;
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.includes('ConditionalCheckFailed') || codes?.includes('TransactionConflict')) return false;
    throw error;
  }
}

const settingsItem = (tenantId: string, settings: Settings) => ({ ...keys.settings(tenantId), type: 'Settings', ...settings });

/** The tenant holding a resource (any of its names), if any: what its `tenantId` tag says in AWS (the local twin's SMS checks it). */
export async function findResourceHolder(kind: AllocationKind, id: string): Promise<string | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: claimKey(kind, canonicalResourceId(kind, id)), ConsistentRead: true }));
  return parseOptionalItem(RouteItem, Item)?.tenantId;
}
