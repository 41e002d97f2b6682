import {
  type ContactListing,
  ExternalContactIdTaken,
  type StoredContact,
  StaleContact,
  UnknownCustomer,
  contactListing,
  getContact,
  getReferral,
  insertContact,
  insertReferral,
  isContactListingPosition,
  listContacts,
  replaceContact,
  replaceReferral,
  resolveContactParty,
} from '../../shared/data/contacts-repo';
import { getSettings } from '../../shared/data/tenants-repo';
import { toE164 } from '../../shared/domain/contact-points';
import {
  ContactNotOpen,
  InvalidContact,
  ReferralNotOpen,
  ResolvedWithoutAnswer,
  closeContactChange,
  listingWindow,
  newContactChange,
  newReferralChange,
  patchContact,
  settleReferralChange,
} from '../../shared/domain/contact';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { etagOf, requireIfMatch } from '../../shared/http/etag';
import { createApiHandler } from '../../shared/http/handler';
import type { ResultOf } from '../../shared/http/operation';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { withIdempotency } from '../../shared/http/idempotency';
import { HttpError, badRequest, conflict, notFound, preconditionFailed, validationFailed } from '../../shared/http/problem';
import type { Settings } from '../../shared/schemas/settings';
import { looksLikeId, newId } from '../../shared/ids';
import { contactRoutes } from '../../shared/http/routes/contacts';
import { functionClock } from '../../shared/ports/clock';

/** A close that loses a race with a patch reads the contact again and tries once more, a few times at most. */
const closeAttempts = 3;

export const handler = createApiHandler(
  'contacts', contactRoutes,
  {
    async createContact(request) {
      const { tenantId, body } = request;
      const settings = await tenantSettings(tenantId);
      const { customerId, phone, ...input } = body;
      const party = await resolveParty(tenantId, { customerId, phone }, settings);
      const now = new Date().toISOString();
      const { next: contact, events } = domainRule(() =>
        newContactChange(input, party ?? {}, { tenantId, contactId: newId('con'), now, reasonCodes: settings.reasonCodes ?? [] }),
      );
      await write(() => insertContact(tenantId, contact, events));
      return {
        status: 201,
        headers: { location: `/v1/contacts/${contact.contactId}`, etag: etagOf(contact.version) },
        body: { ...contact, referrals: [] },
      };
    },

    async getContact(request) {
      const stored = await storedContact(request.tenantId, request.params.contactId);
      return { status: 200, headers: { etag: etagOf(stored.contact.version) }, body: withReferrals(stored) };
    },

    async updateContact(request) {
      const { tenantId, body } = request;
      const stored = await storedContact(tenantId, request.params.contactId);
      if (stored.contact.status !== 'open') throw closedConflict();
      requireIfMatch(request.headers['if-match'], stored.contact.version);
      const settings = await tenantSettings(tenantId);
      const { customerId, phone, ...patch } = body;
      // A new customerId or phone replaces whoever the contact was with; null only removes that field.
      const newParty =
        customerId || phone ? await resolveParty(tenantId, { customerId: customerId ?? undefined, phone: phone ?? undefined }, settings) : undefined;
      const removals = { ...(customerId === null && { customerId: null }), ...(phone === null && { phone: null }) };
      const next = domainRule(() =>
        patchContact(stored.contact, { ...patch, ...removals }, newParty, {
          now: new Date().toISOString(),
          reasonCodes: settings.reasonCodes ?? [],
        }),
      );
      try {
        await replaceContact(tenantId, stored, next, []);
      } catch (error) {
        if (!(error instanceof StaleContact)) throw error;
        const now = await storedContact(tenantId, request.params.contactId);
        if (now.contact.status !== 'open') throw closedConflict();
        throw preconditionFailed('The contact changed while this request ran; read it again');
      }
      return { status: 200, headers: { etag: etagOf(next.version) }, body: withReferrals({ ...stored, contact: next }) };
    },

    async closeContact(request) {
      const { tenantId } = request;
      const settings = await tenantSettings(tenantId);
      for (let attempt = 1; ; attempt++) {
        const stored = await storedContact(tenantId, request.params.contactId);
        // Closing is idempotent: a closed contact is answered as it is, and nothing is written or emitted,
        // unless the close asks for another outcome than the one recorded, which would be lost silently.
        if (stored.contact.status === 'closed') {
          const asked = request.body?.outcome;
          if (asked !== undefined && asked !== stored.contact.outcome) throw closedWithOtherOutcome(stored.contact.outcome, asked);
          return closedAnswer(stored);
        }
        const now = functionClock.now().toISOString();
        const { next: closed, events } = domainRule(() =>
          closeContactChange(stored.contact, request.body, { tenantId, now, reasonCodes: settings.reasonCodes ?? [], requireOutcome: true }),
        );
        try {
          await replaceContact(tenantId, stored, closed, events);
          return closedAnswer({ ...stored, contact: closed });
        } catch (error) {
          // Someone closed or changed it first; the transaction wrote neither state nor event.
          if (!(error instanceof StaleContact) || attempt >= closeAttempts) throw error;
        }
      }
    },

    async listContacts(request) {
      const { tenantId, query } = request;
      const window = domainRule(() => listingWindow(query, new Date().toISOString()));
      const listing = contactListing(tenantId, query, window);
      const position = positionFrom(query.cursor, tenantId, listing);
      const page = await listContacts(listing, query.limit, position);
      return { status: 200, body: { items: page.items, nextCursor: encodeCursor(page.next) } };
    },

    async createReferral(request) {
      const { tenantId } = request;
      const stored = await storedContact(tenantId, request.params.contactId);
      const now = new Date().toISOString();
      const { next: referral, events } = domainRule(() =>
        newReferralChange(stored.contact, stored.referrals.length, request.body, {
          tenantId,
          referralId: newId('ref'),
          now,
        }),
      );
      await write(() => insertReferral(tenantId, referral, events));
      return {
        status: 201,
        headers: { location: `/v1/contacts/${referral.contactId}/referrals/${referral.referralId}`, etag: etagOf(referral.version) },
        body: referral,
      };
    },

    async updateReferral(request) {
      const { tenantId, params, body } = request;
      const stored = await storedContact(tenantId, params.contactId);
      const current = looksLikeId('ref', params.referralId)
        ? await getReferral(tenantId, params.contactId, params.referralId)
        : undefined;
      if (!current) throw notFound('No such referral');
      const now = new Date().toISOString();
      const { next: settled, events } = domainRule(() => settleReferralChange(current, stored.contact, body, { tenantId, now }));
      try {
        await replaceReferral(tenantId, current, settled, events);
      } catch (error) {
        if (!(error instanceof StaleContact)) throw error;
        const latest = await getReferral(tenantId, params.contactId, params.referralId);
        throw referralConflict(latest?.status ?? 'open');
      }
      return { status: 200, headers: { etag: etagOf(settled.version) }, body: settled };
    },
  },
  { idempotency: withIdempotency, requestLimit: tenantRequestLimit },
);

