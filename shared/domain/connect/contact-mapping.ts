import { type ContactChange, type ContactContext, closeContact, contactClosedEvent, contactOpenedEvent, newContact, patchContact } from '../contact';
import type { DomainEvent } from '../../events/catalog';
import type { Contact } from '../../schemas/contact';
import type { ConnectContactEvent } from './contact-event';

/**
 * What one Connect event does to the Switchboard contact it names: the contact to write, whether
 * the write opens it (`openedAs`, the contact as opened, for `Contact Opened`) and whether it
 * closes it (for `Contact Closed`). Undefined when the event changes nothing.
 */
export interface ConnectContactChange {
  contact: Contact;
  openedAs?: Contact;
  closed: boolean;
}

/**
 * Folds one Connect event into the contact's current state, purely. Connect delivers events at
 * least once and in no particular order, so the fold is built to give the same contact whatever
 * the order and however often an event comes:
 * - any event creates the contact when there is none yet (not only INITIATED);
 * - times only move one way: queued and answered keep the earliest time seen, ended and
 *   after-contact work end the latest, so a late, older event cannot move a time back;
 * - queue and agent are filled when missing; DISCONNECTED and COMPLETED carry the contact's
 *   final queue and agent and replace them;
 * - COMPLETED closes the contact (Connect sends it after after-contact work, or right after
 *   DISCONNECTED with the same data when there was none); a closed contact is never changed,
 *   so a late event after COMPLETED changes nothing.
 *
 * Connect does not know the outcome. A contact that waited in a queue and never reached an agent
 * is closed `abandoned`; any other is closed without an outcome (`requireOutcome: false`).
 *
 * Throws the domain's InvalidContact when the event's times contradict each other or the
 * contact's (an agent connected after the call ended).
 */
export function applyConnectEvent(
  current: Contact | undefined,
  event: ConnectContactEvent,
  context: { now: string; newContactId: string },
): ConnectContactChange | undefined {
  if (current?.status === 'closed') return undefined;
  const completes = event.eventType === 'COMPLETED';
  const rules: ContactContext = { now: context.now, reasonCodes: [] };
  const facts = mergedFacts(current, event);

  if (!current) {
    const opened = newContact(
      { channel: event.channel, direction: event.direction, purpose: 'service', externalContactId: event.contactId, ...facts },
      {},
      { ...rules, contactId: context.newContactId },
    );
    return { contact: completes ? closed(opened, 1, rules) : opened, openedAs: opened, closed: completes };
  }

  const patch = changedFields(current, facts);
  if (Object.keys(patch).length === 0 && !completes) return undefined;
  const patched = Object.keys(patch).length > 0 ? patchContact(current, patch, undefined, rules) : current;
  const version = current.version + 1;
  return { contact: completes ? closed(patched, version, rules) : { ...patched, version }, closed: completes };
}

/** applyConnectEvent as the change to write: the contact, with Contact Opened and Contact Closed when it opened or closed it. */
export function connectEventChange(
  current: Contact | undefined,
  event: ConnectContactEvent,
  context: { tenantId: string; now: string; newContactId: string },
): ContactChange | undefined {
  const change = applyConnectEvent(current, event, context);
  if (!change) return undefined;
  const events: DomainEvent[] = [];
  if (change.openedAs) events.push(contactOpenedEvent(context.tenantId, change.openedAs, context.now));
  if (change.closed) events.push(contactClosedEvent(context.tenantId, change.contact, context.now));
  return { next: change.contact, events };
}

type Facts = Pick<Contact, 'queue' | 'agentId' | 'queuedAt' | 'answeredAt' | 'endedAt' | 'afterContactWorkEndedAt'>;

function mergedFacts(current: Contact | undefined, event: ConnectContactEvent): Facts {
  const final = event.eventType === 'DISCONNECTED' || event.eventType === 'COMPLETED';
  const answeredAt = earliest(current?.answeredAt, event.answeredAt);
  let queuedAt = earliest(current?.queuedAt, event.queuedAt);
  // An inbound contact put straight through to an agent has no enqueue time; it waited 0 s. An
  // enqueue time that arrives later is earlier and replaces this one.
  if (queuedAt === undefined && answeredAt !== undefined && (current?.direction ?? event.direction) === 'inbound') queuedAt = answeredAt;
  return {
    queue: final ? (event.queue ?? current?.queue) : (current?.queue ?? event.queue),
    agentId: final ? (event.agentId ?? current?.agentId) : (current?.agentId ?? event.agentId),
    queuedAt,
    answeredAt,
    endedAt: latest(current?.endedAt, event.endedAt),
    afterContactWorkEndedAt: latest(current?.afterContactWorkEndedAt, event.afterContactWorkEndedAt),
  };
}

function changedFields(current: Contact, facts: Facts): Partial<Facts> {
  return Object.fromEntries(
    Object.entries(facts).filter(([field, value]) => value !== undefined && value !== current[field as keyof Facts]),
  ) as Partial<Facts>;
}

function closed(contact: Contact, version: number, rules: ContactContext): Contact {
  const abandoned = contact.queuedAt !== undefined && contact.answeredAt === undefined;
  const result = closeContact(contact, abandoned ? { outcome: 'abandoned' } : {}, { ...rules, requireOutcome: false });
  // One event, one write, one version (closeContact counts its own patch as a version).
  return { ...result, version };
}

const earliest = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || a <= b ? a : b);
const latest = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || a >= b ? a : b);
