import * as z from '../zod';
import { AgentId } from './agent';
import { Iso8601, PaginationQuery, ReasonCodeValue } from './common';
import { Channel, ContactStatus, Direction, Money, Outcome, Purpose, ReferralStatus } from './vocabulary';

export { Channel, ContactStatus, Currency, Direction, Money, Outcome, Purpose, ReferralStatus } from './vocabulary';

/** Queue names become part of index keys, so `#` (the key separator) is refused; agent ids are AgentId. */
const KeyedLabel = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(128), z.regex(/^[^#\p{Cc}]+$/u, 'Must not contain # or control characters'));

const Notes = z.described(z.string().check(z.maxLength(4000)), 'Free text; never logged and never put in events');

const contactTimes = {
  queuedAt: z.described(Iso8601, 'When the contact entered a queue; an answered inbound contact needs it'),
  answeredAt: z.described(Iso8601, 'When an agent answered'),
  endedAt: z.described(Iso8601, 'When the conversation ended'),
  afterContactWorkEndedAt: z.described(Iso8601, 'When the agent finished after-contact work; needs endedAt'),
};

const contactFields = {
  channel: Channel,
  direction: Direction,
  purpose: Purpose,
  queue: KeyedLabel,
  agentId: AgentId,
  reasonCode: z.described(ReasonCodeValue, "A code from the tenant's settings.reasonCodes"),
  customerId: z.described(z.string().check(z.maxLength(64)), 'A known customer of the tenant'),
  phone: z.described(
    z.string().check(z.trim(), z.minLength(3), z.maxLength(32)),
    "Matched to a customer in E.164 with the tenant's default country; kept on the contact when no customer has it",
  ),
  ...contactTimes,
  outcome: Outcome,
  firstContactResolution: z.boolean(),
  notes: Notes,
};

const onlyOneParty = (body: { customerId?: unknown; phone?: unknown }) =>
  !(body.customerId !== undefined && body.customerId !== null && body.phone !== undefined && body.phone !== null);
const onlyOnePartyIssue = { message: 'Give customerId or phone, not both', path: ['phone'] };

export const CreateContactBody = z.withMeta(
  z
    .partial(
      z.strictObject({
        ...contactFields,
        purpose: z._default(Purpose, 'service'),
        externalContactId: z.described(
          z.string().check(z.trim(), z.minLength(1), z.maxLength(256)),
          "The contact's id in the system it came from (e.g. Amazon Connect); unique within the tenant",
        ),
      }),
      {
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
      },
    )
    .check(z.refine(onlyOneParty, onlyOnePartyIssue)),
  {
    id: 'CreateContact',
    description: 'waitSeconds and handleSeconds are derived from the times and are refused as input',
  },
);
export type CreateContactBody = z.infer<typeof CreateContactBody>;

export const UpdateContactBody = z.withMeta(
  z
    .partial(
      z.strictObject({
        channel: Channel,
        direction: Direction,
        purpose: Purpose,
        queue: z.nullable(contactFields.queue),
        agentId: z.nullable(contactFields.agentId),
        reasonCode: z.nullable(contactFields.reasonCode),
        customerId: z.nullable(contactFields.customerId),
        phone: z.nullable(contactFields.phone),
        queuedAt: z.nullable(contactTimes.queuedAt),
        answeredAt: z.nullable(contactTimes.answeredAt),
        endedAt: z.nullable(contactTimes.endedAt),
        afterContactWorkEndedAt: z.nullable(contactTimes.afterContactWorkEndedAt),
        outcome: z.nullable(Outcome),
        firstContactResolution: z.nullable(z.boolean()),
        notes: z.nullable(Notes),
      }),
    )
    .check(z.refine(onlyOneParty, onlyOnePartyIssue)),
  { id: 'UpdateContact', description: 'Fields to change on an open contact; null removes an optional field' },
);
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;

export const CloseContactBody = z.withMeta(
  z.optional(
    z.partial(
      z.strictObject({
        outcome: Outcome,
        firstContactResolution: z.boolean(),
        reasonCode: contactFields.reasonCode,
        endedAt: z.described(contactTimes.endedAt, 'Defaults to the time of closing when the contact has none'),
        afterContactWorkEndedAt: contactTimes.afterContactWorkEndedAt,
        notes: Notes,
      }),
    ),
  ),
  { id: 'CloseContact', description: 'Last values to set while closing; outcome is required unless already set' },
);
export type CloseContactBody = z.infer<typeof CloseContactBody>;

export const CreateReferralBody = z.withMeta(
  z.strictObject({
    product: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    note: z.described(z.optional(z.string().check(z.maxLength(1000))), 'Free text; never logged'),
    assignedTo: z.described(z.optional(AgentId), 'The sales agent the customer is handed to (an agent id)'),
  }),
  { id: 'CreateReferral' },
);
export type CreateReferralBody = z.infer<typeof CreateReferralBody>;

export const UpdateReferralBody = z.withMeta(
  z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('converted'), value: Money }),
    z.strictObject({ status: z.literal('lost'), reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)) }),
  ]),
  { id: 'UpdateReferral', description: 'Settles an open referral: converted with its value, or lost with a reason' },
);
export type UpdateReferralBody = z.infer<typeof UpdateReferralBody>;