async function storedContact(tenantId: string, contactId: string): Promise<StoredContact> {
  const stored = looksLikeId('con', contactId) ? await getContact(tenantId, contactId) : undefined;
  if (!stored) throw notFound('No such contact');
  return stored;
}

async function tenantSettings(tenantId: string): Promise<Settings> {
  const settings = await getSettings(tenantId);
  if (!settings) throw notFound('The tenant has no settings');
  return settings;
}

/** The customer a contact is with: a known customerId, or a phone matched (or kept) in E.164. */
async function resolveParty(tenantId: string, given: { customerId?: string; phone?: string }, settings: Settings) {
  if (given.customerId === undefined && given.phone === undefined) return undefined;
  let phone: string | undefined;
  if (given.phone !== undefined) {
    phone = toE164(given.phone, settings.defaultCountry);
    if (!phone) {
      throw validationFailed([{ path: '$.phone', message: `Not a valid phone number (read with default country ${settings.defaultCountry})` }]);
    }
  }
  if (given.customerId !== undefined && !looksLikeId('cus', given.customerId)) throw unknownCustomer();
  try {
    return await resolveContactParty(tenantId, { customerId: given.customerId, phone });
  } catch (error) {
    if (error instanceof UnknownCustomer) throw unknownCustomer();
    throw error;
  }
}

/** The same answer as the cases area gives for a customerId that names nobody. */
const unknownCustomer = () =>
  new HttpError('unknown-customer', 'No such customer in this tenant', {
    errors: [{ path: '$.customerId', message: 'No such customer (or it was erased)' }],
  });

const closedConflict = () => conflict('The contact is closed; a closed contact is not changed', 'contact-closed');

const closedWithOtherOutcome = (storedOutcome: string | undefined, asked: string) =>
  conflict(
    `The contact is already closed ${storedOutcome ? `with outcome ${storedOutcome}` : 'without an outcome'}, not ${asked}; a closed contact keeps its outcome`,
    'contact-closed-with-other-outcome',
    { storedOutcome: storedOutcome ?? null },
  );

/** 422: the close names the fields (outcome, answeredAt) that contradict each other. */
const resolvedWithoutAnswer = (error: ResolvedWithoutAnswer) =>
  new HttpError(
    'resolved-without-answer',
    'A contact that was queued and never answered was abandoned, not resolved: close it as abandoned, or set answeredAt first',
    { errors: error.errors },
  );

const referralConflict = (status: string) =>
  conflict(`The referral is already ${status}; only an open referral is converted or lost`, 'referral-settled');

function withReferrals(stored: StoredContact) {
  return { ...stored.contact, referrals: stored.referrals };
}

function closedAnswer(stored: StoredContact): ResultOf<typeof contactRoutes, 'closeContact'> {
  return { status: 200, headers: { etag: etagOf(stored.contact.version) }, body: withReferrals(stored) };
}

/** A contact cursor must name a partition of this very listing (same filters, same window) and, for a key, a contact item. */
function positionFrom(cursor: string | undefined, tenantId: string, listing: ContactListing) {
  const position = decodeCursor(cursor, tenantId, {});
  if (!position) return undefined;
  if (!isContactListingPosition(tenantId, listing, position)) throw badRequest('The cursor is not valid for this list; start again without it');
  return position;
}

function domainRule<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof InvalidContact) throw validationFailed(error.errors);
    if (error instanceof ResolvedWithoutAnswer) throw resolvedWithoutAnswer(error);
    if (error instanceof ContactNotOpen) throw closedConflict();
    if (error instanceof ReferralNotOpen) throw referralConflict(error.status);
    throw error;
  }
}

async function write(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ExternalContactIdTaken) {
      throw conflict(`Another contact (${error.existingContactId}) already has this externalContactId`, 'duplicate-contact', {
        existingContactId: error.existingContactId,
        field: 'externalContactId',
      });
    }
    // A referral's contact was closed between the read and the write.
    if (error instanceof StaleContact) throw closedConflict();
    throw error;
  }
}
