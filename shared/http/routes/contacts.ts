import { Page } from '../../schemas/common';
import {
  CloseContactBody,
  Contact,
  ContactIdParams,
  ContactWithReferrals,
  CreateContactBody,
  CreateReferralBody,
  ListContactsQuery,
  Referral,
  ReferralIdParams,
  UpdateContactBody,
  UpdateReferralBody,
} from '../../schemas/contact';
import { defineRoutes, agentAccess, readonlyAccess } from '../route-types';

const contactExample = {
  contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7',
  status: 'open',
  channel: 'voice',
  direction: 'inbound',
  purpose: 'service',
  queue: 'billing',
  agentId: 'agent-0042',
  reasonCode: 'billing.dispute',
  customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
  externalContactId: '5f3c2a10-8d4e-4b7a-9c61-2e0f7a9d1b34',
  queuedAt: '2026-03-09T01:02:00.000Z',
  answeredAt: '2026-03-09T01:02:45.000Z',
  startedAt: '2026-03-09T01:02:00.000Z',
  waitSeconds: 45,
  version: 1,
  createdAt: '2026-03-09T01:02:50.000Z',
  updatedAt: '2026-03-09T01:02:50.000Z',
} as const;

const referralExample = {
  referralId: 'ref_01JFC8A1B2C3D4E5F6G7H8J9K0',
  contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7',
  product: 'Fibre 1G',
  note: 'Asked about faster internet at home',
  assignedTo: 'sales-007',
  referredBy: 'agent-0042',
  status: 'open',
  version: 1,
  createdAt: '2026-03-09T01:06:00.000Z',
  updatedAt: '2026-03-09T01:06:00.000Z',
} as const;

const closedContactExample = {
  ...contactExample,
  status: 'closed',
  endedAt: '2026-03-09T01:08:15.000Z',
  afterContactWorkEndedAt: '2026-03-09T01:09:30.000Z',
  handleSeconds: 405,
  outcome: 'resolved',
  firstContactResolution: true,
  closedAt: '2026-03-09T01:09:31.000Z',
  version: 2,
  updatedAt: '2026-03-09T01:09:31.000Z',
  referrals: [referralExample],
} as const;

