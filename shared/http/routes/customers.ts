import { Page } from '../../schemas/common';
import {
  CreateCustomerBody,
  Customer,
  CustomerIdParams,
  CustomerSearchResults,
  ListCustomersQuery,
  SearchCustomersQuery,
  UpdateCustomerBody,
} from '../../schemas/customer';
import { defineRoutes, agentAccess, readonlyAccess } from '../route-types';

const customerExample = {
  customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
  givenName: 'Mei-Ling',
  familyName: 'Chen',
  displayName: 'Chen Mei-Ling',
  phone: '+886912345678',
  email: 'meiling.chen@example.com',
  language: 'zh-TW',
  tags: ['vip'],
  externalId: 'CRM-004211',
  consent: {
    sms: { status: 'granted', source: 'web-form', at: '2026-03-05T02:00:00.000Z' },
    email: { status: 'unknown' },
    marketing: { status: 'denied', source: 'call', at: '2026-03-05T02:00:00.000Z' },
  },
  version: 1,
  createdAt: '2026-03-05T02:00:00.000Z',
  updatedAt: '2026-03-05T02:00:00.000Z',
} as const;

/** Customers: the people a tenant serves, unique by phone, email and externalId. */
export const customerRoutes = defineRoutes([
  {
    operationId: 'createCustomer',
    method: 'POST',
    path: '/v1/customers',
    function: 'customers',
    access: agentAccess,
    tag: 'Customers',
    summary: 'Create a customer; phone, email and externalId are unique within the tenant',
    idempotent: true,
    request: { body: CreateCustomerBody },
    description:
      'Creates a customer from at least a name, phone, email or externalId. The phone may be in any format and is stored in E.164 with the tenant default country; ' +
      'phone, email and externalId are each unique within the tenant (409 names the customer that has one). Idempotency-Key makes a retry answer the first result',
    examples: {
      request: {
        body: {
          givenName: 'Mei-Ling',
          familyName: 'Chen',
          displayName: 'Chen Mei-Ling',
          phone: '0912 345 678',
          email: 'meiling.chen@example.com',
          language: 'zh-TW',
          tags: ['vip'],
          externalId: 'CRM-004211',
          consent: { sms: { status: 'granted', source: 'web-form' }, marketing: { status: 'denied', source: 'call' } },
        },
      },
      responses: { 201: customerExample },
    },
    problems: ['duplicate-customer', 'replay-erased'],
    responses: { 201: { description: 'Created', schema: Customer, headers: ['Location', 'ETag'] } },
  },
  {
    operationId: 'listCustomers',
    method: 'GET',
    path: '/v1/customers',
    function: 'customers',
    access: readonlyAccess,
    tag: 'Customers',
    summary: 'List customers, or look one up by phone, email or externalId',
    request: { query: ListCustomersQuery },
    description:
      'Lists customers, or looks one up by exactly one of phone (any format), email or externalId, or lists one RFM segment, ' +
      'or the customers of a value tier, of a profit × loyalty quadrant, or of both (as of the last customer-value run; a quadrant lists the high tier first, by id within each). ' +
      'Paged: at most `limit` (1–100, default 25) per page; pass `nextCursor` as `cursor` for the next',
    examples: { request: { query: { phone: '+886912345678' } }, responses: { 200: { items: [customerExample] } } },
    responses: { 200: { description: 'A page of customers', schema: Page(Customer) } },
  },
  // Before getCustomer: a route of the same shape with a literal segment must match first.
  {
    operationId: 'searchCustomers',
    method: 'GET',
    path: '/v1/customers/search',
    function: 'customers',
    access: readonlyAccess,
    tag: 'Customers',
    summary: 'Find customers by phone in any format, e-mail, external id, or the start of a name',
    request: { query: SearchCustomersQuery },
    description:
      'The desk\'s type-ahead. A phone number in any format (read with the tenant default country), an e-mail address and an external id are matched exactly; ' +
      'other text finds the customers each of whose words starts a word of their given, family or display name, case and accents ignored ' +
      '(`jose` finds José). A Chinese name is found by its start (林美 finds 林美玲) and by its given name (美玲). Each result says what matched. ' +
      'At most `limit` (1–25, default 10) results, exact matches first; `more` says when there are others. An erased customer is never found',
    examples: {
      request: { query: { q: '0912 345 678' } },
      responses: { 200: { items: [{ customer: customerExample, matchedOn: ['phone'] }], more: false } },
    },
    responses: { 200: { description: 'The customers found', schema: CustomerSearchResults } },
  },
  {
    operationId: 'getCustomer',
    method: 'GET',
    path: '/v1/customers/{customerId}',
    function: 'customers',
    access: readonlyAccess,
    tag: 'Customers',
    summary: 'Read a customer; the ETag header carries its version',
    request: { params: CustomerIdParams },
    description:
      'Reads a customer with its consent and value figures. The ETag header carries its version: send it as If-Match to update. An erased customer answers 410 with its tombstone',
    examples: { request: { params: { customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3' } }, responses: { 200: customerExample } },
    problems: ['customer-erased'],
    responses: { 200: { description: 'The customer', schema: Customer, headers: ['ETag'] } },
  },
  {
    operationId: 'updateCustomer',
    method: 'PATCH',
    path: '/v1/customers/{customerId}',
    function: 'customers',
    access: agentAccess,
    tag: 'Customers',
    summary: 'Change a customer; requires If-Match with the ETag last read',
    requiresIfMatch: true,
    request: { params: CustomerIdParams, body: UpdateCustomerBody },
    description:
      'Changes the fields sent (a merge: null removes an optional field; tags replace the list; consent changes per channel). ' +
      'Requires If-Match with the ETag last read (428 without it, 412 when the customer changed since); phone, email and externalId stay unique (409)',
    examples: {
      request: {
        params: { customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3' },
        body: { email: 'mei.chen@example.com', consent: { email: { status: 'granted', source: 'call' } } },
      },
      responses: {
        200: {
          ...customerExample,
          email: 'mei.chen@example.com',
          consent: { ...customerExample.consent, email: { status: 'granted', source: 'call', at: '2026-03-06T03:10:00.000Z' } },
          version: 2,
          updatedAt: '2026-03-06T03:10:00.000Z',
        },
      },
    },
    problems: ['customer-erased', 'duplicate-customer'],
    responses: { 200: { description: 'The updated customer', schema: Customer, headers: ['ETag'] } },
  },
  {
    operationId: 'eraseCustomer',
    method: 'DELETE',
    path: '/v1/customers/{customerId}',
    function: 'customers',
    access: agentAccess,
    tag: 'Customers',
    summary: 'Erase a customer: personal data is removed, a tombstone keeps the id',
    request: { params: CustomerIdParams },
    description:
      'Erases a customer for a privacy request: personal data is removed and a tombstone keeps the id. Their contacts\' notes and phone numbers ' +
      'and their cases\' subject, description and free text are scrubbed asynchronously, typically within seconds; operational figures are kept. Repeating it is harmless',
    examples: { request: { params: { customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3' } } },
    problems: ['precondition-failed'],
    responses: { 204: { description: 'Erased' } },
  },
]);
