import { Page } from '../../schemas/common';
import {
  Case,
  CaseEventBody,
  CaseEventResult,
  CaseIdParams,
  CaseQueueQuery,
  CaseWithTimeline,
  CaseWorkload,
  MyCasesQuery,
  CreateCaseBody,
  ListCasesQuery,
  UpdateCaseBody,
  timelineCap,
} from '../../schemas/case';
import { defineRoutes, agentAccess, readonlyAccess } from '../route-types';

/** Reassigning other agents' cases and seeing every agent's load: team leads and admins. */
const supervisorAccess = { kind: 'tenant', scope: 'supervisor' } as const;

export const caseExample = {
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
      "With assignee: the assignee's open cases first, nearest deadline first (overdue first), then the resolved and closed ones oldest first. " +
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
    examples: {
      request: { params: { caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2' } },
      responses: { 200: { ...caseExample, timeline: [openedEntryExample], timelineTruncated: false, allowedTransitions: ['in_progress'] } },
    },
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
      'Changes type or severity (both move the running deadlines), category, subject, assignee (null unassigns) or, on complaints, the service recovery record (merged; each step it takes, an apology given, a remedy, compensation or a follow-up, is a service_recovery timeline entry). ' +
      "Giving away a case another agent holds needs the supervisor scope (403 otherwise); an agent may assign a case no agent holds, or their own. " +
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
      403: { description: "The scope is too weak, or the case is another agent's and the caller may not reassign it" },
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
      'and answers the entry with the case. A service_recovery event records one step of a complaint\'s service recovery (apology, remedy, compensation, follow_up) on the record and the timeline. ' +
      "An assign of a case another agent holds needs the supervisor scope (403 otherwise). " +
      'Illegal status transitions, and anything but a reopen on a closed case, answer 409. If-Match is optional: ' +
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
      403: { description: "The scope is too weak, or the case is another agent's and the caller may not reassign it" },
      409: { description: 'Not allowed in the case status (illegal transition, or the case is closed)' },
      422: { description: 'The linked contact does not exist in this tenant' },
    },
  },
  {
    operationId: 'claimCase',
    method: 'POST',
    path: '/v1/cases/{caseId}/claim',
    function: 'cases',
    access: agentAccess,
    tag: 'Cases',
    summary: 'Take a case no agent holds for yourself (a person signed in); two claims at once: one wins, the other gets 409 naming who',
    request: { params: CaseIdParams },
    description:
      'Assigns the case to the agent id of the person signed in, when no agent holds it (unassigned, or assigned to a queue). The write is conditional on the case as read, ' +
      'so of two agents claiming at once exactly one wins; the other is answered 409 case-already-claimed with `assignee` naming who holds it. ' +
      'Claiming a case you hold already answers 200 and changes nothing. An API key has no agent id (403 person-required); a closed case answers 409 case-closed',
    examples: {
      request: { params: { caseId: 'cas_01JFD2E3F4G5H6J7K8M9N0P1Q2' } },
      responses: { 200: { ...caseExample, assignee: 'mei.lin', version: 2, updatedAt: '2026-03-09T01:12:00.000Z' } },
    },
    problems: ['person-required', 'case-already-claimed', 'case-closed'],
    responses: {
      200: { description: 'The case, now held by the caller', schema: Case, headers: ['ETag'] },
      403: { description: 'The scope is too weak, or the caller is an API key, which has no agent id' },
      409: { description: 'Another agent holds the case (assignee names them), or it is closed' },
    },
  },
  {
    operationId: 'listMyCases',
    method: 'GET',
    path: '/v1/me/cases',
    function: 'cases',
    access: agentAccess,
    tag: 'Cases',
    summary: "My work: the open cases assigned to the person signed in, nearest SLA deadline first, overdue first",
    request: { query: MyCasesQuery },
    description:
      'Lists the cases assigned to the agent id of the person signed in that are not resolved or closed, ordered by the nearest deadline not met: ' +
      'those past it (overdue) first, then the nearest. Paged by `limit` (1–100, default 25) and `cursor`. An API key has no agent id (403 person-required): use GET /v1/cases?assignee=',
    examples: { request: { query: { limit: '25' } }, responses: { 200: { items: [{ ...caseExample, assignee: 'mei.lin' }] } } },
    problems: ['person-required'],
    responses: {
      200: { description: "A page of the caller's open cases", schema: Page(Case) },
      403: { description: 'The scope is too weak, or the caller is an API key, which has no agent id' },
    },
  },
  {
    operationId: 'listCaseQueue',
    method: 'GET',
    path: '/v1/case-queue',
    function: 'cases',
    access: readonlyAccess,
    tag: 'Cases',
    summary: 'The team queue: open cases no one is assigned, nearest SLA deadline first (or those of one queue)',
    request: { query: CaseQueueQuery },
    description:
      'Lists the cases that are not resolved or closed and have no assignee, ordered by the nearest deadline not met, overdue first; with `queue`, those assigned to queue:<queue> instead. ' +
      'An agent takes one with POST /v1/cases/{caseId}/claim. Paged by `limit` (1–100, default 25) and `cursor`',
    examples: { request: { query: { limit: '25' } }, responses: { 200: { items: [{ ...caseExample, assignee: undefined }] } } },
    responses: { 200: { description: 'A page of open cases no agent holds', schema: Page(Case) } },
  },
  {
    operationId: 'getCaseWorkload',
    method: 'GET',
    path: '/v1/case-workload',
    function: 'cases',
    access: supervisorAccess,
    tag: 'Cases',
    summary: "Every agent's open cases, with how many are overdue and due within the hour, and the team queue's",
    description:
      'For each person of the tenant who works cases (invited or active agents, supervisors and admins, and anyone else who still holds open cases), and for the unassigned cases: how many open cases they hold, ' +
      'how many are past a deadline not met (breached) and how many reach their nearest deadline within dueSoonMinutes (60), and the nearest deadline. ' +
      'Counted from the assignee index\'s keys alone, one query per person (at most 8 at a time): no case is read. ' +
      'At most 500 people are counted, those who work cases first; above that, peopleNotCounted says how many were left out',
    examples: {
      responses: {
        200: {
          at: '2026-03-09T04:20:00.000Z',
          dueSoonMinutes: 60,
          agents: [{ agentId: 'mei.lin', displayName: 'Mei Lin', role: 'agent', open: 7, breached: 1, dueSoon: 2, nextDueAt: '2026-03-09T03:10:00.000Z' }],
          unassigned: { open: 3, breached: 0, dueSoon: 1, nextDueAt: '2026-03-09T05:10:00.000Z' },
        },
      },
    },
    responses: { 200: { description: 'The load of each agent and of the team queue', schema: CaseWorkload } },
  },
]);
