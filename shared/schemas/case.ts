import * as z from 'zod';
import { Iso8601, PaginationQuery } from './common';

export const CaseType = z.enum(['complaint', 'request', 'inquiry']);
export type CaseType = z.infer<typeof CaseType>;
export const Severity = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;
export const CaseStatus = z.enum(['open', 'in_progress', 'awaiting_customer', 'resolved', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatus>;
export const SlaKind = z.enum(['firstResponse', 'resolution']);
export type SlaKind = z.infer<typeof SlaKind>;

/** Used in index keys, so no `#`; an agent or a queue, as the tenant names them. */
export const Assignee = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'Letters, digits and . _ : @ - only, at most 128')
  .describe('An agent or queue identifier, e.g. agent:mei or queue:complaints');

const ContactId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a contact id');

// ---------------------------------------------------------------- SLA policy (tenant settings)

export const SlaUnit = z.enum(['minutes', 'hours', 'days', 'businessHours', 'businessDays']);
export type SlaUnit = z.infer<typeof SlaUnit>;

/** The longest target of each unit: a year of calendar time, a working year of business time. */
const maxAmount: Record<SlaUnit, number> = { minutes: 525_600, hours: 8_760, days: 365, businessHours: 2_000, businessDays: 250 };

export const SlaDuration = z
  .strictObject({ amount: z.number().int().min(1), unit: SlaUnit })
  .refine((d) => d.amount <= maxAmount[d.unit], { message: 'Too long for its unit', path: ['amount'] })
  .describe(
    'minutes/hours: elapsed time; days: the same local time n calendar days later in the tenant time zone; ' +
      'businessHours: time inside settings.businessHours; businessDays: closing time of the n-th open day after the day the clock starts',
  );
export type SlaDuration = z.infer<typeof SlaDuration>;

const SlaTarget = z.strictObject({ firstResponse: SlaDuration, resolution: SlaDuration });
const SeverityTargets = z.strictObject({ low: SlaTarget, medium: SlaTarget, high: SlaTarget, critical: SlaTarget });

export const EscalationRule = z.strictObject({
  raiseSeverity: z.boolean().describe('Raise the severity one step (low → medium → high → critical)'),
  assignTo: Assignee.optional().describe('Reassign the case to this agent or queue'),
});

export const SlaPolicy = z
  .strictObject({
    targets: z.strictObject({ complaint: SeverityTargets, request: SeverityTargets, inquiry: SeverityTargets }),
    escalation: z.strictObject({ firstResponse: EscalationRule, resolution: EscalationRule }),
  })
  .meta({ id: 'SlaPolicy', description: 'Deadlines per case type and severity, and what happens when one is missed' });
export type SlaPolicy = z.infer<typeof SlaPolicy>;

const SlaTargetPatch = SlaTarget.partial();
const SeverityTargetsPatch = z.strictObject({
  low: SlaTargetPatch,
  medium: SlaTargetPatch,
  high: SlaTargetPatch,
  critical: SlaTargetPatch,
}).partial();
const EscalationRulePatch = z.strictObject({ raiseSeverity: z.boolean(), assignTo: Assignee.nullable() }).partial();

export const SlaPolicyPatch = z
  .strictObject({
    targets: z.strictObject({ complaint: SeverityTargetsPatch, request: SeverityTargetsPatch, inquiry: SeverityTargetsPatch }).partial(),
    escalation: z.strictObject({ firstResponse: EscalationRulePatch, resolution: EscalationRulePatch }).partial(),
  })
  .partial()
  .describe('Deep merge into the policy: only the targets named change; assignTo null removes it');
export type SlaPolicyPatch = z.infer<typeof SlaPolicyPatch>;

// ---------------------------------------------------------------- service recovery

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));
const minorDigits = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

export const Compensation = z
  .strictObject({
    type: z.enum(['refund', 'credit', 'voucher', 'replacement', 'goodwill', 'other']),
    amount: z.number().min(0).max(1_000_000_000),
    currency: z
      .string()
      .refine((c) => /^[A-Z]{3}$/.test(c) && knownCurrencies.has(c), { message: 'Must be an ISO 4217 currency code such as TWD' }),
  })
  .refine((c) => !knownCurrencies.has(c.currency) || Number.isInteger(c.amount * 10 ** minorDigits(c.currency)), {
    message: 'More decimals than the currency has',
    path: ['amount'],
  });

export const FollowUp = z.strictObject({
  customerSatisfied: z.boolean(),
  checkedAt: Iso8601,
});

export const ServiceRecovery = z
  .strictObject({
    apologyGiven: z.boolean(),
    remedy: z.string().trim().min(1).max(2000),
    compensation: Compensation,
    followUp: FollowUp,
  })
  .partial()
  .meta({ id: 'ServiceRecovery', description: 'Complaints only: apology, remedy, compensation and the follow-up check' });
export type ServiceRecovery = z.infer<typeof ServiceRecovery>;

// ---------------------------------------------------------------- cases

export const CreateCaseBody = z
  .strictObject({
    type: CaseType,
    severity: Severity.default('medium'),
    category: z.string().trim().min(1).max(100),
    subject: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(10_000).optional(),
    customerId: z.string().max(64).describe('An existing customer of the tenant'),
    contactIds: z.array(ContactId).max(50).optional(),
    assignee: Assignee.optional(),
    surveyId: z.string().regex(/^svy_[0-9A-Z]{26}$/, 'Must be a survey id').optional().describe('The survey this case follows up'),
    agentId: z.string().trim().min(1).max(128).optional().describe('The agent of the contact the case is about'),
  })
  .meta({ id: 'CreateCase' });
