import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../events/catalog';
import { Survey } from '../schemas/survey';
import * as z from '../zod';
import { queryListed } from './listed-items';
import { db, tableName } from './client';
import { keys, tenantPrefix } from './keys';
import { outboxPut } from './outbox';
import { parseItem, parseOptionalItem } from './stored-item';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = Record<string, unknown>;

/**
 * A survey is one item, listed on gsi1 (tenant-wide), gsi2 (by agent) and gsi3 (by queue), each
 * ordered by `<createdAt>#<surveyId>`. Beside it:
 * - the contact's decision item, put with attribute_not_exists: one survey decision per contact;
 * - the customer's surveyed marker (lastSurveyedAt), beside the customer's profile, for suppression;
 * - a counter per tenant-local day of surveys scheduled by the rules, for the daily cap;
 * - a lookup by sent SMS message id (replies name it as previousPublishedMessageId), with the question it asked;
 * - the customer's latest SMS survey, beside the customer's profile (replies without a message id);
 * - a lookup by the link token's SHA-256, in the `_survey` pseudo-tenant: the web page is public
 *   and knows only the token (like the `_connect` and `_sms` routing items).
 */
export const surveyKeys = {
  survey: (tenantId: string, surveyId: string) => ({ pk: `${tenantPrefix(tenantId)}#SVY#${surveyId}`, sk: 'SURVEY' }),
  contactDecision: (tenantId: string, contactId: string) => ({ pk: `${tenantPrefix(tenantId)}#CON#${contactId}#SURVEY`, sk: 'DECISION' }),
  surveyedMarker: (tenantId: string, customerId: string) => ({ pk: keys.customer(tenantId, customerId).pk, sk: 'SURVEYED' }),
  dailyCount: (tenantId: string, day: string) => ({ pk: `${tenantPrefix(tenantId)}#SVYCOUNT#${day}`, sk: 'COUNT' }),
  smsMessage: (tenantId: string, messageId: string) => ({ pk: `${tenantPrefix(tenantId)}#SMSOUT#${messageId}`, sk: 'SURVEY' }),
  /** The customer's most recent SMS survey: replies that name no message are matched by the customer's number. */
  openSmsSurvey: (tenantId: string, customerId: string) => ({ pk: keys.customer(tenantId, customerId).pk, sk: 'SMS_SURVEY' }),
  token: (tokenHash: string) => ({ pk: `${tenantPrefix('_survey')}#TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  all: (tenantId: string) => ({ gsi1pk: `${tenantPrefix(tenantId)}#SURVEYS` }),
  byAgent: (tenantId: string, agentId: string) => ({ gsi2pk: `${tenantPrefix(tenantId)}#SURVEYS#AGENT#${agentId}` }),
  byQueue: (tenantId: string, queue: string) => ({ gsi3pk: `${tenantPrefix(tenantId)}#SURVEYS#QUEUE#${queue}` }),
};

/** Counters and markers outlive what they are compared with: the cap's day, the longest suppression. */
const counterRetentionSeconds = 3 * 24 * 60 * 60;
const markerRetentionSeconds = 400 * 24 * 60 * 60;
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The contact already has its survey decision (a survey, or the record of not sending one). */
export class SurveyAlreadyDecided extends Error {
  constructor(readonly surveyId: string) {
    super(`The contact's survey decision is ${surveyId}`);
  }
}

/** What the decision read changed meanwhile (the day's count, the customer's last survey, the survey itself): decide again. */
export class StaleSurveyInputs extends Error {}

export async function getSurvey(tenantId: string, surveyId: string): Promise<Survey | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: surveyKeys.survey(tenantId, surveyId), ConsistentRead: true }));
  return Item ? surveyOf(Item) : undefined;
}

/** The survey id decided for a contact, if any. */
export async function getContactSurveyId(tenantId: string, contactId: string): Promise<string | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: surveyKeys.contactDecision(tenantId, contactId), ConsistentRead: true }),
  );
  return parseOptionalItem(SurveyIdItem, Item)?.surveyId;
}

