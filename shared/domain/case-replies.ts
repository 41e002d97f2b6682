import { newEvent } from '../events/events';
import { CaseCustomerReplied, CaseReplySent } from '../events/case-events';
import type { Case } from '../schemas/case';
import { type CaseChange, type CaseContext, applyCaseEvent } from './case';
import { afterQuietHours } from './surveys/rules';

/**
 * What a reply from a case does to the case. Sending is recorded as a note the customer was told
 * (so it meets the first-response deadline exactly as such a note does), written as a
 * `message_sent` entry with its channel and delivery state; the customer's SMS answer is a
 * `customer_reply` (which puts a case awaiting the customer back in progress). Each adds the event
 * the live desk listens for.
 */

export interface SentMessage {
  channel: 'sms' | 'email';
  text: string;
  subject?: string;
  messageId: string;
  cannedReplyId?: string;
}

/** `entryId`: the id of the message_sent entry, chosen before sending (an e-mail's Message-ID names it). */
export function replySentChange(current: Case, message: SentMessage, context: CaseContext & { entryId: string }): CaseChange {
  let first = true;
  const change = applyCaseEvent(current, { type: 'note', text: message.text, visibility: 'customer' }, {
    ...context,
    newEntryId: () => (first ? ((first = false), context.entryId) : context.newEntryId()),
  });
  const entries = change.entries.map((entry) =>
    entry.entryId === context.entryId
      ? {
          entryId: entry.entryId,
          type: 'message_sent' as const,
          at: entry.at,
          actor: entry.actor,
          visibility: 'customer' as const,
          channel: message.channel,
          text: message.text,
          ...(message.subject !== undefined && { subject: message.subject }),
          messageId: message.messageId,
          deliveryState: 'sent' as const,
          ...(message.cannedReplyId !== undefined && { cannedReplyId: message.cannedReplyId }),
        }
      : entry,
  );
  const event = newEvent(
    CaseReplySent,
    context.tenantId,
    { caseId: current.caseId, customerId: current.customerId, entryId: context.entryId, channel: message.channel, assignee: change.next.assignee },
    context.now,
  );
  return { ...change, entries, events: [...change.events, event] };
}

/** The customer's SMS answer on the case's timeline, with Case Customer Replied. */
export function customerSmsReplyChange(current: Case, reply: { text: string; inboundMessageId: string }, context: CaseContext): CaseChange {
  const change = applyCaseEvent(current, { type: 'customer_reply', text: reply.text, channel: 'sms' }, context);
  const [entry, ...rest] = change.entries;
  const replyEntry = { ...entry!, messageId: reply.inboundMessageId };
  const event = newEvent(
    CaseCustomerReplied,
    context.tenantId,
    { caseId: current.caseId, customerId: current.customerId, entryId: replyEntry.entryId, channel: 'sms', assignee: change.next.assignee },
    context.now,
  );
  return { ...change, entries: [replyEntry, ...rest], events: [...change.events, event] };
}

/**
 * When an SMS may go to the customer: now, or the end of the tenant's quiet hours (the same
 * window surveys keep, settings.surveys.quietHours, on the tenant's wall clock). Null quiet hours:
 * always now.
 */
export function smsSendableAt(now: Date, quietHours: { start: string; end: string } | null, timezone: string): Date {
  return quietHours ? afterQuietHours(now, quietHours, timezone) : now;
}

/**
 * How long after our last SMS from a case the customer's SMS is still an answer to it, when it is
 * no survey answer (docs/sms.md, "Replies from a case").
 */
export const smsConversationDays = 14;

/** Whether an SMS conversation opened at `lastSentAt` on a case in `status` still takes the customer's replies at `now`. */
export function conversationOpen(conversation: { lastSentAt: string }, status: Case['status'], now: Date): boolean {
  return status !== 'closed' && now.getTime() - Date.parse(conversation.lastSentAt) <= smsConversationDays * 24 * 60 * 60 * 1000;
}
