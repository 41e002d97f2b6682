import type { Change } from './change';
import type { FieldError } from './errors';
import type { DomainEvent } from '../events/catalog';
import { type ContactSummary, contactClosed, contactOpened, referralConverted, referralLost, referralMade } from '../events/contact-events';
import { newEvent } from '../events/events';
import type {
  CloseContactBody,
  Contact,
  CreateContactBody,
  CreateReferralBody,
  Money,
  Referral,
  UpdateContactBody,
} from '../schemas/contact';
import type { ReasonCode } from '../schemas/settings';

/** Input the domain refuses, with the JSON path of each offending field. */
export class InvalidContact extends Error {
  constructor(readonly errors: FieldError[]) {
    super('Invalid contact');
  }
}

/** A closed contact is a finished record: it is not patched, and takes no new referrals. */
export class ContactNotOpen extends Error {
  constructor() {
    super('The contact is closed');
  }
}

/**
 * A contact that waited in a queue and was never answered cannot be closed as `resolved`: the
 * customer gave up before anyone took it, which is what the abandonment rate counts. Refused
 * rather than recorded as abandoned, because the likelier mistake is a missing answeredAt
 * (an e-mail resolved without one), and only the caller knows which it was.
 */
export class ResolvedWithoutAnswer extends Error {
  readonly errors: FieldError[] = [
    { path: '$.outcome', message: 'A contact queued and never answered was abandoned: close it with outcome abandoned (or unresolved)' },
    { path: '$.answeredAt', message: 'Or, if an agent did take it, set answeredAt (PATCH the contact) before closing it as resolved' },
  ];

  constructor() {
    super('A contact that was queued and never answered cannot be resolved');
  }
}

/** A referral is settled once: converted or lost, never both, never twice. */
export class ReferralNotOpen extends Error {
  constructor(readonly status: Referral['status']) {
    super(`The referral is already ${status}`);
  }
}

/**
 * Who the contact was with, as resolved against the customers: a known customer, a phone number
 * (E.164) no customer has, or nobody known (an anonymous caller, a walk-in who gave no details).
 */
export type ContactParty = { customerId: string } | { phone: string } | Record<string, never>;

export interface ContactContext {
  now: string;
  /** The tenant's reason taxonomy (settings.reasonCodes). */
  reasonCodes: readonly ReasonCode[];
}

/** The contact as the caller describes it; the times and the derived figures are computed here. */
type ContactInput = Omit<CreateContactBody, 'customerId' | 'phone'>;

export const maxReferralsPerContact = 20;

const timeFields = ['queuedAt', 'answeredAt', 'endedAt', 'afterContactWorkEndedAt'] as const;

export function newContact(input: ContactInput, party: ContactParty, context: ContactContext & { contactId: string }): Contact {
  const draft = {
    contactId: context.contactId,
    status: 'open',
    channel: input.channel,
    direction: input.direction,
    purpose: input.purpose,
    queue: input.queue,
    agentId: input.agentId,
    reasonCode: input.reasonCode,
    ...party,
    externalContactId: input.externalContactId,
    ...normalizedTimes(input),
    outcome: input.outcome,
    firstContactResolution: input.firstContactResolution,
    notes: input.notes,
    version: 1,
    createdAt: context.now,
    updatedAt: context.now,
  } as Contact;
  return validated(draft, { reasonCodeChanged: input.reasonCode !== undefined, reasonCodes: context.reasonCodes });
}

/**
 * A merge patch of an open contact: absent fields stay, null removes an optional one. `party`,
 * when given, replaces whoever the contact was with (a resolved customerId or unmatched phone).
 */
export function patchContact(
  current: Contact,
  patch: Omit<UpdateContactBody, 'customerId' | 'phone'> & { customerId?: null; phone?: null },
  party: ContactParty | undefined,
  context: ContactContext,
): Contact {
  if (current.status !== 'open') throw new ContactNotOpen();
  const next: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  if (party !== undefined) {
    delete next.customerId;
    delete next.phone;
    Object.assign(next, party);
  }
  Object.assign(next, normalizedTimes(next as Partial<Record<(typeof timeFields)[number], string>>));
  next.version = current.version + 1;
  next.updatedAt = context.now;
  return validated(next as Contact, {
    reasonCodeChanged: patch.reasonCode !== undefined && patch.reasonCode !== null && patch.reasonCode !== current.reasonCode,
    reasonCodes: context.reasonCodes,
  });
}

