import * as z from '../zod';
import { Iso8601 } from '../schemas/common';
import { NotSentReason, SurveyDeliveryChannel } from '../schemas/vocabulary';
import { defineEvent } from './catalog';

// Ids, states, scores and times only: never a free-text answer and never a phone number.

const surveyRef = {
  surveyId: z.string(),
  contactId: z.string(),
  customerId: z.optional(z.string()),
  agentId: z.optional(z.string()),
  queue: z.optional(z.string()),
  channel: z.described(z.string(), "The closed contact's channel"),
};

export const surveySent = defineEvent(
  'Survey Sent',
  1,
  'A survey went out: its first question by SMS, or (deliveryChannel link) its one-time web link, for the tenant to deliver',
  z.object({
    ...surveyRef,
    deliveryChannel: SurveyDeliveryChannel,
    templateId: z.string(),
    templateVersion: z.int(),
    sentAt: Iso8601,
    expiresAt: Iso8601,
    linkPath: z.described(z.optional(z.string()), 'deliveryChannel link only: /s/<token> on the API’s host'),
  }),
);

export const surveyNotSent = defineEvent(
  'Survey Not Sent',
  1,
  'A closed contact was not surveyed, or a scheduled survey could not go out, with the reason code',
  z.object({ ...surveyRef, reason: NotSentReason }),
);

export const surveyAnswered = defineEvent(
  'Survey Answered',
  1,
  'A question of a survey was answered or skipped; ratings and yes/no carry the value, free text never does',
  z.object({
    ...surveyRef,
    questionId: z.string(),
    questionType: z.string(),
    value: z.described(z.optional(z.union([z.number(), z.boolean(), z.null()])), 'Absent for free text; null when skipped'),
  }),
);

export const surveyCompleted = defineEvent(
  'Survey Completed',
  1,
  'A survey has every question answered or skipped',
  z.object({
    ...surveyRef,
    templateId: z.string(),
    templateVersion: z.int(),
    completedAt: Iso8601,
    scores: z.described(
      z.optional(
        z.object({
          csat: z.optional(z.nullable(z.number())),
          nps: z.optional(z.nullable(z.number())),
          ces: z.optional(z.nullable(z.number())),
          resolved: z.optional(z.nullable(z.boolean())),
          dimensions: z.optional(z.record(z.string(), z.nullable(z.number()))),
        }),
      ),
      'The figures the template asks for (null: skipped); never free text',
    ),
  }),
);

export const surveyExpired = defineEvent(
  'Survey Expired',
  1,
  'A sent survey was not completed (unanswered or part-answered) before its link expired; answers kept',
  z.object({ ...surveyRef, expiredAt: Iso8601 }),
);

export const surveyEvents = [surveySent, surveyNotSent, surveyAnswered, surveyCompleted, surveyExpired] as const;
