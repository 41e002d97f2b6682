import * as z from 'zod';
import { validateTemplate } from '../surveys/template';
import { Iso8601, Locale, PaginationQuery } from './common';

// ---------------------------------------------------------------- texts

/** Every text a customer may read exists in both languages a survey can be sent in. */
const localText = (max: number) =>
  z.strictObject({
    en: z.string().trim().min(1).max(max),
    'zh-TW': z.string().trim().min(1).max(max),
  });

/** A question or message: short enough for one SMS question (a 300-character cap, 5 UCS-2 segments at most). */
export const LocalText = localText(300).meta({ id: 'SurveyText', description: 'The same text in en and zh-TW; both are required' });
export type LocalText = z.infer<typeof LocalText>;

const ScaleLabels = z
  .strictObject({ min: localText(60), max: localText(60) })
  .describe('What the ends of the scale mean, e.g. 1 = very dissatisfied, 5 = very satisfied');

// ---------------------------------------------------------------- questions

export const QuestionType = z.enum(['csat', 'nps', 'ces', 'dimension', 'resolved', 'freeText']);
export type QuestionType = z.infer<typeof QuestionType>;

/** The five service-quality (SERVQUAL) dimensions, each rated 1–5. */
export const ServiceDimension = z.enum(['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles']);
export type ServiceDimension = z.infer<typeof ServiceDimension>;

export const QuestionId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'Lowercase letters, digits and _ (up to 32), starting with a letter')
  .describe('Stable across versions: answers and results are keyed by it');

const ScaleCondition = z.strictObject({
  questionId: QuestionId,
  operator: z.enum(['lte', 'gte', 'eq']),
  value: z.number().int(),
});
const YesNoCondition = z.strictObject({ questionId: QuestionId, equals: z.boolean() });

export const ShowIf = z
  .union([ScaleCondition, YesNoCondition])
  .meta({
    id: 'SurveyShowIf',
    description:
      'Ask this question only when an earlier answer matches: a rating compared with lte/gte/eq, or a resolved answer equal to true/false. ' +
      'A referenced question that was skipped or not asked never matches.',
  });
export type ShowIf = z.infer<typeof ShowIf>;

const common = {
  questionId: QuestionId,
  required: z.boolean().default(true).describe('A required question may not be skipped on the web page'),
  text: LocalText,
  showIf: ShowIf.optional(),
};

export const Question = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('csat'), ...common, scaleLabels: ScaleLabels.optional() }).describe('Satisfaction, 1–5'),
    z.strictObject({ type: z.literal('nps'), ...common, scaleLabels: ScaleLabels.optional() }).describe('Likelihood to recommend, 0–10'),
    z.strictObject({ type: z.literal('ces'), ...common, scaleLabels: ScaleLabels.optional() }).describe('Customer effort (agreement that it was easy), 1–7'),
    z
      .strictObject({ type: z.literal('dimension'), ...common, dimension: ServiceDimension, scaleLabels: ScaleLabels.optional() })
      .describe('One service-quality dimension, 1–5'),
    z.strictObject({ type: z.literal('resolved'), ...common }).describe('Yes or no'),
    z
      .strictObject({ type: z.literal('freeText'), ...common, maxLength: z.number().int().min(1).max(1000).default(500) })
      .describe('Free text of at most maxLength characters'),
  ])
  .meta({ id: 'SurveyQuestion' });
export type Question = z.infer<typeof Question>;
export type QuestionInput = z.input<typeof Question>;

export const maxQuestions = 12;

// ---------------------------------------------------------------- templates

const templateFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().min(1).max(500).optional(),
  defaultLanguage: Locale.describe("Used when the customer's language is not known"),
  questions: z.array(Question).min(1).max(maxQuestions),
  smsIntro: LocalText.describe('The first SMS, sent before the first question: who asks and why'),
  thankYou: LocalText.describe('Sent (SMS) or shown (web) once the last question is answered'),
};

export const SurveyTemplateStatus = z.enum(['active', 'archived']);

/** The content of one version, as written by the client; the rules across questions are checked by validateTemplate. */
export const SurveyTemplateContent = z.strictObject(templateFields);
export type SurveyTemplateContent = z.infer<typeof SurveyTemplateContent>;

export const CreateSurveyTemplateBody = SurveyTemplateContent.superRefine((content, context) => {
  for (const issue of validateTemplate(content)) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}).meta({
  id: 'CreateSurveyTemplate',
  description:
    '1–12 questions with unique questionIds; at most one csat, nps, ces and resolved question and one question per dimension; ' +
    'showIf may only name an earlier rating (operator) or resolved (equals) question',
});
export type CreateSurveyTemplateBody = z.infer<typeof CreateSurveyTemplateBody>;

export const UpdateSurveyTemplateBody = z
  .strictObject({ ...templateFields, description: templateFields.description.unwrap().nullable() })
  .partial()
  .meta({
    id: 'UpdateSurveyTemplate',
    description: 'Fields to change (questions are replaced as a whole; description null removes it); makes a new version',
  });
export type UpdateSurveyTemplateBody = z.infer<typeof UpdateSurveyTemplateBody>;

