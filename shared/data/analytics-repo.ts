import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type CounterIncrement, type CounterRow, type Counters, type Dimension, analyticsShards, slotStartOf } from '../domain/analytics/counters';
import { rowsStartingIn } from '../domain/analytics/series';
import { type RollupUnit, rowsOfRollup, sumByValue, unitSpan, utcDaysOf } from '../domain/analytics/rollups';
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
  /** Late counts per UTC day (`d01`…`d31`), one item per UTC month: what invalidates rollups. */
  lateCounts: (tenantId: string, utcMonth: string) => ({ pk: `${tenantPrefix(tenantId)}#AGG#LATE`, sk: utcMonth }),
  /** One partition per tenant, dimension and time zone; one item per local day (`D#…`) or month (`M#…`). */
  rollup: (tenantId: string, dimension: Dimension, timeZone: string, unit: RollupUnit) => ({
    pk: `${tenantPrefix(tenantId)}#AGG#ROLLUP#${dimension}#${timeZone}`,
    sk: unitSortKey(unit),
  }),
};

const unitSortKey = (unit: RollupUnit) => (unit.kind === 'day' ? `D#${unit.date}` : `M#${unit.month}`);

/**
 * What a read did, for charging the per-tenant request limit by the work (shared/http/rate-limit.ts)
 * and for the benchmark: DynamoDB read requests (Query pages, GetItems), items they returned, and
 * rollup items written.
 */
export interface ReadWork {
  requests: number;
  items: number;
  rollupsWritten: number;
}

export const noWork = (): ReadWork => ({ requests: 0, items: 0, rollupsWritten: 0 });

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

/**
 * The transaction item that records an event counted late (isLateCount) on its slot's UTC day, for
 * applyOnce with the event's counters: rollups made before of the days it touches no longer match
 * and are made again when next read.
 */
export function lateCountUpdate(tenantId: string, at: Date | string): TransactItem {
  const day = utcDay(slotStartOf(at));
  return {
    Update: {
      TableName: tableName(),
      Key: analyticsKeys.lateCounts(tenantId, day.slice(0, 7)),
      UpdateExpression: 'SET #type = :type ADD #day :one',
      ExpressionAttributeNames: { '#type': 'type', '#day': `d${day.slice(8, 10)}` },
      ExpressionAttributeValues: { ':type': 'AnalyticsLateCounts', ':one': 1 },
    },
  };
}

