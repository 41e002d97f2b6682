import * as z from '../zod';
import { Iso8601, Locale, PaginationQuery } from './common';
import { timeOfDayPattern } from '../domain/business-calendar';
import { quietHoursProblems } from '../domain/surveys/quiet-hours';

// ---------------------------------------------------------------- texts

/** Every text a customer may read exists in both languages a survey can be sent in. */
const localText = (max: number) =>
  z.strictObject({
    en: z.string().check(z.trim(), z.minLength(1), z.maxLength(max)),
    'zh-TW': z.string().check(z.trim(), z.minLength(1), z.maxLength(max)),
  });

/** A question or message: short enough for one SMS question (a 300-character cap, 5 UCS-2 segments at most). */
export const LocalText = z.withMeta(localText(300), { id: 'SurveyText', description: 'The same text in en and zh-TW; both are required' });
export type LocalText = z.infer<typeof LocalText>;

const ScaleLabels = z.described(
  z.strictObject({ min: localText(60), max: localText(60) }),
  'What the ends of the scale mean, e.g. 1 = very dissatisfied, 5 = very satisfied',
);

// ---------------------------------------------------------------- questions

export const QuestionType = z.enum(['csat', 'nps', 'ces', 'dimension', 'resolved', 'freeText']);
export type QuestionType = z.infer<typeof QuestionType>;

/** The five service-quality (SERVQUAL) dimensions, each rated 1–5. */
export const ServiceDimension = z.enum(['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles']);
export type ServiceDimension = z.infer<typeof ServiceDimension>;

export const QuestionId = z.withMeta(
  z.string().check(z.regex(/^[a-z][a-z0-9_]{0,31}$/, 'Lowercase letters, digits and _ (up to 32), starting with a letter')),
  { description: 'Stable across versions: answers and results are keyed by it', maxLength: 32 },
);

const ScaleCondition = z.strictObject({
  questionId: QuestionId,
  operator: z.enum(['lte', 'gte', 'eq']),
  value: z.int(),
});
const YesNoCondition = z.strictObject({ questionId: QuestionId, equals: z.boolean() });

export const ShowIf = z.withMeta(z.union([ScaleCondition, YesNoCondition]), {
  id: 'SurveyShowIf',
  description:
    'Ask this question only when an earlier answer matches: a rating compared with lte/gte/eq, or a resolved answer equal to true/false. ' +
    'A referenced question that was skipped or not asked never matches.',
});
export type ShowIf = z.infer<typeof ShowIf>;

const common = {
  questionId: QuestionId,
  required: z.described(z._default(z.boolean(), true), 'A required question may not be skipped on the web page'),
  text: LocalText,
  showIf: z.optional(ShowIf),
};

export const Question = z.withMeta(
  z.discriminatedUnion('type', [
    z.described(z.strictObject({ type: z.literal('csat'), ...common, scaleLabels: z.optional(ScaleLabels) }), 'Satisfaction, 1–5'),
    z.described(
      z.strictObject({ type: z.literal('nps'), ...common, scaleLabels: z.optional(ScaleLabels) }),
      'Likelihood to recommend, 0–10',
    ),
    z.described(
      z.strictObject({ type: z.literal('ces'), ...common, scaleLabels: z.optional(ScaleLabels) }),
      'Customer effort (agreement that it was easy), 1–7',
    ),
    z.described(
      z.strictObject({ type: z.literal('dimension'), ...common, dimension: ServiceDimension, scaleLabels: z.optional(ScaleLabels) }),
      'One service-quality dimension, 1–5',
    ),
    z.described(z.strictObject({ type: z.literal('resolved'), ...common }), 'Yes or no'),
    z.described(
      z.strictObject({ type: z.literal('freeText'), ...common, maxLength: z._default(z.int().check(z.gte(1), z.lte(1000)), 500) }),
      'Free text of at most maxLength characters',
    ),
  ]),
  { id: 'SurveyQuestion' },
);
export type Question = z.infer<typeof Question>;
export type QuestionInput = z.input<typeof Question>;

export const maxQuestions = 12;

// ---------------------------------------------------------------- templates

const templateFields = {
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  description: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
  defaultLanguage: z.described(Locale, "Used when the customer's language is not known"),
  questions: z.array(Question).check(z.minLength(1), z.maxLength(maxQuestions)),
  smsIntro: z.described(LocalText, 'The first SMS, sent before the first question: who asks and why'),
  thankYou: z.described(LocalText, 'Sent (SMS) or shown (web) once the last question is answered'),
};

