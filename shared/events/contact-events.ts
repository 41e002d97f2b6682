import * as z from '../zod';
import { Iso8601 } from '../schemas/common';
import { Channel, ContactStatus, Direction, Money, Outcome, Purpose } from '../schemas/vocabulary';
import { defineEvent } from './catalog';

/**
 * What a consumer (surveys, analytics, webhooks) needs to know about a contact. Never the notes
 * and never the phone number: events leave the tenant's data store for the bus and webhooks.
 */
export const ContactSummary = z.object({
  contactId: z.string(),
  status: ContactStatus,
  customerId: z.optional(z.string()),
  externalContactId: z.optional(z.string()),
  channel: Channel,
  direction: Direction,
  purpose: Purpose,
  queue: z.optional(z.string()),
  agentId: z.optional(z.string()),
  reasonCode: z.optional(z.string()),
  startedAt: Iso8601,
  queuedAt: z.optional(Iso8601),
  answeredAt: z.optional(Iso8601),
  endedAt: z.optional(Iso8601),
  afterContactWorkEndedAt: z.optional(Iso8601),
  waitSeconds: z.optional(z.int()),
  handleSeconds: z.optional(z.int()),
  outcome: z.optional(Outcome),
  firstContactResolution: z.optional(z.boolean()),
  closedAt: z.optional(Iso8601),
});
export type ContactSummary = z.infer<typeof ContactSummary>;

export const contactOpened = defineEvent(
  'Contact Opened',
  1,
  'A contact was logged (through the API or from Amazon Connect) and is open',
  ContactSummary,
);

export const contactClosed = defineEvent(
  'Contact Closed',
  1,
  'A contact was closed with its final times, derived wait and handle seconds, and outcome; emitted once per contact',
  z.extend(ContactSummary, { status: z.literal('closed'), closedAt: Iso8601 }),
);

/** What every referral event names: never the note or a lost reason (free text). */
const referralRef = {
  contactId: z.string(),
  referralId: z.string(),
  customerId: z.optional(z.string()),
  product: z.string(),
  referredBy: z.optional(z.string()),
  assignedTo: z.optional(z.string()),
};

export const referralConverted = defineEvent(
  'Referral Converted',
  1,
  'A referral an agent made on a contact was converted by sales, with its value',
  z.object({ ...referralRef, value: Money, convertedAt: Iso8601 }),
);

export const referralMade = defineEvent(
  'Referral Made',
  1,
  'An agent handed the customer of an open contact to sales for a product; written with the referral',
  z.object({ ...referralRef, madeAt: Iso8601 }),
);

export const referralLost = defineEvent(
  'Referral Lost',
  1,
  'A referral was settled as lost; the reason stays on the referral (free text never leaves the store)',
  z.object({ ...referralRef, lostAt: Iso8601 }),
);

export const contactEvents = [contactOpened, contactClosed, referralConverted, referralMade, referralLost] as const;
