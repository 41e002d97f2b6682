import { Page } from '../../schemas/common';
import { CreateSurveyBody, CreatedSurvey, ListSurveysQuery, Survey, SurveyIdParams, SurveyResultsQuery, SurveyResultsSummary } from '../../schemas/survey';
import { defineRoutes, agentAccess, readonlyAccess } from '../route-types';

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
    problems: ['not-found'],
    responses: {
      200: { description: 'The figures', schema: SurveyResultsSummary },
      400: { description: 'from not before to, or a range over 92 days' },
    },
  },
]);
