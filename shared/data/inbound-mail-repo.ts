import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod';
import { caseKeys } from './cases-repo';
import { db, tableName } from './client';
import { processedMarkerPut } from './processed-events';
import { parseItem, parseOptionalItem } from './stored-item';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The consumer name of the once-per-message markers (shared/data/processed-events.ts). */
export const inboundMailConsumer = 'mail-inbound';

/**
 * What became of one inbound message for one tenant, kept as its once-only marker
 * (`T#<tenantId>#DONE#mail-inbound#<SES message id>`): the case it went to, or why it went nowhere.
 */
export type MailOutcome =
  | { outcome: 'continued' | 'opened'; caseId: string; customerId: string; customerCreated?: boolean }
  | { outcome: 'refused-spam' | 'refused-virus' | 'automatic' | 'no-sender'; detail?: string };

export const mailOutcomeMarker = (tenantId: string, messageId: string, outcome: MailOutcome, receivedAt: string): TransactItem =>
  processedMarkerPut(inboundMailConsumer, tenantId, messageId, { attributes: { ...outcome, receivedAt } });

/** Records a message that changes no case (refused, automatic, without a sender): 'duplicate' when it was recorded before. */
export async function recordMailOutcome(tenantId: string, messageId: string, outcome: MailOutcome, receivedAt: string): Promise<'recorded' | 'duplicate'> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: [mailOutcomeMarker(tenantId, messageId, outcome, receivedAt)] }));
    return 'recorded';
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
    throw error;
  }
}

/** Whether the transaction failed on its last write: the message's marker, already there. */
export const failedOnMarker = (error: unknown): boolean =>
  error instanceof TransactionCanceledException && error.CancellationReasons?.at(-1)?.Code === 'ConditionalCheckFailed';

/**
 * A kept attachment, beside its case's timeline (`T#<tenantId>#CASE#<caseId>`, `ATT#<attachmentId>`):
 * where its bytes are in the mail bucket and what to call them. Read by the download route with
 * the case id, so a case of another tenant, or another case, finds nothing.
 */
export interface StoredAttachment {
  attachmentId: string;
  entryId: string;
  objectKey: string;
  name: string;
  type: string;
  size: number;
}

const attachmentKey = (tenantId: string, caseId: string, attachmentId: string) => ({ pk: caseKeys.case(tenantId, caseId).pk, sk: `ATT#${attachmentId}` });

export const attachmentPut = (tenantId: string, caseId: string, attachment: StoredAttachment): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: { ...attachmentKey(tenantId, caseId, attachment.attachmentId), ...attachment, mediaType: attachment.type, type: 'CaseAttachment' },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

// `type` names the item kind; the attachment's media type is stored as `mediaType`.
const AttachmentItem = z.object({
  attachmentId: z.string(),
  entryId: z.string(),
  objectKey: z.string(),
  name: z.string(),
  mediaType: z.string(),
  size: z.number(),
});

export async function getCaseAttachment(tenantId: string, caseId: string, attachmentId: string): Promise<StoredAttachment | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: attachmentKey(tenantId, caseId, attachmentId) }));
  const stored = parseOptionalItem(AttachmentItem, Item);
  if (!stored) return undefined;
  const { mediaType, ...rest } = stored;
  return { ...rest, type: mediaType };
}

/**
 * Which raw message in the mail bucket (`inbound/<SES message id>`) a case's customer sent, beside
 * the case's timeline (`T#<tenantId>#CASE#<caseId>`, `MAIL#<SES message id>`): written with the
 * reply, so that erasing the customer finds the raw message, with its words and address, by the case.
 */
export interface StoredInboundMessage {
  messageId: string;
  entryId: string;
  objectKey: string;
}

const inboundMessageKey = (tenantId: string, caseId: string, messageId: string) => ({ pk: caseKeys.case(tenantId, caseId).pk, sk: `MAIL#${messageId}` });

// Unconditional: only a first delivery reaches the transaction (the marker, last, refuses a second).
export const inboundMessagePut = (tenantId: string, caseId: string, message: StoredInboundMessage): TransactItem => ({
  Put: { TableName: tableName(), Item: { ...inboundMessageKey(tenantId, caseId, message.messageId), ...message, type: 'CaseInboundMessage' } },
});

/** A case's item that names an object in the mail bucket: a kept attachment (`ATT#`) or the raw message a reply came in (`MAIL#`). */
export interface CaseMailObject {
  sk: string;
  objectKey: string;
}
export type CaseMailObjectKind = 'attachment' | 'message';
const mailObjectPrefixes: Record<CaseMailObjectKind, string> = { attachment: 'ATT#', message: 'MAIL#' };

const MailObjectItem = z.object({ sk: z.string(), objectKey: z.string() });

/** One page of a case's attachment or raw-message items (one Query in the case's partition). */
export async function caseMailObjectsPage(
  tenantId: string,
  caseId: string,
  kind: CaseMailObjectKind,
  startKey?: Record<string, unknown>,
): Promise<{ objects: CaseMailObject[]; lastKey?: Record<string, unknown> }> {
  const { Items = [], LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :kind)',
      ExpressionAttributeValues: { ':pk': caseKeys.case(tenantId, caseId).pk, ':kind': mailObjectPrefixes[kind] },
      ProjectionExpression: 'sk, objectKey',
      ConsistentRead: true,
      ExclusiveStartKey: startKey,
    }),
  );
  return { objects: Items.map((item) => parseItem(MailObjectItem, item)), lastKey: LastEvaluatedKey };
}

/** Deletes a case's attachment or raw-message item; one already deleted is no error. */
export async function deleteCaseMailObject(tenantId: string, caseId: string, object: CaseMailObject): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: { pk: caseKeys.case(tenantId, caseId).pk, sk: object.sk } }));
}
