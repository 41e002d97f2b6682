import * as z from '../../zod';
import { defineRoutes } from '../route-types';

/** The link token: 96 random bits in base64url, or 256 in links sent before tokens were shortened (shared/domain/surveys/survey.ts newSurveyToken). */
export const SurveyTokenParams = z.object({ token: z.string().check(z.maxLength(128)) });

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
