import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { SurveyTemplate } from '../schemas/survey-template';
import * as z from '../zod';
import { queryListed } from './listed-items';
import { db, tableName } from './client';
import { keys, tenantPrefix } from './keys';
import { parseItem } from './stored-item';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = Record<string, unknown>;

/** The template changed (a new version, or archived) since it was read. */
export class StaleSurveyTemplate extends Error {}

/** The tenant's survey rules name the template, so it cannot be archived. */
export class SurveyTemplateInUse extends Error {}

/**
 * A template is one partition: a head item holding the current version in full (one read serves
 * the common case) with its status, and one immutable item per version, which a sent survey
 * names and which is never changed or deleted. The head is listed on gsi1 in creation order.
 */
export const surveyTemplateKeys = {
  head: (tenantId: string, templateId: string) => ({ pk: `${tenantPrefix(tenantId)}#SVT#${templateId}`, sk: 'TEMPLATE' }),
  version: (tenantId: string, templateId: string, version: number) => ({
    pk: `${tenantPrefix(tenantId)}#SVT#${templateId}`,
    sk: `V#${String(version).padStart(10, '0')}`,
  }),
  all: (tenantId: string) => ({ gsi1pk: `${tenantPrefix(tenantId)}#SURVEY_TEMPLATES` }),
};

/** The writes that create a template: its head and version 1. Also used in the tenant-creation transaction. */
export function newSurveyTemplateItems(tenantId: string, template: SurveyTemplate): TransactItem[] {
  return [
    { Put: { TableName: tableName(), Item: headItem(tenantId, template), ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: tableName(), Item: versionItem(tenantId, template), ConditionExpression: 'attribute_not_exists(pk)' } },
  ];
}

export async function insertSurveyTemplate(tenantId: string, template: SurveyTemplate): Promise<void> {
  await db().send(new TransactWriteCommand({ TransactItems: newSurveyTemplateItems(tenantId, template) }));
}

/** The template at its current version. */
export async function getSurveyTemplate(tenantId: string, templateId: string): Promise<SurveyTemplate | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: surveyTemplateKeys.head(tenantId, templateId), ConsistentRead: true }),
  );
  return Item ? templateOf(Item) : undefined;
}

/** One version as it was made, with the template's present status and current version. */
export async function getSurveyTemplateVersion(tenantId: string, templateId: string, version: number): Promise<SurveyTemplate | undefined> {
  const table = tableName();
  const head = surveyTemplateKeys.head(tenantId, templateId);
  const wanted = surveyTemplateKeys.version(tenantId, templateId, version);
  const { Responses } = await db().send(
    new BatchGetCommand({ RequestItems: { [table]: { Keys: [head, wanted], ConsistentRead: true } } }),
  );
  const items = Responses?.[table] ?? [];
  const headItem = items.find((item) => item.sk === head.sk);
  const found = items.find((item) => item.sk === wanted.sk);
  if (!headItem || !found) return undefined;
  const current = templateOf(headItem);
  return {
    ...parseItem(VersionItem, found),
    currentVersion: current.currentVersion,
    status: current.status,
    isDefault: current.isDefault,
    createdAt: current.createdAt,
    ...(current.archivedAt !== undefined && { archivedAt: current.archivedAt }),
  };
}

/** Writes `next` as a new version if the template is still active at `expectedVersion`. */
export async function saveSurveyTemplateVersion(tenantId: string, next: SurveyTemplate, expectedVersion: number): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: headItem(tenantId, next),
              ConditionExpression: 'currentVersion = :expected AND #status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':expected': expectedVersion, ':active': 'active' },
            },
          },
          { Put: { TableName: tableName(), Item: versionItem(tenantId, next), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
      throw new StaleSurveyTemplate();
    }
    throw error;
  }
}

/**
 * Archives an active template, unless the survey rules name it: the check on the settings item
 * is in the same transaction, so the rules can never be left pointing at an archived template
 * by this write.
 */
export async function archiveSurveyTemplate(tenantId: string, templateId: string, expectedVersion: number, at: string): Promise<void> {
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: surveyTemplateKeys.head(tenantId, templateId),
              UpdateExpression: 'SET #status = :archived, archivedAt = :at',
              ConditionExpression: 'currentVersion = :expected AND #status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':expected': expectedVersion, ':active': 'active', ':archived': 'archived', ':at': at },
            },
          },
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: keys.settings(tenantId),
              ConditionExpression: 'attribute_not_exists(surveys.templateId) OR surveys.templateId <> :templateId',
              ExpressionAttributeValues: { ':templateId': templateId },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new StaleSurveyTemplate();
    if (reasons[1]?.Code === 'ConditionalCheckFailed') throw new SurveyTemplateInUse();
    throw error;
  }
}

export async function listSurveyTemplates(
  tenantId: string,
  status: SurveyTemplate['status'] | undefined,
  limit: number,
  startKey?: Key,
): Promise<{ items: SurveyTemplate[]; lastKey?: Key }> {
  const { items, lastKey } = await queryListed({
    list: 'gsi1',
    keyCondition: 'gsi1pk = :pk',
    values: { ':pk': surveyTemplateKeys.all(tenantId).gsi1pk },
    limit,
    startKey,
    ...(status !== undefined && { keep: (item) => item.status === status }),
  });
  return { items: items.map(templateOf), lastKey };
}

function headItem(tenantId: string, template: SurveyTemplate) {
  return {
    ...surveyTemplateKeys.head(tenantId, template.templateId),
    ...surveyTemplateKeys.all(tenantId),
    gsi1sk: template.templateId,
    type: 'SurveyTemplate',
    ...template,
  };
}

/** The version's own content; status, currentVersion and archivedAt live on the head only. */
function versionItem(tenantId: string, template: SurveyTemplate) {
  const { status: _status, currentVersion: _current, archivedAt: _archived, isDefault: _default, ...content } = template;
  return { ...surveyTemplateKeys.version(tenantId, template.templateId, template.version), type: 'SurveyTemplateVersion', ...content };
}

/** A version item holds the version's content only (versionItem above). */
const VersionItem = z.omit(SurveyTemplate, { status: true, currentVersion: true, archivedAt: true, isDefault: true });

function templateOf(item: Record<string, unknown>): SurveyTemplate {
  return parseItem(SurveyTemplate, item);
}
