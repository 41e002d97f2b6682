import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  type StoredContactItem,
  type StoredProjection,
  type StoredReferralItem,
  caseProjection,
  settledExpiry,
} from '../domain/customer-overview';
import { type Case, CaseStatus } from '../schemas/case';
import type { Money } from '../schemas/contact';
import { Customer } from '../schemas/customer';
import { LatestSurveyScores, OpenCaseSummary, OverviewContact, OverviewReferral } from '../schemas/customer-overview';
import * as z from '../zod';
import { db, tableName } from './client';
import { keys } from './keys';
import { parseItem } from './stored-item';

type Item = Record<string, unknown>;

/**
 * Sort-key prefixes of the projection items in the customer's partition; all sort between `CASE#` and `PROFILE`.
 * A contact's key starts with its start time, so its items sort by it (the domain's trimming relies on that).
 */
export const projectionPrefix = {
  all: 'OV#',
  contact: 'OV#CON#',
  case: 'OV#CASE#',
  referral: 'OV#REF#',
  survey: 'OV#SURVEY',
} as const;

export const projectionSortKey = {
  contact: (startedAt: string, contactId: string) => `${projectionPrefix.contact}${startedAt}#${contactId}`,
  case: (caseId: string) => `${projectionPrefix.case}${caseId}`,
  referral: (referralId: string) => `${projectionPrefix.referral}${referralId}`,
  survey: () => projectionPrefix.survey,
};

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What the overview is made of, as stored; the choices (open, latest, converted) are the domain's. */
export type OverviewData =
  | { state: 'erased'; erasedAt: string }
  | { state: 'active'; customer: Customer; projection: StoredProjection; truncated: boolean };

/**
 * The whole overview in ONE Query (docs/developers/data-model.md, pattern O1): the projection items sort between
 * `CASE#` and `PROFILE` in the customer's partition, so `sk BETWEEN "OV#" AND "PROFILE"` reads them and
 * the profile. Newest first, so that the profile comes first and, should the page ever reach DynamoDB's
 * 1 MB, it is the oldest cases (sorting first) that are cut.
 */
export async function readCustomerOverview(tenantId: string, customerId: string): Promise<OverviewData | undefined> {
  const { Items = [], LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :projection AND :profile',
      ExpressionAttributeValues: { ':pk': keys.customer(tenantId, customerId).pk, ':projection': projectionPrefix.all, ':profile': 'PROFILE' },
      ScanIndexForward: false,
      // The profile (consent, value) must be current: the agent may have just changed it.
      ConsistentRead: true,
    }),
  );
  const profile = Items.find((item) => item.sk === 'PROFILE');
  if (!profile) return undefined;
  if (profile.erasedAt) return { state: 'erased', ...parseItem(ErasedProfileItem, profile) };
  // The profile as GET /v1/customers/{customerId} shows it: the schema drops the item's keys and kind.
  return { state: 'active', customer: parseItem(Customer, profile), projection: projectionOf(Items), truncated: LastEvaluatedKey !== undefined };
}

/** The stored projection items (`OV#…`), read whole: the schemas drop their keys and kind. */
const ErasedProfileItem = z.object({ erasedAt: z.string() });
const OverviewContactItem = z.object({ sk: z.string(), contact: OverviewContact });
const OverviewCaseItem = z.object({ summary: OpenCaseSummary, status: CaseStatus, expiresAt: z.optional(z.number()) });
const OverviewReferralItem = z.extend(OverviewReferral, { sk: z.string(), expiresAt: z.optional(z.number()) });
const OverviewSurveyItem = z.object({ summary: LatestSurveyScores });
const ProjectionItemKey = z.object({ sk: z.string() });

const startsWith = (prefix: string) => (item: Item) => String(item.sk).startsWith(prefix);

function projectionOf(items: Item[]): StoredProjection {
  const survey = items.find((item) => item.sk === projectionPrefix.survey);
  return {
    contacts: items.filter(startsWith(projectionPrefix.contact)).map(contactItemOf),
    cases: items.filter(startsWith(projectionPrefix.case)).map((item) => parseItem(OverviewCaseItem, item)),
    referrals: items.filter(startsWith(projectionPrefix.referral)).map(referralItemOf),
    ...(survey && { survey: parseItem(OverviewSurveyItem, survey).summary }),
  };
}

const contactItemOf = (item: Item): StoredContactItem => parseItem(OverviewContactItem, item);

const referralItemOf = (item: Item): StoredReferralItem => parseItem(OverviewReferralItem, item);

// ---------------------------------------------------------------- the projection's writes

/*
 * Every write below is idempotent and order-proof by its own condition, not by applyOnce: a marker
 * makes an event count once, but it cannot stop an older event delivered after a newer one from
 * overwriting it; the conditions (closed beats open, a newer case version or completedAt wins, a
 * settled referral stays settled) do both, and a repeated event meets its own write and changes
 * nothing. Each write also checks, in the same transaction, that the customer exists and is not
 * erased, so that a late event cannot bring back an erased customer's overview.
 */

/** false when a condition refused the write: stale, repeated, or the customer is gone. */
async function projectionWrite(tenantId: string, customerId: string, write: TransactItem): Promise<boolean> {
  const profileCheck: TransactItem = {
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.customer(tenantId, customerId),
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasedAt)',
    },
  };
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [profileCheck, write] }));
    return true;
  } catch (error) {
    const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
    if (reasons.length > 0 && reasons.every((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'None')) return false;
    throw error;
  }
}

const projectionKey = (tenantId: string, customerId: string, sk: string) => ({ pk: keys.customer(tenantId, customerId).pk, sk });

