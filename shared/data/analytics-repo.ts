import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type CounterIncrement, type CounterRow, type Dimension, analyticsShards, slotStartOf } from '../domain/analytics/counters';
import * as z from '../zod';
import { db, tableName } from './client';
import { tenantPrefix } from './keys';
import { parseItem, parseOptionalItem } from './stored-item';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const utcDay = (instant: Date) => instant.toISOString().slice(0, 10);
const slotKey = (slotStart: Date) => slotStart.toISOString().slice(11, 16);

export const analyticsKeys = {
  /** One partition per tenant, dimension, UTC day and shard; one item per slot and dimension value. */
  counters: (tenantId: string, dimension: Dimension, day: string, shard: number, slot: string, value: string) => ({
    pk: `${tenantPrefix(tenantId)}#AGG#${dimension}#${day}#${shard}`,
    sk: `${slot}#${value}`,
  }),
  /** The tenant's live figures that are not sums over slots: the open-case backlog. */
  liveCases: (tenantId: string) => ({ pk: `${tenantPrefix(tenantId)}#AGG#LIVE`, sk: 'CASES' }),
};

/** Which shard an event's writes go to: stable per event, so a redelivery hits the same items. */
export function shardOf(eventId: string): number {
  return createHash('sha256').update(eventId).digest().readUInt32BE(0) % analyticsShards;
}

/**
 * The transaction items that add one event's counters, all in the slot `at` falls in. Meant for
 * applyOnce, so the counters and the processed-event marker commit together.
 */
export function counterUpdates(tenantId: string, eventId: string, at: Date | string, increments: CounterIncrement[]): TransactItem[] {
  const slotStart = slotStartOf(at);
  const shard = shardOf(eventId);
  return increments
    .map(({ dimension, value, counters }) => {
      const names = Object.entries(counters).filter(([, amount]) => amount !== undefined && amount !== 0);
      if (names.length === 0) return undefined;
      const attributeNames: Record<string, string> = {};
      const attributeValues: Record<string, unknown> = {
        ':type': 'AnalyticsCounters',
        ':slotStart': slotStart.toISOString(),
        ':dimension': dimension,
        ':value': value,
      };
      const adds = names.map(([name, amount], i) => {
        attributeNames[`#c${i}`] = name;
        attributeValues[`:c${i}`] = amount;
        return `#c${i} :c${i}`;
      });
      return {
        Update: {
          TableName: tableName(),
          Key: analyticsKeys.counters(tenantId, dimension, utcDay(slotStart), shard, slotKey(slotStart), value),
          UpdateExpression: `SET #type = :type, slotStart = :slotStart, #dimension = :dimension, #value = :value ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: { ...attributeNames, '#type': 'type', '#dimension': 'dimension', '#value': 'value' },
          ExpressionAttributeValues: attributeValues,
        },
      } satisfies TransactItem;
    })
    .filter((item) => item !== undefined);
}

/** The transaction item that moves the open-case backlog by `delta`; for applyOnce with the event's counters. */
export function openCasesUpdate(tenantId: string, delta: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: analyticsKeys.liveCases(tenantId),
      UpdateExpression: 'SET #type = :type ADD openCases :delta',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': 'AnalyticsLive', ':delta': delta },
    },
  };
}

/** How many of the tenant's cases are open, in progress or awaiting the customer right now (0 before the first case). */
export async function readOpenCaseCount(tenantId: string): Promise<number> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: analyticsKeys.liveCases(tenantId), ConsistentRead: true }));
  return parseOptionalItem(LiveCasesItem, Item)?.openCases ?? 0;
}

const LiveCasesItem = z.object({ openCases: z.number() });
/** A counter row's fixed attributes; every other number attribute is a counter (written with ADD). */
const CounterRowItem = z.object({ slotStart: z.string(), value: z.string() });

const itemFields = new Set(['pk', 'sk', 'type', 'slotStart', 'dimension', 'value']);

/**
 * Every counter row of one dimension whose slot starts in [from, to), merged over shards,
 * ordered by slot then value. Queries each (UTC day, shard) partition the range touches, a few
 * at a time; the number of requests grows with the period asked for, never with history.
 */
export async function readCounterRows(tenantId: string, dimension: Dimension, from: Date, to: Date): Promise<CounterRow[]> {
  const first = slotStartOf(from);
  if (first.getTime() >= to.getTime()) return [];
  const queries: { day: string; fromSlot: string; toSlot: string }[] = [];
  for (let dayStart = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate()); dayStart < to.getTime(); dayStart += 86_400_000) {
    const dayEnd = dayStart + 86_400_000;
    const fromSlot = first.getTime() > dayStart ? slotKey(first) : '00:00';
    const lastSlotStart = Math.min(dayEnd, to.getTime()) - 1;
    const toSlot = slotKey(slotStartOf(new Date(lastSlotStart)));
    queries.push({ day: utcDay(new Date(dayStart)), fromSlot, toSlot });
  }
  const tasks = queries.flatMap((query) => Array.from({ length: analyticsShards }, (_, shard) => ({ ...query, shard })));
  const merged = new Map<string, CounterRow>();
  const concurrency = 16;
  for (let i = 0; i < tasks.length; i += concurrency) {
    const pages = await Promise.all(tasks.slice(i, i + concurrency).map((task) => queryPartition(tenantId, dimension, task)));
    for (const item of pages.flat()) {
      const { slotStart, value } = parseItem(CounterRowItem, item);
      const key = `${slotStart}#${value}`;
      const row = merged.get(key) ?? { slotStart, dimension, value, counters: {} };
      const counters: Partial<Record<string, number>> = row.counters;
      for (const [name, amount] of Object.entries(item)) {
        if (itemFields.has(name) || typeof amount !== 'number') continue;
        counters[name] = (counters[name] ?? 0) + amount;
      }
      merged.set(key, row);
    }
  }
  return [...merged.values()].sort((a, b) => a.slotStart.localeCompare(b.slotStart) || a.value.localeCompare(b.value));
}

async function queryPartition(
  tenantId: string,
  dimension: Dimension,
  { day, shard, fromSlot, toSlot }: { day: string; shard: number; fromSlot: string; toSlot: string },
): Promise<Record<string, unknown>[]> {
  const pk = analyticsKeys.counters(tenantId, dimension, day, shard, '', '').pk;
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        // `$` is the character after `#`, so `<toSlot>$` sorts after every value of the last slot.
        ExpressionAttributeValues: { ':pk': pk, ':from': `${fromSlot}#`, ':to': `${toSlot}$` },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