/** What the rules compare with: the customer's last survey time and the day's scheduled count (0 when none). */
export async function readQuotas(tenantId: string, customerId: string | undefined, day: string): Promise<{ lastSurveyedAt?: string; scheduledOnDay: number }> {
  const table = tableName();
  const wanted = [surveyKeys.dailyCount(tenantId, day), ...(customerId ? [surveyKeys.surveyedMarker(tenantId, customerId)] : [])];
  const { Responses } = await db().send(new BatchGetCommand({ RequestItems: { [table]: { Keys: wanted, ConsistentRead: true } } }));
  const items = Responses?.[table] ?? [];
  const count = items.find((item) => item.sk === 'COUNT');
  const marker = items.find((item) => item.sk === 'SURVEYED');
  return {
    lastSurveyedAt: parseOptionalItem(SurveyedMarkerItem, marker)?.lastSurveyedAt,
    scheduledOnDay: parseOptionalItem(DailyCountItem, count)?.scheduled ?? 0,
  };
}

export interface DecisionWrite {
  survey: Survey;
  events: DomainEvent[];
  /** For a survey the rules schedule: the cap's day and the count read, so that the count moves by one from it. */
  count?: { day: string; read: number };
  /** Marks the customer surveyed at `at`, if its last survey is still `read` (undefined: none; `any`: whatever it is). */
  surveyed?: { customerId: string; at: string; read?: string | 'any' };
  /** Ad hoc over an earlier decision not to send: the decision item moves from that survey to this one. */
  replacesNotSent?: string;
  /** A survey sent at once as a link: its token's hash and when the link stops working. */
  token?: { hash: string; expiresAt: string };
}

/**
 * Records the contact's survey decision: the survey (pending or not_sent), the decision item, the
 * day's count and the customer's marker when a survey is scheduled, and the events, in one
 * transaction. Throws SurveyAlreadyDecided when the contact has its decision, StaleSurveyInputs
 * when the count or the marker moved since they were read.
 */
export async function recordDecision(tenantId: string, write: DecisionWrite): Promise<void> {
  const { survey } = write;
  const decisionKey = surveyKeys.contactDecision(tenantId, survey.contactId);
  const items: TransactItem[] = [
    { Put: { TableName: tableName(), Item: surveyItem(tenantId, survey), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: tableName(),
        Item: { ...decisionKey, type: 'SurveyDecision', surveyId: survey.surveyId, decidedAt: survey.createdAt },
        ...(write.replacesNotSent
          ? { ConditionExpression: 'surveyId = :replaced', ExpressionAttributeValues: { ':replaced': write.replacesNotSent } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
  ];
  if (write.count) {
    const { day, read } = write.count;
    items.push({
      Update: {
        TableName: tableName(),
        Key: surveyKeys.dailyCount(tenantId, day),
        UpdateExpression: 'SET scheduled = :next, #type = :type, expiresAt = :expires',
        ConditionExpression: read === 0 ? 'attribute_not_exists(scheduled) OR scheduled = :zero' : 'scheduled = :read',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':next': read + 1,
          ':type': 'SurveyDailyCount',
          ':expires': epochSeconds(`${day}T00:00:00Z`) + counterRetentionSeconds,
          ...(read === 0 ? { ':zero': 0 } : { ':read': read }),
        },
      },
    });
  }
  if (write.surveyed) items.push(surveyedMarkerPut(tenantId, write.surveyed));
  if (write.token) items.push(tokenPut(tenantId, survey.surveyId, write.token));
  items.push(...write.events.map(outboxPut));
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons[1]?.Code === 'ConditionalCheckFailed') {
      const decided = await getContactSurveyId(tenantId, survey.contactId);
      if (decided) throw new SurveyAlreadyDecided(decided);
      throw new StaleSurveyInputs();
    }
    if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw new StaleSurveyInputs();
    throw error;
  }
}

function surveyedMarkerPut(tenantId: string, surveyed: { customerId: string; at: string; read?: string | 'any' }): TransactItem {
  const condition =
    surveyed.read === 'any'
      ? {}
      : surveyed.read === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'lastSurveyedAt = :read', ExpressionAttributeValues: { ':read': surveyed.read } };
  return {
    Put: {
      TableName: tableName(),
      Item: { ...surveyKeys.surveyedMarker(tenantId, surveyed.customerId), type: 'SurveyedMarker', lastSurveyedAt: surveyed.at, expiresAt: epochSeconds(surveyed.at) + markerRetentionSeconds },
      ...condition,
    },
  };
}