/**
 * Closes an open contact with its last values. The end time defaults to the moment of closing.
 * Contacts closed through the API must have an outcome; an ingestion that cannot know one (a
 * telephony platform) passes `requireOutcome: false`.
 */
export function closeContact(
  current: Contact,
  input: CloseContactBody,
  context: ContactContext & { requireOutcome: boolean },
): Contact {
  if (current.status !== 'open') throw new ContactNotOpen();
  const patched = patchContact(current, input ?? {}, undefined, context);
  const closed: Contact = {
    ...patched,
    status: 'closed',
    endedAt: patched.endedAt ?? context.now,
    closedAt: context.now,
  };
  if (context.requireOutcome && !closed.outcome) {
    throw new InvalidContact([{ path: '$.outcome', message: 'A contact is closed with an outcome; send one (or set it first)' }]);
  }
  const valid = validated(closed, { reasonCodeChanged: false, reasonCodes: context.reasonCodes });
  if (valid.outcome === 'resolved' && valid.queuedAt !== undefined && valid.answeredAt === undefined) throw new ResolvedWithoutAnswer();
  return valid;
}

/** Times are stored in UTC (`toISOString`), so that they sort as strings in index keys. */
function normalizedTimes(input: Partial<Record<(typeof timeFields)[number], string | undefined>>) {
  return Object.fromEntries(
    timeFields.map((field) => [field, input[field] === undefined ? undefined : new Date(input[field]).toISOString()]),
  );
}

function validated(draft: Contact, rules: { reasonCodeChanged: boolean; reasonCodes: readonly ReasonCode[] }): Contact {
  const contact = withDerivedFigures(withoutUndefined(draft));
  const errors = [...timeErrors(contact), ...outcomeErrors(contact)];
  if (rules.reasonCodeChanged && contact.reasonCode !== undefined) {
    const error = reasonCodeError(contact.reasonCode, rules.reasonCodes);
    if (error) errors.push(error);
  }
  if (errors.length > 0) throw new InvalidContact(errors);
  return contact;
}

function timeErrors(contact: Contact): FieldError[] {
  const errors: FieldError[] = [];
  const { queuedAt, answeredAt, endedAt, afterContactWorkEndedAt } = contact;
  const before = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a < b;
  if (answeredAt !== undefined && queuedAt === undefined && contact.direction === 'inbound') {
    errors.push({
      path: '$.answeredAt',
      message: 'An answered inbound contact needs queuedAt (send the same time as answeredAt when it did not wait)',
    });
  }
  if (before(answeredAt, queuedAt)) errors.push({ path: '$.answeredAt', message: 'answeredAt must not be before queuedAt' });
  if (before(endedAt, answeredAt)) errors.push({ path: '$.endedAt', message: 'endedAt must not be before answeredAt' });
  else if (before(endedAt, queuedAt)) errors.push({ path: '$.endedAt', message: 'endedAt must not be before queuedAt' });
  if (afterContactWorkEndedAt !== undefined && endedAt === undefined) {
    errors.push({ path: '$.afterContactWorkEndedAt', message: 'afterContactWorkEndedAt needs endedAt' });
  } else if (before(afterContactWorkEndedAt, endedAt)) {
    errors.push({ path: '$.afterContactWorkEndedAt', message: 'afterContactWorkEndedAt must not be before endedAt' });
  }
  return errors;
}

function outcomeErrors(contact: Contact): FieldError[] {
  const errors: FieldError[] = [];
  if (contact.outcome === 'abandoned' && contact.answeredAt !== undefined) {
    errors.push({ path: '$.outcome', message: 'abandoned means never answered, but this contact has answeredAt' });
  }
  if (contact.firstContactResolution === true && contact.outcome !== undefined && contact.outcome !== 'resolved') {
    errors.push({
      path: '$.firstContactResolution',
      message: `A contact with outcome ${contact.outcome} was not resolved on first contact`,
    });
  }
  return errors;
}

