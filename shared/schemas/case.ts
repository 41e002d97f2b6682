import * as z from '../zod';
import { Iso8601, PaginationQuery } from './common';
import { AgentId, Assignee } from './agent';
import { CaseStatus, CaseType, Severity, SlaKind } from './vocabulary';

export { CaseStatus, CaseType, Severity, SlaKind } from './vocabulary';
export { Assignee } from './agent';

const ContactId = z.withMeta(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a contact id')), { maxLength: 64 });

// ---------------------------------------------------------------- SLA policy (tenant settings)

export const SlaUnit = z.enum(['minutes', 'hours', 'days', 'businessHours', 'businessDays']);
export type SlaUnit = z.infer<typeof SlaUnit>;

/** The longest target of each unit: a year of calendar time, a working year of business time. */
const maxAmount: Record<SlaUnit, number> = { minutes: 525_600, hours: 8_760, days: 365, businessHours: 2_000, businessDays: 250 };

export const SlaDuration = z.described(
  z
    .strictObject({ amount: z.int().check(z.gte(1)), unit: SlaUnit })
    .check(z.refine((d) => d.amount <= maxAmount[d.unit], { message: 'Too long for its unit', path: ['amount'] })),
  'minutes/hours: elapsed time; days: the same local time n calendar days later in the tenant time zone; ' +
    'businessHours: time inside settings.businessHours, with settings.specialDays replacing the hours of their dates (a holiday counts none); ' +
    'businessDays: closing time of the n-th open day after the day the clock starts (a holiday is no open day)',
);
export type SlaDuration = z.infer<typeof SlaDuration>;

const SlaTarget = z.strictObject({ firstResponse: SlaDuration, resolution: SlaDuration });
const SeverityTargets = z.strictObject({ low: SlaTarget, medium: SlaTarget, high: SlaTarget, critical: SlaTarget });

export const EscalationRule = z.strictObject({
  raiseSeverity: z.described(z.boolean(), 'Raise the severity one step (low → medium → high → critical)'),
  assignTo: z.described(z.optional(Assignee), 'Reassign the case to this agent or queue'),
});

export const SlaPolicy = z.withMeta(
  z.strictObject({
    targets: z.strictObject({ complaint: SeverityTargets, request: SeverityTargets, inquiry: SeverityTargets }),
    escalation: z.strictObject({ firstResponse: EscalationRule, resolution: EscalationRule }),
  }),
  { id: 'SlaPolicy', description: 'Deadlines per case type and severity, and what happens when one is missed' },
);
export type SlaPolicy = z.infer<typeof SlaPolicy>;

const SlaTargetPatch = z.partial(SlaTarget);
const SeverityTargetsPatch = z.partial(
  z.strictObject({
    low: SlaTargetPatch,
    medium: SlaTargetPatch,
    high: SlaTargetPatch,
    critical: SlaTargetPatch,
  }),
);
const EscalationRulePatch = z.partial(z.strictObject({ raiseSeverity: z.boolean(), assignTo: z.nullable(Assignee) }));

export const SlaPolicyPatch = z.described(
  z.partial(
    z.strictObject({
      targets: z.partial(z.strictObject({ complaint: SeverityTargetsPatch, request: SeverityTargetsPatch, inquiry: SeverityTargetsPatch })),
      escalation: z.partial(z.strictObject({ firstResponse: EscalationRulePatch, resolution: EscalationRulePatch })),
    }),
  ),
  'Deep merge into the policy: only the targets named change; assignTo null removes it',
);
export type SlaPolicyPatch = z.infer<typeof SlaPolicyPatch>;

// ---------------------------------------------------------------- service recovery

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));
const minorDigits = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

export const Compensation = z
  .strictObject({
    type: z.enum(['refund', 'credit', 'voucher', 'replacement', 'goodwill', 'other']),
    amount: z.number().check(z.gte(0), z.lte(1_000_000_000)),
    currency: z.withMeta(
      z.string().check(z.refine((c) => /^[A-Z]{3}$/.test(c) && knownCurrencies.has(c), { message: 'Must be an ISO 4217 currency code such as TWD' })),
      { pattern: '^[A-Z]{3}$', maxLength: 3 },
    ),
  })
  .check(
    z.refine((c) => !knownCurrencies.has(c.currency) || Number.isInteger(c.amount * 10 ** minorDigits(c.currency)), {
      message: 'More decimals than the currency has',
      path: ['amount'],
    }),
  );