/** Contacts (one interaction each) and the referrals agents make on them. */
export const contactRoutes = defineRoutes([
  {
    operationId: 'createContact',
    method: 'POST',
    path: '/v1/contacts',
    function: 'contacts',
    access: agentAccess,
    tag: 'Contacts',
    summary: 'Log a contact (open); a phone is matched to the customer who has it',
    idempotent: true,
    request: { body: CreateContactBody },
    description:
      'Logs an interaction as an open contact: channel, direction, purpose (default service), queue, agent, reason code and times. ' +
      'Name the customer by customerId, or give a phone (any format) that is matched to the customer who has it, or neither; not both. ' +
      'externalContactId is unique within the tenant (409 names the contact that has it); Idempotency-Key makes a retry answer the first result',
    examples: {
      request: {
        body: {
          channel: 'voice',
          direction: 'inbound',
          queue: 'billing',
          agentId: 'agent-0042',
          reasonCode: 'billing.dispute',
          customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
          externalContactId: '5f3c2a10-8d4e-4b7a-9c61-2e0f7a9d1b34',
          queuedAt: '2026-03-09T01:02:00.000Z',
          answeredAt: '2026-03-09T01:02:45.000Z',
        },
      },
      responses: { 201: { ...contactExample, referrals: [] } },
    },
    problems: ['not-found', 'unknown-customer', 'duplicate-contact', 'contact-closed', 'replay-erased'],
    responses: { 201: { description: 'Created', schema: ContactWithReferrals, headers: ['Location', 'ETag'] } },
  },
  {
    operationId: 'listContacts',
    method: 'GET',
    path: '/v1/contacts',
    function: 'contacts',
    access: readonlyAccess,
    tag: 'Contacts',
    summary:
      'List contacts newest first by start time; tenant-wide lists span at most 31 days (default the last 7). A page may hold fewer than limit items and still have nextCursor',
    request: { query: ListContactsQuery },
    description:
      'Lists contacts newest first by startedAt, filtered by from/to (RFC 3339), queue, agentId, channel or customerId. ' +
      'Without customerId the range spans at most 31 days (default the last 7). Paged by `limit` (1–100, default 25) and `cursor`; ' +
      'a page may hold fewer than limit items and still carry nextCursor',
    examples: { request: { query: { from: '2026-03-09T00:00:00+08:00', to: '2026-03-10T00:00:00+08:00', queue: 'billing', limit: '50' } }, responses: { 200: { items: [contactExample] } } },
    responses: { 200: { description: 'A page of contacts (without referrals)', schema: Page(Contact) } },
  },
  {
    operationId: 'getContact',
    method: 'GET',
    path: '/v1/contacts/{contactId}',
    function: 'contacts',
    access: readonlyAccess,
    tag: 'Contacts',
    summary: 'Read a contact with its referrals; the ETag header carries its version',
    request: { params: ContactIdParams },
    description:
      'Reads a contact with its referrals. The ETag header carries its version: send it as If-Match to update',
    examples: { request: { params: { contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7' } }, responses: { 200: { ...contactExample, referrals: [referralExample] } } },
    responses: { 200: { description: 'The contact', schema: ContactWithReferrals, headers: ['ETag'] } },
  },
  {
    operationId: 'updateContact',
    method: 'PATCH',
    path: '/v1/contacts/{contactId}',
    function: 'contacts',
    access: agentAccess,
    tag: 'Contacts',
    summary: 'Change an open contact (a closed one answers 409); requires If-Match with the ETag last read',
    requiresIfMatch: true,
    request: { params: ContactIdParams, body: UpdateContactBody },
    description:
      'Changes the fields sent on an open contact (a merge: null removes an optional field); a closed contact answers 409. ' +
      'Requires If-Match with the ETag last read (428 without it, 412 when the contact changed since)',
    examples: {
      request: { params: { contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7' }, body: { reasonCode: 'billing.refund', notes: 'Refund of the March roaming charge agreed' } },
      responses: {
        200: { ...contactExample, reasonCode: 'billing.refund', notes: 'Refund of the March roaming charge agreed', version: 2, updatedAt: '2026-03-09T01:07:00.000Z', referrals: [] },
      },
    },
    problems: ['contact-closed', 'unknown-customer'],
    responses: { 200: { description: 'The updated contact', schema: ContactWithReferrals, headers: ['ETag'] } },
  },
  {
    operationId: 'closeContact',
    method: 'POST',
    path: '/v1/contacts/{contactId}/close',
    function: 'contacts',
    access: agentAccess,
    tag: 'Contacts',
    summary: 'Close a contact, emitting Contact Closed once; closing it again with the same outcome answers it unchanged',
    request: { params: ContactIdParams, body: CloseContactBody },
    description:
      'Closes a contact with its last values (outcome is required unless already set; endedAt defaults to now) and emits Contact Closed once, ' +
      'which feeds analytics and the survey rules. Closing a closed contact with the same outcome (or none) answers it unchanged, so a retry is safe without Idempotency-Key; ' +
      'another outcome answers 409 contact-closed-with-other-outcome naming the stored one. A contact queued and never answered cannot close as resolved (422 resolved-without-answer)',
    examples: {
      request: {
        params: { contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7' },
        body: { outcome: 'resolved', firstContactResolution: true, endedAt: '2026-03-09T01:08:15.000Z', afterContactWorkEndedAt: '2026-03-09T01:09:30.000Z' },
      },
      responses: { 200: closedContactExample },
    },
    problems: ['contact-closed-with-other-outcome', 'resolved-without-answer'],
    responses: { 200: { description: 'The closed contact', schema: ContactWithReferrals, headers: ['ETag'] } },
  },
  {
    operationId: 'createReferral',
    method: 'POST',
    path: '/v1/contacts/{contactId}/referrals',
    function: 'contacts',
    access: agentAccess,
    tag: 'Contacts',
    summary: 'Refer the customer of an open contact to sales for a product',
    idempotent: true,
    request: { params: ContactIdParams, body: CreateReferralBody },
    description:
      'Refers the customer of an open contact to sales for a product (409 on a closed contact); the referral starts open and counts in analytics. ' +
      'Idempotency-Key makes a retry answer the first result',
    examples: {
      request: {
        params: { contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7' },
        body: { product: 'Fibre 1G', note: 'Asked about faster internet at home', assignedTo: 'sales-007' },
      },
      responses: { 201: referralExample },
    },
    problems: ['contact-closed'],
    responses: { 201: { description: 'Created, open', schema: Referral, headers: ['Location', 'ETag'] } },
  },
  {
    operationId: 'updateReferral',
    method: 'PATCH',
    path: '/v1/contacts/{contactId}/referrals/{referralId}',
    function: 'contacts',
    access: agentAccess,
    tag: 'Contacts',
    summary: 'Settle an open referral: converted with a value (emits Referral Converted) or lost with a reason; otherwise 409',
    request: { params: ReferralIdParams, body: UpdateReferralBody },
    description:
      'Settles an open referral: converted with its value (emits Referral Converted) or lost with a reason. Only an open referral can be settled; otherwise 409',
    examples: {
      request: {
        params: { contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7', referralId: 'ref_01JFC8A1B2C3D4E5F6G7H8J9K0' },
        body: { status: 'converted', value: { amount: 1299, currency: 'TWD' } },
      },
      responses: {
        200: {
          ...referralExample,
          status: 'converted',
          value: { amount: 1299, currency: 'TWD' },
          settledAt: '2026-03-12T07:30:00.000Z',
          version: 2,
          updatedAt: '2026-03-12T07:30:00.000Z',
        },
      },
    },
    problems: ['referral-settled', 'contact-closed'],
    responses: { 200: { description: 'The settled referral', schema: Referral, headers: ['ETag'] } },
  },
]);
