import {
  StaleCustomer,
  activeCustomersByIds,
  searchTokenPage,
  UniqueValueTaken,
  customerListPartition,
  eraseCustomer,
  findCustomerIdBy,
  getCustomer,
  insertCustomer,
  listCustomers,
  listCustomersInQuadrant,
  listCustomersInSegment,
  listCustomersInTier,
  replaceCustomer,
  segmentPartition,
  valueTierPartition,
  valueTiers,
} from '../../shared/data/customers-repo';
import type { UniqueKind } from '../../shared/data/keys';
import { getSettings } from '../../shared/data/tenants-repo';
import { normalizeEmail, toE164 } from '../../shared/domain/contact-points';
import { InvalidCustomer, customerErasure, newCustomer, patchCustomer } from '../../shared/domain/customer';
import { type MatchField, nameMatch, nameQuery, searchPlan, tokenAnswers } from '../../shared/domain/customer-search';
import { newAuditEntry } from '../../shared/domain/audit';
import { auditContextOf } from '../../shared/http/audit';
import { decodeCursor, encodeCursor, invalidCursor } from '../../shared/http/cursor';
import { etagOf, requireIfMatch } from '../../shared/http/etag';
import { withIdempotency } from '../../shared/http/idempotency';
import { createApiHandler } from '../../shared/http/handler';
import type { RequestOf } from '../../shared/http/operation';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { conflict, customerErased, notFound, preconditionFailed, validationFailed } from '../../shared/http/problem';
import type { Customer, CustomerSearchResult } from '../../shared/schemas/customer';
import { looksLikeId, newId } from '../../shared/ids';
import { customerRoutes } from '../../shared/http/routes/customers';

const fieldOfKind: Record<UniqueKind, string> = { PHONE: 'phone', EMAIL: 'email', EXTID: 'externalId' };

export const handler = createApiHandler('customers', customerRoutes, {
  async createCustomer(request) {
    const defaultCountry = await defaultCountryFor(request.tenantId, request.body.phone);
    const customer = domainRule(() =>
      newCustomer(request.body, { customerId: newId('cus'), defaultCountry, now: new Date().toISOString() }),
    );
    await uniquely(() => insertCustomer(request.tenantId, customer));
    return {
      status: 201,
      headers: { location: `/v1/customers/${customer.customerId}`, etag: etagOf(customer.version) },
      body: customer,
    };
  },

  async getCustomer(request) {
    const customer = await activeCustomer(request.tenantId, request.params.customerId);
    return { status: 200, headers: { etag: etagOf(customer.version) }, body: customer };
  },

  async updateCustomer(request) {
    const current = await activeCustomer(request.tenantId, request.params.customerId);
    requireIfMatch(request.headers['if-match'], current.version);
    const defaultCountry = await defaultCountryFor(request.tenantId, request.body.phone ?? undefined);
    const next = domainRule(() => patchCustomer(current, request.body, { defaultCountry, now: new Date().toISOString() }));
    await uniquely(() => replaceCustomer(request.tenantId, current, next));
    return { status: 200, headers: { etag: etagOf(next.version) }, body: next };
  },

  async eraseCustomer(request) {
    const stored = await storedCustomer(request.tenantId, request.params.customerId);
    if (stored.state === 'erased') return { status: 204 };
    const now = new Date().toISOString();
    const audit = newAuditEntry(request.tenantId, auditContextOf(request), {
      action: 'customer.erased',
      target: { type: 'customer', id: stored.customer.customerId },
      summary: {},
      at: now,
    });
    await uniquely(() => eraseCustomer(request.tenantId, stored.customer, customerErasure(request.tenantId, stored.customer, now), audit));
    return { status: 204 };
  },

  async searchCustomers(request) {
    const { tenantId, query } = request;
    const plan = searchPlan(query.q, await defaultCountryFor(tenantId, query.q));
    const exactLookups: [MatchField, UniqueKind, string | undefined][] = [
      ['phone', 'PHONE', plan.phone],
      ['email', 'EMAIL', plan.email],
      ['externalId', 'EXTID', plan.externalId],
    ];
    const [exact, byName] = await Promise.all([
      Promise.all(
        exactLookups.map(async ([field, kind, value]) => {
          const customerId = value === undefined ? undefined : await findCustomerIdBy(tenantId, kind, value);
          return customerId ? { field, customerId } : undefined;
        }),
      ),
      customersByName(tenantId, plan.nameTerms, query.limit + 1),
    ]);
    const found = exact.filter((match) => match !== undefined);
    const exactCustomers = await activeCustomersByIds(tenantId, [...new Set(found.map((match) => match.customerId))]);
    const results = new Map<string, CustomerSearchResult>();
    for (const customer of exactCustomers) {
      results.set(customer.customerId, { customer, matchedOn: found.filter((match) => match.customerId === customer.customerId).map((match) => match.field) });
    }
    for (const result of byName) {
      const known = results.get(result.customer.customerId);
      if (known) known.matchedOn.push(...result.matchedOn);
      else results.set(result.customer.customerId, result);
    }
    const items = [...results.values()];
    return { status: 200, body: { items: items.slice(0, query.limit), more: items.length > query.limit } };
  },

  async listCustomers(request) {
    const { tenantId, query } = request;
    const lookup = await lookupKey(tenantId, query);
    if (lookup) {
      const customerId = await findCustomerIdBy(tenantId, lookup.kind, lookup.value);
      const stored = customerId ? await getCustomer(tenantId, customerId) : undefined;
      return { status: 200, body: { items: stored?.state === 'active' ? [stored.customer] : [] } };
    }
    if (query.segment !== undefined) {
      const segmentKey = decodeCursor(query.cursor, tenantId, segmentPartition(tenantId, query.segment));
      const segmentPage = await listCustomersInSegment(tenantId, query.segment, query.limit, segmentKey);
      return { status: 200, body: { items: segmentPage.items, nextCursor: encodeCursor(segmentPage.lastKey) } };
    }
    if (query.tier !== undefined) {
      const tierKey = decodeCursor(query.cursor, tenantId, valueTierPartition(tenantId, query.tier));
      const tierPage = await listCustomersInTier(tenantId, query.tier, query.quadrant, query.limit, tierKey);
      return { status: 200, body: { items: tierPage.items, nextCursor: encodeCursor(tierPage.lastKey) } };
    }
    if (query.quadrant !== undefined) {
      const quadrantKey = quadrantStartKey(query.cursor, tenantId);
      const quadrantPage = await listCustomersInQuadrant(tenantId, query.quadrant, query.limit, quadrantKey);
      return { status: 200, body: { items: quadrantPage.items, nextCursor: encodeCursor(quadrantPage.lastKey) } };
    }
    const startKey = decodeCursor(query.cursor, tenantId, customerListPartition(tenantId));
    const page = await listCustomers(tenantId, query.limit, startKey);
    return { status: 200, body: { items: page.items, nextCursor: encodeCursor(page.lastKey) } };
  },
}, { idempotency: withIdempotency, requestLimit: tenantRequestLimit });

