import { createHash, randomBytes } from 'node:crypto';
import type { ContactSummary } from '../../events/contact-events';
import type { NotSentReason, Survey, SurveyDeliveryChannel } from '../../schemas/survey';
import type { SurveyTemplate } from '../../schemas/survey-template';
import type { Question } from '../../schemas/survey-template';
import { type AnswerValue, nextQuestion, scaleOf } from './template';

/**
 * A survey record, from the decision to the last answer:
 * pending (scheduled) → sent → in_progress (some answers) → completed, or sent/pending → expired,
 * or not_sent with its reason (decided against, or found not sendable when due). Pure: the
 * handlers read and write, these functions decide.
 */

/** The survey record's state can no longer move this way (already sent, finished, …). */
export class SurveyStateConflict extends Error {}

export interface SurveyOrigin {
  surveyId: string;
  contact: Pick<ContactSummary, 'contactId' | 'customerId' | 'agentId' | 'queue' | 'channel'>;
  origin: Survey['origin'];
  deliveryChannel: SurveyDeliveryChannel;
  now: string;
}

function base({ surveyId, contact, origin, deliveryChannel, now }: SurveyOrigin) {
  return {
    surveyId,
    contactId: contact.contactId,
    ...(contact.customerId !== undefined && { customerId: contact.customerId }),
    ...(contact.agentId !== undefined && { agentId: contact.agentId }),
    ...(contact.queue !== undefined && { queue: contact.queue }),
    channel: contact.channel,
    origin,
    deliveryChannel,
    answers: {},
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** A survey to go out at `scheduledAt`, asked with this template version. */
export function pendingSurvey(
  origin: SurveyOrigin,
  template: Pick<SurveyTemplate, 'templateId' | 'version'>,
  language: Survey['language'],
  scheduledAt: string,
): Survey {
  return { ...base(origin), status: 'pending', templateId: template.templateId, templateVersion: template.version, language, scheduledAt };
}

/** The record of a decision not to survey the contact. */
export function notSentSurvey(origin: SurveyOrigin, reason: NotSentReason): Survey {
  return { ...base(origin), status: 'not_sent', notSentReason: reason };
}

const hourMs = 60 * 60 * 1000;

/** The pending survey went out (SMS or link) at `at`; unanswered, it expires `linkExpiryHours` later. */
export function markSent(survey: Survey, at: string, linkExpiryHours: number, sms?: NonNullable<Survey['sms']>[number]): Survey {
  if (survey.status !== 'pending') throw new SurveyStateConflict(`A ${survey.status} survey cannot be sent`);
  return {
    ...survey,
    status: 'sent',
    sentAt: at,
    expiresAt: new Date(Date.parse(at) + linkExpiryHours * hourMs).toISOString(),
    ...(sms && { sms: [...(survey.sms ?? []), sms] }),
    version: survey.version + 1,
    updatedAt: at,
  };
}

/** When it was due, the pending survey could not go out (consent withdrawn meanwhile, …). */
export function markNotSent(survey: Survey, reason: NotSentReason, at: string): Survey {
  if (survey.status !== 'pending') throw new SurveyStateConflict(`A ${survey.status} survey cannot become not sent`);
  return { ...survey, status: 'not_sent', notSentReason: reason, version: survey.version + 1, updatedAt: at };
}

/**
 * The expiry timer fired: a survey sent and not completed (unanswered, or part-answered) expires,
 * keeping the answers it has; undefined when there is nothing to do.
 */
export function expireSurvey(survey: Survey, at: string): Survey | undefined {
  if (survey.status !== 'sent' && survey.status !== 'in_progress') return undefined;
  return { ...survey, status: 'expired', expiredAt: at, version: survey.version + 1, updatedAt: at };
}

/**
 * Records one answer (null = skipped), already checked with validateAnswer: the survey is in
 * progress, or completed when the template has no further question to ask.
 */
export function recordAnswer(
  survey: Survey,
  template: Pick<SurveyTemplate, 'questions'>,
  questionId: string,
  value: AnswerValue | null,
  at: string,
): Survey {
  if (survey.status !== 'sent' && survey.status !== 'in_progress') throw new SurveyStateConflict(`A ${survey.status} survey takes no answers`);
  if (!template.questions.some((question) => question.questionId === questionId)) throw new SurveyStateConflict(`No question ${questionId}`);
  const answers = { ...survey.answers, [questionId]: value };
  const done = nextQuestion(template, answers) === undefined;
  return {
    ...survey,
    answers,
    status: done ? 'completed' : 'in_progress',
    ...(done && { completedAt: at }),
    version: survey.version + 1,
    updatedAt: at,
  };
}

// ---------------------------------------------------------------- the one-time link

/**
 * 96 random bits, base64url (16 characters): the secret in the web link, short because it is
 * texted. Only its SHA-256 is stored. Why 96 bits are enough: docs/developers/security.md, "Survey-link guessing".
 */
export const newSurveyToken = () => randomBytes(surveyTokenBytes).toString('base64url');
const surveyTokenBytes = 12;

/** A token as the link carries it: 16 characters, or 43 for the 256-bit links sent before tokens were shortened (still honoured until they expire). */
export const isSurveyTokenFormat = (token: string) => /^(?:[A-Za-z0-9_-]{16}|[A-Za-z0-9_-]{43})$/.test(token);

export const surveyTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export const surveyLinkPath = (token: string) => `/s/${token}`;

/** The link as the customer opens it, on the deployment's public base URL (`PUBLIC_BASE_URL`). */
export const surveyLinkUrl = (publicBaseUrl: string, token: string) => `${publicBaseUrl.replace(/\/+$/, '')}${surveyLinkPath(token)}`;

const webLinkLine = { en: 'Or answer on the web: ', 'zh-TW': '也可以在網頁上回答：' } as const;

// ---------------------------------------------------------------- the first SMS

/** `{company}` filled in with the tenant's display name. */
export const fillPlaceholders = (text: string, company: string) => text.replaceAll('{company}', company);

/**
 * The first SMS: the template's introduction, then its first question, in the customer's language;
 * with `webLink`, a last line offering to continue on the web.
 */
export function firstSmsText(
  template: Pick<SurveyTemplate, 'smsIntro' | 'questions'>,
  language: 'en' | 'zh-TW',
  company: string,
  webLink?: string,
): string {
  const first = nextQuestion(template, {});
  const parts = [template.smsIntro[language], ...(first ? [questionSmsText(first, language)] : [])].map((text) => fillPlaceholders(text, company));
  return [...parts, ...(webLink ? [`${webLinkLine[language]}${webLink}`] : [])].join('\n');
}

/** A question as an SMS: its text, and for a labelled rating the scale's ends, e.g. "(1 = Very dissatisfied, 5 = Very satisfied)". */
export function questionSmsText(question: Question, language: 'en' | 'zh-TW'): string {
  const scale = scaleOf(question);
  const labels = 'scaleLabels' in question ? question.scaleLabels : undefined;
  if (!scale || !labels) return question.text[language];
  const hint = `${scale.min} = ${labels.min[language]}, ${scale.max} = ${labels.max[language]}`;
  return language === 'en' ? `${question.text.en} (${hint})` : `${question.text['zh-TW']}（${hint}）`;
}

/** What every survey event says about the survey: ids and the contact's channel, never personal data. */
export const surveyRef = (survey: Pick<Survey, 'surveyId' | 'contactId' | 'customerId' | 'agentId' | 'queue' | 'channel'>) => ({
  surveyId: survey.surveyId,
  contactId: survey.contactId,
  ...(survey.customerId !== undefined && { customerId: survey.customerId }),
  ...(survey.agentId !== undefined && { agentId: survey.agentId }),
  ...(survey.queue !== undefined && { queue: survey.queue }),
  channel: survey.channel,
});
