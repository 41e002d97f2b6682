import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod';
import { conditionally, db, tableName } from './client';
import { queryListed } from './listed-items';
import { tenantPrefix } from './keys';
import { applyOnce, processedKey } from './processed-events';
import { parseOptionalItem } from './stored-item';

/** Unmatched replies are kept long enough for a late survey match or a look by support, then expire. */
const unmatchedRetentionSeconds = 30 * 24 * 60 * 60;

const UnmatchedSmsReply = z.object({
  tenantId: z.string(),
  inboundMessageId: z.string(),
  customerId: z.optional(z.string()),
  /** The customer's number and the tenant's (E.164): personal data, kept in the table only, never logged. */
  from: z.string(),
  to: z.string(),
  body: z.string(),
  previousPublishedMessageId: z.optional(z.string()),
  receivedAt: z.string(),
  /** Why a reply that quoted a survey's message was not taken as its answer. */
  reason: z.optional(z.enum(['sender-not-surveyed'])),
});
export type UnmatchedReason = NonNullable<UnmatchedSmsReply['reason']>;
export type UnmatchedSmsReply = z.infer<typeof UnmatchedSmsReply>;

export const unmatchedReplyKeys = (tenantId: string, inboundMessageId: string, receivedAt: string) => ({
  pk: `${tenantPrefix(tenantId)}#SMSIN#${inboundMessageId}`,
  sk: 'UNMATCHED',
  gsi1pk: `${tenantPrefix(tenantId)}#SMS_UNMATCHED`,
  gsi1sk: `${receivedAt}#${inboundMessageId}`,
});

/** Records a reply no conversation claimed; a redelivered reply is recorded once. */
export async function putUnmatchedReply(reply: UnmatchedSmsReply): Promise<'recorded' | 'duplicate'> {
  const written = await conditionally(() =>
    db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...unmatchedReplyKeys(reply.tenantId, reply.inboundMessageId, reply.receivedAt),
          type: 'UnmatchedSmsReply',
          ...reply,
          expiresAt: Math.floor(Date.parse(reply.receivedAt) / 1000) + unmatchedRetentionSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  return written ? 'recorded' : 'duplicate';
}

export async function getUnmatchedReply(tenantId: string, inboundMessageId: string): Promise<UnmatchedSmsReply | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: { pk: `${tenantPrefix(tenantId)}#SMSIN#${inboundMessageId}`, sk: 'UNMATCHED' }, ConsistentRead: true }),
  );
  return parseOptionalItem(UnmatchedSmsReply, Item);
}

/**
 * Replaces the body and sender number of an erased customer's unmatched replies with `marker`.
 * They are found on the tenant's list of unmatched replies (at most 30 days of them); a reply
 * already scrubbed is passed over, so a second run writes nothing. Returns how many it changed.
 */
export async function scrubCustomerUnmatchedReplies(tenantId: string, customerId: string, marker: string): Promise<number> {
  let scrubbed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const { items: Items, lastKey: LastEvaluatedKey } = await queryListed({
      list: 'gsi1',
      keyCondition: 'gsi1pk = :list',
      values: { ':list': `${tenantPrefix(tenantId)}#SMS_UNMATCHED` },
      attributes: { expression: 'customerId, body' },
      startKey,
      keep: (item) => item.customerId === customerId && item.body !== marker,
    });
    for (const item of Items ?? []) {
      const written = await conditionally(() =>
        db().send(
          new UpdateCommand({
            TableName: tableName(),
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET body = :marker, #from = :marker',
            ConditionExpression: 'attribute_exists(pk) AND body <> :marker',
            ExpressionAttributeNames: { '#from': 'from' },
            ExpressionAttributeValues: { ':marker': marker },
          }),
        ),
      );
      if (written) scrubbed += 1;
    }
    startKey = LastEvaluatedKey;
  } while (startKey);
  return scrubbed;
}

const answeredConsumer = 'sms-inbound-answer';

/**
 * Sends the answer to one inbound message (a HELP text, a STOP confirmation) unless it was already
 * sent: a marker is written after the send, so a redelivered message finds it and sends nothing.
 * Between a send and its marker a crash could let a redelivery send once more; never zero times.
 */
export async function answerOnce(tenantId: string, inboundMessageId: string, send: () => Promise<void>): Promise<'sent' | 'already-sent'> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: processedKey(answeredConsumer, tenantId, inboundMessageId), ConsistentRead: true }),
  );
  if (Item) return 'already-sent';
  await send();
  await applyOnce(answeredConsumer, tenantId, inboundMessageId, []);
  return 'sent';
}
