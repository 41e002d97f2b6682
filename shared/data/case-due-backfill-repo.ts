import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Case } from '../schemas/case';
import { caseKeys, caseOf, gsi3Of } from './cases-repo';
import { conditionally, db, tableName } from './client';
import { queryListed } from './listed-items';

type Key = Record<string, unknown>;

/** A case as stored, with the assignee-index keys its item holds now (which may be the old layout's). */
export interface CaseWithIndexKeys {
  case: Case;
  gsi3pk?: string;
  gsi3sk?: string;
}

/** One page of all the tenant's cases, oldest first (C6), with their stored gsi3 keys. */
export async function casesWithIndexKeysPage(tenantId: string, limit: number, startKey?: Key): Promise<{ items: CaseWithIndexKeys[]; lastKey?: Key }> {
  const { items, lastKey } = await queryListed({ list: 'gsi1', keyCondition: 'gsi1pk = :pk', values: { ':pk': caseKeys.all(tenantId).gsi1pk }, limit, startKey });
  return {
    items: items.map((item) => ({
      case: caseOf(item),
      ...(typeof item.gsi3pk === 'string' && { gsi3pk: item.gsi3pk }),
      ...(typeof item.gsi3sk === 'string' && { gsi3sk: item.gsi3sk }),
    })),
    ...(lastKey && { lastKey }),
  };
}

/**
 * The gsi3 keys the case should have (as every save writes them), when its item holds others;
 * undefined when they are right already.
 */
export function assigneeIndexKeysToWrite(tenantId: string, stored: CaseWithIndexKeys): { gsi3pk?: string; gsi3sk?: string } | undefined {
  const wanted = gsi3Of(tenantId, stored.case);
  return wanted.gsi3pk === stored.gsi3pk && wanted.gsi3sk === stored.gsi3sk ? undefined : wanted;
}

/**
 * Writes only the case's gsi3 keys, on the condition that the case is still at the version read:
 * false when it changed meanwhile (that save wrote the keys itself). The version does not move: a
 * client's ETag stays valid, as nothing it can see changed.
 */
export async function writeAssigneeIndexKeys(tenantId: string, c: Case, wanted: { gsi3pk?: string; gsi3sk?: string }): Promise<boolean> {
  const key = caseKeys.case(tenantId, c.caseId);
  return conditionally(() =>
    db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        ...(wanted.gsi3pk !== undefined && wanted.gsi3sk !== undefined
          ? { UpdateExpression: 'SET gsi3pk = :pk, gsi3sk = :sk', ExpressionAttributeValues: { ':pk': wanted.gsi3pk, ':sk': wanted.gsi3sk, ':version': c.version } }
          : { UpdateExpression: 'REMOVE gsi3pk, gsi3sk', ExpressionAttributeValues: { ':version': c.version } }),
        ConditionExpression: 'attribute_exists(pk) AND version = :version',
      }),
    ),
  );
}
