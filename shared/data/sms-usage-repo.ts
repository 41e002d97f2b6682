import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SmsQuota, SmsUsageTotals } from '../domain/sms/quotas';
import type { DomainEvent } from '../events/catalog';
import { db, tableName } from './client';
import { tenantPrefix } from './keys';
import { outboxPut } from './outbox';

/**
 * A tenant's SMS and API usage: one item per tenant and UTC month, `T#<tenantId>#SMSUSAGE#<YYYY-MM>`
 * / `USAGE`, kept 400 days. Its number attributes, all only ever changed with ADD:
 * - `segments`, `costMicroUsd`: the month's segments and estimated spend;
 * - `d#<DD>#segments`: the day's segments (what the daily quota compares with);
 * - `d#<DD>#<CC>#segments`, `d#<DD>#<CC>#cost`: by day and destination country;
 * - `d#<DD>#refused`: sends refused that day (quota or destination);
 * - `d#<DD>#api`: API requests that day, as the per-tenant request limit counts them.
 * One send is one conditional UpdateItem that checks and counts the day, the month and the spend
 * at once. A month item takes at most a few thousand attributes (31 days × countries), far below
 * 400 KB, and one tenant's sends are far below the 1,000 writes a second one item takes.
 */
export const smsUsageKey = (tenantId: string, month: string) => ({ pk: `${tenantPrefix(tenantId)}#SMSUSAGE#${month}`, sk: 'USAGE' });

const retentionSeconds = 400 * 24 * 60 * 60;
const expiresAtOf = (month: string) => Math.floor(Date.parse(`${month}-01T00:00:00Z`) / 1000) + retentionSeconds;

/** Where one send is counted: its UTC day and month, and its destination country. */
export interface UsageSlot {
  month: string;
  /** Day of the month, two digits. */
  day: string;
  country: string;
}

export const slotOf = (at: Date, country: string): UsageSlot => ({ month: at.toISOString().slice(0, 7), day: at.toISOString().slice(8, 10), country });

const dayAttribute = (day: string, name: string) => `d#${day}#${name}`;

export type Reservation = { reserved: true; usage: SmsUsageTotals } | { reserved: false; usage: SmsUsageTotals };

const totalsOf = (item: Record<string, unknown> | undefined, day: string): SmsUsageTotals => ({
  daySegments: Number(item?.[dayAttribute(day, 'segments')] ?? 0),
  monthSegments: Number(item?.segments ?? 0),
  monthCostMicroUsd: Number(item?.costMicroUsd ?? 0),
});

/**
 * Counts `segments` costing `costMicroUsd` if the day's segments, the month's segments and the
 * month's spend all stay within `quota` afterwards; otherwise changes nothing. Answers the totals
 * after (reserved) or as they were (not reserved). The caller refuses on its own a message larger
 * than a whole limit: the condition only compares what is already counted.
 */
export async function reserveSmsSegments(tenantId: string, slot: UsageSlot, segments: number, costMicroUsd: number, quota: SmsQuota): Promise<Reservation> {
  const names = {
    '#type': 'type',
    '#segments': 'segments',
    '#day': dayAttribute(slot.day, 'segments'),
    '#countrySegments': dayAttribute(slot.day, `${slot.country}#segments`),
    '#countryCost': dayAttribute(slot.day, `${slot.country}#cost`),
  };
  try {
    const { Attributes } = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: smsUsageKey(tenantId, slot.month),
        UpdateExpression:
          'SET #type = :type, expiresAt = if_not_exists(expiresAt, :expiresAt) ADD #segments :segments, costMicroUsd :cost, #day :segments, #countrySegments :segments, #countryCost :cost',
        ConditionExpression:
          '(attribute_not_exists(#segments) OR #segments <= :monthRoom) AND (attribute_not_exists(#day) OR #day <= :dayRoom) AND (attribute_not_exists(costMicroUsd) OR costMicroUsd <= :costRoom)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':type': 'SmsUsage',
          ':expiresAt': expiresAtOf(slot.month),
          ':segments': segments,
          ':cost': costMicroUsd,
          ':monthRoom': quota.segmentsPerMonth - segments,
          ':dayRoom': quota.segmentsPerDay - segments,
          ':costRoom': quota.spendCapMicroUsdPerMonth - costMicroUsd,
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { reserved: true, usage: totalsOf(Attributes, slot.day) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { reserved: false, usage: totalsOf(error.Item ? unmarshall(error.Item) : undefined, slot.day) };
  }
}

/** Gives back a reservation whose message did not go out (docs/sms.md, "A failed send"). */
export async function releaseSmsSegments(tenantId: string, slot: UsageSlot, segments: number, costMicroUsd: number): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: smsUsageKey(tenantId, slot.month),
      UpdateExpression: 'ADD #segments :segments, costMicroUsd :cost, #day :segments, #countrySegments :segments, #countryCost :cost',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: {
        '#segments': 'segments',
        '#day': dayAttribute(slot.day, 'segments'),
        '#countrySegments': dayAttribute(slot.day, `${slot.country}#segments`),
        '#countryCost': dayAttribute(slot.day, `${slot.country}#cost`),
      },
      ExpressionAttributeValues: { ':segments': -segments, ':cost': -costMicroUsd },
    }),
  );
}