/** A quadrant's cursor: the last key read, in the partition of one of the tenant's tiers. */
function quadrantStartKey(cursor: string | undefined, tenantId: string): Record<string, unknown> | undefined {
  const key = decodeCursor(cursor, tenantId, {});
  if (key && !valueTiers.some((tier) => valueTierPartition(tenantId, tier).gsi3pk === key.gsi3pk)) throw invalidCursor();
  return key;
}

async function storedCustomer(tenantId: string, customerId: string) {
  const stored = looksLikeId('cus', customerId) ? await getCustomer(tenantId, customerId) : undefined;
  if (!stored) throw notFound('No such customer');
  return stored;
}

async function activeCustomer(tenantId: string, customerId: string): Promise<Customer> {
  const stored = await storedCustomer(tenantId, customerId);
  if (stored.state === 'erased') throw customerErased(customerId, stored.erasedAt);
  return stored.customer;
}

/** Phone numbers are read against the tenant's default country, which only a phone needs. */
async function defaultCountryFor(tenantId: string, phone: string | undefined): Promise<string> {
  if (phone === undefined) return 'ZZ';
  const settings = await getSettings(tenantId);
  return settings?.defaultCountry ?? 'ZZ';
}

async function lookupKey(tenantId: string, query: RequestOf<typeof customerRoutes, 'listCustomers'>['query']): Promise<{ kind: UniqueKind; value: string } | undefined> {
  if (query.phone !== undefined) {
    const e164 = toE164(query.phone, await defaultCountryFor(tenantId, query.phone));
    if (!e164) throw validationFailed([{ path: 'query.phone', message: 'Not a valid phone number' }]);
    return { kind: 'PHONE', value: e164 };
  }
  if (query.email !== undefined) return { kind: 'EMAIL', value: normalizeEmail(query.email) };
  if (query.externalId !== undefined) return { kind: 'EXTID', value: query.externalId };
  return undefined;
}

/** Token entries read at most per search: a prefix as short as one letter stays one or two Queries. */
const searchPageSize = 100;
const searchPagesAtMost = 3;

/**
 * The customers whose words start with every term, in token order (an exact token first), at most
 * `wanted`: one word is read from its bucket, several from the bucket of the pair of the first two
 * (shared/domain/customer-search.ts); a third word and more are checked on the customers read.
 */
async function customersByName(tenantId: string, terms: readonly string[], wanted: number): Promise<CustomerSearchResult[]> {
  const query = nameQuery(terms);
  if (query === undefined) return [];
  const results: CustomerSearchResult[] = [];
  const seen = new Set<string>();
  let startKey: Record<string, unknown> | undefined;
  // Up to two words the entries answer the search themselves: read only as many customers as are
  // still wanted, so a common name costs no more in a large tenant than in a small one.
  // (A second word too short for its pair's bucket is not among them: it is checked on the customers.)
  const answeredByEntries = terms.length === 1 || (terms.length === 2 && query.second !== undefined);
  for (let page = 0; page < searchPagesAtMost && results.length < wanted; page++) {
    const tokens = await searchTokenPage(tenantId, query, answeredByEntries ? Math.min(searchPageSize, wanted * 3) : searchPageSize, startKey);
    const matching = tokens.entries.filter((entry) => tokenAnswers(query, entry.token));
    const newIds = [...new Set(matching.map((entry) => entry.customerId))].filter((customerId) => !seen.has(customerId));
    const toRead = answeredByEntries ? newIds.slice(0, wanted - results.length) : newIds;
    toRead.forEach((customerId) => seen.add(customerId));
    for (const customer of await activeCustomersByIds(tenantId, toRead)) {
      const fields = nameMatch(customer, terms);
      if (fields && results.length < wanted) results.push({ customer, matchedOn: fields });
    }
    startKey = tokens.lastKey;
    if (!startKey) break;
  }
  return results;
}

function domainRule<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof InvalidCustomer) throw validationFailed(error.errors);
    throw error;
  }
}

async function uniquely(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof UniqueValueTaken) {
      throw conflict(
        `Another customer (${error.existingCustomerId}) already has this ${fieldOfKind[error.kind]}`,
        'duplicate-customer',
        { existingCustomerId: error.existingCustomerId, field: fieldOfKind[error.kind] },
      );
    }
    if (error instanceof StaleCustomer) {
      throw preconditionFailed('The customer changed while this request ran; read it again');
    }
    throw error;
  }
}