export const FollowUp = z.strictObject({
  customerSatisfied: z.boolean(),
  checkedAt: Iso8601,
});

export const ServiceRecovery = z.withMeta(
  z.partial(
    z.strictObject({
      apologyGiven: z.boolean(),
      remedy: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
      compensation: Compensation,
      followUp: FollowUp,
    }),
  ),
  { id: 'ServiceRecovery', description: 'Complaints only: apology, remedy, compensation and the follow-up check' },
);
export type ServiceRecovery = z.infer<typeof ServiceRecovery>;

/** The guided steps of service recovery, each recorded on the timeline when it is taken. */
export const RecoveryStep = z.enum(['apology', 'remedy', 'compensation', 'follow_up']);
export type RecoveryStep = z.infer<typeof RecoveryStep>;

// ---------------------------------------------------------------- cases

export const CreateCaseBody = z.withMeta(
  z.strictObject({
    type: CaseType,
    severity: z._default(Severity, 'medium'),
    category: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    subject: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    description: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000))),
    customerId: z.described(z.string().check(z.maxLength(64)), 'An existing customer of the tenant'),
    contactIds: z.optional(z.array(ContactId).check(z.maxLength(50))),
    assignee: z.optional(Assignee),
    surveyId: z.described(
      z.optional(z.withMeta(z.string().check(z.regex(/^svy_[0-9A-Z]{26}$/, 'Must be a survey id')), { maxLength: 30 })),
      'The survey this case follows up',
    ),
    agentId: z.described(z.optional(AgentId), 'The agent of the contact the case is about (an agent id, as on the contact)'),
  }),
  { id: 'CreateCase' },
);
export type CreateCaseBody = z.infer<typeof CreateCaseBody>;

export const UpdateCaseBody = z.withMeta(
  z.partial(
    z.strictObject({
      type: CaseType,
      severity: Severity,
      category: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
      subject: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
      assignee: z.nullable(Assignee),
      serviceRecovery: ServiceRecovery,
    }),
  ),
  {
    id: 'UpdateCase',
    description: 'Fields to change; assignee null unassigns; serviceRecovery fields are merged into the record',
  },
);
export type UpdateCaseBody = z.infer<typeof UpdateCaseBody>;

export const CaseEventBody = z.withMeta(
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('note'),
      text: z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000)),
      visibility: z.described(
        z._default(z.enum(['internal', 'customer']), 'internal'),
        'customer: the note was sent to the customer, and counts as the first response',
      ),
    }),
    z.strictObject({ type: z.literal('assign'), assignee: z.nullable(Assignee) }),
    z.strictObject({
      type: z.literal('status_change'),
      to: CaseStatus,
      reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
    }),
    z.strictObject({
      type: z.literal('customer_reply'),
      text: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000))),
      channel: z.optional(z.enum(['voice', 'chat', 'email', 'sms', 'web', 'walk_in'])),
      contactId: z.optional(ContactId),
    }),
    z.strictObject({ type: z.literal('link_contact'), contactId: ContactId }),
    z.strictObject({
      type: z.literal('service_recovery'),
      step: z.described(RecoveryStep, 'The step of service recovery this records: one step, one timeline entry'),
      remedy: z.described(z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))), 'remedy: what is done to put it right (required)'),
      compensation: z.described(z.optional(Compensation), 'compensation: what the customer is given (required)'),
      customerSatisfied: z.described(z.optional(z.boolean()), 'follow_up: whether the customer was satisfied when checked (required)'),
    }),
  ]),
  { id: 'CaseEventInput' },
);
export type CaseEventBody = z.infer<typeof CaseEventBody>;

export const SlaClock = z.object({
  startedAt: Iso8601,
  dueAt: Iso8601,
  metAt: z.optional(Iso8601),
  breachedAt: z.described(z.optional(Iso8601), 'Set once when the deadline passed unmet; equals dueAt'),
});
export type SlaClock = z.infer<typeof SlaClock>;

