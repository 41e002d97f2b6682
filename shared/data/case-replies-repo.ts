import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CaseChange } from '../domain/case';
import * as z from '../zod';
import { saveCaseChange } from './cases-repo';
import { db, tableName } from './client';
import { keys } from './keys';
import { processedMarkerPut } from './processed-events';
import { parseOptionalItem } from './stored-item';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The SMS conversation of a customer with one of the tenant's numbers: the case we last texted
 * the customer from, from that number, and when. It sits in the customer's partition, one item per
 * tenant number, overwritten by every SMS reply sent from a case, so the customer's next SMS to
 * that number (when it is no survey answer) finds its case with one read.
 */
export const smsConversationKey = (tenantId: string, customerId: string, tenantNumber: string) => ({
  pk: keys.customer(tenantId, customerId).pk,
  sk: `SMSCONV#${tenantNumber}`,
});

const SmsConversation = z.object({ caseId: z.string(), lastSentAt: z.string() });
export type SmsConversation = z.infer<typeof SmsConversation>;

export async function getSmsConversation(tenantId: string, customerId: string, tenantNumber: string): Promise<SmsConversation | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: tableName(), Key: smsConversationKey(tenantId, customerId, tenantNumber), ConsistentRead: true }));
  return parseOptionalItem(SmsConversation, Item);
}

/** The reply sent, recorded on the case; an SMS reply also points the conversation at the case. */
export async function saveReplySent(
  tenantId: string,
  expectedVersion: number,
  change: CaseChange,
  conversation?: { customerId: string; tenantNumber: string; sentAt: string },
): Promise<void> {
  const pointer: TransactItem[] = conversation
    ? [
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...smsConversationKey(tenantId, conversation.customerId, conversation.tenantNumber),
              type: 'SmsConversation',
              caseId: change.next.caseId,
              lastSentAt: conversation.sentAt,
            },
          },
        },
      ]
    : [];
  await saveCaseChange(tenantId, expectedVersion, change, pointer);
}

const smsCaseReplyConsumer = 'sms-case-reply';

/**
 * The customer's SMS answer on the case, once per inbound message: a marker for the message is
 * the transaction's last write. 'duplicate' when the marker exists (the message was applied
 * before); StaleCase when the case changed since it was read.
 */
export async function saveCustomerSmsReplyOnce(
  tenantId: string,
  expectedVersion: number,
  change: CaseChange,
  inboundMessageId: string,
  receivedAt: string,
): Promise<'applied' | 'duplicate'> {
  const marker = processedMarkerPut(smsCaseReplyConsumer, tenantId, inboundMessageId, { expiresFrom: receivedAt, attributes: { caseId: change.next.caseId } });
  try {
    await saveCaseChange(tenantId, expectedVersion, change, [marker]);
    return 'applied';
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.at(-1)?.Code === 'ConditionalCheckFailed') return 'duplicate';
    throw error;
  }
}
