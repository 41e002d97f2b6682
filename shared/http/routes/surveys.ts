import { Page } from '../../schemas/common';
import { CreateSurveyBody, CreatedSurvey, ListSurveysQuery, Survey, SurveyIdParams, SurveyResultsQuery, SurveyResultsSummary } from '../../schemas/survey';
import { defineRoutes, agentAccess, readonlyAccess } from '../route-types';

const surveyExample = {
  surveyId: 'svy_01JFG6H7J8K9M0N1P2Q3R4S5T6',
  contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7',
  customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
  agentId: 'agent-0042',
  queue: 'billing',
  channel: 'voice',
  origin: 'rules',
  status: 'completed',
  deliveryChannel: 'sms',
  templateId: 'svt_01JFF5G6H7J8K9M0N1P2Q3R4S5',
  templateVersion: 1,
  language: 'zh-TW',
  scheduledAt: '2026-03-09T01:19:31.000Z',
  sentAt: '2026-03-09T01:19:33.000Z',
  expiresAt: '2026-03-10T01:19:33.000Z',
  completedAt: '2026-03-09T01:25:02.000Z',
  answers: { csat: 4, comment: null },
  sms: [{ messageId: 'e1a7c5d2-3b4f-4c6d-8e9f-0a1b2c3d4e5f', segments: 1, encoding: 'UCS-2', sentAt: '2026-03-09T01:19:33.000Z' }],
  version: 4,
  createdAt: '2026-03-09T01:09:31.000Z',
  updatedAt: '2026-03-09T01:25:02.000Z',
} as const;

const noFigures = {
  sent: 0,
  responses: 0,
  completed: 0,
  responseRate: null,
  csat: { answers: 0, satisfied: 0, score: null },
  nps: { answers: 0, promoters: 0, passives: 0, detractors: 0, score: null },
  ces: { answers: 0, average: null, agreeing: 0, agreeingShare: null },
  dimensions: Object.fromEntries(['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'].map((name) => [name, { answers: 0, average: null }])),
  resolved: { answers: 0, yes: 0, yesShare: null },
};

