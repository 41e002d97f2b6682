import { Page } from '../../schemas/common';
import {
  Case,
  CaseEventBody,
  CaseEventResult,
  CaseIdParams,
  CaseWithTimeline,
  CreateCaseBody,
  ListCasesQuery,
  UpdateCaseBody,
  timelineCap,
} from '../../schemas/case';
import { defineRoutes, agentAccess, readonlyAccess } from '../route-types';

const caseExample = {
  caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2',
  type: 'complaint',
  severity: 'high',
  category: 'billing',
  subject: 'Charged twice for March roaming',
  customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
  contactIds: ['con_01JFC7D8E9F0G1H2J3K4M5N6P7'],
  assignee: 'agent-0042',
  status: 'open',
  sla: {
    firstResponse: { startedAt: '2026-03-09T01:10:00.000Z', dueAt: '2026-03-09T05:10:00.000Z' },
    resolution: { startedAt: '2026-03-09T01:10:00.000Z', dueAt: '2026-03-11T01:10:00.000Z' },
  },
  breached: false,
  escalations: [],
  openedAt: '2026-03-09T01:10:00.000Z',
  version: 1,
  createdAt: '2026-03-09T01:10:00.000Z',
  updatedAt: '2026-03-09T01:10:00.000Z',
} as const;

const openedEntryExample = { entryId: 'cev_01JFD2E3F4G5H6J7K8M9N0P1Q3', type: 'opened', at: '2026-03-09T01:10:00.000Z', actor: 'key_01JF9A2B3C4D5E6F7G8H9J0K1M' } as const;

