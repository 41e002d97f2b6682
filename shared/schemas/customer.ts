import * as z from '../zod';
import { Iso8601, Locale, PaginationQuery } from './common';
import { CustomerValue, Quadrant, Segment, ValueTier } from './customer-value';

export const ConsentChannel = z.enum(['sms', 'email', 'marketing']);
export const ConsentStatus = z.enum(['granted', 'denied', 'unknown']);

export const ConsentInput = z.strictObject({
  status: z.enum(['granted', 'denied']),
  source: z.described(
    z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    'Where the consent was given, e.g. web-form, call, sms-stop',
  ),
  at: z.described(z.optional(Iso8601), 'When it was given; defaults to now'),
});

export const ConsentRecord = z.object({ status: ConsentStatus, source: z.optional(z.string()), at: z.optional(Iso8601) });

export const Consent = z.object({ sms: ConsentRecord, email: ConsentRecord, marketing: ConsentRecord });

const Tag = z.string().check(z.trim(), z.minLength(1), z.maxLength(50));

const customerFields = {
  givenName: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  familyName: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  displayName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  phone: z.described(
    z.string().check(z.trim(), z.minLength(3), z.maxLength(32)),
    'Any format; stored in E.164 using the tenant default country',
  ),
  email: z.email().check(z.maxLength(254)),
  language: Locale,
  tags: z.array(Tag).check(z.maxLength(50)),
  externalId: z.described(
    z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
    "The tenant's own CRM id; unique within the tenant",
  ),
};

export const CreateCustomerBody = z.withMeta(
  z
    .partial(
      z.strictObject({
        ...customerFields,
        consent: z.partial(z.strictObject({ sms: ConsentInput, email: ConsentInput, marketing: ConsentInput })),
      }),
    )
    .check(
      z.refine((c) => c.phone || c.email || c.externalId || c.displayName || c.givenName || c.familyName, {
        message: 'A customer needs at least a name, phone, email or externalId',
      }),
    ),
  { id: 'CreateCustomer' },
);
export type CreateCustomerBody = z.infer<typeof CreateCustomerBody>;

export const UpdateCustomerBody = z.withMeta(
  z.partial(
    z.strictObject({
      givenName: z.nullable(customerFields.givenName),
      familyName: z.nullable(customerFields.familyName),
      displayName: z.nullable(customerFields.displayName),
      phone: z.nullable(customerFields.phone),
      email: z.nullable(customerFields.email),
      language: z.nullable(customerFields.language),
      tags: customerFields.tags,
      externalId: z.nullable(customerFields.externalId),
      consent: z.partial(z.strictObject({ sms: ConsentInput, email: ConsentInput, marketing: ConsentInput })),
    }),
  ),
  { id: 'UpdateCustomer', description: 'Fields to change; null removes an optional field' },
);
export type UpdateCustomerBody = z.infer<typeof UpdateCustomerBody>;

export const Customer = z.withMeta(
  z.object({
    customerId: z.string(),
    givenName: z.optional(z.string()),
    familyName: z.optional(z.string()),
    displayName: z.optional(z.string()),
    phone: z.described(z.optional(z.string()), 'E.164'),
    email: z.optional(z.string()),
    language: z.optional(Locale),
    tags: z.array(z.string()),
    externalId: z.optional(z.string()),
    consent: Consent,
    value: z.described(
      z.optional(CustomerValue),
      'Purchases and their scores (docs/customer-value.md); absent before the first transaction',
    ),
    version: z.int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  }),
  { id: 'Customer' },
);
export type Customer = z.infer<typeof Customer>;

export const CustomerIdParams = z.object({ customerId: z.string().check(z.maxLength(64)) });

export const ListCustomersQuery = z
  .extend(PaginationQuery, {
    phone: z.optional(z.string().check(z.trim(), z.minLength(3), z.maxLength(32))),
    email: z.optional(z.string().check(z.trim(), z.maxLength(254))),
    externalId: z.optional(z.string().check(z.trim(), z.maxLength(128))),
    segment: z.described(z.optional(Segment), 'Only the customers of this segment (as of the last customer-value run)'),
    tier: z.described(z.optional(ValueTier), 'Only the customers of this value tier (as of the last customer-value run); with quadrant, those in both'),
    quadrant: z.described(z.optional(Quadrant), 'Only the customers of this profit × loyalty quadrant (as of the last customer-value run); with tier, those in both'),
  })
  .check(
    z.refine(
      (q) => [q.phone, q.email, q.externalId, q.segment, q.tier ?? q.quadrant].filter((v) => v !== undefined).length <= 1,
      {
        message: 'Look up by one of phone, email or externalId, or list a segment, or a tier and/or a quadrant, one at a time',
      },
    ),
  );

export const SearchCustomersQuery = z.strictObject({
  q: z.described(
    z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    'A phone number in any format, an e-mail address, an external id, or the start of a name or of any word of it (case and accents ignored; a Chinese name by its start or by its given name)',
  ),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(25)), 10),
});

export const SearchMatchField = z.described(
  z.enum(['phone', 'email', 'externalId', 'givenName', 'familyName', 'displayName']),
  'What matched: an exact phone, e-mail or external id, or the start of a word of a name field',
);

export const CustomerSearchResult = z.withMeta(
  z.object({
    customer: Customer,
    matchedOn: z.described(z.array(SearchMatchField), 'Why this customer was found, one entry per field that matched'),
  }),
  { id: 'CustomerSearchResult' },
);
export type CustomerSearchResult = z.infer<typeof CustomerSearchResult>;

export const CustomerSearchResults = z.withMeta(
  z.object({
    items: z.array(CustomerSearchResult),
    more: z.described(z.boolean(), 'true when more customers match than `limit`: type more of the name to narrow it'),
  }),
  { id: 'CustomerSearchResults' },
);
