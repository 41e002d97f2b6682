import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { agentOfAssignee } from '../domain/agent';
import { type CaseChange, nearestDeadline } from '../domain/case';
import { type ErasedCase, erasureChanges, scrubCase, scrubTimelineEntry } from '../domain/erasure';
import { Case, type CaseStatus, type CaseType, TimelineEntry } from '../schemas/case';
import * as z from '../zod';
import { queryListed } from './listed-items';
import { type ListKey, indexOf } from './table';
import { db, tableName } from './client';
import { updateInPlace } from './in-place-update';
import { keys, tenantPrefix } from './keys';
import { outboxPut } from './outbox';
import { parseItem } from './stored-item';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = Record<string, unknown>;

/** The customer named by a new case does not exist in the tenant (or was erased). */
export class CustomerNotFound extends Error {}

/** The case changed since it was read. */
export class StaleCase extends Error {}

/**
 * A case lives in its own partition, with its timeline entries beside it; a link item in the
 * customer's partition lists the customer's cases. The case's own `type` (complaint, …) is
 * stored as `caseType`, and a timeline entry's as `entryType`, since `type` names the item kind.
 */
export const caseKeys = {
  case: (tenantId: string, caseId: string) => ({ pk: `${tenantPrefix(tenantId)}#CASE#${caseId}`, sk: 'CASE' }),
  entry: (tenantId: string, caseId: string, entryId: string) => ({ pk: `${tenantPrefix(tenantId)}#CASE#${caseId}`, sk: `TL#${entryId}` }),
  customerLink: (tenantId: string, customerId: string, caseId: string) => ({
    pk: keys.customer(tenantId, customerId).pk,
    sk: `CASE#${caseId}`,
  }),
  all: (tenantId: string) => ({ gsi1pk: `${tenantPrefix(tenantId)}#CASES` }),
  byStatus: (tenantId: string, status: CaseStatus) => ({ gsi2pk: `${tenantPrefix(tenantId)}#CASES#STATUS#${status}` }),
  byAssignee: (tenantId: string, assignee: string) => ({ gsi3pk: `${tenantPrefix(tenantId)}#CASES#ASSIGNEE#${assignee}` }),
  /** The team queue: open cases with no assignee (sparse: a case leaves it when assigned or finished). */
  unassigned: (tenantId: string) => ({ gsi3pk: `${tenantPrefix(tenantId)}#CASES#UNASSIGNED` }),
};

/**
 * A case's gsi3 sort key. An open case (not resolved or closed) sorts by its nearest deadline
 * not met, `DUE#<dueAt>#<caseId>`: ISO 8601 instants of one format sort as text, so the overdue
 * come first, then the nearest. A finished case sorts after them, `FINISHED#<caseId>`, oldest
 * first. The case item is written whole by every change, so the key moves in the same write as
 * the deadline (a status move, a severity or type change, a met deadline).
 */
const dueKeyPrefix = 'DUE#';
function assigneeSortKey(c: Case): string {
  const due = nearestDeadline(c);
  return due === undefined ? `FINISHED#${c.caseId}` : `${dueKeyPrefix}${due}#${c.caseId}`;
}

/** The gsi3 keys of a case: its assignee's list, or the team queue while it is open and unassigned, or none. */
export function gsi3Of(tenantId: string, c: Case): { gsi3pk?: string; gsi3sk?: string } {
  if (c.assignee !== undefined) return { ...caseKeys.byAssignee(tenantId, agentOfAssignee(c.assignee) ?? c.assignee), gsi3sk: assigneeSortKey(c) };
  if (nearestDeadline(c) !== undefined) return { ...caseKeys.unassigned(tenantId), gsi3sk: assigneeSortKey(c) };
  return {};
}

/** Which open-case list to read: an assignee's (an agent id, or `queue:<name>`), or the unassigned cases. */
export type OpenCaseList = { assignee: string } | { unassigned: true };

