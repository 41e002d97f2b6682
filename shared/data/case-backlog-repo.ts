import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  type BacklogCounter,
  type BacklogDeadline,
  type BacklogEntry,
  type DeadlineList,
  backlogEntryOf,
  backlogStatuses,
  counterMoves,
  isBacklogStatus,
  sameDeadline,
} from '../domain/analytics/case-backlog';
import type { Case } from '../schemas/case';
import { SlaKind } from '../schemas/vocabulary';
import * as z from '../zod';
import { caseKeys, caseOf } from './cases-repo';
import { db, tableName } from './client';
import { tenantPrefix } from './keys';
import { itemsOf } from './listed-items';
import { parseItem, parseOptionalItem } from './stored-item';
import { cancellationCodes } from './transaction-errors';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = Record<string, unknown>;

/**
 * The case backlog projection (docs/developers/data-model.md, "Case backlog"): counters of
 * unresolved cases per status and opening hour, the unresolved cases by deadline in two lists,
 * and per case what it was last counted as, so that each change moves exactly what it changed.
 */
export const caseBacklogKeys = {
  /** What a case is counted as now, and the case version that was read to count it. */
  entry: (tenantId: string, caseId: string) => ({ pk: `${tenantPrefix(tenantId)}#AGG#CASE#${caseId}`, sk: 'BACKLOG' }),
  /** One partition per tenant; one item per status and UTC opening hour that has cases. */
  counter: (tenantId: string, status: string, openedHour: string) => ({ pk: backlogCountersPartition(tenantId), sk: `${status}#${openedHour}` }),
  /** One partition per tenant and list; sorted by deadline, then case id. */
  deadline: (tenantId: string, list: DeadlineList, dueAt: string, caseId: string) => ({
    pk: deadlinesPartition(tenantId, list).pk,
    sk: `${new Date(dueAt).toISOString()}#${caseId}`,
  }),
};

const backlogCountersPartition = (tenantId: string) => `${tenantPrefix(tenantId)}#AGG#BACKLOG`;

/** The partition of a deadline list, as its cursors must name it. */
export const deadlinesPartition = (tenantId: string, list: DeadlineList) => ({ pk: `${tenantPrefix(tenantId)}#AGG#DEADLINES#${list}` });

const Deadline = z.object({ list: z.enum(['breached', 'running']), kind: SlaKind, dueAt: z.string() });
const EntryItem = z.object({
  caseVersion: z.int(),
  entry: z.optional(z.object({ status: z.enum(backlogStatuses), openedHour: z.string(), deadline: z.optional(Deadline) })),
});
const CounterItem = z.object({ status: z.enum(backlogStatuses), openedHour: z.string(), cases: z.number() });
const DeadlineItem = z.object({ caseId: z.string(), kind: SlaKind, dueAt: z.string() });

export type BacklogSync = 'written' | 'current' | 'no case';

const attempts = 5;

/**
 * Brings the case's place in the backlog projection up to the case as it is now (read by
 * `readCase`, consistently, after the projection's own entry). One transaction writes the entry
 * with the case version, the counters it moves and the deadline list items it moves; the entry's
 * condition is the version read, so two deliveries at once cannot both move the same counts, and
 * a case already projected at its version or a later one changes nothing. Events may therefore
 * come in any order, twice, or not at all for a case the backfill reaches first.
 */
export async function syncCaseBacklog(tenantId: string, caseId: string, readCase: () => Promise<Case | undefined>): Promise<BacklogSync> {
  for (let attempt = 1; ; attempt++) {
    const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: caseBacklogKeys.entry(tenantId, caseId), ConsistentRead: true }));
    const stored = parseOptionalItem(EntryItem, Item);
    const current = await readCase();
    if (!current) return 'no case';
    if (stored && stored.caseVersion >= current.version) return 'current';
    const after = backlogEntryOf(current);
    try {
      await db().send(new TransactWriteCommand({ TransactItems: syncWrites(tenantId, caseId, stored, current.version, after) }));
    } catch (error) {
      const codes = cancellationCodes(error);
      const lostRace = codes?.includes('ConditionalCheckFailed') || codes?.includes('TransactionConflict');
      if (!lostRace || attempt >= attempts) throw error;
      continue;
    }
    await dropEmptyCounters(tenantId, counterMoves(stored?.entry, after).filter((move) => move.delta < 0));
    return 'written';
  }
}

