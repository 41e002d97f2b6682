import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { Settings } from '../schemas/settings';
import { Plan } from '../schemas/tenant';
import * as z from '../zod';
import { type StoredApiKey, apiKeyItem } from './api-keys-repo';
import { newSurveyTemplateItems } from './survey-templates-repo';
import type { SurveyTemplate } from '../schemas/survey-template';
import { conditionally, db, tableName } from './client';
import { keys, tenantPrefix } from './keys';
import { parseItem, parseOptionalItem } from './stored-item';
import type { StoredAuditEntry } from '../domain/audit';
import { auditEntryPut } from './audit-log-repo';

const TenantProfile = z.object({ tenantId: z.string(), name: z.string(), plan: Plan, createdAt: z.string() });
export type TenantProfile = z.infer<typeof TenantProfile>;

/** A routing item (Amazon Connect instance, SMS number): the tenant it belongs to. */
const RouteItem = z.object({ tenantId: z.string() });

/**
 * The tenant, its settings, its first admin key, its default survey template and the audit entry
 * of its creation appear together or not at all.
 */
export async function insertTenant(
  profile: TenantProfile,
  settings: Settings,
  adminKey: StoredApiKey,
  surveyTemplate: SurveyTemplate,
  audit: StoredAuditEntry,
): Promise<void> {
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
        ...newSurveyTemplateItems(profile.tenantId, surveyTemplate),
        auditEntryPut(audit),
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
  return { profile: parseItem(TenantProfile, profile), settings: parseItem(Settings, settings) };
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

/** Another tenant has connected this Amazon Connect instance. */
export class ConnectInstanceTaken extends Error {
  constructor(readonly instanceArn: string) {
    super('The Amazon Connect instance belongs to another tenant');
  }
}

/**
 * The routing item of an SMS number (E.164): which tenant the replies sent to it belong to. AWS
 * delivers every tenant's two-way SMS to the same topic, naming only the number, so the item sits
 * in the system pseudo-tenant `_sms`, like Amazon Connect instances in `_connect`.
 */
export const smsNumberRouteKey = (e164: string) => ({ pk: `${tenantPrefix('_sms')}#NUMBER#${e164}`, sk: 'ROUTE' });

/** Another tenant sends from (and receives replies on) this SMS number. */
export class SmsNumberTaken extends Error {
  constructor(readonly phoneNumber: string) {
    super('The SMS number belongs to another tenant');
  }
}

/** The tenant whose settings name this number (E.164) as their SMS origination identity, if any. */
export async function findTenantIdBySmsNumber(e164: string): Promise<string | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: smsNumberRouteKey(e164), ConsistentRead: true }));
  return parseOptionalItem(RouteItem, Item)?.tenantId;
}

/** The tenant that connected this Amazon Connect instance (canonical, lowercase ARN), if any. */
export async function findTenantIdByConnectInstance(instanceArn: string): Promise<string | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: connectRouteKey(instanceArn), ConsistentRead: true }));
  return parseOptionalItem(RouteItem, Item)?.tenantId;
}

/**
 * Writes the settings if their stored version is still `expectedVersion`; false when it moved on.
 * When the Amazon Connect instances or the SMS number change, the settings and their routing items
 * are one transaction: each new one is claimed unless another tenant holds it (ConnectInstanceTaken,
 * SmsNumberTaken, and nothing is written), each removed one released only if it is still this tenant's.
 * The change's audit entry, when it has one, is written in the same transaction.
 */
export async function replaceSettings(
  tenantId: string,
  settings: Settings,
  expectedVersion: number,
  connect: { claimed: string[]; released: string[] } = { claimed: [], released: [] },
  smsNumbers: { claimed: string[]; released: string[] } = { claimed: [], released: [] },
  audit?: StoredAuditEntry,
): Promise<boolean> {
  const routes: RouteChanges = {
    claimed: [
      ...connect.claimed.map((id) => ({ kind: 'connect' as const, id })),
      ...smsNumbers.claimed.map((id) => ({ kind: 'sms' as const, id })),
    ],
    released: [
      ...connect.released.map((id) => ({ kind: 'connect' as const, id })),
      ...smsNumbers.released.map((id) => ({ kind: 'sms' as const, id })),
    ],
  };
  if (routes.claimed.length > 0 || routes.released.length > 0 || audit) {
    return replaceSettingsWithRoutes(tenantId, settings, expectedVersion, routes, audit);
  }
  return conditionally(() =>
    db().send(
      new PutCommand({
        TableName: tableName(),
        Item: settingsItem(tenantId, settings),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    ),
  );
}

/** Routing items of external identifiers (Amazon Connect instances, SMS numbers) that name a tenant. */
type RouteChange = { kind: 'connect' | 'sms'; id: string };
type RouteChanges = { claimed: RouteChange[]; released: RouteChange[] };

const routeKey = (route: RouteChange) => (route.kind === 'connect' ? connectRouteKey(route.id) : smsNumberRouteKey(route.id));
const routeItem = (route: RouteChange, tenantId: string) =>
  route.kind === 'connect'
    ? { ...connectRouteKey(route.id), type: 'ConnectRoute', instanceArn: route.id, tenantId }
    : { ...smsNumberRouteKey(route.id), type: 'SmsNumberRoute', phoneNumber: route.id, tenantId };

async function replaceSettingsWithRoutes(
  tenantId: string,
  settings: Settings,
  expectedVersion: number,
  routes: RouteChanges,
  audit: StoredAuditEntry | undefined,
): Promise<boolean> {
  const mine = { ':tenantId': tenantId };
  const routeChanges = [
    ...routes.claimed.map((route) => ({
      route,
      item: {
        Put: {
          TableName: tableName(),
          Item: routeItem(route, tenantId),
          ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :tenantId',
          ExpressionAttributeValues: mine,
        },
      },
    })),
    ...routes.released.map((route) => ({
      route,
      item: {
        Delete: {
          TableName: tableName(),
          Key: routeKey(route),
          // A missing item is already released; another tenant's is never touched.
          ConditionExpression: 'attribute_not_exists(pk) OR tenantId = :tenantId',
          ExpressionAttributeValues: mine,
        },
      },
    })),
  ];
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
          ...routeChanges.map((change) => change.item),
          ...(audit ? [auditEntryPut(audit)] : []),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
    const taken = routeChanges.find((_, index) => reasons[index + 1]?.Code === 'ConditionalCheckFailed');
    if (taken?.route.kind === 'connect') throw new ConnectInstanceTaken(taken.route.id);
    if (taken?.route.kind === 'sms') throw new SmsNumberTaken(taken.route.id);
    throw error;
  }
}

const settingsItem = (tenantId: string, settings: Settings) => ({ ...keys.settings(tenantId), type: 'Settings', ...settings });