/** A new or changed reason code must be an active code of the tenant's taxonomy. */
export function reasonCodeError(code: string, taxonomy: readonly ReasonCode[]): FieldError | undefined {
  if (taxonomy.length === 0) {
    return {
      path: '$.reasonCode',
      message: 'This tenant has no reason codes yet; an admin defines them in settings.reasonCodes (PATCH /v1/settings)',
    };
  }
  const entry = taxonomy.find((candidate) => candidate.code === code);
  if (!entry) return { path: '$.reasonCode', message: `Unknown reason code ${code}; see settings.reasonCodes` };
  if (!entry.active) return { path: '$.reasonCode', message: `Reason code ${code} is no longer active` };
  return undefined;
}

/**
 * Wait and handle seconds, and the start the lists are ordered by, always follow from the times;
 * they are never taken from input.
 */
export function withDerivedFigures(contact: Contact): Contact {
  const { waitSeconds: _wait, handleSeconds: _handle, ...rest } = contact;
  const { queuedAt, answeredAt, endedAt, afterContactWorkEndedAt } = contact;
  const waitEnd = answeredAt ?? endedAt;
  const started = [queuedAt, answeredAt, endedAt, contact.createdAt].filter((t): t is string => t !== undefined).sort()[0]!;
  return {
    ...rest,
    startedAt: started,
    ...(queuedAt !== undefined && waitEnd !== undefined && { waitSeconds: secondsBetween(queuedAt, waitEnd) }),
    ...(answeredAt !== undefined &&
      endedAt !== undefined && { handleSeconds: secondsBetween(answeredAt, afterContactWorkEndedAt ?? endedAt) }),
  };
}

const secondsBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);

/** The contact as events carry it: no notes, no phone number. */
export function contactSummary(contact: Contact): ContactSummary {
  return withoutUndefined({
    contactId: contact.contactId,
    status: contact.status,
    customerId: contact.customerId,
    externalContactId: contact.externalContactId,
    channel: contact.channel,
    direction: contact.direction,
    purpose: contact.purpose,
    queue: contact.queue,
    agentId: contact.agentId,
    reasonCode: contact.reasonCode,
    startedAt: contact.startedAt,
    queuedAt: contact.queuedAt,
    answeredAt: contact.answeredAt,
    endedAt: contact.endedAt,
    afterContactWorkEndedAt: contact.afterContactWorkEndedAt,
    waitSeconds: contact.waitSeconds,
    handleSeconds: contact.handleSeconds,
    outcome: contact.outcome,
    firstContactResolution: contact.firstContactResolution,
    closedAt: contact.closedAt,
  });
}

export function newReferral(
  contact: Contact,
  existingReferrals: number,
  input: CreateReferralBody,
  context: { referralId: string; now: string },
): Referral {
  if (contact.status !== 'open') throw new ContactNotOpen();
  if (existingReferrals >= maxReferralsPerContact) {
    throw new InvalidContact([{ path: '$', message: `A contact takes at most ${maxReferralsPerContact} referrals` }]);
  }
  return withoutUndefined({
    referralId: context.referralId,
    contactId: contact.contactId,
    product: input.product,
    note: input.note,
    assignedTo: input.assignedTo,
    referredBy: contact.agentId,
    status: 'open' as const,
    version: 1,
    createdAt: context.now,
    updatedAt: context.now,
  });
}

