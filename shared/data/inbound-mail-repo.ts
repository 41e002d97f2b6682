import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod';
import { caseKeys } from './cases-repo';
import { db, tableName } from './client';
import { processedMarkerPut } from './processed-events';
import { parseOptionalItem } from './stored-item';

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
