import { validateTemplate } from '../../domain/surveys/template';
import { Page } from '../../schemas/common';
import {
  GetSurveyTemplateQuery,
  ListSurveyTemplatesQuery,
  SurveyTemplateAnswer,
  SurveyTemplateContent,
  SurveyTemplateIdParams,
  UpdateSurveyTemplateBody,
} from '../../schemas/survey-template';
import { adminAccess, defineRoutes, readonlyAccess } from '../route-types';
import * as z from '../../zod';

/** A template's content as the schema states it, with the rules across questions that only the domain can check. */
export const CreateSurveyTemplateBody = z.withMeta(
  SurveyTemplateContent.check(
    z.superRefine((content, context) => {
      for (const issue of validateTemplate(content)) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }),
  ),
  {
    id: 'CreateSurveyTemplate',
    description:
      '1–12 questions with unique questionIds; at most one csat, nps, ces and resolved question and one question per dimension; ' +
      'showIf may only name an earlier rating (operator) or resolved (equals) question',
  },
);

/** Survey templates: versioned question sets in en and zh-TW. */
export const surveyTemplateRoutes = defineRoutes([
  {
    operationId: 'createSurveyTemplate',
    method: 'POST',
    path: '/v1/survey-templates',
    function: 'survey-templates',
    access: adminAccess,
    tag: 'Surveys',
    summary: 'Create a survey template (version 1)',
    idempotent: true,
    request: { body: CreateSurveyTemplateBody },
    responses: { 201: { description: 'Created', schema: SurveyTemplateAnswer, headers: ['Location', 'ETag'] } },
  },
  {
    operationId: 'listSurveyTemplates',
    method: 'GET',
    path: '/v1/survey-templates',
    function: 'survey-templates',
    access: readonlyAccess,
    tag: 'Surveys',
    summary: 'List survey templates at their current versions, oldest first; a status-filtered page may hold fewer than limit items',
    request: { query: ListSurveyTemplatesQuery },
    responses: { 200: { description: 'A page of templates', schema: Page(SurveyTemplateAnswer) } },
  },
  {
    operationId: 'getSurveyTemplate',
    method: 'GET',
    path: '/v1/survey-templates/{templateId}',
    function: 'survey-templates',
    access: readonlyAccess,
    tag: 'Surveys',
    summary: 'Read a template at its current version, or at ?version=; the ETag header carries the version shown',
    request: { params: SurveyTemplateIdParams, query: GetSurveyTemplateQuery },
    responses: { 200: { description: 'The template', schema: SurveyTemplateAnswer, headers: ['ETag'] } },
  },
  {
    operationId: 'updateSurveyTemplate',
    method: 'PATCH',
    path: '/v1/survey-templates/{templateId}',
    function: 'survey-templates',
    access: adminAccess,
    tag: 'Surveys',
    summary: 'Change a template: makes a new version (earlier versions stay as they were); requires If-Match',
    requiresIfMatch: true,
    request: { params: SurveyTemplateIdParams, body: UpdateSurveyTemplateBody },
    problems: ['survey-template-archived'],
    responses: {
      200: { description: 'The template at its new version', schema: SurveyTemplateAnswer, headers: ['ETag'] },
      409: { description: 'The template is archived' },
    },
  },
  {
    operationId: 'archiveSurveyTemplate',
    method: 'DELETE',
    path: '/v1/survey-templates/{templateId}',
    function: 'survey-templates',
    access: adminAccess,
    tag: 'Surveys',
    summary: 'Archive a template: no new survey uses it, its versions stay readable; If-Match optional',
    request: { params: SurveyTemplateIdParams },
    problems: ['survey-template-in-use'],
    acceptsIfMatch: true,
    responses: {
      204: { description: 'Archived (or already archived)' },
      409: { description: "The tenant's survey rules use the template; point settings.surveys.templateId elsewhere first" },
    },
  },
]);
