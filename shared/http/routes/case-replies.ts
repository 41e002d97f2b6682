import { Page, PaginationQuery } from '../../schemas/common';
import {
  CannedReply,
  CannedReplyIdParams,
  CaseReplyBody,
  CaseReplyParams,
  CaseReplyResult,
  CreateCannedReplyBody,
  UpdateCannedReplyBody,
} from '../../schemas/case-reply';
import { type RouteAccess, agentAccess, defineRoutes } from '../route-types';

/** Canned replies are managed by team leads (supervisor) and admins; agents read them. */
const supervisorAccess = { kind: 'tenant', scope: 'supervisor' } as const satisfies RouteAccess;

const cannedReplyExample = {
  cannedReplyId: 'cnr_01JFE4F5G6H7J8K9M0N1P2Q3R4',
  title: 'Refund on its way',
  texts: {
    en: 'Dear {customerName}, your refund for case {caseNumber} is on its way; we will be done by {deadline}.',
    'zh-TW': '{customerName} 您好，案件 {caseNumber} 的退款已在處理中，我們會在 {deadline} 前完成。',
  },
  version: 1,
  createdAt: '2026-03-10T08:00:00.000Z',
  updatedAt: '2026-03-10T08:00:00.000Z',
} as const;
const cannedReplyIdExample = { cannedReplyId: 'cnr_01JFE4F5G6H7J8K9M0N1P2Q3R4' } as const;

const sentEntryExample = {
  entryId: 'cev_01JFD2E3F4G5H6J7K8M9N0P1Q9',
  type: 'message_sent',
  at: '2026-03-09T02:00:00.000Z',
  actor: 'agent-0042',
  visibility: 'customer',
  channel: 'sms',
  text: '林小姐您好，您的退款已在處理中。',
  messageId: '0b4f6c9e-2d1a-4c3b-9e8f-7a6b5c4d3e2f',
  deliveryState: 'sent',
} as const;

/** Replies to customers from a case (SMS and e-mail), and the tenant's canned replies. */
export const caseReplyRoutes = defineRoutes([
  {
    operationId: 'sendCaseReply',
    method: 'POST',
    path: '/v1/cases/{caseId}/replies',
    function: 'case-replies',
    access: agentAccess,
    tag: 'Cases',
    summary: "Send the case's customer an SMS or an e-mail and record it on the timeline",
    idempotent: true,
    request: { params: CaseReplyParams, body: CaseReplyBody },
    description:
      "Sends the case's customer an SMS (from the tenant's number, under the same rules as surveys: consent, quiet hours, the plan's SMS quota and allowed destinations, STOP) " +
      "or an e-mail (Amazon SES, from the tenant's allocated mail identity, with a Reply-To of the tenant's inbound mailbox so the answer comes back to the case). " +
      'The text, or the canned reply named by cannedReplyId in `locale`, has its variables {customerName}, {caseNumber} and {deadline} filled in; an unknown variable is a 400 at its field. ' +
      'Inside quiet hours the SMS is refused (409 quiet-hours, with sendableAt), never queued. The reply is recorded as a `message_sent` timeline entry (what the customer was told), ' +
      'meets the first-response deadline, and publishes Case Reply Sent. A customer SMS answering it within 14 days comes back to the case as a customer_reply. ' +
      'Idempotency-Key makes a retry answer the first result without sending again',
    examples: {
      request: { params: { caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2' }, body: { channel: 'sms', text: '{customerName}您好，您的退款已在處理中。', locale: 'zh-TW' } },
      responses: { 201: { entry: sentEntryExample, segments: 1, encoding: 'UCS-2' } },
    },
    problems: ['unknown-reference', 'case-closed', 'customer-unreachable', 'sms-not-configured', 'no-mail-identity', 'quiet-hours', 'sms-quota-exceeded', 'destination-not-allowed'],
    responses: { 201: { description: 'Sent, with its timeline entry', schema: CaseReplyResult } },
  },
  {
    operationId: 'createCannedReply',
    method: 'POST',
    path: '/v1/canned-replies',
    function: 'case-replies',
    access: supervisorAccess,
    tag: 'Cases',
    summary: 'Add a canned reply (English and Traditional Chinese texts with variables)',
    idempotent: true,
    request: { body: CreateCannedReplyBody },
    description:
      'Adds a ready reply agents pick when answering a customer: a title, its text in en and/or zh-TW and optional e-mail subjects, each of which may hold {customerName}, {caseNumber} and {deadline} ' +
      '(any other {name} is a 400 at its field). Supervisors and admins manage canned replies; agents read them. At most 200 per tenant',
    examples: { request: { body: { title: cannedReplyExample.title, texts: cannedReplyExample.texts } }, responses: { 201: cannedReplyExample } },
    problems: ['too-many-canned-replies'],
    responses: { 201: { description: 'Created', schema: CannedReply, headers: ['Location', 'ETag'] } },
  },
  {
    operationId: 'listCannedReplies',
    method: 'GET',
    path: '/v1/canned-replies',
    function: 'case-replies',
    access: agentAccess,
    tag: 'Cases',
    summary: "List the tenant's canned replies",
    request: { query: PaginationQuery },
    description: "Lists the tenant's canned replies, oldest first. Paged by `limit` (1–100, default 25) and `cursor`",
    examples: { request: { query: { limit: '25' } }, responses: { 200: { items: [cannedReplyExample] } } },
    responses: { 200: { description: 'A page of canned replies', schema: Page(CannedReply) } },
  },
  {
    operationId: 'getCannedReply',
    method: 'GET',
    path: '/v1/canned-replies/{cannedReplyId}',
    function: 'case-replies',
    access: agentAccess,
    tag: 'Cases',
    summary: 'Read a canned reply; the ETag header carries its version',
    request: { params: CannedReplyIdParams },
    description: 'Reads a canned reply. The ETag header carries its version: send it as If-Match to update',
    examples: { request: { params: cannedReplyIdExample }, responses: { 200: cannedReplyExample } },
    responses: { 200: { description: 'The canned reply', schema: CannedReply, headers: ['ETag'] } },
  },
  {
    operationId: 'updateCannedReply',
    method: 'PATCH',
    path: '/v1/canned-replies/{cannedReplyId}',
    function: 'case-replies',
    access: supervisorAccess,
    tag: 'Cases',
    summary: 'Change a canned reply; requires If-Match with the ETag last read',
    requiresIfMatch: true,
    request: { params: CannedReplyIdParams, body: UpdateCannedReplyBody },
    description:
      'Changes the title, the texts (the whole set) or the subjects (null removes them); variables are checked as on create. ' +
      'Requires If-Match with the ETag last read (428 without it, 412 when it changed since)',
    examples: {
      request: { params: cannedReplyIdExample, body: { title: 'Refund sent' } },
      responses: { 200: { ...cannedReplyExample, title: 'Refund sent', version: 2, updatedAt: '2026-03-11T08:00:00.000Z' } },
    },
    responses: { 200: { description: 'The updated canned reply', schema: CannedReply, headers: ['ETag'] } },
  },
  {
    operationId: 'deleteCannedReply',
    method: 'DELETE',
    path: '/v1/canned-replies/{cannedReplyId}',
    function: 'case-replies',
    access: supervisorAccess,
    tag: 'Cases',
    summary: 'Delete a canned reply',
    request: { params: CannedReplyIdParams },
    description: 'Deletes a canned reply; replies already sent from it keep their text on the case timeline',
    examples: { request: { params: cannedReplyIdExample } },
    responses: { 204: { description: 'Deleted' } },
  },
]);