export const SurveyTemplate = z
  .object({
    templateId: z.string(),
    version: z.number().int().describe('The version shown; a sent survey names templateId and version'),
    currentVersion: z.number().int().describe('The version new surveys use'),
    status: SurveyTemplateStatus.describe('archived: no new survey uses it; its versions stay readable'),
    ...templateFields,
    questions: z.array(Question),
    isDefault: z.boolean().describe('The template the tenant was created with'),
    createdAt: Iso8601,
    versionCreatedAt: Iso8601.describe('When the version shown was made'),
    archivedAt: Iso8601.optional(),
  })
  .meta({ id: 'SurveyTemplate' });
export type SurveyTemplate = z.infer<typeof SurveyTemplate>;

export const SurveyTemplateIdParams = z.object({ templateId: z.string().max(64) });

export const GetSurveyTemplateQuery = z.strictObject({
  version: z.coerce.number().int().min(1).max(1_000_000).optional().describe('An older version; the current one when absent'),
});
export type GetSurveyTemplateQuery = z.infer<typeof GetSurveyTemplateQuery>;

export const ListSurveyTemplatesQuery = PaginationQuery.extend({ status: SurveyTemplateStatus.optional() });
export type ListSurveyTemplatesQuery = z.infer<typeof ListSurveyTemplatesQuery>;

// ---------------------------------------------------------------- survey rules (tenant settings)

/*
 * The same values as Channel and Purpose in ./contact; repeated here because ./contact imports
 * ./settings, which imports this file. tests/unit/survey-rules.test.ts keeps them equal.
 */
export const surveyTriggerChannels = ['voice', 'chat', 'email', 'sms', 'web', 'walk_in'] as const;
export const surveyTriggerPurposes = ['service', 'sales', 'care', 'survey', 'collection'] as const;

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Must be HH:MM, 24-hour');

export const QuietHours = z
  .strictObject({ start: TimeOfDay, end: TimeOfDay })
  .refine((hours) => hours.start !== hours.end, { message: 'start and end must differ; send null for no quiet hours', path: ['end'] })
  .describe('No survey is sent from start until end, tenant local time; start after end spans midnight');

const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((values) => new Set(values).size === values.length, { message: 'Each value may appear once' });

const QueueName = z.string().trim().min(1).max(128).regex(/^[^#\p{Cc}]+$/u, 'Must not contain # or control characters');

const ruleFields = {
  enabled: z.boolean().describe('Off until an admin turns it on'),
  templateId: z.string().max(64).nullable().describe('An active survey template of the tenant'),
  channels: uniqueList(z.enum(surveyTriggerChannels), surveyTriggerChannels.length).describe('Contacts on these channels trigger a survey'),
  queues: uniqueList(QueueName, 100).describe('Contacts in these queues trigger a survey; empty means any queue (or none)'),
  purposes: uniqueList(z.enum(surveyTriggerPurposes), surveyTriggerPurposes.length).describe('Contacts with these purposes trigger a survey'),
  delayMinutes: z.number().int().min(0).max(10_080).describe('Minutes after the contact closed; 0 sends at once'),
  samplingPercent: z
    .number()
    .min(0)
    .max(100)
    .refine((value) => Math.round(value * 100) === value * 100, 'At most two decimal places')
    .describe('Share of eligible contacts surveyed, chosen by a hash of the contact id'),
  quietHours: QuietHours.nullable().describe('null sends at any hour'),
  suppressionDays: z.number().int().min(0).max(365).describe('No survey to a customer surveyed (SMS or web) within this many days; 0 turns it off'),
  dailyCap: z.number().int().min(1).max(1_000_000).nullable().describe('Most surveys sent per tenant-local day; null for no cap'),
  linkExpiryHours: z.number().int().min(1).max(720).describe('How long a survey link (and an SMS survey) stays open'),
  deliveryChannel: z
    .enum(['sms', 'link'])
    .describe('sms: sent by SMS (the SMS can carry the web link); link: a web link handed to the tenant to deliver itself'),
  requireExplicitConsent: z
    .boolean()
    .describe("sms delivery: true surveys only customers whose SMS consent is granted; false also those whose consent is unknown. Denied is never surveyed"),
  lowScoreThresholds: z
    .strictObject({
      csat: z.number().int().min(1).max(5).nullable(),
      nps: z.number().int().min(0).max(10).nullable(),
    })
    .describe('A CSAT or NPS answer at or below its threshold opens a service recovery case; null never does'),
};

export const SurveyRules = z.object(ruleFields).meta({ id: 'SurveyRules', description: 'When a closed contact is followed by a survey' });
export type SurveyRules = z.infer<typeof SurveyRules>;

export const SurveyRulesPatch = z
  .strictObject({
    ...ruleFields,
    lowScoreThresholds: ruleFields.lowScoreThresholds.partial(),
  })
  .partial()
  .meta({ id: 'SurveyRulesPatch', description: 'Merged into the rules; lists are replaced; lowScoreThresholds is merged' });
export type SurveyRulesPatch = z.infer<typeof SurveyRulesPatch>;
