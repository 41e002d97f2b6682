import { customerErased } from '../events/customer-events';
import { newEvent } from '../events/events';
import type { CreateCustomerBody, Customer, UpdateCustomerBody } from '../schemas/customer';
import type { Change } from './change';
import type { FieldError } from './errors';
import { normalizeEmail, toE164 } from './contact-points';

export type ConsentChannel = keyof Customer['consent'];
type ConsentInputs = NonNullable<CreateCustomerBody['consent']>;

export interface CustomerContext {
  customerId: string;
  defaultCountry: string;
  now: string;
}

export class InvalidCustomer extends Error {
  constructor(readonly errors: FieldError[]) {
    super('Invalid customer');
  }
}

/** The unique contact points of a customer, as stored in its uniqueness markers. */
export interface UniqueValues {
  PHONE?: string;
  EMAIL?: string;
  EXTID?: string;
}

export const uniqueValuesOf = (customer: Pick<Customer, 'phone' | 'email' | 'externalId'>): UniqueValues => ({
  PHONE: customer.phone,
  EMAIL: customer.email,
  EXTID: customer.externalId,
});

export function newCustomer(input: CreateCustomerBody, context: CustomerContext): Customer {
  const customer: Customer = {
    customerId: context.customerId,
    givenName: input.givenName,
    familyName: input.familyName,
    displayName: input.displayName,
    phone: input.phone === undefined ? undefined : phoneOrThrow(input.phone, context.defaultCountry),
    email: input.email === undefined ? undefined : normalizeEmail(input.email),
    language: input.language,
    tags: dedupe(input.tags ?? []),
    externalId: input.externalId,
    consent: applyConsent(unknownConsent(), input.consent, context.now),
    version: 1,
    createdAt: context.now,
    updatedAt: context.now,
  };
  return withoutUndefined(customer);
}

/** A merge patch: absent fields stay, null removes an optional field. */
export function patchCustomer(
  current: Customer,
  patch: UpdateCustomerBody,
  context: Omit<CustomerContext, 'customerId'>,
): Customer {
  const next: Customer = { ...current };
  const optional = ['givenName', 'familyName', 'displayName', 'language', 'externalId'] as const;
  for (const field of optional) {
    const value = patch[field];
    if (value === null) delete next[field];
    else if (value !== undefined) (next as Record<string, unknown>)[field] = value;
  }
  if (patch.phone === null) delete next.phone;
  else if (patch.phone !== undefined) next.phone = phoneOrThrow(patch.phone, context.defaultCountry);
  if (patch.email === null) delete next.email;
  else if (patch.email !== undefined) next.email = normalizeEmail(patch.email);
  if (patch.tags !== undefined) next.tags = dedupe(patch.tags);
  next.consent = applyConsent(current.consent, patch.consent, context.now);
  next.version = current.version + 1;
  next.updatedAt = context.now;
  return withoutUndefined(next);
}

/** What an erased customer leaves: only what is needed to keep the id unique and to show that it was erased. */
export interface CustomerTombstone {
  customerId: string;
  erasedAt: string;
  version: number;
  createdAt: string;
}

/** Erasure: the tombstone, with Customer Erased (from which the customer-erasure consumer scrubs contacts and cases). */
export function customerErasure(tenantId: string, current: Customer, now: string): Change<CustomerTombstone> {
  return {
    next: { customerId: current.customerId, erasedAt: now, version: current.version + 1, createdAt: current.createdAt },
    events: [newEvent(customerErased, tenantId, { customerId: current.customerId, erasedAt: now }, now)],
  };
}

const unknownConsent = (): Customer['consent'] => ({
  sms: { status: 'unknown' },
  email: { status: 'unknown' },
  marketing: { status: 'unknown' },
});

function applyConsent(current: Customer['consent'], input: ConsentInputs | undefined, now: string): Customer['consent'] {
  const next = { ...current };
  for (const channel of ['sms', 'email', 'marketing'] as const) {
    const given = input?.[channel];
    if (given) next[channel] = { status: given.status, source: given.source, at: given.at ?? now };
  }
  return next;
}

function phoneOrThrow(input: string, defaultCountry: string): string {
  const e164 = toE164(input, defaultCountry);
  if (!e164) {
    throw new InvalidCustomer([
      { path: '$.phone', message: `Not a valid phone number (read with default country ${defaultCountry})` },
    ]);
  }
  return e164;
}

const dedupe = (values: string[]) => [...new Set(values)];

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