/** The partition an open-case list reads (for its cursor). */
export const openCaseListPartition = (tenantId: string, list: OpenCaseList): Key =>
  'assignee' in list ? caseKeys.byAssignee(tenantId, list.assignee) : caseKeys.unassigned(tenantId);

/** A page of open cases, nearest deadline first (overdue first). */
export async function listOpenCases(tenantId: string, list: OpenCaseList, limit: number, startKey?: Key): Promise<{ items: Case[]; lastKey?: Key }> {
  const { items, lastKey } = await queryListed({
    list: 'gsi3',
    keyCondition: 'gsi3pk = :pk AND begins_with(gsi3sk, :due)',
    values: { ':pk': openCaseListPartition(tenantId, list).gsi3pk, ':due': dueKeyPrefix },
    limit,
    startKey,
  });
  return { items: items.map(caseOf), lastKey };
}

/**
 * The nearest deadline of every open case of a list, from the index's keys alone (no case is
 * read): the workload counts. Each index entry is under 200 bytes, so 1,000 open cases are
 * about 25 read units of 4 KB (half that, eventually consistent).
 */
export async function openCaseDeadlines(tenantId: string, list: OpenCaseList): Promise<string[]> {
  const deadlines: string[] = [];
  let startKey: Key | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: indexOf('gsi3'),
        KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :due)',
        ExpressionAttributeValues: { ':pk': openCaseListPartition(tenantId, list).gsi3pk, ':due': dueKeyPrefix },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const entry of page.Items ?? []) deadlines.push(String(entry.gsi3sk).slice(dueKeyPrefix.length).split('#')[0]!);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return deadlines;
}

export interface StoredCase {
  case: Case;
}

/** `alsoWrite`: writes of the caller committed with the case (e.g. a once-only marker); they go last. */
export async function insertCase(tenantId: string, change: CaseChange, alsoWrite: TransactItem[] = []): Promise<void> {
  const c = change.next;
  const customer = keys.customer(tenantId, c.customerId);
  const items: TransactItem[] = [
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: customer,
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasedAt)',
      },
    },
    { Put: { TableName: tableName(), Item: caseItem(tenantId, c), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: tableName(),
        Item: { ...caseKeys.customerLink(tenantId, c.customerId, c.caseId), type: 'CustomerCase', caseId: c.caseId },
      },
    },
    ...changeItems(tenantId, c.caseId, change),
    ...alsoWrite,
  ];
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      throw new CustomerNotFound();
    }
    throw error;
  }
}

/**
 * insertCase, once: `marker` (processedMarkerPut) is the transaction's last write, and when it
 * exists already nothing is written and the answer is 'duplicate'.
 */
export async function insertCaseOnce(tenantId: string, change: CaseChange, marker: TransactItem, alsoWrite: TransactItem[] = []): Promise<'inserted' | 'duplicate'> {
  try {
    await insertCase(tenantId, change, [...alsoWrite, marker]);
    return 'inserted';
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.at(-1)?.Code === 'ConditionalCheckFailed') return 'duplicate';
    throw error;
  }
}

/**
 * Writes the change if the stored case is still at `expectedVersion`: state, timeline and events
 * together. `alsoWrite`: writes of the caller committed with it (a once-only marker, a pointer); they go last.
 */
export async function saveCaseChange(tenantId: string, expectedVersion: number, change: CaseChange, alsoWrite: TransactItem[] = []): Promise<void> {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: caseItem(tenantId, change.next),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    },
    ...changeItems(tenantId, change.next.caseId, change),
    ...alsoWrite,
  ];
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      throw new StaleCase();
    }
    throw error;
  }
}

export async function getCase(tenantId: string, caseId: string): Promise<StoredCase | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: caseKeys.case(tenantId, caseId), ConsistentRead: true }),
  );
  return Item ? { case: caseOf(Item) } : undefined;
}

