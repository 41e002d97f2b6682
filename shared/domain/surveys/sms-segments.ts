import type { SurveyTemplate } from '../../schemas/survey-template';
import { type SegmentCount, countSegments } from '../sms/segments';
import type { Language } from './conversation';
import { fillPlaceholders, firstSmsText, questionSmsText, surveyLinkUrl } from './survey';
import { nextQuestion } from './template';

/**
 * What each SMS of a template costs, per language, as the tenant's customers would receive it
 * (`{company}` filled in with the tenant's display name): the first SMS (introduction, first
 * question and, when the rules add it, the web link), every later question, and the thanks.
 * A message over the tenant's `maxSegmentsPerMessage` is flagged and explained in `warnings`.
 */

export type TemplateSmsKind = 'first' | 'question' | 'thankYou';

export interface TemplateSmsMessage extends SegmentCount {
  message: TemplateSmsKind;
  /** The question the message asks (first: the template's first question). */
  questionId?: string;
  language: Language;
  overLimit: boolean;
}

export interface TemplateSmsSegments {
  maxSegmentsPerMessage: number;
  messages: TemplateSmsMessage[];
  warnings: string[];
}

export interface SmsSegmentOptions {
  company: string;
  maxSegmentsPerMessage: number;
  /** The deployment's public base URL when the first SMS carries the web link; undefined when it does not. */
  webLinkBaseUrl?: string;
}

const languages: Language[] = ['en', 'zh-TW'];
/** A token of the length newSurveyToken makes: only its length matters to the count. */
const sampleToken = 'x'.repeat(16);

export function templateSmsSegments(template: Pick<SurveyTemplate, 'smsIntro' | 'questions' | 'thankYou'>, options: SmsSegmentOptions): TemplateSmsSegments {
  const { company, maxSegmentsPerMessage } = options;
  const webLink = options.webLinkBaseUrl === undefined ? undefined : surveyLinkUrl(options.webLinkBaseUrl, sampleToken);
  const first = nextQuestion(template, {});
  const messages: TemplateSmsMessage[] = [];
  for (const language of languages) {
    const measure = (message: TemplateSmsKind, text: string, questionId?: string) => {
      const count = countSegments(text);
      messages.push({ message, ...(questionId !== undefined && { questionId }), language, ...count, overLimit: count.segments > maxSegmentsPerMessage });
    };
    measure('first', firstSmsText(template, language, company, webLink), first?.questionId);
    for (const question of template.questions) {
      if (question !== first) measure('question', fillPlaceholders(questionSmsText(question, language), company), question.questionId);
    }
    measure('thankYou', fillPlaceholders(template.thankYou[language], company));
  }
  const warnings = messages.filter((message) => message.overLimit).map((message) => warningOf(message, maxSegmentsPerMessage));
  return { maxSegmentsPerMessage, messages, warnings };
}

function warningOf(message: TemplateSmsMessage, limit: number): string {
  const which =
    message.message === 'first' ? 'The first SMS' : message.message === 'thankYou' ? 'The thank-you SMS' : `The SMS asking ${message.questionId}`;
  const why = message.encoding === 'UCS-2' ? 'UCS-2: 70 characters in one segment, 67 each when split' : 'GSM-7: 160 characters in one segment, 153 each when split';
  return (
    `${which} in ${message.language} is ${message.segments} segments (${message.characters} characters, ${why}); ` +
    `settings.surveys.maxSegmentsPerMessage allows ${limit}`
  );
}