/** The usage of the UTC month and day `at` falls in, as a reservation would compare it (0 when nothing was counted). */
export async function readSmsUsageTotals(tenantId: string, at: Date): Promise<SmsUsageTotals> {
  const slot = slotOf(at, '');
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: smsUsageKey(tenantId, slot.month), ConsistentRead: true }));
  return totalsOf(Item, slot.day);
}

/**
 * Counts a refused send on its day and writes the event that says why, together: the refusal is
 * never silent and never counted without its event.
 */
export async function recordSmsRefusal(tenantId: string, at: Date, event: DomainEvent): Promise<void> {
  const slot = slotOf(at, '');
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: smsUsageKey(tenantId, slot.month),
            UpdateExpression: 'SET #type = :type, expiresAt = if_not_exists(expiresAt, :expiresAt) ADD #refused :one',
            ExpressionAttributeNames: { '#type': 'type', '#refused': dayAttribute(slot.day, 'refused') },
            ExpressionAttributeValues: { ':type': 'SmsUsage', ':expiresAt': expiresAtOf(slot.month), ':one': 1 },
          },
        },
        outboxPut(event),
      ],
    }),
  );
}

/** Adds `count` API requests to the tenant's day (UTC) for GET /v1/usage; the request limit calls it with each batch it writes. */
export async function recordApiRequests(tenantId: string, at: Date, count: number): Promise<void> {
  const slot = slotOf(at, '');
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: smsUsageKey(tenantId, slot.month),
      UpdateExpression: 'SET #type = :type, expiresAt = if_not_exists(expiresAt, :expiresAt) ADD #api :count',
      ExpressionAttributeNames: { '#type': 'type', '#api': dayAttribute(slot.day, 'api') },
      ExpressionAttributeValues: { ':type': 'SmsUsage', ':expiresAt': expiresAtOf(slot.month), ':count': count },
    }),
  );
}

/** One UTC day of usage, as GET /v1/usage reports it. */
export interface DayUsage {
  date: string;
  segments: number;
  costMicroUsd: number;
  refused: number;
  apiRequests: number;
  countries: Record<string, { segments: number; costMicroUsd: number }>;
}

/** Each counted day of the given UTC months (YYYY-MM), by date; at most a few BatchGetItem keys, one per month. */
export async function readUsageDays(tenantId: string, months: string[]): Promise<DayUsage[]> {
  if (months.length === 0) return [];
  const table = tableName();
  const { Responses } = await db().send(
    new BatchGetCommand({ RequestItems: { [table]: { Keys: months.map((month) => smsUsageKey(tenantId, month)), ConsistentRead: true } } }),
  );
  const days = new Map<string, DayUsage>();
  for (const item of Responses?.[table] ?? []) {
    const month = String(item.pk).slice(-7);
    for (const [name, value] of Object.entries(item)) {
      const parts = name.split('#');
      if (parts[0] !== 'd' || typeof value !== 'number') continue;
      const date = `${month}-${parts[1]}`;
      const day = days.get(date) ?? { date, segments: 0, costMicroUsd: 0, refused: 0, apiRequests: 0, countries: {} };
      if (parts.length === 3) {
        if (parts[2] === 'segments') day.segments = value;
        else if (parts[2] === 'refused') day.refused = value;
        else if (parts[2] === 'api') day.apiRequests = value;
      } else if (parts.length === 4) {
        const country = (day.countries[parts[2]!] ??= { segments: 0, costMicroUsd: 0 });
        if (parts[3] === 'segments') country.segments = value;
        else if (parts[3] === 'cost') country.costMicroUsd = value;
      }
      days.set(date, day);
    }
  }
  for (const day of days.values()) day.costMicroUsd = Object.values(day.countries).reduce((sum, country) => sum + country.costMicroUsd, 0);
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}