export function settleReferral(
  current: Referral,
  settlement: { status: 'converted'; value: Money } | { status: 'lost'; reason: string },
  now: string,
): Referral {
  if (current.status !== 'open') throw new ReferralNotOpen(current.status);
  const settled = { ...current, status: settlement.status, settledAt: now, version: current.version + 1, updatedAt: now };
  return settlement.status === 'converted'
    ? { ...settled, value: settlement.value }
    : { ...settled, lostReason: settlement.reason };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The longest from–to range a tenant-wide list reads, one day partition per day. */
export const maxListingDays = 31;
export const defaultListingDays = 7;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * The time window of a contact list. A list by customer or agent reads one partition, so its
 * window is open-ended; a tenant-wide list reads one partition per UTC day, so it defaults to the
 * last 7 days and spans at most 31. `from` is inclusive, `to` exclusive; days newest first.
 */
export function listingWindow(
  query: { from?: string; to?: string; customerId?: string; agentId?: string },
  now: string,
): { from?: string; to?: string; days?: string[] } {
  const from = query.from === undefined ? undefined : new Date(query.from).toISOString();
  const to = query.to === undefined ? undefined : new Date(query.to).toISOString();
  if (query.customerId !== undefined || query.agentId !== undefined) return { from, to };
  const end = to ?? now;
  const start = from ?? new Date(Date.parse(end) - defaultListingDays * dayMs).toISOString();
  if (Date.parse(end) - Date.parse(start) > maxListingDays * dayMs) {
    throw new InvalidContact([
      { path: 'query.from', message: `A list spans at most ${maxListingDays} days; narrow from/to, or filter by customerId or agentId` },
    ]);
  }
  if (start >= end) throw new InvalidContact([{ path: 'query.to', message: 'to must be after from' }]);
  const midnight = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00.000Z`);
  const firstDay = midnight(start);
  const lastDay = midnight(new Date(Date.parse(end) - 1).toISOString());
  const days: string[] = [];
  for (let day = lastDay; day >= firstDay; day -= dayMs) days.push(new Date(day).toISOString().slice(0, 10));
  return { from: start, to: end, days };
}

/** A contact's or referral's new state and its events (patching an open contact emits none). */
export type ContactChange<State = Contact> = Change<State>;

/** The event of a contact opened as `contact`. */
export const contactOpenedEvent = (tenantId: string, contact: Contact, at: string): DomainEvent =>
  newEvent(contactOpened, tenantId, contactSummary(contact), at);

/** The event of a contact closed as `closed`. */
export const contactClosedEvent = (tenantId: string, closed: Contact, at: string): DomainEvent =>
  newEvent(contactClosed, tenantId, { ...contactSummary(closed), status: 'closed', closedAt: closed.closedAt! }, at);

/** newContact, with its Contact Opened. */
export function newContactChange(
  input: ContactInput,
  party: ContactParty,
  context: ContactContext & { tenantId: string; contactId: string },
): ContactChange {
  const next = newContact(input, party, context);
  return { next, events: [contactOpenedEvent(context.tenantId, next, context.now)] };
}

/** closeContact, with its Contact Closed. */
export function closeContactChange(
  current: Contact,
  input: CloseContactBody,
  context: ContactContext & { tenantId: string; requireOutcome: boolean },
): ContactChange {
  const next = closeContact(current, input, context);
  return { next, events: [contactClosedEvent(context.tenantId, next, context.now)] };
}

/** newReferral, with its Referral Made. */
export function newReferralChange(
  contact: Contact,
  existingReferrals: number,
  input: CreateReferralBody,
  context: { tenantId: string; referralId: string; now: string },
): ContactChange<Referral> {
  const next = newReferral(contact, existingReferrals, input, context);
  const made = newEvent(
    referralMade,
    context.tenantId,
    {
      contactId: next.contactId,
      referralId: next.referralId,
      customerId: contact.customerId,
      product: next.product,
      referredBy: next.referredBy,
      assignedTo: next.assignedTo,
      madeAt: next.createdAt,
    },
    context.now,
  );
  return { next, events: [made] };
}

/** settleReferral, with its Referral Converted (when it has a value) or Referral Lost. `contact` is the referral's. */
export function settleReferralChange(
  current: Referral,
  contact: Contact,
  settlement: { status: 'converted'; value: Money } | { status: 'lost'; reason: string },
  context: { tenantId: string; now: string },
): ContactChange<Referral> {
  const { tenantId, now } = context;
  const next = settleReferral(current, settlement, now);
  const events =
    next.status === 'converted' && next.value
      ? [
          newEvent(
            referralConverted,
            tenantId,
            {
              contactId: next.contactId,
              referralId: next.referralId,
              customerId: contact.customerId,
              product: next.product,
              value: next.value,
              referredBy: next.referredBy,
              assignedTo: next.assignedTo,
              convertedAt: now,
            },
            now,
          ),
        ]
      : next.status === 'lost'
        ? [
            newEvent(
              referralLost,
              tenantId,
              {
                contactId: next.contactId,
                referralId: next.referralId,
                customerId: contact.customerId,
                product: next.product,
                referredBy: next.referredBy,
                assignedTo: next.assignedTo,
                lostAt: now,
              },
              now,
            ),
          ]
        : [];
  return { next, events };
}