export const SurveyTemplateStatus = z.enum(['active', 'archived']);

/** The content of one version, as written by the client; the rules across questions are checked by validateTemplate. */
export const SurveyTemplateContent = z.strictObject(templateFields);
export type SurveyTemplateContent = z.infer<typeof SurveyTemplateContent>;

/**
 * The body of createSurveyTemplate. Its schema (shared/http/routes/survey-templates.ts) adds the
 * rules across questions (domain/surveys/template.ts), which themselves read these types.
 */
export type CreateSurveyTemplateBody = SurveyTemplateContent;

export const UpdateSurveyTemplateBody = z.withMeta(
  z.partial(z.strictObject({ ...templateFields, description: z.nullable(templateFields.description.def.innerType) })),
  {
    id: 'UpdateSurveyTemplate',
    description: 'Fields to change (questions are replaced as a whole; description null removes it); makes a new version',
  },
);
export type UpdateSurveyTemplateBody = z.infer<typeof UpdateSurveyTemplateBody>;

export const SurveyTemplate = z.withMeta(
  z.object({
    templateId: z.string(),
    version: z.described(z.int(), 'The version shown; a sent survey names templateId and version'),
    currentVersion: z.described(z.int(), 'The version new surveys use'),
    status: z.described(SurveyTemplateStatus, 'archived: no new survey uses it; its versions stay readable'),
    ...templateFields,
    questions: z.array(Question),
    isDefault: z.described(z.boolean(), 'The template the tenant was created with'),
    createdAt: Iso8601,
    versionCreatedAt: z.described(Iso8601, 'When the version shown was made'),
    archivedAt: z.optional(Iso8601),
  }),
  { id: 'SurveyTemplate' },
);
export type SurveyTemplate = z.infer<typeof SurveyTemplate>;

const SmsSegmentsOfMessage = z.object({
  message: z.described(z.enum(['first', 'question', 'thankYou']), 'first: the introduction with the first question (and the web link when the rules add it)'),
  questionId: z.optional(z.string()),
  language: Locale,
  encoding: z.described(z.enum(['GSM-7', 'UCS-2']), 'Any character outside GSM 03.38 (Chinese, emoji, curly quotes, dashes) makes the whole SMS UCS-2'),
  characters: z.int(),
  segments: z.described(z.int(), 'Billed SMS segments, {company} filled in with the tenant’s display name'),
  overLimit: z.described(z.boolean(), 'More segments than settings.surveys.maxSegmentsPerMessage'),
});

export const SurveyTemplateSmsSegments = z.withMeta(
  z.object({
    maxSegmentsPerMessage: z.described(z.int(), 'settings.surveys.maxSegmentsPerMessage'),
    messages: z.array(SmsSegmentsOfMessage),
    warnings: z.described(z.array(z.string()), 'One per message over the limit'),
  }),
  { id: 'SurveyTemplateSmsSegments', description: 'What each SMS of the version shown costs, per language' },
);

/** A template as the API answers it: the version shown, with what its SMS cost. */
export const SurveyTemplateAnswer = z.withMeta(z.extend(SurveyTemplate, { sms: SurveyTemplateSmsSegments }), { id: 'SurveyTemplate' });

export const SurveyTemplateIdParams = z.object({ templateId: z.string().check(z.maxLength(64)) });

export const GetSurveyTemplateQuery = z.strictObject({
  version: z.described(
    z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(1_000_000))),
    'An older version; the current one when absent',
  ),
});
export type GetSurveyTemplateQuery = z.infer<typeof GetSurveyTemplateQuery>;

export const ListSurveyTemplatesQuery = z.extend(PaginationQuery, { status: z.optional(SurveyTemplateStatus) });
export type ListSurveyTemplatesQuery = z.infer<typeof ListSurveyTemplatesQuery>;

// ---------------------------------------------------------------- survey rules (tenant settings)

/*
 * The same values as Channel and Purpose in ./contact; repeated here because ./contact imports
 * ./settings, which imports this file. tests/unit/survey-rules.test.ts keeps them equal.
 */
export const surveyTriggerChannels = ['voice', 'chat', 'email', 'sms', 'web', 'walk_in'] as const;
export const surveyTriggerPurposes = ['service', 'sales', 'care', 'survey', 'collection'] as const;

const TimeOfDay = z.withMeta(z.string().check(z.regex(timeOfDayPattern, 'Must be HH:MM, 24-hour (24:00, the end of the day, as an end only)')), { maxLength: 5 });

