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
    responses: {
      201: { description: 'Opened', schema: Case },
      422: { description: 'The customer does not exist in this tenant' },
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
    responses: { 200: { description: 'The case', schema: CaseWithTimeline } },
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
    responses: {
      200: { description: 'The updated case', schema: Case },
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
    responses: {
      201: { description: 'Recorded', schema: CaseEventResult },
      409: { description: 'Not allowed in the case status (illegal transition, or the case is closed)' },
    },
  },
]);
