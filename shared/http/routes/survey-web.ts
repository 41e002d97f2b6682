import * as z from '../../zod';
import { defineRoutes } from '../route-types';

/**
 * The link token: 96 random bits in base64url, or 256 in links sent before tokens were shortened
 * (shared/domain/surveys/survey.ts newSurveyToken). The maximum is stated, not checked here: a
 * longer token is a link the service never made and gets the not-found page (404), as any other
 * malformed one does (the handler looks up only well-formed tokens), not a 400.
 */
export const SurveyTokenParams = z.object({
  token: z.withMeta(z.string(), { maxLength: 128, description: 'The token of the one-time link; a longer one is not found (404)' }),
});

const tokenExample = { token: 'Qm9vS2x4cE1uWnRy' } as const;

/**
 * The survey's web page, behind the one-time link `/s/<token>`: public (the token is the
 * credential), HTML for a phone's browser, working without JavaScript.
 */
export const surveyWebRoutes = defineRoutes([
  {
    operationId: 'showSurveyPage',
    method: 'GET',
    path: '/s/{token}',
    function: 'survey-web',
    access: { kind: 'public' },
    page: true,
    tag: 'Survey web page',
    summary:
      "The survey's questions as an HTML form, in the customer's language and the tenant's colours; a used or expired link shows a page saying so",
    request: { params: SurveyTokenParams },
    description:
      'The customer\'s survey page behind a one-time link: the questions not yet answered as an HTML form for a phone, without JavaScript, ' +
      'in the customer\'s language and the tenant\'s colours. A used or expired link shows a page saying so (410); an unknown or malformed token, ' +
      'including one longer than 128 characters, the not-found page (404). Every answer is HTML',
    examples: {
      request: { params: tokenExample },
      responses: {
        200: '<!doctype html><html lang="zh-TW"><head><title>Formosa Telecom Care</title></head><body><form method="post">…</form></body></html>',
        404: '<!doctype html><html><head><title>找不到這份問卷 · We could not find this survey</title></head><body>…</body></html>',
      },
    },
    responses: {
      200: { description: 'The form: the questions not yet answered (by SMS, say)' },
      404: { description: 'No such link' },
      410: { description: 'The link was used (the survey is answered) or has expired' },
      429: { description: 'Too many links tried from this address that named no open survey; Retry-After says when to try again' },
    },
  },
  {
    operationId: 'submitSurveyPage',
    method: 'POST',
    path: '/s/{token}',
    function: 'survey-web',
    access: { kind: 'public' },
    page: true,
    tag: 'Survey web page',
    summary:
      'Records the answers (one field per questionId) and shows the thank-you page; invalid answers show the form again with the errors',
    request: {
      params: SurveyTokenParams,
      body: z.described(z.record(z.string(), z.string()), 'questionId → the answer, as the form sends it'),
    },
    description:
      'Records the answers of the form (one field per questionId) once and shows the thank-you page. Invalid or missing answers show the form again (400) with each error beside its question ' +
      'and nothing recorded. A used or expired link shows a page saying so (410), an unknown token the not-found page (404); a body that is not a form answers 415. Every answer is HTML',
    examples: {
      request: { params: tokenExample, body: { csat: '4', comment: 'Quick and friendly, thank you' } },
      responses: {
        200: '<!doctype html><html lang="zh-TW"><head><title>Formosa Telecom Care</title></head><body><h1>感謝您的回饋！</h1></body></html>',
        400: '<!doctype html><html lang="zh-TW"><head><title>Formosa Telecom Care</title></head><body><form method="post">…</form></body></html>',
      },
    },
    responses: {
      200: { description: 'Thank you: the survey is completed' },
      400: { description: 'The form again, each invalid answer with its error' },
      404: { description: 'No such link' },
      409: { description: 'The survey changed while the form was submitted (an SMS answer, say): the form again, as it is now' },
      410: { description: 'The link was used (the survey is answered) or has expired' },
      429: { description: 'Too many links tried from this address that named no open survey; Retry-After says when to try again' },
    },
  },
]);
