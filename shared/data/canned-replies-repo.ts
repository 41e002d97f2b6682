import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CannedReply } from '../schemas/case-reply';
import { conditionally, db, tableName } from './client';
import { tenantPrefix } from './keys';
import { parseItem } from './stored-item';

/** A tenant's canned replies share one small partition, listed by their time-ordered ids. */
export const cannedReplyKeys = {
  reply: (tenantId: string, cannedReplyId: string) => ({ pk: `${tenantPrefix(tenantId)}#CANNED`, sk: `CR#${cannedReplyId}` }),
  list: (tenantId: string) => ({ pk: `${tenantPrefix(tenantId)}#CANNED` }),
  prefix: 'CR#',
};

/** Most canned replies a tenant keeps: the picker lists them all. */
export const maxCannedRepliesPerTenant = 200;

/** The canned reply changed (or was deleted) since it was read. */
export class StaleCannedReply extends Error {}

const item = (tenantId: string, reply: CannedReply) => ({ ...cannedReplyKeys.reply(tenantId, reply.cannedReplyId), type: 'CannedReply', ...reply });
const replyOf = (stored: Record<string, unknown>) => parseItem(CannedReply, stored);

export async function insertCannedReply(tenantId: string, reply: CannedReply): Promise<void> {
  await db().send(new PutCommand({ TableName: tableName(), Item: item(tenantId, reply), ConditionExpression: 'attribute_not_exists(pk)' }));
}

export async function getCannedReply(tenantId: string, cannedReplyId: string): Promise<CannedReply | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: cannedReplyKeys.reply(tenantId, cannedReplyId), ConsistentRead: true }));
  return Item ? replyOf(Item) : undefined;
}

export async function listCannedReplies(tenantId: string, limit: number, startKey?: Record<string, unknown>): Promise<{ items: CannedReply[]; lastKey?: Record<string, unknown> }> {
  const { Items = [], LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': cannedReplyKeys.list(tenantId).pk, ':prefix': cannedReplyKeys.prefix },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: Items.map(replyOf), lastKey: LastEvaluatedKey };
}

export async function countCannedReplies(tenantId: string): Promise<number> {
  const { Count } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': cannedReplyKeys.list(tenantId).pk, ':prefix': cannedReplyKeys.prefix },
      Select: 'COUNT',
    }),
  );
  return Count ?? 0;
}

/** Writes `next` if the stored reply is still at `expectedVersion`; StaleCannedReply otherwise. */
export async function replaceCannedReply(tenantId: string, expectedVersion: number, next: CannedReply): Promise<void> {
  const written = await conditionally(() =>
    db().send(
      new PutCommand({
        TableName: tableName(),
        Item: item(tenantId, next),
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    ),
  );
  if (!written) throw new StaleCannedReply();
}

/** False when there was none. */
export async function deleteCannedReply(tenantId: string, cannedReplyId: string): Promise<boolean> {
  return conditionally(() =>
    db().send(new DeleteCommand({ TableName: tableName(), Key: cannedReplyKeys.reply(tenantId, cannedReplyId), ConditionExpression: 'attribute_exists(pk)' })),
  );
}