function tokenPut(tenantId: string, surveyId: string, token: { hash: string; expiresAt: string }): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...surveyKeys.token(token.hash), type: 'SurveyToken', tenantId, surveyId, linkExpiresAt: token.expiresAt, expiresAt: epochSeconds(token.expiresAt) + counterRetentionSeconds },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export interface SurveyChange {
  before: Survey;
  after: Survey;
  events: DomainEvent[];
  /** The customer's marker set to this time, whatever it was (the survey really went out). */
  surveyedAt?: string;
  /** The SMS sent: replies name it as previousPublishedMessageId. */
  smsMessageId?: string;
  /** The question that SMS asked (absent: the first question, for the first SMS). */
  smsQuestionId?: string;
  /** The customer's latest-SMS-survey item already names this survey: it is not written again (2 write units in a transaction). */
  latestSmsSurveyUnchanged?: boolean;
  /** The link token's hash and when the link stops working. */
  token?: { hash: string; expiresAt: string };
  /** Writes of others to commit with it (a customer's consent change). */
  extra?: TransactItem[];
}

/** Saves a survey's change if it is still at the version read; StaleSurveyInputs otherwise. */
export async function saveSurveyChange(tenantId: string, change: SurveyChange): Promise<void> {
  const { before, after } = change;
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: surveyItem(tenantId, after),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': before.version },
      },
    },
  ];
  if (change.surveyedAt && after.customerId) items.push(surveyedMarkerPut(tenantId, { customerId: after.customerId, at: change.surveyedAt, read: 'any' }));
  if (change.smsMessageId) {
    items.push({
      Put: {
        TableName: tableName(),
        Item: {
          ...surveyKeys.smsMessage(tenantId, change.smsMessageId),
          type: 'SurveySmsMessage',
          surveyId: after.surveyId,
          ...(change.smsQuestionId !== undefined && { questionId: change.smsQuestionId }),
          expiresAt: epochSeconds(after.expiresAt ?? after.updatedAt) + counterRetentionSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    if (after.customerId && !change.latestSmsSurveyUnchanged) {
      items.push({
        Put: {
          TableName: tableName(),
          Item: { ...surveyKeys.openSmsSurvey(tenantId, after.customerId), type: 'CustomerSmsSurvey', surveyId: after.surveyId, expiresAt: epochSeconds(after.expiresAt ?? after.updatedAt) + counterRetentionSeconds },
        },
      });
    }
  }
  if (change.token) items.push(tokenPut(tenantId, after.surveyId, change.token));
  items.push(...(change.extra ?? []), ...change.events.map(outboxPut));
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
      throw new StaleSurveyInputs();
    }
    throw error;
  }
}

/** The survey a sent SMS belongs to. */
export async function findSurveyIdBySmsMessage(tenantId: string, messageId: string): Promise<string | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: surveyKeys.smsMessage(tenantId, messageId) }));
  return parseOptionalItem(SurveyIdItem, Item)?.surveyId;
}

/** The survey a sent SMS belongs to, and the question it asked (absent for a survey's first SMS). */
export async function findSurveyBySmsMessage(tenantId: string, messageId: string): Promise<{ surveyId: string; questionId?: string } | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: surveyKeys.smsMessage(tenantId, messageId), ConsistentRead: true }));
  return parseOptionalItem(SmsMessageItem, Item);
}

/** The customer's most recent SMS survey (open or not: the caller checks its status). */
export async function findLatestSmsSurveyId(tenantId: string, customerId: string): Promise<string | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: surveyKeys.openSmsSurvey(tenantId, customerId), ConsistentRead: true }));
  return parseOptionalItem(SurveyIdItem, Item)?.surveyId;
}

/** The survey changed since it was read (another reply, the web page, the expiry): read it again. */
export class StaleSurvey extends Error {}

/**
 * Saves answers (SMS or web) to the survey if it is still at `before.version`, with their events
 * (Survey Answered, Survey Completed) in the same transaction. Throws StaleSurvey on a lost race.
 */
export async function saveSurveyAnswers(tenantId: string, before: Survey, after: Survey, events: DomainEvent[]): Promise<void> {
  try {
    await saveSurveyChange(tenantId, { before, after, events });
  } catch (error) {
    if (error instanceof StaleSurveyInputs) throw new StaleSurvey();
    throw error;
  }
}

/** The survey a link token opens, by the token's hash. */
export async function findSurveyByTokenHash(tokenHash: string): Promise<{ tenantId: string; surveyId: string; linkExpiresAt: string } | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: surveyKeys.token(tokenHash), ConsistentRead: true }));
  return parseOptionalItem(TokenItem, Item);
}

export interface SurveyListFilter {
  from?: string;
  to?: string;
  agentId?: string;
  queue?: string;
  status?: Survey['status'];
}

