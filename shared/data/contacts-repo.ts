import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { erasureChanges, scrubContact, scrubReferral } from '../domain/erasure';
import type { DomainEvent } from '../events/catalog';
import { Contact, Referral } from '../schemas/contact';
import * as z from '../zod';
import { db, tableName } from './client';
import { findCustomerIdBy, getCustomer } from './customers-repo';
import { updateInPlace } from './in-place-update';
import { tenantPrefix } from './keys';
import { outboxPut } from './outbox';
import { queryListed } from './listed-items';
import { parseItem, parseOptionalItem } from './stored-item';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = Record<string, string>;

/**
 * Contact keys. The contact and its referrals share one partition, so a contact is read with its
 * referrals in one Query. Three sparse listings, all newest first by `<startedAt>#<contactId>`:
 * gsi1 per tenant per UTC day (writes spread by day), gsi2 per customer (the customer's history)
 * and gsi3 per agent.
 */
export const contactKeys = {
  contact: (tenantId: string, contactId: string) => ({ pk: `${tenantPrefix(tenantId)}#CON#${contactId}`, sk: 'CONTACT' }),
  referral: (tenantId: string, contactId: string, referralId: string) => ({
    pk: `${tenantPrefix(tenantId)}#CON#${contactId}`,
    sk: `REFERRAL#${referralId}`,
  }),
  dayPartition: (tenantId: string, day: string) => `${tenantPrefix(tenantId)}#CONTACTS#${day}`,
  customerPartition: (tenantId: string, customerId: string) => `${tenantPrefix(tenantId)}#CUS#${customerId}#CONTACTS`,
  agentPartition: (tenantId: string, agentId: string) => `${tenantPrefix(tenantId)}#AGENT#${agentId}#CONTACTS`,
  externalId: (tenantId: string, externalContactId: string) => ({
    pk: `${tenantPrefix(tenantId)}#CONEXT#${externalContactId}`,
    sk: 'UNIQUE',
  }),
};

/** The UTC day of an ISO time: the day partition of the tenant-wide listing. */
export const dayOf = (isoTime: string) => isoTime.slice(0, 10);

/** Another contact of the tenant already has this external id. */
export class ExternalContactIdTaken extends Error {
  constructor(readonly existingContactId: string) {
    super(`externalContactId already belongs to ${existingContactId}`);
  }
}

/** The contact or referral changed since it was read; read it again and decide again. */
export class StaleContact extends Error {}

/** The contact's customer does not exist (or was erased). */
export class UnknownCustomer extends Error {}

export interface StoredContact {
  contact: Contact;
  referrals: Referral[];
  /** The ids of the outbox events this contact emitted, by detail-type (e.g. `Contact Closed`). */
  emittedEvents: Record<string, string>;
}

/** The contact with its referrals, in one consistent Query of its partition. */
export async function getContact(tenantId: string, contactId: string): Promise<StoredContact | undefined> {
  const { pk } = contactKeys.contact(tenantId, contactId);
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const contactItem = items.find((item) => item.sk === 'CONTACT');
  if (!contactItem) return undefined;
  return {
    contact: contactFromItem(contactItem),
    referrals: items.filter((item) => String(item.sk).startsWith('REFERRAL#')).map(referralFromItem),
    emittedEvents: parseItem(EmittedEventsOfItem, contactItem).emittedEvents ?? {},
  };
}

export async function findContactIdByExternalId(tenantId: string, externalContactId: string): Promise<string | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: contactKeys.externalId(tenantId, externalContactId), ConsistentRead: true }),
  );
  return parseOptionalItem(ContactIdOfItem, Item)?.contactId;
}

/**
 * Writes a new contact, its external-id marker (when it has one) and its events in one
 * transaction. Throws ExternalContactIdTaken when another contact holds the external id.
 */
