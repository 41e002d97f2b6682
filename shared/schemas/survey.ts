import * as z from 'zod';
import { Iso8601, Locale, PaginationQuery } from './common';

export const SurveyStatus = z.enum(['pending', 'sent', 'in_progress', 'completed', 'expired', 'not_sent']);
export type SurveyStatus = z.infer<typeof SurveyStatus>;

export const SurveyDeliveryChannel = z.enum(['sms', 'link']);
export type SurveyDeliveryChannel = z.infer<typeof SurveyDeliveryChannel>;

/** Why a survey was not sent: the rules' reasons (shared/surveys/rules.ts), then what the send itself found. */
export const NotSentReason = z.enum([
  'disabled',
  'channel',
  'queue',
  'purpose',
  'no-contact-point',
  'no-consent',
  'suppressed',
  'sampled-out',
  'capped',
  'opted-out',
  'sms-not-configured',
  'sms-refused',
]);
export type NotSentReason = z.infer<typeof NotSentReason>;

export const SurveyAnswerValue = z.union([z.number(), z.boolean(), z.string(), z.null()]).describe('null: skipped');

export const Survey = z
  .object({
    surveyId: z.string(),
    contactId: z.string(),
    customerId: z.string().optional(),
    agentId: z.string().optional(),
    queue: z.string().optional(),
    channel: z.string().describe("The closed contact's channel"),
    origin: z.enum(['rules', 'ad-hoc']).describe('rules: decided by dispatch on Contact Closed; ad-hoc: POST /v1/surveys'),
    status: SurveyStatus,
    notSentReason: NotSentReason.optional(),
    deliveryChannel: SurveyDeliveryChannel,
    templateId: z.string().optional().describe('The template and the version the survey is asked with; absent when it was never going to be sent'),
    templateVersion: z.number().int().optional(),
    language: Locale.optional(),
    scheduledAt: Iso8601.optional().describe('When it is (or was) due to go out'),
    sentAt: Iso8601.optional(),
    expiresAt: Iso8601.optional().describe('sentAt plus the rules’ linkExpiryHours: not completed by then, it expires (answers kept)'),
    expiredAt: Iso8601.optional(),
    completedAt: Iso8601.optional(),
    smsRepromptedQuestionId: z.string().optional().describe('SMS only: the question asked again after an unreadable reply; a second one skips it'),
    answers: z.record(z.string(), SurveyAnswerValue).describe('By questionId'),
    sms: z
      .array(z.object({ messageId: z.string(), segments: z.number().int(), encoding: z.string(), sentAt: Iso8601 }))
      .optional()
      .describe('Each SMS sent for the survey, with its segments for metering'),
    version: z.number().int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  })
  .meta({ id: 'Survey' });
export type Survey = z.infer<typeof Survey>;

export const CreateSurveyBody = z
  .strictObject({
    contactId: z.string().max(64).describe('A closed contact with a customer'),
    deliveryChannel: SurveyDeliveryChannel.optional().describe("Defaults to the survey rules' deliveryChannel"),
    templateId: z.string().max(64).optional().describe("Defaults to the survey rules' templateId"),
  })
  .meta({ id: 'CreateSurvey' });
export type CreateSurveyBody = z.infer<typeof CreateSurveyBody>;

export const CreatedSurvey = Survey.extend({
  linkPath: z
    .string()
    .optional()
    .describe('deliveryChannel link only, and only in this answer: the one-time web page, /s/<token>, on the API’s host'),
}).meta({ id: 'CreatedSurvey' });

export const SurveyIdParams = z.object({ surveyId: z.string().max(64) });

export const ListSurveysQuery = PaginationQuery.extend({
  from: Iso8601.optional().describe('Surveys decided at or after'),
  to: Iso8601.optional().describe('Surveys decided before'),
  agentId: z.string().trim().min(1).max(128).optional(),
  queue: z.string().trim().min(1).max(128).optional(),
  status: SurveyStatus.optional(),
}).refine((query) => query.from === undefined || query.to === undefined || Date.parse(query.from) <= Date.parse(query.to), {
  message: 'to must not be before from',
  path: ['to'],
});
export type ListSurveysQuery = z.infer<typeof ListSurveysQuery>;

export const SurveyResultsQuery = z.strictObject({
  from: Iso8601.optional().describe('Surveys decided at or after; default: the start of the tenant-local day 29 days before to'),
  to: Iso8601.optional().describe('Surveys decided before; default: now. At most 92 days after from'),
  groupBy: z.enum(['agent', 'queue', 'channel', 'template']).optional().describe("Also each group's figures: by the survey's agentId, queue, the contact's channel, or templateId"),
});
export type SurveyResultsQuery = z.infer<typeof SurveyResultsQuery>;

const percentOrNull = z.number().nullable().describe('Percent, one decimal; null when there is nothing to count');
const averageOrNull = z.number().nullable().describe('Two decimals; null when there are no answers');
const SurveyFigures = z.object({
  sent: z.number().int().describe('Surveys that went out: sent, in_progress, completed or expired'),
  responses: z.number().int().describe('Sent surveys with at least one answer that was not skipped'),
  completed: z.number().int(),
  responseRate: percentOrNull.describe('responses / sent, percent'),
  csat: z.object({ answers: z.number().int(), satisfied: z.number().int().describe('Answers 4–5'), score: percentOrNull }),
  nps: z.object({
    answers: z.number().int(),
    promoters: z.number().int().describe('Answers 9–10'),
    passives: z.number().int().describe('Answers 7–8'),
    detractors: z.number().int().describe('Answers 0–6'),
    score: z.number().nullable().describe('% promoters − % detractors, −100 to 100, one decimal'),
  }),
  ces: z.object({ answers: z.number().int(), average: averageOrNull, agreeing: z.number().int().describe('Answers 5–7'), agreeingShare: percentOrNull }),
  dimensions: z.record(z.enum(['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles']), z.object({ answers: z.number().int(), average: averageOrNull })),
  resolved: z.object({ answers: z.number().int(), yes: z.number().int(), yesShare: percentOrNull }),
});

export const SurveyResultsSummary = z
  .object({
    from: Iso8601,
    to: Iso8601,
    groupBy: z.enum(['agent', 'queue', 'channel', 'template']).optional(),
    overall: SurveyFigures,
    groups: z.array(SurveyFigures.extend({ key: z.string().nullable().describe('The agentId, queue, channel or templateId; null: surveys without one') })).optional(),
  })
  .meta({ id: 'SurveyResultsSummary' });