export const Referral = z.withMeta(
  z.object({
    referralId: z.string(),
    contactId: z.string(),
    product: z.string(),
    note: z.optional(z.string()),
    assignedTo: z.optional(AgentId),
    referredBy: z.described(z.optional(AgentId), "The contact's agent when the referral was made"),
    status: ReferralStatus,
    value: z.optional(Money),
    lostReason: z.optional(z.string()),
    settledAt: z.described(z.optional(Iso8601), 'When it was converted or lost'),
    version: z.int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  }),
  { id: 'Referral' },
);
export type Referral = z.infer<typeof Referral>;

export const Contact = z.withMeta(
  z.object({
    contactId: z.string(),
    status: ContactStatus,
    channel: Channel,
    direction: Direction,
    purpose: Purpose,
    queue: z.optional(z.string()),
    agentId: z.optional(AgentId),
    reasonCode: z.optional(z.string()),
    customerId: z.optional(z.string()),
    phone: z.described(z.optional(z.string()), 'E.164; present only when no customer had this number'),
    externalContactId: z.optional(z.string()),
    queuedAt: z.optional(Iso8601),
    answeredAt: z.optional(Iso8601),
    endedAt: z.optional(Iso8601),
    afterContactWorkEndedAt: z.optional(Iso8601),
    startedAt: z.described(Iso8601, 'The earliest of queuedAt, answeredAt, endedAt and createdAt; lists are ordered by it'),
    waitSeconds: z.described(
      z.optional(z.number().check(z.int())),
      'queuedAt to answeredAt; for a contact never answered, queuedAt to endedAt (time to abandon)',
    ),
    handleSeconds: z.described(
      z.optional(z.number().check(z.int())),
      'answeredAt to afterContactWorkEndedAt, or to endedAt when there was no after-contact work',
    ),
    outcome: z.optional(Outcome),
    firstContactResolution: z.optional(z.boolean()),
    notes: z.optional(z.string()),
    closedAt: z.optional(Iso8601),
    personalDataErasedAt: z.described(z.optional(Iso8601), "When the customer's erasure removed this record's personal data"),
    version: z.int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  }),
  { id: 'Contact' },
);
export type Contact = z.infer<typeof Contact>;

export const ContactWithReferrals = z.withMeta(z.extend(Contact, { referrals: z.array(Referral) }), { id: 'ContactWithReferrals' });
export type ContactWithReferrals = z.infer<typeof ContactWithReferrals>;

export const ContactIdParams = z.object({ contactId: z.string().check(z.maxLength(64)) });
export const ReferralIdParams = z.object({ contactId: z.string().check(z.maxLength(64)), referralId: z.string().check(z.maxLength(64)) });

export const ListContactsQuery = z
  .extend(PaginationQuery, {
    from: z.described(z.optional(Iso8601), 'Contacts started at or after this time'),
    to: z.described(z.optional(Iso8601), 'Contacts started before this time; defaults to now'),
    queue: z.optional(KeyedLabel),
    agentId: z.optional(AgentId),
    channel: z.optional(Channel),
    customerId: z.optional(z.string().check(z.maxLength(64))),
  })
  .check(
    z.refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
      message: 'from must be before to',
      path: ['to'],
    }),
  );
export type ListContactsQuery = z.infer<typeof ListContactsQuery>;