/** The most recent `cap` entries, oldest first, and whether older ones exist. */
export async function getTimeline(tenantId: string, caseId: string, cap: number): Promise<{ entries: TimelineEntry[]; truncated: boolean }> {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entries)',
      ExpressionAttributeValues: { ':pk': caseKeys.case(tenantId, caseId).pk, ':entries': 'TL#' },
      ScanIndexForward: false,
      Limit: cap + 1,
      ConsistentRead: true,
    }),
  );
  return { entries: Items.slice(0, cap).map(entryOf).reverse(), truncated: Items.length > cap };
}

export interface CaseFilter {
  status?: CaseStatus;
  type?: CaseType;
  assignee?: string;
  customerId?: string;
  breached?: boolean;
}

/**
 * The partition a list query reads, most selective first: the customer's case links, the
 * assignee's cases (gsi3), the cases in one status (gsi2), or all the tenant's cases (gsi1).
 * The other filters are applied to what that partition holds.
 */
export function caseListPartition(tenantId: string, filter: CaseFilter): Key {
  if (filter.customerId) return { pk: keys.customer(tenantId, filter.customerId).pk };
  if (filter.assignee) return caseKeys.byAssignee(tenantId, filter.assignee);
  if (filter.status) return caseKeys.byStatus(tenantId, filter.status);
  return caseKeys.all(tenantId);
}

export async function listCases(
  tenantId: string,
  filter: CaseFilter,
  limit: number,
  startKey?: Key,
): Promise<{ items: Case[]; lastKey?: Key }> {
  const partition = caseListPartition(tenantId, filter);
  if (filter.customerId) return listCustomerCases(tenantId, filter, partition, limit, startKey);

  const [[pkName, pkValue]] = Object.entries(partition) as [[string, string]];
  const list = pkName.replace(/pk$/, '') as ListKey;
  // The filters the partition does not cover, applied to the cases read.
  const wanted = Object.entries({
    ...(list !== 'gsi2' && { status: filter.status }),
    ...(list !== 'gsi3' && { assignee: filter.assignee }),
    caseType: filter.type,
    breached: filter.breached,
  }).filter(([, value]) => value !== undefined);
  const { items, lastKey } = await queryListed({
    list,
    keyCondition: `${pkName} = :pk`,
    values: { ':pk': pkValue },
    limit,
    startKey,
    ...(wanted.length > 0 && { keep: (item) => wanted.every(([attribute, value]) => item[attribute] === value) }),
  });
  return { items: items.map(caseOf), lastKey };
}

async function listCustomerCases(tenantId: string, filter: CaseFilter, partition: Key, limit: number, startKey?: Key) {
  const { Items: links = [], LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :cases)',
      ExpressionAttributeValues: { ':pk': partition.pk, ':cases': 'CASE#' },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  if (links.length === 0) return { items: [], lastKey: LastEvaluatedKey };
  const table = tableName();
  const found: Record<string, unknown>[] = [];
  const linkedIds = links.map((link) => parseItem(CaseLinkItem, link).caseId);
  let wanted: Key[] | undefined = linkedIds.map((caseId) => caseKeys.case(tenantId, caseId));
  for (let attempt = 0; wanted && wanted.length > 0; attempt++) {
    if (attempt === 5) throw new Error('BatchGetItem left keys unprocessed five times');
    const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await db().send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: wanted } } }),
    );
    found.push(...(Responses?.[table] ?? []));
    wanted = UnprocessedKeys?.[table]?.Keys;
  }
  const byId = new Map(found.map((item) => caseOf(item)).map((c) => [c.caseId, c]));
  const items = linkedIds
    .map((caseId) => byId.get(caseId))
    .filter((c): c is Case => c !== undefined)
    .filter(
      (c) =>
        (filter.status === undefined || c.status === filter.status) &&
        (filter.type === undefined || c.type === filter.type) &&
        (filter.assignee === undefined || c.assignee === filter.assignee) &&
        (filter.breached === undefined || c.breached === filter.breached),
    );
  return { items, lastKey: LastEvaluatedKey };
}