/** Surveys: one per closed contact (decided by the rules, or sent ad hoc), with its answers. */
export const surveyRoutes = defineRoutes([
  {
    operationId: 'createSurvey',
    method: 'POST',
    path: '/v1/surveys',
    function: 'surveys',
    access: agentAccess,
    tag: 'Surveys',
    summary:
      'Survey a closed contact now, whatever the sampling (consent, the daily cap and, by SMS, the destination rules and the SMS quota still apply); by SMS it goes out at once, as a link (admin keys only) the answer carries linkPath',
    idempotent: true,
    request: { body: CreateSurveyBody },
    description:
      'Surveys a closed contact now, whatever the sampling and suppression: consent, the daily cap (settings.surveys.dailyCap) and, by SMS, the destination rules and the SMS quota still apply. ' +
      'By SMS it goes out at once (201 pending); as a link (admin keys only) it answers 201 sent with linkPath, the one-time page, shown in this answer only. ' +
      'Idempotency-Key makes a retry answer the first result',
    examples: {
      request: { body: { contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7', deliveryChannel: 'sms' } },
      responses: {
        201: {
          surveyId: 'svy_01JFG7A8B9C0D1E2F3G4H5J6K7',
          contactId: 'con_01JFC7D8E9F0G1H2J3K4M5N6P7',
          customerId: 'cus_01JFB3C4D5E6F7G8H9J0K1M2N3',
          agentId: 'agent-0042',
          queue: 'billing',
          channel: 'voice',
          origin: 'ad-hoc',
          status: 'pending',
          deliveryChannel: 'sms',
          templateId: 'svt_01JFF5G6H7J8K9M0N1P2Q3R4S5',
          templateVersion: 1,
          language: 'zh-TW',
          scheduledAt: '2026-03-09T01:12:00.000Z',
          answers: {},
          version: 1,
          createdAt: '2026-03-09T01:12:00.000Z',
          updatedAt: '2026-03-09T01:12:00.000Z',
        },
      },
    },
    problems: ['not-found', 'contact-not-closed', 'survey-exists', 'unknown-contact', 'no-contact-point', 'no-consent', 'unknown-template', 'destination-not-allowed', 'sms-quota-exceeded', 'survey-daily-cap-reached', 'replay-erased'],
    responses: {
      201: { description: 'The survey: pending (SMS, about to go out) or sent (link)', schema: CreatedSurvey, headers: ['Location'] },
      409: { description: 'The contact is not closed, or already has a survey' },
      422: {
        description:
          "No such contact, no customer or phone to reach, no SMS consent, no usable template, or destination-not-allowed (the number's country is not allowed, or its prefix is blocked)",
      },
      429: {
        description:
          "sms-quota-exceeded (the SMS would pass the plan's segments per day or month or the spend cap) or survey-daily-cap-reached; Retry-After says when the limit resets",
      },
    },
  },
  {
    operationId: 'listSurveys',
    method: 'GET',
    path: '/v1/surveys',
    function: 'surveys',
    access: readonlyAccess,
    tag: 'Surveys',
    summary: 'List surveys by decision time, oldest first, including the decisions not to send; a status-filtered page may hold fewer than limit items',
    request: { query: ListSurveysQuery },
    description:
      'Lists surveys by decision time, oldest first, including the decisions not to send (status not_sent with notSentReason), filtered by from/to (RFC 3339), agentId, queue or status. ' +
      'Paged by `limit` (1–100, default 25) and `cursor`; a status-filtered page may hold fewer than limit items and still carry nextCursor',
    examples: { request: { query: { from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', status: 'completed' } }, responses: { 200: { items: [surveyExample] } } },
    responses: { 200: { description: 'A page of surveys', schema: Page(Survey) } },
  },
  {
    operationId: 'getSurvey',
    method: 'GET',
    path: '/v1/surveys/{surveyId}',
    function: 'surveys',
    access: readonlyAccess,
    tag: 'Surveys',
    summary: 'Read a survey: its state, the template version it is asked with, its answers',
    request: { params: SurveyIdParams },
    description:
      'Reads a survey: its status (or why it was not sent), the template version it is asked with, its answers by questionId (null: skipped) and the SMS sent for it',
    examples: { request: { params: { surveyId: 'svy_01JFG6H7J8K9M0N1P2Q3R4S5T6' } }, responses: { 200: surveyExample } },
    responses: { 200: { description: 'The survey', schema: Survey } },
  },
  {
    operationId: 'getSurveyResultsSummary',
    method: 'GET',
    path: '/v1/survey-results/summary',
    function: 'surveys',
    access: readonlyAccess,
    tag: 'Surveys',
    summary:
      'Response rate, CSAT, NPS, CES, service-quality averages and resolved share of the surveys decided in a range (default the last 30 days, at most 92), overall and by agent, queue, channel or template; reads every survey in the range',
    request: { query: SurveyResultsQuery },
    description:
      'Response rate, CSAT, NPS, CES, service-quality averages and resolved share of the surveys decided in [from, to) (default the last 30 tenant-local days, at most 92 days: 400 at query.from), ' +
      'overall and, with groupBy, per agent, queue, channel or template. It reads every survey in the range, so a long range costs more',
    examples: {
      request: { query: { from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', groupBy: 'queue' } },
      responses: {
        200: {
          from: '2026-02-28T16:00:00.000Z',
          to: '2026-03-31T16:00:00.000Z',
          groupBy: 'queue',
          overall: {
            ...noFigures,
            sent: 120,
            responses: 48,
            completed: 41,
            responseRate: 40,
            csat: { answers: 46, satisfied: 37, score: 80.4 },
          },
          groups: [
            { ...noFigures, key: 'billing', sent: 120, responses: 48, completed: 41, responseRate: 40, csat: { answers: 46, satisfied: 37, score: 80.4 } },
          ],
        },
      },
    },
    problems: ['not-found'],
    responses: {
      200: { description: 'The figures', schema: SurveyResultsSummary },
      400: { description: 'from not before to, or a range over 92 days' },
    },
  },
]);
