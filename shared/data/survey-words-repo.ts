import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Survey } from '../schemas/survey';
import * as z from '../zod';
import { db, tableName } from './client';
import { tenantPrefix } from './keys';
import { itemsOf } from './listed-items';
import { processedKey } from './processed-events';
import { parseItem } from './stored-item';
import { surveyKeys, surveyOf } from './surveys-repo';
import { caseKeys } from './cases-repo';
import { CaseStatus } from '../schemas/vocabulary';

type Key = Record<string, unknown>;

/**
 * The list of surveys whose customers wrote words (docs/developers/data-model.md, "Survey
 * words"): one item per survey, holding its id and when it finished, never the words. The words
 * are read from the survey itself, so the customer's erasure, which scrubs the survey, removes
 * them from the list too.
 */
export const surveyWordsPartition = (tenantId: string) => ({ pk: `${tenantPrefix(tenantId)}#AGG#SURVEYWORDS` });

const wordsKey = (tenantId: string, finishedAt: string, surveyId: string) => ({
  ...surveyWordsPartition(tenantId),
  sk: `${new Date(finishedAt).toISOString()}#${surveyId}`,
});

/** Lists the survey (again: the key is fixed by when it finished, so a repeat changes nothing). */
export async function putSurveyWords(tenantId: string, surveyId: string, finishedAt: string): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...wordsKey(tenantId, finishedAt, surveyId), type: 'SurveyWords', surveyId, finishedAt: new Date(finishedAt).toISOString() },
    }),
  );
}

const surveyCaseKey = (tenantId: string, surveyId: string) => ({ pk: `${tenantPrefix(tenantId)}#AGG#SVYCASE#${surveyId}`, sk: 'CASE' });

/**
 * Remembers the case opened to follow a survey up (a case that names its survey), written once
 * when the case opens; a second case for the same survey takes its place. Cases the survey-recovery
 * consumer opened before this item existed are found by that consumer's marker instead.
 */
export async function putSurveyCase(tenantId: string, surveyId: string, caseId: string): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: { ...surveyCaseKey(tenantId, surveyId), type: 'SurveyCase', surveyId, caseId } }));
}

const WordsItem = z.object({ surveyId: z.string(), finishedAt: z.string() });
const RecoveryMarker = z.object({ caseId: z.string() });
const CaseStatusItem = z.object({ caseId: z.string(), status: CaseStatus });

export interface SurveyWithWords {
  survey: Survey;
  finishedAt: string;
  /** The service-recovery case the survey opened, if any, and its status now. */
  case?: { caseId: string; status: CaseStatus };
}

/**
 * A page of the surveys with words that finished in [from, to), newest first: one Query, then
 * one BatchGetItem of the surveys and the items naming their follow-up case, and one of those
 * cases (their status only).
 */
export async function listSurveysWithWords(
  tenantId: string,
  period: { from: string; to: string },
  limit: number,
  startKey?: Key,
): Promise<{ items: SurveyWithWords[]; lastKey?: Key }> {
  const page = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': surveyWordsPartition(tenantId).pk,
        ':from': new Date(period.from).toISOString(),
        // `<to>#…` sorts after `<to>`: a survey finished at `to` itself is left out.
        ':to': new Date(period.to).toISOString(),
      },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const listed = (page.Items ?? []).map((item) => parseItem(WordsItem, item));
  const found = await itemsOf(
    listed.flatMap((entry) => [
      surveyKeys.survey(tenantId, entry.surveyId),
      surveyCaseKey(tenantId, entry.surveyId),
      processedKey('survey-recovery', tenantId, entry.surveyId),
    ]),
    undefined,
  );
  const byKey = new Map(found.map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]));
  const itemAt = (key: { pk: string; sk: string }) => byKey.get(`${key.pk}|${key.sk}`);
  const recoveryCaseIds = new Map<string, string>();
  for (const entry of listed) {
    const marker = itemAt(surveyCaseKey(tenantId, entry.surveyId)) ?? itemAt(processedKey('survey-recovery', tenantId, entry.surveyId));
    if (marker?.caseId) recoveryCaseIds.set(entry.surveyId, parseItem(RecoveryMarker, marker).caseId);
  }
  const cases = await itemsOf(
    [...recoveryCaseIds.values()].map((caseId) => caseKeys.case(tenantId, caseId)),
    { expression: 'caseId, #status', names: { '#status': 'status' } },
  );
  const caseStatus = new Map(cases.map((item) => parseItem(CaseStatusItem, item)).map((c) => [c.caseId, c.status]));
  const items = listed.flatMap((entry) => {
    const survey = itemAt(surveyKeys.survey(tenantId, entry.surveyId));
    if (!survey) return [];
    const caseId = recoveryCaseIds.get(entry.surveyId);
    const status = caseId ? caseStatus.get(caseId) : undefined;
    return [{ survey: surveyOf(survey), finishedAt: entry.finishedAt, ...(caseId && status && { case: { caseId, status } }) }];
  });
  return { items, ...(page.LastEvaluatedKey && { lastKey: page.LastEvaluatedKey }) };
}
