import { BatchGetCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FixedWindow, WindowCounter } from '../http/rate-limit';
import { Plan } from '../schemas/tenant';
import * as z from '../zod';
import { db, tableName } from './client';
import { keys, tenantPrefix } from './keys';
import { parseOptionalItem } from './stored-item';

/** A counter outlives its window by this much, then TTL removes it. */
const keptAfterWindowSeconds = 3600;

/**
 * One item per client and window: `T#<scope>#RATE#<client>#<window start>`. A new partition each
 * window spreads the writes; the item is only ever updated with ADD, so concurrent requests count
 * exactly.
 */
export const rateCounterKey = (scope: string, client: string, window: FixedWindow) => ({
  pk: `${tenantPrefix(scope)}#RATE#${client}#${window.startsAt}`,
  sk: 'RATE',
});

export const dynamoWindowCounter: WindowCounter = {
  async increment(scope, client, window, by = 1) {
    const { Attributes } = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: rateCounterKey(scope, client, window),
        UpdateExpression: 'ADD #count :by SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':by': by, ':expiresAt': window.startsAt + window.seconds + keptAfterWindowSeconds },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.count ?? by);
  },

  async read(scope, client, window) {
    const { Item } = await db().send(
      new GetCommand({ TableName: tableName(), Key: rateCounterKey(scope, client, window), ProjectionExpression: '#count', ExpressionAttributeNames: { '#count': 'count' } }),
    );
    // The key is left out of the error: the client may be a caller's IP address.
    return parseOptionalItem(RateCounterItem, Item)?.count ?? 0;
  },
};

/** The counter and the tenant's plan, each read with a ProjectionExpression of that one attribute. */
const RateCounterItem = z.object({ count: z.number() });
const TenantPlanItem = z.object({ plan: Plan });

const planCacheMs = 5 * 60_000;
const plans = new Map<string, { plan: Plan; readAt: number }>();

/**
 * The tenant's plan, read once per execution environment every five minutes: a plan change
 * reaches the limit within that time, and a busy tenant costs one read per container, not per request.
 */
export async function cachedTenantPlan(tenantId: string, now = Date.now()): Promise<Plan> {
  const cached = plans.get(tenantId);
  if (cached && now - cached.readAt < planCacheMs) return cached.plan;
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.tenant(tenantId), ProjectionExpression: '#plan', ExpressionAttributeNames: { '#plan': 'plan' } }),
  );
  const plan = parseOptionalItem(TenantPlanItem, Item, keys.tenant(tenantId))?.plan ?? 'trial';
  plans.set(tenantId, { plan, readAt: now });
  return plan;
}

/**
 * The tenant's API requests per UTC day, for GET /v1/usage: one item per tenant and month,
 * `T#<tenantId>#RATE#DAYS#<YYYY-MM>` / `DAYS`, one attribute `d#<DD>` per day, kept 400 days.
 * Under the RATE prefix, so that the functions that may only read the table may still count
 * (their role may update `T#*#RATE#*` items only). Added to with each batch the request limit writes.
 */
export const apiDaysKey = (tenantId: string, month: string) => ({ pk: `${tenantPrefix(tenantId)}#RATE#DAYS#${month}`, sk: 'DAYS' });

const apiDaysRetentionSeconds = 400 * 24 * 60 * 60;

export async function countApiRequestsOfDay(tenantId: string, nowMs: number, count: number): Promise<void> {
  const day = new Date(nowMs).toISOString().slice(0, 10);
  const month = day.slice(0, 7);
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: apiDaysKey(tenantId, month),
      UpdateExpression: 'ADD #day :count SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
      ExpressionAttributeNames: { '#day': `d#${day.slice(8, 10)}` },
      ExpressionAttributeValues: { ':count': count, ':expiresAt': Math.floor(Date.parse(`${month}-01T00:00:00Z`) / 1000) + apiDaysRetentionSeconds },
    }),
  );
}

/** API requests per UTC day (YYYY-MM-DD) of the given months; one BatchGetItem key per month. */
export async function readApiRequestsByDay(tenantId: string, months: string[]): Promise<Record<string, number>> {
  if (months.length === 0) return {};
  const table = tableName();
  const { Responses } = await db().send(
    new BatchGetCommand({ RequestItems: { [table]: { Keys: months.map((month) => apiDaysKey(tenantId, month)), ConsistentRead: true } } }),
  );
  const byDay: Record<string, number> = {};
  for (const item of Responses?.[table] ?? []) {
    const month = String(item.pk).slice(-7);
    for (const [name, value] of Object.entries(item)) {
      if (name.startsWith('d#') && typeof value === 'number') byDay[`${month}-${name.slice(2)}`] = value;
    }
  }
  return byDay;
}
