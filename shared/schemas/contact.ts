import * as z from 'zod';
import { Iso8601, PaginationQuery } from './common';
import { ReasonCodeValue } from './settings';

export const Channel = z.enum(['voice', 'chat', 'email', 'sms', 'web', 'walk_in']);
export const Direction = z.enum(['inbound', 'outbound']);
export const Purpose = z.enum(['service', 'sales', 'care', 'survey', 'collection']);
export const Outcome = z
  .enum(['resolved', 'unresolved', 'transferred', 'abandoned'])
  .describe('abandoned means the contact was never answered');
export const ContactStatus = z.enum(['open', 'closed']);
export const ReferralStatus = z.enum(['open', 'converted', 'lost']);

/** Queue names and agent ids become part of index keys, so `#` (the key separator) is refused. */
const KeyedLabel = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[^#\p{Cc}]+$/u, 'Must not contain # or control characters');

const Notes = z.string().max(4000).describe('Free text; never logged and never put in events');

export const Currency = z.string().regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 currency code such as TWD');

export const Money = z
  .strictObject({
    amount: z
      .number()
      .min(0, 'Must not be negative')
      .max(1e12)
      .refine((amount) => Math.round(amount * 1000) / 1000 === amount, 'At most 3 decimal places'),
    currency: Currency,
  })
  .meta({ id: 'Money' });
export type Money = z.infer<typeof Money>;

const contactTimes = {
  queuedAt: Iso8601.describe('When the contact entered a queue; an answered inbound contact needs it'),
  answeredAt: Iso8601.describe('When an agent answered'),
  endedAt: Iso8601.describe('When the conversation ended'),
  afterContactWorkEndedAt: Iso8601.describe('When the agent finished after-contact work; needs endedAt'),
};

const contactFields = {
  channel: Channel,
  direction: Direction,
  purpose: Purpose,
  queue: KeyedLabel,
  agentId: KeyedLabel,
  reasonCode: ReasonCodeValue.describe("A code from the tenant's settings.reasonCodes"),
  customerId: z.string().max(64).describe('A known customer of the tenant'),
  phone: z
    .string()
    .trim()
    .min(3)
    .max(32)
    .describe("Matched to a customer in E.164 with the tenant's default country; kept on the contact when no customer has it"),
  ...contactTimes,
  outcome: Outcome,
  firstContactResolution: z.boolean(),
  notes: Notes,
};

const onlyOneParty = (body: { customerId?: unknown; phone?: unknown }) =>
  !(body.customerId !== undefined && body.customerId !== null && body.phone !== undefined && body.phone !== null);
const onlyOnePartyIssue = { message: 'Give customerId or phone, not both', path: ['phone'] };

export const CreateContactBody = z
  .strictObject({
    ...contactFields,
    purpose: Purpose.default('service'),
    externalContactId: z
      .string()
      .trim()
      .min(1)
      .max(256)
      .describe("The contact's id in the system it came from (e.g. Amazon Connect); unique within the tenant"),
  })
  .partial({
    queue: true,
    agentId: true,
    reasonCode: true,
    customerId: true,
    phone: true,
    queuedAt: true,
    answeredAt: true,
    endedAt: true,
    afterContactWorkEndedAt: true,
    outcome: true,
    firstContactResolution: true,
    notes: true,
    externalContactId: true,
  })
  .refine(onlyOneParty, onlyOnePartyIssue)
  .meta({
    id: 'CreateContact',
    description: 'waitSeconds and handleSeconds are derived from the times and are refused as input',
  });
export type CreateContactBody = z.infer<typeof CreateContactBody>;

export const UpdateContactBody = z
  .strictObject({
    channel: Channel,
    direction: Direction,
    purpose: Purpose,
    queue: contactFields.queue.nullable(),
    agentId: contactFields.agentId.nullable(),
    reasonCode: contactFields.reasonCode.nullable(),
    customerId: contactFields.customerId.nullable(),
    phone: contactFields.phone.nullable(),
    queuedAt: contactTimes.queuedAt.nullable(),
    answeredAt: contactTimes.answeredAt.nullable(),
    endedAt: contactTimes.endedAt.nullable(),
    afterContactWorkEndedAt: contactTimes.afterContactWorkEndedAt.nullable(),
    outcome: Outcome.nullable(),
    firstContactResolution: z.boolean().nullable(),
    notes: Notes.nullable(),
  })
  .partial()
  .refine(onlyOneParty, onlyOnePartyIssue)
  .meta({ id: 'UpdateContact', description: 'Fields to change on an open contact; null removes an optional field' });
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;

export const CloseContactBody = z
  .strictObject({
    outcome: Outcome,
    firstContactResolution: z.boolean(),
    reasonCode: contactFields.reasonCode,
    endedAt: contactTimes.endedAt.describe('Defaults to the time of closing when the contact has none'),
    afterContactWorkEndedAt: contactTimes.afterContactWorkEndedAt,
    notes: Notes,
  })
  .partial()
  .optional()
  .meta({ id: 'CloseContact', description: 'Last values to set while closing; outcome is required unless already set' });
export type CloseContactBody = z.infer<typeof CloseContactBody>;

export const CreateReferralBody = z
  .strictObject({
    product: z.string().trim().min(1).max(100),
    note: z.string().max(1000).optional().describe('Free text; never logged'),
    assignedTo: KeyedLabel.optional().describe('The sales agent the customer is handed to'),
  })
  .meta({ id: 'CreateReferral' });
export type CreateReferralBody = z.infer<typeof CreateReferralBody>;

export const UpdateReferralBody = z
  .discriminatedUnion('status', [
    z.strictObject({ status: z.literal('converted'), value: Money }),
    z.strictObject({ status: z.literal('lost'), reason: z.string().trim().min(1).max(500) }),
  ])
  .meta({ id: 'UpdateReferral', description: 'Settles an open referral: converted with its value, or lost with a reason' });
export type UpdateReferralBody = z.infer<typeof UpdateReferralBody>;

export const Referral = z
  .object({
    referralId: z.string(),
    contactId: z.string(),
    product: z.string(),
    note: z.string().optional(),
    assignedTo: z.string().optional(),
    referredBy: z.string().optional().describe("The contact's agent when the referral was made"),
    status: ReferralStatus,
    value: Money.optional(),
    lostReason: z.string().optional(),
    settledAt: Iso8601.optional().describe('When it was converted or lost'),
    version: z.number().int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  })
  .meta({ id: 'Referral' });
export type Referral = z.infer<typeof Referral>;

export const Contact = z
  .object({
    contactId: z.string(),
    status: ContactStatus,
    channel: Channel,
    direction: Direction,
    purpose: Purpose,
    queue: z.string().optional(),
    agentId: z.string().optional(),
    reasonCode: z.string().optional(),
    customerId: z.string().optional(),
    phone: z.string().optional().describe('E.164; present only when no customer had this number'),
    externalContactId: z.string().optional(),
    queuedAt: Iso8601.optional(),
    answeredAt: Iso8601.optional(),
    endedAt: Iso8601.optional(),
    afterContactWorkEndedAt: Iso8601.optional(),
    startedAt: Iso8601.describe('The earliest of queuedAt, answeredAt, endedAt and createdAt; lists are ordered by it'),
    waitSeconds: z
      .number()
      .int()
      .optional()
      .describe('queuedAt to answeredAt; for a contact never answered, queuedAt to endedAt (time to abandon)'),
    handleSeconds: z
      .number()
      .int()
      .optional()
      .describe('answeredAt to afterContactWorkEndedAt, or to endedAt when there was no after-contact work'),
    outcome: Outcome.optional(),
    firstContactResolution: z.boolean().optional(),
    notes: z.string().optional(),
    closedAt: Iso8601.optional(),
    personalDataErasedAt: Iso8601.optional().describe("When the customer's erasure removed this record's personal data"),
    version: z.number().int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof Contact>;

export const ContactWithReferrals = Contact.extend({ referrals: z.array(Referral) }).meta({ id: 'ContactWithReferrals' });
export type ContactWithReferrals = z.infer<typeof ContactWithReferrals>;

export const ContactIdParams = z.object({ contactId: z.string().max(64) });
export const ReferralIdParams = z.object({ contactId: z.string().max(64), referralId: z.string().max(64) });

export const ListContactsQuery = PaginationQuery.extend({
  from: Iso8601.optional().describe('Contacts started at or after this time'),
  to: Iso8601.optional().describe('Contacts started before this time; defaults to now'),
  queue: KeyedLabel.optional(),
  agentId: KeyedLabel.optional(),
  channel: Channel.optional(),
  customerId: z.string().max(64).optional(),
}).refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
  message: 'from must be before to',
  path: ['to'],
});
export type ListContactsQuery = z.infer<typeof ListContactsQuery>;