export const QuietHours = z.described(
  z.strictObject({ start: TimeOfDay, end: TimeOfDay }).check(
    z.superRefine((hours, context) => {
      for (const { path, message } of quietHoursProblems(hours)) context.addIssue({ code: 'custom', path: [path], message, input: hours });
    }),
  ),
  'No survey is sent from start until end, tenant local time; start after end spans midnight; end 24:00 is midnight at the end of the day',
);

const uniqueList = <T extends z.ZodMiniType>(item: T, max: number) =>
  z.array(item).check(
    z.maxLength(max),
    z.refine((values) => new Set(values).size === values.length, { message: 'Each value may appear once' }),
  );

const QueueName = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(128), z.regex(/^[^#\p{Cc}]+$/u, 'Must not contain # or control characters'));

const ruleFields = {
  enabled: z.described(z.boolean(), 'Off until an admin turns it on'),
  templateId: z.described(z.nullable(z.string().check(z.maxLength(64))), 'An active survey template of the tenant'),
  channels: z.described(
    uniqueList(z.enum(surveyTriggerChannels), surveyTriggerChannels.length),
    'Contacts on these channels trigger a survey',
  ),
  queues: z.described(uniqueList(QueueName, 100), 'Contacts in these queues trigger a survey; empty means any queue (or none)'),
  purposes: z.described(
    uniqueList(z.enum(surveyTriggerPurposes), surveyTriggerPurposes.length),
    'Contacts with these purposes trigger a survey',
  ),
  delayMinutes: z.described(z.int().check(z.gte(0), z.lte(10_080)), 'Minutes after the contact closed; 0 sends at once'),
  samplingPercent: z.described(
    z.number().check(
      z.gte(0),
      z.lte(100),
      z.refine((value) => Math.round(value * 100) === value * 100, 'At most two decimal places'),
    ),
    'Share of eligible contacts surveyed, chosen by a hash of the contact id',
  ),
  quietHours: z.described(z.nullable(QuietHours), 'null sends at any hour'),
  suppressionDays: z.described(
    z.int().check(z.gte(0), z.lte(365)),
    'No survey to a customer surveyed (SMS or web) within this many days; 0 turns it off',
  ),
  dailyCap: z.described(z.nullable(z.int().check(z.gte(1), z.lte(1_000_000))), 'Most surveys sent per tenant-local day; null for no cap'),
  linkExpiryHours: z.described(z.int().check(z.gte(1), z.lte(720)), 'How long a survey link (and an SMS survey) stays open'),
  deliveryChannel: z.described(
    z.enum(['sms', 'link']),
    'sms: sent by SMS (the SMS can carry the web link); link: a web link handed to the tenant to deliver itself',
  ),
  requireExplicitConsent: z.described(
    z.boolean(),
    'sms delivery: true surveys only customers whose SMS consent is granted; false also those whose consent is unknown. Denied is never surveyed',
  ),
  lowScoreThresholds: z.described(
    z.strictObject({
      csat: z.nullable(z.int().check(z.gte(1), z.lte(5))),
      nps: z.nullable(z.int().check(z.gte(0), z.lte(10))),
    }),
    'A CSAT or NPS answer at or below its threshold opens a service recovery case; null never does',
  ),
  smsWebLink: z.described(
    z.optional(z.boolean()),
    'sms delivery: the first SMS ends with the web link (when the deployment knows its public address). New tenants: false; absent (rules from before the setting): true',
  ),
  smsThankYou: z.described(
    z.optional(z.boolean()),
    "sms delivery: the template's thankYou is texted after the last answer (the web page always shows it). New tenants: false; absent (rules from before the setting): true",
  ),
  maxSegmentsPerMessage: z.described(
    z.optional(z.int().check(z.gte(1), z.lte(10))),
    'Survey template answers warn about an SMS that breaks into more segments than this; absent: 1',
  ),
};

export const SurveyRules = z.withMeta(z.object(ruleFields), {
  id: 'SurveyRules',
  description: 'When a closed contact is followed by a survey',
});
export type SurveyRules = z.infer<typeof SurveyRules>;

export const SurveyRulesPatch = z.withMeta(
  z.partial(
    z.strictObject({
      ...ruleFields,
      lowScoreThresholds: z.partial(ruleFields.lowScoreThresholds),
    }),
  ),
  { id: 'SurveyRulesPatch', description: 'Merged into the rules; lists are replaced; lowScoreThresholds is merged' },
);
export type SurveyRulesPatch = z.infer<typeof SurveyRulesPatch>;
