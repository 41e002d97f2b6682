import * as z from 'zod';
import { Iso8601, Locale, PaginationQuery } from './common';
import { CustomerValue, Segment } from './customer-value';

export const ConsentChannel = z.enum(['sms', 'email', 'marketing']);
export const ConsentStatus = z.enum(['granted', 'denied', 'unknown']);

export const ConsentInput = z.strictObject({
  status: z.enum(['granted', 'denied']),
  source: z.string().trim().min(1).max(100).describe('Where the consent was given, e.g. web-form, call, sms-stop'),
  at: Iso8601.optional().describe('When it was given; defaults to now'),
});

export const ConsentRecord = z.object({ status: ConsentStatus, source: z.string().optional(), at: Iso8601.optional() });

export const Consent = z.object({ sms: ConsentRecord, email: ConsentRecord, marketing: ConsentRecord });

const Tag = z.string().trim().min(1).max(50);

const customerFields = {
  givenName: z.string().trim().min(1).max(100),
  familyName: z.string().trim().min(1).max(100),
  displayName: z.string().trim().min(1).max(200),
  phone: z.string().trim().min(3).max(32).describe('Any format; stored in E.164 using the tenant default country'),
  email: z.email().max(254),
  language: Locale,
  tags: z.array(Tag).max(50),
  externalId: z.string().trim().min(1).max(128).describe("The tenant's own CRM id; unique within the tenant"),
};

export const CreateCustomerBody = z
  .strictObject({
    ...customerFields,
    consent: z.strictObject({ sms: ConsentInput, email: ConsentInput, marketing: ConsentInput }).partial(),
  })
  .partial()
  .refine((c) => c.phone || c.email || c.externalId || c.displayName || c.givenName || c.familyName, {
    message: 'A customer needs at least a name, phone, email or externalId',
  })
  .meta({ id: 'CreateCustomer' });
export type CreateCustomerBody = z.infer<typeof CreateCustomerBody>;

export const UpdateCustomerBody = z
  .strictObject({
    givenName: customerFields.givenName.nullable(),
    familyName: customerFields.familyName.nullable(),
    displayName: customerFields.displayName.nullable(),
    phone: customerFields.phone.nullable(),
    email: customerFields.email.nullable(),
    language: customerFields.language.nullable(),
    tags: customerFields.tags,
    externalId: customerFields.externalId.nullable(),
    consent: z.strictObject({ sms: ConsentInput, email: ConsentInput, marketing: ConsentInput }).partial(),
  })
  .partial()
  .meta({ id: 'UpdateCustomer', description: 'Fields to change; null removes an optional field' });
export type UpdateCustomerBody = z.infer<typeof UpdateCustomerBody>;

export const Customer = z
  .object({
    customerId: z.string(),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    displayName: z.string().optional(),
    phone: z.string().optional().describe('E.164'),
    email: z.string().optional(),
    language: Locale.optional(),
    tags: z.array(z.string()),
    externalId: z.string().optional(),
    consent: Consent,
    value: CustomerValue.optional().describe('Purchases and their scores (docs/customer-value.md); absent before the first transaction'),
    version: z.number().int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

export const CustomerIdParams = z.object({ customerId: z.string().max(64) });

export const ListCustomersQuery = PaginationQuery.extend({
  phone: z.string().trim().min(3).max(32).optional(),
  email: z.string().trim().max(254).optional(),
  externalId: z.string().trim().max(128).optional(),
  segment: Segment.optional().describe("Only the customers of this segment (as of the last customer-value run)"),
}).refine((q) => [q.phone, q.email, q.externalId, q.segment].filter((v) => v !== undefined).length <= 1, {
  message: 'Look up by one of phone, email or externalId, or list a segment, one at a time',
});
