import type { Survey } from '../../schemas/survey';
import type { Question, SurveyTemplate } from '../../schemas/survey-template';
import type { ParsedReply } from '../sms/reply-parser';
import { fillPlaceholders, questionSmsText, recordAnswer } from './survey';
import { type AnswerValue, type Answers, nextQuestion, scaleOf } from './template';

/**
 * The SMS survey conversation, one reply at a time, pure: given the survey, its template version
 * and the parsed reply, what the survey becomes and what to text back. One question a message;
 * an unreadable reply is asked again once with a hint, then the question is skipped (null).
 */

export type Language = 'en' | 'zh-TW';

export interface ReplyInput {
  survey: Survey;
  template: Pick<SurveyTemplate, 'questions' | 'thankYou'>;
  reply: ParsedReply;
  /** The reply as the customer wrote it: free text is kept as is. */
  body: string;
  /** The question the replied-to message asked, when the reply names its message. */
  repliedToQuestionId?: string;
  language: Language;
  company: string;
  /** Whether the template's thankYou is texted after the last answer (the rules' smsThankYou). */
  sendThankYou: boolean;
  at: string;
}

export type ConversationStep =
  /** Nothing changes: the survey is finished, or the reply answers a question already answered. */
  | { kind: 'ignored'; reason: 'finished' | 'already-answered' }
  /**
   * The current question answered (or, after a second unreadable reply, skipped: value null);
   * `text` is the next question, or the thanks, or nothing when the survey ends without them.
   */
  | { kind: 'answered'; after: Survey; questionId: string; value: AnswerValue | null; text?: string; askedQuestionId?: string }
  /** The reply could not be read: the valid answers, short, for the same question. */
  | { kind: 'reasked'; after: Survey; questionId: string; text: string; askedQuestionId: string };

export function replyStep(input: ReplyInput): ConversationStep {
  const { survey, template, language, company, at } = input;
  if (survey.status !== 'sent' && survey.status !== 'in_progress') return { kind: 'ignored', reason: 'finished' };
  const question = nextQuestion(template, survey.answers);
  if (!question) return { kind: 'ignored', reason: 'finished' };
  if (input.repliedToQuestionId !== undefined && input.repliedToQuestionId !== question.questionId) {
    return { kind: 'ignored', reason: 'already-answered' };
  }

  const read = readAnswer(question, input.reply, input.body);
  if (read === undefined && survey.smsRepromptedQuestionId !== question.questionId) {
    const after: Survey = { ...survey, smsRepromptedQuestionId: question.questionId, version: survey.version + 1, updatedAt: at };
    // The hint alone names what would be read: repeating the question would cost a segment more.
    const text = reaskText(question, language);
    return { kind: 'reasked', after, questionId: question.questionId, text, askedQuestionId: question.questionId };
  }

  const value = read ?? null;
  const { smsRepromptedQuestionId: _reprompted, ...answered } = recordAnswer(survey, template, question.questionId, value, at);
  const after: Survey = answered;
  const next = nextQuestion(template, after.answers);
  const nextText = next ? questionSmsText(next, language) : input.sendThankYou ? template.thankYou[language] : undefined;
  return {
    kind: 'answered',
    after,
    questionId: question.questionId,
    value,
    ...(nextText !== undefined && { text: fillPlaceholders(nextText, company) }),
    ...(next && { askedQuestionId: next.questionId }),
  };
}

/** The reply as an answer to `question`, or undefined when it cannot be read as one. */
export function readAnswer(question: Question, reply: ParsedReply, body: string): AnswerValue | undefined {
  if (question.type === 'freeText') {
    const text = body.trim();
    return text === '' ? undefined : [...text].slice(0, question.maxLength).join('');
  }
  if (question.type === 'resolved') return reply.kind === 'yesNo' ? reply.value : undefined;
  const scale = scaleOf(question);
  if (!scale || reply.kind !== 'number') return undefined;
  return Number.isInteger(reply.value) && reply.value >= scale.min && reply.value <= scale.max ? reply.value : undefined;
}

/** What an unreadable reply gets back: the answers that would be read, in one short SMS. */
export function reaskText(question: Question, language: Language): string {
  const scale = scaleOf(question);
  if (scale) {
    return language === 'en'
      ? `Sorry, we could not read that. Please reply with a number from ${scale.min} to ${scale.max}.`
      : `抱歉，我們無法辨識您的回覆。請回覆 ${scale.min} 到 ${scale.max} 的數字。`;
  }
  if (question.type === 'resolved') return language === 'en' ? 'Sorry, we could not read that. Please reply yes or no.' : '抱歉，我們無法辨識您的回覆。請回覆「是」或「否」。';
  return language === 'en' ? 'Sorry, we could not read that. Please reply in a few words.' : '抱歉，我們無法辨識您的回覆。請簡短回覆。';
}

// ---------------------------------------------------------------- what the events say

/** A survey's figures, for Survey Completed and the low-score check: numbers and yes/no only, never text. */
/** What Survey Answered carries for one answer: the value of a rating or yes/no (null when skipped), nothing for free text. */
export function answeredData(question: Pick<Question, 'questionId' | 'type'>, value: AnswerValue | null) {
  return {
    questionId: question.questionId,
    questionType: question.type,
    ...(question.type !== 'freeText' && { value: typeof value === 'string' ? null : value }),
  };
}

/** The questions whose entries `after` added to `before`'s answers, in template order. */
export function newlyAnswered(template: Pick<SurveyTemplate, 'questions'>, before: Answers, after: Answers): { question: Question; value: AnswerValue | null }[] {
  return template.questions
    .filter((question) => question.questionId in after && !(question.questionId in before))
    .map((question) => ({ question, value: after[question.questionId] ?? null }));
}