/** A contact's summary: Contact Closed replaces whatever is there; Contact Opened never replaces anything. */
export function putContactSummary(tenantId: string, customerId: string, contact: OverviewContact): Promise<boolean> {
  return projectionWrite(tenantId, customerId, {
    Put: {
      TableName: tableName(),
      Item: { ...projectionKey(tenantId, customerId, projectionSortKey.contact(contact.startedAt, contact.contactId)), type: 'OverviewContact', contact },
      ...(contact.status !== 'closed' && { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  });
}

/** A case as stored now, unless the item already holds this version or a newer one. */
export function putCaseSummary(tenantId: string, customerId: string, c: Case): Promise<boolean> {
  const projection = caseProjection(c);
  return projectionWrite(tenantId, customerId, {
    Put: {
      TableName: tableName(),
      Item: { ...projectionKey(tenantId, customerId, projectionSortKey.case(c.caseId)), type: 'OverviewCase', ...projection },
      ConditionExpression: 'attribute_not_exists(pk) OR caseVersion < :version',
      ExpressionAttributeValues: { ':version': projection.caseVersion },
    },
  });
}

export interface ReferralFacts {
  referralId: string;
  contactId: string;
  product: string;
  referredBy?: string;
  assignedTo?: string;
}

/**
 * A referral's item is built by updates that commute: Referral Made sets what was made (and `open`
 * only if no status is there yet); Converted and Lost set the settlement, unless it is already
 * settled the other way.
 */
export function recordReferral(
  tenantId: string,
  customerId: string,
  facts: ReferralFacts,
  change: { madeAt: string } | { status: 'converted'; value: Money; settledAt: string } | { status: 'lost'; settledAt: string },
): Promise<boolean> {
  const values: Item = { ':referralId': facts.referralId, ':contactId': facts.contactId, ':product': facts.product, ':type': 'OverviewReferral' };
  const sets = ['referralId = :referralId', 'contactId = :contactId', 'product = :product', '#type = :type'];
  for (const name of ['referredBy', 'assignedTo'] as const) {
    if (facts[name] !== undefined) {
      sets.push(`${name} = :${name}`);
      values[`:${name}`] = facts[name];
    }
  }
  const names: Record<string, string> = { '#type': 'type', '#status': 'status' };
  let condition: string | undefined;
  let remove = '';
  if ('madeAt' in change) {
    sets.push('madeAt = :madeAt', '#status = if_not_exists(#status, :open)');
    Object.assign(values, { ':madeAt': change.madeAt, ':open': 'open' });
  } else {
    sets.push('#status = :status', 'settledAt = :settledAt');
    Object.assign(values, { ':status': change.status, ':settledAt': change.settledAt, ':open': 'open' });
    condition = 'attribute_not_exists(#status) OR #status IN (:open, :status)';
    if (change.status === 'converted') {
      sets.push('#value = :value');
      names['#value'] = 'value';
      values[':value'] = change.value;
      remove = ' REMOVE expiresAt';
    } else {
      sets.push('expiresAt = :expiresAt');
      values[':expiresAt'] = settledExpiry(change.settledAt);
    }
  }
  return projectionWrite(tenantId, customerId, {
    Update: {
      TableName: tableName(),
      Key: projectionKey(tenantId, customerId, projectionSortKey.referral(facts.referralId)),
      UpdateExpression: `SET ${sets.join(', ')}${remove}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(condition && { ConditionExpression: condition }),
    },
  });
}

/** The latest completed survey: replaced only by one completed later. */
export function putLatestSurvey(tenantId: string, customerId: string, survey: LatestSurveyScores): Promise<boolean> {
  return projectionWrite(tenantId, customerId, {
    Put: {
      TableName: tableName(),
      Item: { ...projectionKey(tenantId, customerId, projectionSortKey.survey()), type: 'OverviewSurvey', completedAt: survey.completedAt, summary: survey },
      ConditionExpression: 'attribute_not_exists(pk) OR completedAt < :completedAt',
      ExpressionAttributeValues: { ':completedAt': survey.completedAt },
    },
  });
}

/** Every item of one kind of the customer's projection (all of them when the prefix is `OV#`). */
async function projectionItems(tenantId: string, customerId: string, prefix: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.customer(tenantId, customerId).pk, ':prefix': prefix },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export const contactItems = async (tenantId: string, customerId: string) =>
  (await projectionItems(tenantId, customerId, projectionPrefix.contact)).map(contactItemOf);

export const referralItems = async (tenantId: string, customerId: string) =>
  (await projectionItems(tenantId, customerId, projectionPrefix.referral)).map(referralItemOf);

/** Deletes projection items by sort key; deleting what is already gone is harmless, so concurrent trims agree. */
export async function deleteProjectionItems(tenantId: string, customerId: string, sortKeys: readonly string[]): Promise<void> {
  for (let start = 0; start < sortKeys.length; start += 25) {
    let requests: Item[] | undefined = sortKeys
      .slice(start, start + 25)
      .map((sk) => ({ DeleteRequest: { Key: projectionKey(tenantId, customerId, sk) } }));
    for (let attempt = 0; requests && requests.length > 0; attempt++) {
      if (attempt === 5) throw new Error('BatchWriteItem left deletes unprocessed five times');
      const { UnprocessedItems } = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests as never } }));
      requests = UnprocessedItems?.[tableName()] as Item[] | undefined;
    }
  }
}

/** Customer Erased: the whole projection goes. */
export async function deleteProjection(tenantId: string, customerId: string): Promise<number> {
  const sortKeys = (await projectionItems(tenantId, customerId, projectionPrefix.all)).map((item) => parseItem(ProjectionItemKey, item).sk);
  await deleteProjectionItems(tenantId, customerId, sortKeys);
  return sortKeys.length;
}