/** Cases: complaints, requests and inquiries with SLA deadlines and a timeline. */
export const caseRoutes = defineRoutes([
  {
    operationId: 'createCase',
    method: 'POST',
    path: '/v1/cases',
    function: 'cases',
    access: agentAccess,
    tag: 'Cases',
    summary: "Open a case for a customer; its SLA deadlines come from the tenant's policy",
    idempotent: true,
    request: { body: CreateCaseBody },
    description:
      'Opens a complaint, request or inquiry (severity default medium) for an existing customer of the tenant (422 at $.customerId otherwise). ' +
      'Its first-response and resolution deadlines come from the SLA policy in settings. contactIds and surveyId must name the tenant\'s own contacts and survey ' +
      '(422 unknown-reference); surveyId and agentId name the survey and agent it follows up. Idempotency-Key makes a retry answer the first result',
    examples: {
      request: {
        body: {
          type: 'complaint',
          severity: 'high',
          category: 'billing',
          subject: 'Charged twice for March roaming',
          customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
          contactIds: ['con_01JFC7D8E9F0G1H2J3K4M5N6P7'],
          assignee: 'agent-0042',
        },
      },
      responses: { 201: caseExample },
    },
    problems: ['not-found', 'unknown-customer', 'unknown-reference', 'replay-erased'],
    responses: {
      201: { description: 'Opened', schema: Case, headers: ['Location', 'ETag'] },
      422: { description: 'The customer, a contact or the survey does not exist in this tenant' },
    },
  },
  {
    operationId: 'listCases',
    method: 'GET',
    path: '/v1/cases',
    function: 'cases',
    access: readonlyAccess,
    tag: 'Cases',
    summary: 'List cases, oldest first, filtered by status, type, assignee, customer or breach; a filtered page may hold fewer than limit items',
    request: { query: ListCasesQuery },
    description:
      'Lists cases oldest first, filtered by status, type, assignee, customerId or breached (true or false). ' +
      'Paged by `limit` (1–100, default 25) and `cursor`; a filtered page may hold fewer than limit items and still carry nextCursor',
    examples: { request: { query: { status: 'open', breached: 'true', limit: '25' } }, responses: { 200: { items: [caseExample] } } },
    responses: { 200: { description: 'A page of cases', schema: Page(Case) } },
  },
  {
    operationId: 'getCase',
    method: 'GET',
    path: '/v1/cases/{caseId}',
    function: 'cases',
    access: readonlyAccess,
    tag: 'Cases',
    summary: `Read a case with the latest ${timelineCap} timeline entries; the ETag header carries its version`,
    request: { params: CaseIdParams },
    description:
      `Reads a case with its SLA clocks, escalations and the latest ${timelineCap} timeline entries (timelineTruncated says whether older ones exist). ` +
      'The ETag header carries its version: send it as If-Match to update',
    examples: { request: { params: { caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2' } }, responses: { 200: { ...caseExample, timeline: [openedEntryExample], timelineTruncated: false } } },
    responses: { 200: { description: 'The case', schema: CaseWithTimeline, headers: ['ETag'] } },
  },
  {
    operationId: 'updateCase',
    method: 'PATCH',
    path: '/v1/cases/{caseId}',
    function: 'cases',
    access: agentAccess,
    tag: 'Cases',
    summary: 'Change type, severity, category, subject, assignee or the service recovery record; requires If-Match',
    requiresIfMatch: true,
    request: { params: CaseIdParams, body: UpdateCaseBody },
    description:
      'Changes type or severity (both move the running deadlines), category, subject, assignee (null unassigns) or, on complaints, the service recovery record (merged). ' +
      'Requires If-Match with the ETag last read (428 without it, 412 when the case changed since); a closed case answers 409',
    examples: {
      request: { params: { caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2' }, body: { severity: 'critical', serviceRecovery: { apologyGiven: true, remedy: 'Refund the duplicate charge' } } },
      responses: {
        200: { ...caseExample, severity: 'critical', serviceRecovery: { apologyGiven: true, remedy: 'Refund the duplicate charge' }, version: 2, updatedAt: '2026-03-09T02:00:00.000Z' },
      },
    },
    problems: ['case-closed', 'illegal-transition'],
    responses: {
      200: { description: 'The updated case', schema: Case, headers: ['ETag'] },
      409: { description: 'The case is closed' },
    },
  },
  {
    operationId: 'addCaseEvent',
    method: 'POST',
    path: '/v1/cases/{caseId}/events',
    function: 'cases',
    access: agentAccess,
    tag: 'Cases',
    summary: 'Add a note, assignment, status change, customer reply or linked contact to the timeline; If-Match optional',
    idempotent: true,
    request: { params: CaseIdParams, body: CaseEventBody },
    description:
      'Adds a note (internal, or sent to the customer: the first response), an assignment, a status change, a customer reply or a linked contact to the timeline, ' +
      'and answers the entry with the case. Illegal status transitions, and anything but a reopen on a closed case, answer 409. If-Match is optional: ' +
      'with it, a case changed since answers 412. Idempotency-Key makes a retry answer the first result',
    examples: {
      request: { params: { caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2' }, body: { type: 'note', text: 'Called the customer: refund promised within 3 days', visibility: 'customer' } },
      responses: {
        201: {
          entry: {
            entryId: 'cev_01JFD3A4B5C6D7E8F9G0H1J2K3',
            type: 'note',
            at: '2026-03-09T02:05:00.000Z',
            actor: 'key_01JF9A2B3C4D5E6F7G8H9J0K1M',
            text: 'Called the customer: refund promised within 3 days',
            visibility: 'customer',
          },
          case: {
            ...caseExample,
            sla: { ...caseExample.sla, firstResponse: { ...caseExample.sla.firstResponse, metAt: '2026-03-09T02:05:00.000Z' } },
            version: 2,
            updatedAt: '2026-03-09T02:05:00.000Z',
          },
        },
      },
    },
    problems: ['case-closed', 'illegal-transition', 'unknown-reference'],
    acceptsIfMatch: true,
    responses: {
      201: { description: 'Recorded', schema: CaseEventResult, headers: ['ETag'] },
      409: { description: 'Not allowed in the case status (illegal transition, or the case is closed)' },
      422: { description: 'The linked contact does not exist in this tenant' },
    },
  },
]);
