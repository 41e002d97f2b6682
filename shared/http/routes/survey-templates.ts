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

const templateContentExample = {
  name: 'After a service call',
  description: 'Satisfaction and a comment, asked after billing and support calls',
  defaultLanguage: 'zh-TW',
  questions: [
    {
      questionId: 'csat',
      type: 'csat',
      required: true,
      text: { en: 'How satisfied are you with the service today?', 'zh-TW': '您對今天的服務滿意嗎？' },
      scaleLabels: { min: { en: 'Very dissatisfied', 'zh-TW': '非常不滿意' }, max: { en: 'Very satisfied', 'zh-TW': '非常滿意' } },
    },
    {
      questionId: 'comment',
      type: 'freeText',
      required: false,
      maxLength: 500,
      text: { en: 'What could we have done better?', 'zh-TW': '我們還可以怎麼做得更好？' },
      showIf: { questionId: 'csat', operator: 'lte', value: 3 },
    },
  ],
  smsIntro: { en: '{company} would like your feedback on today\'s call.', 'zh-TW': '{company} 想請您評價今天的通話。' },
  thankYou: { en: 'Thank you for your feedback!', 'zh-TW': '感謝您的回饋！' },
} as const;

const templateExample = {
  templateId: 'svt_01JFF5G6H7J8K9M0N1P2Q3R4S5',
  version: 1,
  currentVersion: 1,
  status: 'active',
  ...templateContentExample,
  isDefault: false,
  createdAt: '2026-03-11T02:00:00.000Z',
  versionCreatedAt: '2026-03-11T02:00:00.000Z',
  sms: {
    maxSegmentsPerMessage: 3,
    messages: [
      { message: 'first', questionId: 'csat', language: 'zh-TW', encoding: 'UCS-2', characters: 58, segments: 1, overLimit: false },
      { message: 'question', questionId: 'comment', language: 'zh-TW', encoding: 'UCS-2', characters: 17, segments: 1, overLimit: false },
      { message: 'thankYou', language: 'zh-TW', encoding: 'UCS-2', characters: 7, segments: 1, overLimit: false },
    ],
    warnings: [],
  },
} as const;

const templateIdExample = { templateId: 'svt_01JFF5G6H7J8K9M0N1P2Q3R4S5' } as const;

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
    description:
      'Creates a survey template at version 1: 1–12 questions (csat, nps, ces, service-quality dimensions, resolved, free text) in en and zh-TW, ' +
      'the SMS introduction and the thank-you text. A broken rule across questions answers 400 with the path of each. The answer shows what each SMS costs in segments. ' +
      'Idempotency-Key makes a retry answer the first result',
    examples: { request: { body: templateContentExample }, responses: { 201: templateExample } },
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
    description:
      'Lists survey templates at their current versions, oldest first, optionally only active or archived ones. ' +
      'Paged by `limit` (1–100, default 25) and `cursor`; a status-filtered page may hold fewer than limit items and still carry nextCursor',
    examples: { request: { query: { status: 'active' } }, responses: { 200: { items: [templateExample] } } },
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
    description:
      'Reads a template at its current version, or at an older one with ?version=. The ETag header carries the version shown: send it as If-Match to update',
    examples: { request: { params: templateIdExample, query: { version: '1' } }, responses: { 200: templateExample } },
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
    description:
      'Changes a template by making a new version (questions are replaced as a whole; description null removes it); surveys already sent keep the version they were sent with. ' +
      'Requires If-Match with the ETag last read (428 without it, 412 when a newer version exists); an archived template answers 409',
    examples: {
      request: { params: templateIdExample, body: { name: 'After a service or billing call' } },
      responses: { 200: { ...templateExample, name: 'After a service or billing call', version: 2, currentVersion: 2, versionCreatedAt: '2026-03-12T02:00:00.000Z' } },
    },
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
    description:
      'Archives a template: no new survey uses it, and its versions stay readable. Repeating it is harmless. ' +
      'While settings.surveys.templateId names it the answer is 409. If-Match is optional',
    examples: { request: { params: templateIdExample } },
    problems: ['survey-template-in-use'],
    acceptsIfMatch: true,
    responses: {
      204: { description: 'Archived (or already archived)' },
      409: { description: "The tenant's survey rules use the template; point settings.surveys.templateId elsewhere first" },
    },
  },
]);