export async function insertContact(tenantId: string, contact: Contact, events: DomainEvent[]): Promise<void> {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: contactItem(tenantId, contact, emitted({}, events)),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...(contact.externalContactId
      ? [
          {
            Put: {
              TableName: tableName(),
              Item: { ...contactKeys.externalId(tenantId, contact.externalContactId), type: 'ContactExternalId', contactId: contact.contactId },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            },
          },
        ]
      : []),
    ...events.map(outboxPut),
  ];
  await transact(items);
}

/**
 * Replaces the contact if its stored version is still `before.contact.version`, writing the
 * events of the change in the same transaction: when the condition fails (someone else changed
 * or closed it first), neither the state nor the events are written. Throws StaleContact then.
 */
export async function replaceContact(tenantId: string, before: StoredContact, after: Contact, events: DomainEvent[]): Promise<void> {
  await transact([
    {
      Put: {
        TableName: tableName(),
        Item: contactItem(tenantId, after, emitted(before.emittedEvents, events)),
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': before.contact.version },
      },
    },
    ...events.map(outboxPut),
  ]);
}

/**
 * What an ingestion decides for the contact it keys by external id: the contact to write (with
 * its version moved on, built with newContact/patchContact/closeContact) and the events of the
 * change, or undefined when the contact is already as it should be.
 */
export type ContactDecision = (current: StoredContact | undefined) => { contact: Contact; events: DomainEvent[] } | undefined;

/**
 * Creates or changes the contact a source system knows by `externalContactId` (Amazon Connect's
 * ContactId), for consumers that see the same contact in many events, out of order and more
 * than once. Reads the current state, asks `decide`, and writes with a condition (a new contact
 * must not exist yet; an existing one must still be at the version read). A lost race is
 * re-read and decided again, so `decide` must be a pure function of the state it is given.
 */
export async function upsertContactByExternalId(
  tenantId: string,
  externalContactId: string,
  decide: ContactDecision,
  { maxAttempts = 5 }: { maxAttempts?: number } = {},
): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; contact?: Contact }> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const contactId = await findContactIdByExternalId(tenantId, externalContactId);
    const stored = contactId ? await getContact(tenantId, contactId) : undefined;
    const decision = decide(stored);
    if (!decision) return { outcome: 'unchanged', contact: stored?.contact };
    if (decision.contact.externalContactId !== externalContactId) {
      throw new Error('The decided contact must carry the externalContactId it is keyed by');
    }
    try {
      if (stored) await replaceContact(tenantId, stored, decision.contact, decision.events);
      else await insertContact(tenantId, decision.contact, decision.events);
      return { outcome: stored ? 'updated' : 'created', contact: decision.contact };
    } catch (error) {
      if (!(error instanceof StaleContact || error instanceof ExternalContactIdTaken)) throw error;
    }
  }
  throw new StaleContact(`Gave up after ${maxAttempts} conflicting writes`);
}

/** A referral on a contact that is still open at the moment of writing, with its events in the same transaction. */
export async function insertReferral(tenantId: string, referral: Referral, events: DomainEvent[]): Promise<void> {
  await transact([
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: contactKeys.contact(tenantId, referral.contactId),
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open' },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: referralItem(tenantId, referral),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...events.map(outboxPut),
  ]);
}

export async function getReferral(tenantId: string, contactId: string, referralId: string): Promise<Referral | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: tableName(), Key: contactKeys.referral(tenantId, contactId, referralId), ConsistentRead: true }),
  );
  return Item ? referralFromItem(Item) : undefined;
}

/** Settles a referral if it is still open at the version read, with its events in the same transaction. */
export async function replaceReferral(tenantId: string, before: Referral, after: Referral, events: DomainEvent[]): Promise<void> {
  await transact([
    {
      Put: {
        TableName: tableName(),
        Item: referralItem(tenantId, after),
        ConditionExpression: 'version = :expected AND #status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':expected': before.version, ':open': 'open' },
      },
    },
    ...events.map(outboxPut),
  ]);
}