/** One page of the ids of a customer's cases (C9's case links), for erasure. */
export async function customerCaseIdsPage(tenantId: string, customerId: string, startKey?: Key): Promise<{ caseIds: string[]; lastKey?: Key }> {
  const { Items = [], LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :cases)',
      ExpressionAttributeValues: { ':pk': keys.customer(tenantId, customerId).pk, ':cases': 'CASE#' },
      ConsistentRead: true,
      ExclusiveStartKey: startKey,
    }),
  );
  return { caseIds: Items.map((link) => parseItem(CaseLinkItem, link).caseId), lastKey: LastEvaluatedKey };
}

/**
 * Scrubs the personal data of an erased customer's case in place (the rules in domain/erasure.ts):
 * the case on the condition that it is still at the version read (moving it to the next; a case
 * changed meanwhile is read and scrubbed again), then every timeline entry, page by page (entries
 * are never rewritten otherwise, so they need no version). A case of another customer is left
 * alone. Answers how many items were written: none when everything was already scrubbed.
 */
export async function scrubErasedCustomerCase(
  tenantId: string,
  caseId: string,
  customerId: string,
  erasedAt: string,
  { maxAttempts = 5 }: { maxAttempts?: number } = {},
): Promise<number> {
  let written = 0;
  for (let attempt = 1; ; attempt++) {
    const stored = await getCase(tenantId, caseId);
    if (stored?.case.customerId !== customerId) return written;
    const changes = erasureChanges<ErasedCase>(stored.case, scrubCase(stored.case, erasedAt));
    if (!changes) break;
    if (await updateInPlace(caseKeys.case(tenantId, caseId), changes, { expectedVersion: stored.case.version })) {
      written++;
      break;
    }
    if (attempt === maxAttempts) throw new StaleCase(`Case kept changing during ${maxAttempts} attempts to scrub it`);
  }
  let startKey: Key | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entries)',
        ExpressionAttributeValues: { ':pk': caseKeys.case(tenantId, caseId).pk, ':entries': 'TL#' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const entry = entryOf(item);
      const changes = erasureChanges(entry, scrubTimelineEntry(entry));
      if (changes && (await updateInPlace(caseKeys.entry(tenantId, caseId, entry.entryId), changes))) written++;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return written;
}

function changeItems(tenantId: string, caseId: string, change: CaseChange): TransactItem[] {
  return [
    ...change.entries.map(
      (entry): TransactItem => ({
        Put: {
          TableName: tableName(),
          Item: entryItem(tenantId, caseId, entry),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }),
    ),
    ...change.events.map(outboxPut),
  ];
}

function caseItem(tenantId: string, c: Case) {
  const { type: caseType, ...fields } = c;
  return {
    ...caseKeys.case(tenantId, c.caseId),
    ...caseKeys.all(tenantId),
    gsi1sk: c.caseId,
    ...caseKeys.byStatus(tenantId, c.status),
    gsi2sk: c.caseId,
    ...gsi3Of(tenantId, c),
    type: 'Case',
    tenantId,
    caseType,
    ...fields,
  };
}

/** A case link in the customer's partition (C9). */
const CaseLinkItem = z.object({ caseId: z.string() });

/** A case as the API shows it, from its stored item (its `type` is stored as `caseType`). */
export function caseOf(item: Record<string, unknown>): Case {
  return parseItem(Case, { ...item, type: item.caseType });
}

function entryItem(tenantId: string, caseId: string, entry: TimelineEntry) {
  const { type: entryType, ...fields } = entry;
  return { ...caseKeys.entry(tenantId, caseId, entry.entryId), type: 'CaseTimelineEntry', entryType, ...fields };
}

function entryOf(item: Record<string, unknown>): TimelineEntry {
  return parseItem(TimelineEntry, { ...item, type: item.entryType });
}