function syncWrites(tenantId: string, caseId: string, stored: z.infer<typeof EntryItem> | undefined, version: number, after: BacklogEntry | undefined): TransactItem[] {
  const table = tableName();
  const before = stored?.entry;
  const writes: TransactItem[] = [
    {
      Put: {
        TableName: table,
        Item: { ...caseBacklogKeys.entry(tenantId, caseId), type: 'CaseBacklogEntry', caseVersion: version, ...(after && { entry: after }) },
        ...(stored
          ? { ConditionExpression: 'caseVersion = :read', ExpressionAttributeValues: { ':read': stored.caseVersion } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    ...counterMoves(before, after).map(
      (move): TransactItem => ({
        Update: {
          TableName: table,
          Key: caseBacklogKeys.counter(tenantId, move.status, move.openedHour),
          UpdateExpression: 'SET #type = :type, #status = :status, openedHour = :hour ADD cases :delta',
          ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
          ExpressionAttributeValues: { ':type': 'CaseBacklogCounter', ':status': move.status, ':hour': move.openedHour, ':delta': move.delta },
        },
      }),
    ),
  ];
  if (!sameDeadline(before?.deadline, after?.deadline)) {
    if (before?.deadline) writes.push({ Delete: { TableName: table, Key: deadlineKey(tenantId, caseId, before.deadline) } });
    if (after?.deadline) {
      writes.push({
        Put: {
          TableName: table,
          Item: { ...deadlineKey(tenantId, caseId, after.deadline), type: 'CaseDeadline', caseId, kind: after.deadline.kind, dueAt: after.deadline.dueAt },
        },
      });
    }
  }
  return writes;
}

const deadlineKey = (tenantId: string, caseId: string, deadline: BacklogDeadline) => caseBacklogKeys.deadline(tenantId, deadline.list, deadline.dueAt, caseId);

/** Counters that fell to zero are deleted, so the backlog read stays as small as the backlog; one raised meanwhile stays. */
async function dropEmptyCounters(tenantId: string, moves: { status: string; openedHour: string }[]): Promise<void> {
  for (const move of moves) {
    try {
      await db().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: caseBacklogKeys.counter(tenantId, move.status, move.openedHour),
          ConditionExpression: 'cases = :zero',
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
  }
}

/** Every backlog counter of the tenant: one Query, a page per ~10,000 status-hours with cases. */
export async function readBacklogCounters(tenantId: string): Promise<{ counters: BacklogCounter[]; requests: number }> {
  const counters: BacklogCounter[] = [];
  let startKey: Key | undefined;
  let requests = 0;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': backlogCountersPartition(tenantId) },
        ExclusiveStartKey: startKey,
      }),
    );
    requests++;
    for (const item of page.Items ?? []) counters.push(parseItem(CounterItem, item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { counters, requests };
}

export interface DeadlineCase {
  case: Case;
  deadline: { kind: SlaKind; dueAt: string };
}

/**
 * A page of a deadline list, soonest deadline first, up to (excluded) `dueBefore` when given;
 * each case read as it is now (BatchGetItem). A case resolved since the list was written, but
 * before the projection caught up, is left out, so a page may hold fewer than `limit`.
 */
export async function listDeadlineCases(
  tenantId: string,
  list: DeadlineList,
  options: { dueBefore?: string; limit: number; startKey?: Key },
): Promise<{ items: DeadlineCase[]; lastKey?: Key }> {
  const partition = deadlinesPartition(tenantId, list).pk;
  const page = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: options.dueBefore ? 'pk = :pk AND sk < :before' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partition, ...(options.dueBefore && { ':before': new Date(options.dueBefore).toISOString() }) },
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  const listed = (page.Items ?? []).map((item) => parseItem(DeadlineItem, item));
  const cases = await itemsOf(
    listed.map((entry) => caseKeys.case(tenantId, entry.caseId)),
    undefined,
  );
  const byId = new Map(cases.map((item) => [String(item.caseId), caseOf(item)]));
  const items = listed.flatMap((entry) => {
    const found = byId.get(entry.caseId);
    return found && isBacklogStatus(found.status) ? [{ case: found, deadline: { kind: entry.kind, dueAt: entry.dueAt } }] : [];
  });
  return { items, ...(page.LastEvaluatedKey && { lastKey: page.LastEvaluatedKey }) };
}
