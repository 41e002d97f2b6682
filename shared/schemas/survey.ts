import * as z from '../zod';
import { AgentId } from './agent';
import { Iso8601, Locale, PaginationQuery } from './common';
import { NotSentReason, SurveyDeliveryChannel, SurveyStatus } from './vocabulary';

export { NotSentReason, SurveyDeliveryChannel, SurveyStatus } from './vocabulary';

export const SurveyAnswerValue = z.described(z.union([z.number(), z.boolean(), z.string(), z.null()]), 'null: skipped');

export const Survey = z.withMeta(
  z.object({
    surveyId: z.string(),
    contactId: z.string(),
    customerId: z.optional(z.string()),
    agentId: z.described(z.optional(AgentId), "The closed contact's agent"),
    queue: z.optional(z.string()),
    channel: z.described(z.string(), "The closed contact's channel"),
    origin: z.described(z.enum(['rules', 'ad-hoc']), 'rules: decided by dispatch on Contact Closed; ad-hoc: POST /v1/surveys'),
    status: SurveyStatus,
    notSentReason: z.optional(NotSentReason),
    deliveryChannel: SurveyDeliveryChannel,
    templateId: z.described(
      z.optional(z.string()),
      'The template and the version the survey is asked with; absent when it was never going to be sent',
    ),
    templateVersion: z.optional(z.int()),
    language: z.optional(Locale),
    scheduledAt: z.described(z.optional(Iso8601), 'When it is (or was) due to go out'),
    sentAt: z.optional(Iso8601),
    expiresAt: z.described(z.optional(Iso8601), 'sentAt plus the rules’ linkExpiryHours: not completed by then, it expires (answers kept)'),
    expiredAt: z.optional(Iso8601),
    completedAt: z.optional(Iso8601),
    smsRepromptedQuestionId: z.described(
      z.optional(z.string()),
      'SMS only: the question asked again after an unreadable reply; a second one skips it',
    ),
    answers: z.described(z.record(z.string(), SurveyAnswerValue), 'By questionId'),
    sms: z.described(
      z.optional(z.array(z.object({ messageId: z.string(), segments: z.int(), encoding: z.string(), sentAt: Iso8601 }))),
      'Each SMS sent for the survey, with its segments for metering',
    ),
    version: z.int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  }),
  { id: 'Survey' },
);
export type Survey = z.infer<typeof Survey>;

export const CreateSurveyBody = z.withMeta(
  z.strictObject({
    contactId: z.described(z.string().check(z.maxLength(64)), 'A closed contact with a customer'),
    deliveryChannel: z.described(z.optional(SurveyDeliveryChannel), "Defaults to the survey rules' deliveryChannel"),
    templateId: z.described(z.optional(z.string().check(z.maxLength(64))), "Defaults to the survey rules' templateId"),
  }),
  { id: 'CreateSurvey' },
);
export type CreateSurveyBody = z.infer<typeof CreateSurveyBody>;

export const CreatedSurvey = z.withMeta(
  z.extend(Survey, {
    linkPath: z.described(
      z.optional(z.string()),
      'deliveryChannel link only, and only in this answer: the one-time web page, /s/<token>, on the API’s host',
    ),
  }),
  { id: 'CreatedSurvey' },
);

export const SurveyIdParams = z.object({ surveyId: z.string().check(z.maxLength(64)) });

export const ListSurveysQuery = z
  .extend(PaginationQuery, {
    from: z.described(z.optional(Iso8601), 'Surveys decided at or after'),
    to: z.described(z.optional(Iso8601), 'Surveys decided before'),
    agentId: z.described(z.optional(AgentId), 'Surveys of the contacts of this agent (an agent id, as on contacts)'),
    queue: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(128))),
    status: z.optional(SurveyStatus),
    contactId: z.described(
      z.optional(z.string().check(z.maxLength(64))),
      "Only the survey decided for this contact (sent, not sent with its reason, answered): at most one, whatever the other filters",
    ),
  })
  .check(
    z.refine((query) => query.from === undefined || query.to === undefined || Date.parse(query.from) <= Date.parse(query.to), {
      message: 'to must not be before from',
      path: ['to'],
    }),
  );
export type ListSurveysQuery = z.infer<typeof ListSurveysQuery>;

export const SurveyResultsQuery = z.strictObject({
  from: z.described(z.optional(Iso8601), 'Surveys decided at or after; default: the start of the tenant-local day 29 days before to'),
  to: z.described(z.optional(Iso8601), 'Surveys decided before; default: now. At most 92 days after from'),
  groupBy: z.described(
    z.optional(z.enum(['agent', 'queue', 'channel', 'template'])),
    "Also each group's figures: by the survey's agentId, queue, the contact's channel, or templateId",
  ),
});
export type SurveyResultsQuery = z.infer<typeof SurveyResultsQuery>;

const percentOrNull = z.described(z.nullable(z.number()), 'Percent, one decimal; null when there is nothing to count');
const averageOrNull = z.described(z.nullable(z.number()), 'Two decimals; null when there are no answers');
const SurveyFigures = z.object({
  sent: z.described(z.int(), 'Surveys that went out: sent, in_progress, completed or expired'),
  responses: z.described(z.int(), 'Sent surveys with at least one answer that was not skipped'),
  completed: z.int(),
  responseRate: z.described(percentOrNull, 'responses / sent, percent'),
  csat: z.object({ answers: z.int(), satisfied: z.described(z.int(), 'Answers 4–5'), score: percentOrNull }),
  nps: z.object({
    answers: z.int(),
    promoters: z.described(z.int(), 'Answers 9–10'),
    passives: z.described(z.int(), 'Answers 7–8'),
    detractors: z.described(z.int(), 'Answers 0–6'),
    score: z.described(z.nullable(z.number()), '% promoters − % detractors, −100 to 100, one decimal'),
  }),
  ces: z.object({ answers: z.int(), average: averageOrNull, agreeing: z.described(z.int(), 'Answers 5–7'), agreeingShare: percentOrNull }),
  dimensions: z.record(
    z.enum(['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles']),
    z.object({ answers: z.int(), average: averageOrNull }),
  ),
  resolved: z.object({ answers: z.int(), yes: z.int(), yesShare: percentOrNull }),
});

export const SurveyResultsSummary = z.withMeta(
  z.object({
    from: Iso8601,
    to: Iso8601,
    groupBy: z.optional(z.enum(['agent', 'queue', 'channel', 'template'])),
    overall: SurveyFigures,
    groups: z.optional(
      z.array(
        z.extend(SurveyFigures, {
          key: z.described(z.nullable(z.string()), 'The agentId, queue, channel or templateId; null: surveys without one'),
        }),
      ),
    ),
  }),
  { id: 'SurveyResultsSummary' },
);
