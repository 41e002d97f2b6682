import { newEvent } from '../events/events';
import { CaseCustomerReplied } from '../events/case-events';
import type { Case, MailAttachment, TimelineEntry } from '../schemas/case';
import { type CaseChange, type CaseContext, applyCaseEvent, openCase } from './case';
import { type RefusedAttachment, caseSubjectOf } from './inbound-mail';

/** What a customer's e-mail adds to a case's timeline. */
export interface MailReply {
  customerId: string;
  subject: string;
  text: string;
  attachments: MailAttachment[];
  refusedAttachments: RefusedAttachment[];
}

/** The category of cases opened from e-mail. */
export const mailCaseCategory = 'e-mail';

/** How a customer's e-mail lands: on the case it answers, or on a new case. */
export type MailCaseDecision = { kind: 'continue'; current: Case } | { kind: 'open'; reason: 'no-thread' | 'unknown-case' | 'other-customer' | 'closed'; relatedCaseId?: string };

/**
 * The case the mail continues: the one its headers quote, when it is a case of the tenant (the
 * read is in the tenant's partition, so another tenant's case id finds nothing), of the sender
 * (a forwarded thread does not let someone else write into a customer's case) and not closed (a
 * closed case is history: the customer's new mail is a new case, which names the old one).
 */
export function decideMailCase(quotedCaseId: string | undefined, quoted: Case | undefined, customerId: string): MailCaseDecision {
  if (!quotedCaseId) return { kind: 'open', reason: 'no-thread' };
  if (!quoted) return { kind: 'open', reason: 'unknown-case' };
  if (quoted.customerId !== customerId) return { kind: 'open', reason: 'other-customer' };
  if (quoted.status === 'closed') return { kind: 'open', reason: 'closed', relatedCaseId: quoted.caseId };
  return { kind: 'continue', current: quoted };
}

/**
 * The customer's reply on the case: a `customer_reply` entry (channel email, the text, the
 * subject, the attachments kept and refused) and Case Customer Replied. A resolved case is
 * reopened first, as an answer to "we think this is solved" usually says it is not; a case
 * awaiting the customer goes back in progress (applyCaseEvent).
 */
export function mailReplyChange(current: Case, reply: MailReply, context: CaseContext): CaseChange {
  const reopened = current.status === 'resolved' ? applyCaseEvent(current, { type: 'status_change', to: 'open', reason: 'The customer replied by e-mail' }, context) : undefined;
  const answered = withMail(applyCaseEvent(reopened?.next ?? current, { type: 'customer_reply', channel: 'email', ...(reply.text && { text: reply.text }) }, context), reply, context);
  if (!reopened) return answered;
  return { next: answered.next, entries: [...reopened.entries, ...answered.entries], events: [...reopened.events, ...answered.events] };
}

/** A new inquiry for the customer, titled by the mail's subject, with the mail as its first reply. */
export function mailCaseChange(reply: MailReply, context: CaseContext & { caseId: string }, relatedCaseId?: string): CaseChange {
  const opened = openCase(
    {
      type: 'inquiry',
      severity: 'medium',
      category: mailCaseCategory,
      subject: caseSubjectOf(reply.subject),
      customerId: reply.customerId,
      ...(relatedCaseId && { description: `The customer wrote again after ${relatedCaseId} was closed.` }),
    },
    context,
  );
  const answered = withMail(applyCaseEvent(opened.next, { type: 'customer_reply', channel: 'email', ...(reply.text && { text: reply.text }) }, context), reply, context);
  // Still the case's first version to the outside: it was opened and answered in one write.
  return { next: { ...answered.next, version: opened.next.version }, entries: [...opened.entries, ...answered.entries], events: [...opened.events, ...answered.events] };
}

function withMail(change: CaseChange, reply: MailReply, context: CaseContext): CaseChange {
  const entries = change.entries.map((entry): TimelineEntry =>
    entry.type === 'customer_reply'
      ? {
          ...entry,
          ...(reply.subject && { subject: reply.subject }),
          ...(reply.attachments.length > 0 && { attachments: reply.attachments }),
          ...(reply.refusedAttachments.length > 0 && { refusedAttachments: reply.refusedAttachments }),
        }
      : entry,
  );
  const replyEntry = entries.find((entry) => entry.type === 'customer_reply')!;
  const event = newEvent(
    CaseCustomerReplied,
    context.tenantId,
    { caseId: change.next.caseId, customerId: change.next.customerId, channel: 'email', entryId: replyEntry.entryId, attachments: reply.attachments.length },
    context.now,
  );
  return { ...change, entries, events: [...change.events, event] };
}