/** The partition a list reads: by agent, else by queue, else the tenant's; the other filters apply to the items read. */
export function surveyListPartition(tenantId: string, filter: Pick<SurveyListFilter, 'agentId' | 'queue'>): { index: 'gsi1' | 'gsi2' | 'gsi3'; key: Key } {
  if (filter.agentId !== undefined) return { index: 'gsi2', key: surveyKeys.byAgent(tenantId, filter.agentId) };
  if (filter.queue !== undefined) return { index: 'gsi3', key: surveyKeys.byQueue(tenantId, filter.queue) };
  return { index: 'gsi1', key: surveyKeys.all(tenantId) };
}

/** A listSurveys position on the tenant-wide listing (gsi1): the key of `survey`, so that reading goes on after it. */
export function positionAfterSurvey(tenantId: string, survey: Survey): Record<string, string> {
  return {
    ...surveyKeys.survey(tenantId, survey.surveyId),
    gsi1pk: surveyKeys.all(tenantId).gsi1pk,
    gsi1sk: `${survey.createdAt}#${survey.surveyId}`,
  };
}

/** Whether a position from a client's cursor is the key of a survey of the tenant created in [from, to) on the tenant-wide listing. */
export function isSurveyPositionIn(tenantId: string, position: Record<string, unknown>, from: string, to: string): position is Record<string, string> {
  const names = Object.keys(position).sort().join(',');
  const order = String(position.gsi1sk);
  return (
    names === 'gsi1pk,gsi1sk,pk,sk' &&
    position.gsi1pk === surveyKeys.all(tenantId).gsi1pk &&
    String(position.pk).startsWith(`${tenantPrefix(tenantId)}#SVY#`) &&
    position.sk === 'SURVEY' &&
    order >= from &&
    order < to
  );
}

/** Surveys by decision time, oldest first; a filtered page may hold fewer than `limit`. */
export async function listSurveys(tenantId: string, filter: SurveyListFilter, limit: number, startKey?: Key): Promise<{ items: Survey[]; lastKey?: Key }> {
  const { index, key } = surveyListPartition(tenantId, filter);
  const [pkName, pkValue] = Object.entries(key)[0]!;
  const skName = `${index}sk`;
  const names: Record<string, string> = { '#pk': pkName, ...((filter.from !== undefined || filter.to !== undefined) && { '#sk': skName }) };
  const values: Record<string, unknown> = { ':pk': pkValue };
  let condition = '#pk = :pk';
  if (filter.from !== undefined && filter.to !== undefined) {
    condition += ' AND #sk BETWEEN :from AND :to';
    values[':from'] = filter.from;
    values[':to'] = filter.to;
  } else if (filter.from !== undefined) {
    condition += ' AND #sk >= :from';
    values[':from'] = filter.from;
  } else if (filter.to !== undefined) {
    condition += ' AND #sk < :to';
    values[':to'] = filter.to;
  }
  // By agent and queue: the agent's list, then the queue among what it holds.
  const byQueueToo = filter.agentId !== undefined && filter.queue !== undefined;
  const { items, lastKey } = await queryListed({
    list: index,
    keyCondition: condition,
    names,
    values,
    limit,
    startKey,
    ...((filter.status !== undefined || byQueueToo) && {
      keep: (item) => (filter.status === undefined || item.status === filter.status) && (!byQueueToo || item.queue === filter.queue),
    }),
  });
  return { items: items.map(surveyOf), lastKey };
}

function surveyItem(tenantId: string, survey: Survey) {
  const order = `${survey.createdAt}#${survey.surveyId}`;
  return {
    ...surveyKeys.survey(tenantId, survey.surveyId),
    ...surveyKeys.all(tenantId),
    gsi1sk: order,
    ...(survey.agentId !== undefined && { ...surveyKeys.byAgent(tenantId, survey.agentId), gsi2sk: order }),
    ...(survey.queue !== undefined && { ...surveyKeys.byQueue(tenantId, survey.queue), gsi3sk: order }),
    type: 'Survey',
    ...survey,
  };
}

/** The items beside a survey (see surveyKeys), as they are read. */
const SurveyIdItem = z.object({ surveyId: z.string() });
const SurveyedMarkerItem = z.object({ lastSurveyedAt: z.string() });
const DailyCountItem = z.object({ scheduled: z.number() });
const SmsMessageItem = z.object({ surveyId: z.string(), questionId: z.optional(z.string()) });
const TokenItem = z.object({ tenantId: z.string(), surveyId: z.string(), linkExpiresAt: z.string() });

/** A survey as the API shows it, from its stored item. */
export function surveyOf(item: Record<string, unknown>): Survey {
  return parseItem(Survey, item);
}