export const Escalation = z.object({
  kind: SlaKind,
  at: Iso8601,
  fromSeverity: Severity,
  toSeverity: Severity,
  assignee: z.optional(Assignee),
});

export const Case = z.withMeta(
  z.object({
    caseId: z.string(),
    type: CaseType,
    severity: Severity,
    category: z.string(),
    subject: z.string(),
    description: z.optional(z.string()),
    customerId: z.string(),
    contactIds: z.array(z.string()),
    assignee: z.optional(Assignee),
    surveyId: z.described(z.optional(z.string()), 'The survey this case follows up (service recovery)'),
    agentId: z.described(z.optional(AgentId), 'The agent of the contact the case is about'),
    status: CaseStatus,
    sla: z.object({ firstResponse: SlaClock, resolution: SlaClock }),
    breached: z.described(z.boolean(), 'Whether any SLA deadline of this case was ever missed'),
    escalations: z.array(Escalation),
    serviceRecovery: z.optional(ServiceRecovery),
    openedAt: Iso8601,
    resolvedAt: z.optional(Iso8601),
    closedAt: z.optional(Iso8601),
    reopenedAt: z.optional(Iso8601),
    personalDataErasedAt: z.described(z.optional(Iso8601), "When the customer's erasure removed this record's personal data"),
    version: z.int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  }),
  { id: 'Case' },
);
export type Case = z.infer<typeof Case>;

export const MailAttachment = z.withMeta(
  z.object({
    attachmentId: z.string(),
    name: z.described(z.string(), 'The file name the sender gave'),
    type: z.described(z.string(), 'Its media type, as the sender declared it'),
    size: z.described(z.int(), 'Bytes, decoded'),
  }),
  { id: 'MailAttachment' },
);
export type MailAttachment = z.infer<typeof MailAttachment>;

export const RefusedMailAttachment = z.withMeta(
  z.object({
    name: z.string(),
    type: z.string(),
    size: z.int(),
    reason: z.described(
      z.enum(['too-large', 'message-too-large', 'too-many']),
      'too-large: over the limit per attachment; message-too-large: the kept attachments would pass the limit per message; too-many: more attachments than a message may keep',
    ),
  }),
  { id: 'RefusedMailAttachment' },
);

export const TimelineEntryType = z.enum([
  'opened',
  'updated',
  'note',
  'assign',
  'status_change',
  'customer_reply',
  'link_contact',
  'sla_breached',
  'service_recovery',
  'message_sent',
]);

export const TimelineEntry = z.withMeta(
  z.object({
    entryId: z.string(),
    type: TimelineEntryType,
    at: Iso8601,
    actor: z.described(z.string(), 'Who made the change: the agent id of the person signed in, the id of the API key (`key_…`), or "system"'),
    text: z.optional(z.string()),
    visibility: z.optional(z.enum(['internal', 'customer'])),
    assignee: z.optional(z.nullable(Assignee)),
    from: z.optional(CaseStatus),
    to: z.optional(CaseStatus),
    reason: z.optional(z.string()),
    channel: z.optional(z.string()),
    contactId: z.optional(z.string()),
    kind: z.optional(SlaKind),
    dueAt: z.optional(Iso8601),
    fields: z.described(z.optional(z.array(z.string())), 'updated: the fields that changed'),
    severity: z.optional(Severity),
    step: z.described(z.optional(RecoveryStep), 'service_recovery: the step taken (the remedy is in text)'),
    compensation: z.described(z.optional(Compensation), 'service_recovery, step compensation: what the customer was given'),
    customerSatisfied: z.described(z.optional(z.boolean()), 'service_recovery, step follow_up: the customer was satisfied when checked'),
    subject: z.described(z.optional(z.string()), 'message_sent or customer_reply by e-mail: its subject'),
    messageId: z.described(z.optional(z.string()), 'message_sent: the id the SMS or mail service gave the message; customer_reply by SMS: the inbound message id'),
    deliveryState: z.described(z.optional(z.enum(['sent'])), 'message_sent: sent = accepted by AWS for delivery'),
    cannedReplyId: z.described(z.optional(z.string()), 'message_sent: the canned reply it was written from'),
    attachments: z.described(z.optional(z.array(MailAttachment)), 'customer_reply by e-mail: the attachments kept, each downloadable from GET /v1/cases/{caseId}/attachments/{attachmentId}'),
    refusedAttachments: z.described(z.optional(z.array(RefusedMailAttachment)), 'customer_reply by e-mail: the attachments not kept, and why'),
  }),
  { id: 'CaseTimelineEntry' },
);
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** GET /v1/cases/{caseId} shows at most this many of the most recent timeline entries. */
export const timelineCap = 100;