/**
 * Who a contact is with. A customerId must name an active customer of the tenant; a phone (already
 * E.164) is matched to the customer holding it through the customers' unique phone markers.
 */
export async function resolveContactParty(
  tenantId: string,
  given: { customerId?: string; phone?: string },
): Promise<{ customerId: string } | { phone: string } | Record<string, never>> {
  if (given.customerId !== undefined) {
    const stored = await getCustomer(tenantId, given.customerId);
    if (stored?.state !== 'active') throw new UnknownCustomer();
    return { customerId: given.customerId };
  }
  if (given.phone !== undefined) {
    const customerId = await findCustomerIdBy(tenantId, 'PHONE', given.phone);
    return customerId ? { customerId } : { phone: given.phone };
  }
  return {};
}

/** One page of the ids of a customer's contacts (K7's partition, any order), for erasure. */
export async function customerContactIdsPage(
  tenantId: string,
  customerId: string,
  startKey?: Key,
): Promise<{ contactIds: string[]; lastKey?: Key }> {
  const { items, lastKey } = await queryListed({
    list: 'gsi2',
    keyCondition: 'gsi2pk = :pk',
    values: { ':pk': contactKeys.customerPartition(tenantId, customerId) },
    // pk and sk (always read) only to name the item should it be refused (StoredItemInvalid).
    attributes: { expression: 'contactId' },
    startKey,
  });
  return { contactIds: items.map((item) => parseItem(ContactIdOfItem, item).contactId), lastKey: lastKey as Key | undefined };
}

/**
 * Scrubs the personal data of an erased customer's contact and its referrals in place (the rules
 * in domain/erasure.ts): each record is read consistently and updated on the condition that it is
 * still at the version read, moving it to the next; a record changed meanwhile is read and
 * scrubbed again. A contact that no longer belongs to the customer is left alone. Answers how
 * many items were written: none when everything was already scrubbed.
 */
export async function scrubErasedCustomerContact(
  tenantId: string,
  contactId: string,
  customerId: string,
  erasedAt: string,
  { maxAttempts = 5 }: { maxAttempts?: number } = {},
): Promise<number> {
  let written = 0;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const stored = await getContact(tenantId, contactId);
    if (stored?.contact.customerId !== customerId) return written;
    let stale = false;
    const contactChanges = erasureChanges(stored.contact, scrubContact(stored.contact, erasedAt));
    if (contactChanges) {
      const made = await updateInPlace(contactKeys.contact(tenantId, contactId), contactChanges, {
        expectedVersion: stored.contact.version,
        condition: 'customerId = :customerId',
        conditionValues: { ':customerId': customerId },
      });
      if (made) written++;
      else stale = true;
    }
    for (const referral of stored.referrals) {
      const referralChanges = erasureChanges(referral, scrubReferral(referral));
      if (!referralChanges) continue;
      const made = await updateInPlace(contactKeys.referral(tenantId, contactId, referral.referralId), referralChanges, {
        expectedVersion: referral.version,
      });
      if (made) written++;
      else stale = true;
    }
    if (!stale) return written;
  }
  throw new StaleContact(`Contact kept changing during ${maxAttempts} attempts to scrub it`);
}

/** The listing a query reads: one index, and its partitions in the order they are read. */
export interface ContactListing {
  index: 'gsi1' | 'gsi2' | 'gsi3';
  partitions: string[];
  from?: string;
  to?: string;
  filters: { queue?: string; agentId?: string; channel?: string; customerId?: string };
}

const indexAttributes = {
  gsi1: { pk: 'gsi1pk', sk: 'gsi1sk' },
  gsi2: { pk: 'gsi2pk', sk: 'gsi2sk' },
  gsi3: { pk: 'gsi3pk', sk: 'gsi3sk' },
} as const;

/** Work one page may do before it answers with what it found and a cursor to go on. */
const pageBudget = { queries: 40, evaluatedItems: 1000 };