/** How many of the tenant's cases are open, in progress or awaiting the customer right now (0 before the first case). */
export async function readOpenCaseCount(tenantId: string, work?: ReadWork): Promise<number> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: analyticsKeys.liveCases(tenantId), ConsistentRead: true }));
  if (work) {
    work.requests += 1;
    work.items += Item ? 1 : 0;
  }
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
export async function readCounterRows(
  tenantId: string,
  dimension: Dimension,
  from: Date,
  to: Date,
  options: { consistent?: boolean; work?: ReadWork } = {},
): Promise<CounterRow[]> {
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
    const pages = await Promise.all(tasks.slice(i, i + concurrency).map((task) => queryPartition(tenantId, dimension, task, options)));
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
  { consistent, work }: { consistent?: boolean; work?: ReadWork },
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
        ...(consistent && { ConsistentRead: true }),
      }),
    );
    items.push(...(page.Items ?? []));
    if (work) {
      work.requests += 1;
      work.items += page.Items?.length ?? 0;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

const LateCountsItem = z.object({ sk: z.string() });
const RollupItem = z.object({
  sk: z.string(),
  rows: z.record(z.string(), z.record(z.string(), z.number())),
  lateCounts: z.record(z.string(), z.number()),
});
type StoredRollup = z.output<typeof RollupItem>;

/** A rollup item above this many bytes of sums is not stored (a DynamoDB item holds 400 KB): its unit is read from slots each time. */
const maxStoredRollupBytes = 300_000;

/**
 * The rows of whole settled local days and months (planPeriodReads), one row per unit and
 * dimension value, dated at the unit's start. Each unit is read from its rollup item when that was
 * made after the last late count of the UTC days it touches; otherwise its slots are read
 * (consistently), summed and stored as its rollup for the next read. The late counts are read
 * before any slot, so a rollup never claims a late count whose event it may lack.
 */
export async function readRolledUpRows(
  tenantId: string,
  dimension: Dimension,
  timeZone: string,
  units: readonly RollupUnit[],
  work: ReadWork = noWork(),
): Promise<CounterRow[]> {
  if (units.length === 0) return [];
  const spans = units.map((unit) => unitSpan(unit, timeZone));
  const [lateCounts, stored] = await Promise.all([
    readLateCounts(tenantId, spans[0]!.start, spans.at(-1)!.end, work),
    readRollupItems(tenantId, dimension, timeZone, units, work),
  ]);
  const rows: CounterRow[] = [];
  // One unit at a time: a unit made from slots already reads 16 partitions at once.
  for (const [i, unit] of units.entries()) {
    const span = spans[i]!;
    const expected = lateCountsOf(lateCounts, span);
    const item = stored.get(unitSortKey(unit));
    let sums: Record<string, Counters>;
    if (item && sameCounts(item.lateCounts, expected)) {
      sums = item.rows as Record<string, Counters>;
    } else {
      const slotRows = rowsStartingIn(await readCounterRows(tenantId, dimension, new Date(span.start), new Date(span.end), { consistent: true, work }), span);
      sums = sumByValue(slotRows);
      if (JSON.stringify(sums).length <= maxStoredRollupBytes) {
        await db().send(
          new PutCommand({
            TableName: tableName(),
            Item: { ...analyticsKeys.rollup(tenantId, dimension, timeZone, unit), type: 'AnalyticsRollup', rows: sums, lateCounts: expected, madeAt: new Date().toISOString() },
          }),
        );
        work.rollupsWritten += 1;
      }
    }
    rows.push(...rowsOfRollup(sums, dimension, span.start));
  }
  return rows;
}

/** Late counts per UTC day of [from, to), consistently read, days without any left out. */
async function readLateCounts(tenantId: string, from: number, to: number, work: ReadWork): Promise<Map<string, number>> {
  const days = utcDaysOf({ start: from, end: to });
  const items = await queryAll(
    {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': analyticsKeys.lateCounts(tenantId, '').pk, ':from': days[0]!.slice(0, 7), ':to': days.at(-1)!.slice(0, 7) },
      ConsistentRead: true,
    },
    work,
  );
  const counts = new Map<string, number>();
  for (const item of items) {
    const { sk: month } = parseItem(LateCountsItem, item);
    for (const [name, count] of Object.entries(item)) {
      if (/^d\d\d$/.test(name) && typeof count === 'number' && count !== 0) counts.set(`${month}-${name.slice(1)}`, count);
    }
  }
  return counts;
}

const lateCountsOf = (counts: Map<string, number>, span: { start: number; end: number }): Record<string, number> =>
  Object.fromEntries(utcDaysOf(span).flatMap((day) => (counts.has(day) ? [[day, counts.get(day)!]] : [])));

function sameCounts(stored: Record<string, number>, expected: Record<string, number>): boolean {
  const names = Object.keys(expected);
  return Object.keys(stored).length === names.length && names.every((day) => stored[day] === expected[day]);
}

/** The stored rollups of the units, by sort key: one Query per run of consecutive days and one for the months. */
async function readRollupItems(
  tenantId: string,
  dimension: Dimension,
  timeZone: string,
  units: readonly RollupUnit[],
  work: ReadWork,
): Promise<Map<string, StoredRollup>> {
  const ranges: { from: string; to: string }[] = [];
  const months = units.filter((unit) => unit.kind === 'month');
  if (months.length > 0) ranges.push({ from: unitSortKey(months[0]!), to: unitSortKey(months.at(-1)!) });
  let run: { from: string; to: string } | undefined;
  for (const unit of units) {
    if (unit.kind === 'month') {
      run = undefined;
      continue;
    }
    if (run) run.to = unitSortKey(unit);
    else ranges.push((run = { from: unitSortKey(unit), to: unitSortKey(unit) }));
  }
  const pk = analyticsKeys.rollup(tenantId, dimension, timeZone, units[0]!).pk;
  const pages = await Promise.all(
    ranges.map((range) =>
      queryAll({ KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to', ExpressionAttributeValues: { ':pk': pk, ':from': range.from, ':to': range.to } }, work),
    ),
  );
  return new Map(pages.flat().map((item) => {
    const rollup = parseItem(RollupItem, item);
    return [rollup.sk, rollup] as const;
  }));
}

async function queryAll(
  input: { KeyConditionExpression: string; ExpressionAttributeValues: Record<string, unknown>; ConsistentRead?: boolean },
  work: ReadWork,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new QueryCommand({ TableName: tableName(), ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    work.requests += 1;
    work.items += page.Items?.length ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
