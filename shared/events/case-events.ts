import * as z from '../zod';
import { Iso8601 } from '../schemas/common';
import { CaseStatus, CaseType, Severity, SlaKind } from '../schemas/vocabulary';
import { defineEvent } from './catalog';

// Event data carries ids, states and times only: never a subject, description or note.

/**
 * Where an SLA deadline stands: `running` still counts down (its timer is set), `met` and
 * `breached` are final, `stopped` means the case finished without either being recorded.
 */
export const SlaDeadlineState = z.enum(['running', 'met', 'breached', 'stopped']);
export type SlaDeadlineState = z.infer<typeof SlaDeadlineState>;

export const CaseOpened = defineEvent(
  'Case Opened',
  1,
  'A case was opened for a customer, with its SLA deadlines',
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    type: CaseType,
    severity: Severity,
    category: z.string(),
    assignee: z.optional(z.string()),
    contactIds: z.array(z.string()),
    firstResponseDueAt: Iso8601,
    resolutionDueAt: Iso8601,
  }),
);

export const CaseStatusChanged = defineEvent(
  'Case Status Changed',
  1,
  'A case moved in its lifecycle; `to: open` from resolved or closed is a reopen',
  z.object({ caseId: z.string(), customerId: z.string(), from: CaseStatus, to: CaseStatus }),
);

export const CaseSlaBreached = defineEvent(
  'Case SLA Breached',
  1,
  'A case missed an SLA deadline (first response or resolution): found by its timer and escalated per policy, or met after it passed, before the timer ran (not escalated)',
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    type: CaseType,
    kind: SlaKind,
    dueAt: Iso8601,
    severity: z.described(Severity, 'The severity after escalation'),
    escalated: z.described(z.boolean(), 'Whether the escalation rule changed the severity or the assignee'),
  }),
);

export const CaseResolved = defineEvent(
  'Case Resolved',
  1,
  'A case was resolved; says whether its SLA deadlines were met',
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    type: CaseType,
    severity: Severity,
    openedAt: Iso8601,
    resolvedAt: Iso8601,
    firstResponseBreached: z.boolean(),
    resolutionBreached: z.boolean(),
  }),
);

const SlaDeadline = z.object({
  dueAt: Iso8601,
  state: SlaDeadlineState,
});

export const CaseSlaDeadlinesChanged = defineEvent(
  'Case SLA Deadlines Changed',
  1,
  "A case's running SLA deadlines changed (opened, moved, met, breached, resolved, reopened); says what each deadline is now",
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    caseVersion: z.described(
      z.int().check(z.positive()),
      'The version of the case this describes; a consumer must not let an older one undo a newer',
    ),
    firstResponse: SlaDeadline,
    resolution: SlaDeadline,
  }),
);

/** A reply to the customer went out from a case (SMS or e-mail): the live desk refreshes the case. */
export const CaseReplySent = defineEvent(
  'Case Reply Sent',
  1,
  'An agent sent the customer an SMS or an e-mail from a case; the timeline entry records what was said',
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    entryId: z.described(z.string(), 'The message_sent timeline entry'),
    channel: z.enum(['sms', 'email']),
    assignee: z.optional(z.string()),
  }),
);

/** The customer answered a case (an SMS reply routed to it, or an e-mail): the live desk tells the assignee. */
export const CaseCustomerReplied = defineEvent(
  'Case Customer Replied',
  1,
  "The customer's answer was added to a case's timeline, once per inbound message: an SMS reply to a message sent from the case, or an e-mail to the tenant's inbound mailbox (the case it continued or the inquiry it opened)",
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    entryId: z.described(z.string(), 'The customer_reply timeline entry'),
    channel: z.enum(['sms', 'email']),
    assignee: z.optional(z.string()),
    attachments: z.described(z.optional(z.int().check(z.nonnegative())), 'By e-mail: how many attachments were kept'),
  }),
);

export const CaseAssigned = defineEvent(
  'Case Assigned',
  1,
  "A case's assignee changed (assigned, reassigned, unassigned or escalated to someone): the live channel tells the new assignee's open desk",
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    assignee: z.described(z.nullable(z.string()), 'The agent id the case is assigned to now; null when it was unassigned'),
    previousAssignee: z.optional(z.string()),
  }),
);

export const caseEvents = [CaseOpened, CaseStatusChanged, CaseSlaBreached, CaseResolved, CaseSlaDeadlinesChanged, CaseAssigned, CaseReplySent, CaseCustomerReplied] as const;