/**
 * One page of contacts, newest first. The position is `{ <index pk>: partition }` (start of that
 * partition) or a full index key (after that item); the next position is returned for the cursor.
 * Filters the index key does not cover apply to the contacts read, so a page may hold fewer than
 * `limit` items, or none, and still have a next position.
 */
export async function listContacts(
  listing: ContactListing,
  limit: number,
  position: Key | undefined,
): Promise<{ items: Contact[]; next?: Key }> {
  const { pk: pkName, sk: skName } = indexAttributes[listing.index];
  let partition = position ? listing.partitions.indexOf(position[pkName]!) : 0;
  if (partition < 0) throw new Error('The position is not in this listing');
  let startKey: Key | undefined = position && position[skName] !== undefined ? position : undefined;
  const filter = listFilter(listing.filters);
  const range = sortKeyCondition(skName, listing.from, listing.to);
  const items: Record<string, unknown>[] = [];
  let queries = 0;
  let evaluated = 0;

  while (partition < listing.partitions.length) {
    if (items.length >= limit || queries >= pageBudget.queries || evaluated >= pageBudget.evaluatedItems) {
      return { items: items.map(contactFromItem), next: startKey ?? { [pkName]: listing.partitions[partition]! } };
    }
    const remaining = limit - items.length;
    const page = await queryListed({
      list: listing.index,
      keyCondition: `${pkName} = :pk${range.expression}`,
      values: { ':pk': listing.partitions[partition]!, ...range.values },
      newestFirst: true,
      // With a filter, read ahead and cut the page at the last item kept.
      limit: filter.keep ? Math.max(remaining, 100) : remaining,
      startKey,
      keep: filter.keep,
    });
    queries++;
    evaluated += page.scanned;
    const found = page.items;
    if (found.length > remaining) {
      const kept = found.slice(0, remaining);
      items.push(...kept);
      const last = kept[kept.length - 1]!;
      startKey = { pk: String(last.pk), sk: String(last.sk), [pkName]: String(last[pkName]), [skName]: String(last[skName]) };
      continue;
    }
    items.push(...found);
    if (page.lastKey) {
      startKey = page.lastKey as Key;
    } else {
      partition++;
      startKey = undefined;
    }
  }
  return { items: items.map(contactFromItem) };
}

function sortKeyCondition(skName: string, from?: string, to?: string) {
  // Sort keys are `<startedAt>#<contactId>`: `from#…` sorts at or after from, `to#…` after to.
  if (from && to) return { expression: ` AND ${skName} BETWEEN :from AND :to`, values: { ':from': from, ':to': to } };
  if (from) return { expression: ` AND ${skName} >= :from`, values: { ':from': from } };
  if (to) return { expression: ` AND ${skName} < :to`, values: { ':to': to } };
  return { expression: '', values: {} };
}

/** The filters the list key does not cover, applied to the contacts read (undefined: none). */
function listFilter(filters: ContactListing['filters']): { keep?: (item: Record<string, unknown>) => boolean } {
  const wanted = Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (wanted.length === 0) return {};
  return { keep: (item) => wanted.every(([field, value]) => item[field] === value) };
}

function emitted(before: Record<string, string>, events: DomainEvent[]): Record<string, string> {
  return { ...before, ...Object.fromEntries(events.map((event) => [event.detailType, event.detail.eventId])) };
}

/**
 * The listing a contact list reads: a customer's contacts (gsi2), an agent's (gsi3), else the
 * tenant's day by day over `window.days` (gsi1, UTC days newest first). The other filters apply
 * to the items read.
 */
