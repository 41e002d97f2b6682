import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally, db, tableName } from './client';
import { tenantPrefix } from './keys';
import { applyOnce, processedKey } from './processed-events';

/** Unmatched replies are kept long enough for a late survey match or a look by support, then expire. */
const unmatchedRetentionSeconds = 30 * 24 * 60 * 60;

export interface UnmatchedSmsReply {
  tenantId: string;
  inboundMessageId: string;
  customerId?: string;
  /** The customer's number and the tenant's (E.164): personal data, kept in the table only, never logged. */
  from: string;
  to: string;
  body: string;
  previousPublishedMessageId?: string;
  receivedAt: string;
}

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
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _gpk, gsi1sk: _gsk, type: _type, expiresAt: _exp, ...reply } = Item;
  return reply as UnmatchedSmsReply;
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