export type CreateCaseBody = z.infer<typeof CreateCaseBody>;

export const UpdateCaseBody = z
  .strictObject({
    type: CaseType,
    severity: Severity,
    category: z.string().trim().min(1).max(100),
    subject: z.string().trim().min(1).max(200),
    assignee: Assignee.nullable(),
    serviceRecovery: ServiceRecovery,
  })
  .partial()
  .meta({
    id: 'UpdateCase',
    description: 'Fields to change; assignee null unassigns; serviceRecovery fields are merged into the record',
  });
export type UpdateCaseBody = z.infer<typeof UpdateCaseBody>;

export const CaseEventBody = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('note'),
      text: z.string().trim().min(1).max(10_000),
      visibility: z
        .enum(['internal', 'customer'])
        .default('internal')
        .describe('customer: the note was sent to the customer, and counts as the first response'),
    }),
    z.strictObject({ type: z.literal('assign'), assignee: Assignee.nullable() }),
    z.strictObject({ type: z.literal('status_change'), to: CaseStatus, reason: z.string().trim().min(1).max(500).optional() }),
    z.strictObject({
      type: z.literal('customer_reply'),
      text: z.string().trim().min(1).max(10_000).optional(),
      channel: z.enum(['voice', 'chat', 'email', 'sms', 'web', 'walk_in']).optional(),
      contactId: ContactId.optional(),
    }),
    z.strictObject({ type: z.literal('link_contact'), contactId: ContactId }),
  ])
  .meta({ id: 'CaseEventInput' });
export type CaseEventBody = z.infer<typeof CaseEventBody>;

export const SlaClock = z.object({
  startedAt: Iso8601,
  dueAt: Iso8601,
  metAt: Iso8601.optional(),
  breachedAt: Iso8601.optional().describe('Set once when the deadline passed unmet; equals dueAt'),
});
export type SlaClock = z.infer<typeof SlaClock>;

export const Escalation = z.object({
  kind: SlaKind,
  at: Iso8601,
  fromSeverity: Severity,
  toSeverity: Severity,
  assignee: z.string().optional(),
});

export const Case = z
  .object({
    caseId: z.string(),
    type: CaseType,
    severity: Severity,
    category: z.string(),
    subject: z.string(),
    description: z.string().optional(),
    customerId: z.string(),
    contactIds: z.array(z.string()),
    assignee: z.string().optional(),
    surveyId: z.string().optional().describe('The survey this case follows up (service recovery)'),
    agentId: z.string().optional().describe('The agent of the contact the case is about'),
    status: CaseStatus,
    sla: z.object({ firstResponse: SlaClock, resolution: SlaClock }),
    breached: z.boolean().describe('Whether any SLA deadline of this case was ever missed'),
    escalations: z.array(Escalation),
    serviceRecovery: ServiceRecovery.optional(),
    openedAt: Iso8601,
    resolvedAt: Iso8601.optional(),
    closedAt: Iso8601.optional(),
    reopenedAt: Iso8601.optional(),
    personalDataErasedAt: Iso8601.optional().describe("When the customer's erasure removed this record's personal data"),
    version: z.number().int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  })
  .meta({ id: 'Case' });
export type Case = z.infer<typeof Case>;

export const TimelineEntryType = z.enum([
  'opened',
  'updated',
  'note',
  'assign',
  'status_change',
  'customer_reply',
  'link_contact',
  'sla_breached',
]);

export const TimelineEntry = z
  .object({
    entryId: z.string(),
    type: TimelineEntryType,
    at: Iso8601,
    actor: z.string().describe('The API key id that made the change, or "system"'),
    text: z.string().optional(),
    visibility: z.enum(['internal', 'customer']).optional(),
    assignee: z.string().nullable().optional(),
    from: CaseStatus.optional(),
    to: CaseStatus.optional(),
    reason: z.string().optional(),
    channel: z.string().optional(),
    contactId: z.string().optional(),
    kind: SlaKind.optional(),
    dueAt: Iso8601.optional(),
    fields: z.array(z.string()).optional().describe('updated: the fields that changed'),
    severity: Severity.optional(),
  })
  .meta({ id: 'CaseTimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** GET /v1/cases/{caseId} shows at most this many of the most recent timeline entries. */
export const timelineCap = 100;

export const CaseWithTimeline = Case.extend({
  timeline: z.array(TimelineEntry).describe(`The most recent ${timelineCap} entries, oldest first`),
  timelineTruncated: z.boolean().describe('Older entries exist beyond those shown'),
}).meta({ id: 'CaseWithTimeline' });

export const CaseEventResult = z.object({ entry: TimelineEntry, case: Case }).meta({ id: 'CaseEventResult' });

export const CaseIdParams = z.object({ caseId: z.string().max(64) });

export const ListCasesQuery = PaginationQuery.extend({
  status: CaseStatus.optional(),
  type: CaseType.optional(),
  assignee: Assignee.optional(),
  customerId: z.string().max(64).optional(),
  breached: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});
export type ListCasesQuery = z.infer<typeof ListCasesQuery>;