export const CaseWithTimeline = z.withMeta(
  z.extend(Case, {
    timeline: z.described(z.array(TimelineEntry), `The most recent ${timelineCap} entries, oldest first`),
    timelineTruncated: z.described(z.boolean(), 'Older entries exist beyond those shown'),
    allowedTransitions: z.described(z.array(CaseStatus), 'The statuses the case may move to now (a status_change to any other answers 409)'),
  }),
  { id: 'CaseWithTimeline' },
);

export const CaseEventResult = z.withMeta(z.object({ entry: TimelineEntry, case: Case }), { id: 'CaseEventResult' });

export const CaseIdParams = z.object({ caseId: z.string().check(z.maxLength(64)) });

export const AttachmentDownload = z.withMeta(
  z.object({
    url: z.described(z.string(), "A link to the file's bytes that needs no credential and works until expiresAt; it answers the file as an attachment with its name and media type"),
    expiresAt: Iso8601,
    name: z.string(),
    type: z.string(),
    size: z.int(),
  }),
  { id: 'AttachmentDownload' },
);

export const CaseAttachmentParams = z.object({ caseId: z.string().check(z.maxLength(64)), attachmentId: z.string().check(z.maxLength(64)) });

export const ListCasesQuery = z.extend(PaginationQuery, {
  status: z.optional(CaseStatus),
  type: z.optional(CaseType),
  assignee: z.optional(Assignee),
  customerId: z.optional(z.string().check(z.maxLength(64))),
  breached: z.optional(
    z.pipe(
      z.enum(['true', 'false']),
      z.transform((value) => value === 'true'),
    ),
  ),
});
export type ListCasesQuery = z.infer<typeof ListCasesQuery>;

/** GET /v1/case-queue: the open cases no agent holds, or those of one queue. */
export const CaseQueueQuery = z.extend(PaginationQuery, {
  queue: z.described(
    z.optional(z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[^#\p{Cc}]+$/u, 'A queue name has no # or control characters'))),
    'A queue name: the open cases assigned to queue:<name> instead of the unassigned ones',
  ),
});
export type CaseQueueQuery = z.infer<typeof CaseQueueQuery>;

export const MyCasesQuery = z.extend(PaginationQuery, {});

/** What one agent (or the unassigned queue) holds open, as GET /v1/case-workload counts it. */
export const AgentLoad = z.object({
  open: z.described(z.int(), 'Cases not resolved or closed'),
  breached: z.described(z.int(), 'Of those, cases with a deadline passed and not met (overdue now)'),
  dueSoon: z.described(z.int(), 'Of those, cases whose nearest deadline comes within dueSoonMinutes'),
  nextDueAt: z.described(z.optional(Iso8601), 'The nearest deadline among them (past when overdue)'),
});

export const CaseWorkload = z.withMeta(
  z.object({
    at: z.described(Iso8601, 'When it was counted'),
    dueSoonMinutes: z.int(),
    agents: z.described(
      z.array(
        z.extend(AgentLoad, {
          agentId: AgentId,
          displayName: z.optional(z.string()),
          role: z.described(z.optional(z.string()), 'The role of the person with this agent id; absent for an agent id no person has'),
        }),
      ),
      'Every person who works cases (not viewers or deactivated people, unless they still hold open cases), most overdue first',
    ),
    unassigned: z.described(AgentLoad, 'Open cases no one holds (the team queue)'),
    peopleNotCounted: z.described(
      z.optional(z.int()),
      'Present when the tenant has more people than one answer counts (500): how many were left out, viewers and deactivated people first. GET /v1/cases?assignee= lists their cases',
    ),
  }),
  { id: 'CaseWorkload' },
);
export type CaseWorkload = z.infer<typeof CaseWorkload>;