export function contactListing(
  tenantId: string,
  query: { customerId?: string; agentId?: string; queue?: string; channel?: string },
  window: { from?: string; to?: string; days?: readonly string[] },
): ContactListing {
  const base = { from: window.from, to: window.to };
  if (query.customerId !== undefined) {
    return {
      ...base,
      index: 'gsi2',
      partitions: [contactKeys.customerPartition(tenantId, query.customerId)],
      filters: { agentId: query.agentId, queue: query.queue, channel: query.channel },
    };
  }
  if (query.agentId !== undefined) {
    return {
      ...base,
      index: 'gsi3',
      partitions: [contactKeys.agentPartition(tenantId, query.agentId)],
      filters: { queue: query.queue, channel: query.channel },
    };
  }
  return {
    ...base,
    index: 'gsi1',
    partitions: (window.days ?? []).map((day) => contactKeys.dayPartition(tenantId, day)),
    filters: { queue: query.queue, channel: query.channel },
  };
}

/** A position in a tenant-wide (gsi1) listing: the index key of `contact`, so that reading goes on after it. */
export function positionAfterContact(tenantId: string, contact: Contact): Key {
  return {
    ...contactKeys.contact(tenantId, contact.contactId),
    gsi1pk: contactKeys.dayPartition(tenantId, dayOf(contact.startedAt)),
    gsi1sk: `${contact.startedAt}#${contact.contactId}`,
  };
}

/**
 * Whether a position from a client's cursor belongs to `listing`: the start of one of its
 * partitions (`{ <index pk> }`), or the index key of a contact of the tenant in one.
 */
export function isContactListingPosition(tenantId: string, listing: ContactListing, position: Record<string, unknown>): position is Key {
  const { pk: pkName, sk: skName } = indexAttributes[listing.index];
  const names = Object.keys(position).sort().join(',');
  const startOfPartition = names === pkName;
  const afterItem = names === ['pk', 'sk', pkName, skName].sort().join(',');
  return (
    (startOfPartition || afterItem) &&
    listing.partitions.includes(position[pkName] as string) &&
    (startOfPartition || (String(position.pk).startsWith(`${tenantPrefix(tenantId)}#CON#`) && position.sk === 'CONTACT'))
  );
}

/** The stored item of a contact; exported for the benchmarks, which seed history in bulk. */
export function contactItem(tenantId: string, contact: Contact, emittedEvents: Record<string, string>) {
  const sortKey = `${contact.startedAt}#${contact.contactId}`;
  return {
    ...contactKeys.contact(tenantId, contact.contactId),
    gsi1pk: contactKeys.dayPartition(tenantId, dayOf(contact.startedAt)),
    gsi1sk: sortKey,
    ...(contact.customerId && { gsi2pk: contactKeys.customerPartition(tenantId, contact.customerId), gsi2sk: sortKey }),
    ...(contact.agentId && { gsi3pk: contactKeys.agentPartition(tenantId, contact.agentId), gsi3sk: sortKey }),
    type: 'Contact',
    tenantId,
    emittedEvents,
    ...contact,
  };
}

function referralItem(tenantId: string, referral: Referral) {
  return { ...contactKeys.referral(tenantId, referral.contactId, referral.referralId), type: 'Referral', tenantId, ...referral };
}

/** The contact id of an external-id marker, or of a listing read with `ProjectionExpression` of its contactId. */
const ContactIdOfItem = z.object({ contactId: z.string() });
const EmittedEventsOfItem = z.object({ emittedEvents: z.optional(z.record(z.string(), z.string())) });

function contactFromItem(item: Record<string, unknown>): Contact {
  return parseItem(Contact, item);
}

/** A referral as the API shows it, from its stored item. */
export function referralFromItem(item: Record<string, unknown>): Referral {
  return parseItem(Referral, item);
}

async function transact(items: TransactItem[]): Promise<void> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    reasons.forEach((reason, index) => {
      const put = items[index]?.Put;
      if (reason.Code === 'ConditionalCheckFailed' && put?.Item?.type === 'ContactExternalId' && reason.Item) {
        throw new ExternalContactIdTaken(parseItem(ContactIdOfItem, unmarshall(reason.Item)).contactId);
      }
    });
    if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) throw new StaleContact();
    throw error;
  }
}
