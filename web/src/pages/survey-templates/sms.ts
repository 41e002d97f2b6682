import { type SegmentCount, countSegments } from '../../../../shared/domain/sms/segments';
import { type Language, type LocalText, firstAsked, languages, scaleOf } from './draft';

/**
 * Every SMS of a template as the customer receives it, with what it costs. The texts are put
 * together as shared/domain/surveys/survey.ts does (firstSmsText, questionSmsText) — that module
 * needs Node, so the console cannot import it; tests/unit/console-template-sms.test.ts keeps the
 * two equal. Segments are counted by shared/domain/sms/segments.ts itself (it imports nothing).
 */

export type SmsKind = 'first' | 'question' | 'thankYou';

export interface SmsMessage extends SegmentCount {
  kind: SmsKind;
  questionId?: string;
  language: Language;
  text: string;
  overLimit: boolean;
}

interface SmsQuestion {
  questionId: string;
  type: Parameters<typeof scaleOf>[0];
  text: LocalText;
  scaleLabels?: { min: LocalText; max: LocalText };
  showIf?: unknown;
}

export interface SmsTemplate {
  smsIntro: LocalText;
  questions: readonly SmsQuestion[];
  thankYou: LocalText;
}

export interface SmsOptions {
  company: string;
  maxSegmentsPerMessage: number;
  /** The survey link the first SMS ends with when the survey rules add it. */
  webLink?: string;
}

const webLinkLine = { en: 'Or answer on the web: ', 'zh-TW': '也可以在網頁上回答：' } as const;

/** A link of the length the service sends (a 16-character token), on the given address. */
export const sampleSurveyLink = (baseUrl: string) => `${baseUrl.replace(/\/+$/, '')}/s/${'x'.repeat(16)}`;

export const fillPlaceholders = (text: string, company: string) => text.replaceAll('{company}', company);

export function questionSmsText(question: SmsQuestion, language: Language): string {
  const scale = scaleOf(question.type);
  const labels = question.scaleLabels;
  if (!scale || !labels) return question.text[language];
  const hint = `${scale.min} = ${labels.min[language]}, ${scale.max} = ${labels.max[language]}`;
  return language === 'en' ? `${question.text.en} (${hint})` : `${question.text['zh-TW']}（${hint}）`;
}

export function firstSmsText(template: Pick<SmsTemplate, 'smsIntro' | 'questions'>, language: Language, company: string, webLink?: string): string {
  const first = firstAsked(template.questions);
  const parts = [template.smsIntro[language], ...(first ? [questionSmsText(first, language)] : [])].map((text) => fillPlaceholders(text, company));
  return [...parts, ...(webLink ? [`${webLinkLine[language]}${webLink}`] : [])].join('\n');
}

/** The messages in the order a customer could receive them, per language. */
export function templateSms(template: SmsTemplate, options: SmsOptions): SmsMessage[] {
  const first = firstAsked(template.questions);
  const messages: SmsMessage[] = [];
  for (const language of languages) {
    const add = (kind: SmsKind, text: string, questionId?: string) => {
      const count = countSegments(text);
      messages.push({ kind, ...(questionId !== undefined && { questionId }), language, text, ...count, overLimit: count.segments > options.maxSegmentsPerMessage });
    };
    add('first', firstSmsText(template, language, options.company, options.webLink), first?.questionId);
    for (const question of template.questions) {
      if (question !== first) add('question', fillPlaceholders(questionSmsText(question, language), options.company), question.questionId);
    }
    add('thankYou', fillPlaceholders(template.thankYou[language], options.company));
  }
  return messages;
}
