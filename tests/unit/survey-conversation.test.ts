import { describe, expect, it } from 'vitest';
import { lowScoreOf, recoverySeverity, recoverySubject } from '../../functions/survey-recovery/handler';
import type { Survey } from '../../shared/schemas/survey';
import { parseReply } from '../../shared/domain/sms/reply-parser';
import { answeredData, replyStep } from '../../shared/domain/surveys/conversation';
import { surveyScores } from '../../shared/domain/surveys/scores';
import { defaultTemplateContent, fourQuestionTemplateContent } from '../../shared/domain/surveys/default-template';

// The conversation's rules, on the longer template tenants from before the short default have.
const template = fourQuestionTemplateContent('en');
const at = '2026-03-02T02:00:00.000Z';

const sentSurvey = (answers: Survey['answers'] = {}, extra: Partial<Survey> = {}): Survey => ({
  surveyId: 'svy_1',
  contactId: 'con_1',
  customerId: 'cus_1',
  agentId: 'agent-7',
  channel: 'voice',
  origin: 'rules',
  status: Object.keys(answers).length > 0 ? 'in_progress' : 'sent',
  deliveryChannel: 'sms',
  templateId: 'tpl_1',
  templateVersion: 1,
  language: 'en',
  answers,
  version: 3,
  createdAt: at,
  updatedAt: at,
  ...extra,
});

const step = (
  survey: Survey,
  body: string,
  options: { language?: 'en' | 'zh-TW'; repliedToQuestionId?: string; sendThankYou?: boolean; template?: typeof template } = {},
) =>
  replyStep({
    survey,
    template: options.template ?? template,
    reply: parseReply(body),
    body,
    language: options.language ?? 'en',
    company: 'Acme',
    sendThankYou: options.sendThankYou ?? true,
    at,
    ...(options.repliedToQuestionId && { repliedToQuestionId: options.repliedToQuestionId }),
  });

describe('one step of the SMS survey conversation', () => {
  it.each([
    ['4', 4],
    ['４', 4],
    ['四', 4],
    [' 4 分', 4],
  ])('records %j as CSAT %d and asks the next question (a happy customer skips "what could we do better")', (body, value) => {
    const result = step(sentSurvey(), body);
    expect(result).toMatchObject({ kind: 'answered', questionId: 'csat', value, askedQuestionId: 'resolved', text: 'Was your issue resolved?' });
    if (result.kind !== 'answered') throw new Error();
    expect(result.after).toMatchObject({ status: 'in_progress', answers: { csat: value }, version: 4, updatedAt: at });
  });

  it('asks a low scorer what to improve, in Chinese when the customer reads Chinese, and takes free text as it is', () => {
    const low = step(sentSurvey(), '2', { language: 'zh-TW' });
    expect(low).toMatchObject({ kind: 'answered', askedQuestionId: 'improve', text: '很抱歉這次沒能讓您滿意。請告訴我們，哪些地方可以做得更好？' });
    if (low.kind !== 'answered') throw new Error();
    const text = step(low.after, '  等太久了 5 分鐘 ', { language: 'zh-TW' });
    expect(text).toMatchObject({ kind: 'answered', questionId: 'improve', value: '等太久了 5 分鐘', text: '您這次反映的問題是否已經解決？' });
  });

  it('reads yes/是 for resolved, then completes with the thank-you after NPS', () => {
    const resolved = step(sentSurvey({ csat: 5 }), '是');
    expect(resolved).toMatchObject({ kind: 'answered', value: true, askedQuestionId: 'nps' });
    expect(resolved.kind === 'answered' && resolved.text).toBe('How likely are you to recommend Acme to a friend or family member? (0 = Not at all likely, 10 = Extremely likely)');
    const done = step(sentSurvey({ csat: 5, resolved: true }), '9');
    expect(done).toMatchObject({ kind: 'answered', value: 9, text: 'Thank you for your answers. Your feedback helps Acme serve you better.' });
    expect(done.kind === 'answered' && done.askedQuestionId).toBeUndefined();
    expect(done.kind === 'answered' && done.after).toMatchObject({ status: 'completed', completedAt: at, answers: { csat: 5, resolved: true, nps: 9 } });
  });

  it('asks again once with the valid range alone (one short SMS), then skips the question', () => {
    const first = step(sentSurvey(), 'great');
    expect(first).toMatchObject({ kind: 'reasked', questionId: 'csat', askedQuestionId: 'csat' });
    expect(first.kind === 'reasked' && first.text).toBe('Sorry, we could not read that. Please reply with a number from 1 to 5.');
    if (first.kind !== 'reasked') throw new Error();
    expect(first.after).toMatchObject({ status: 'sent', answers: {}, smsRepromptedQuestionId: 'csat', version: 4 });

    const second = step(first.after, '6');
    expect(second).toMatchObject({ kind: 'answered', questionId: 'csat', value: null, askedQuestionId: 'resolved' });
    if (second.kind !== 'answered') throw new Error();
    expect(second.after.answers).toEqual({ csat: null });
    expect(second.after.smsRepromptedQuestionId).toBeUndefined();
  });

  it('gives the hint in Chinese for a yes/no question', () => {
    const result = step(sentSurvey({ csat: 4 }), '也許吧', { language: 'zh-TW' });
    expect(result.kind === 'reasked' && result.text).toBe('抱歉，我們無法辨識您的回覆。請回覆「是」或「否」。');
  });

  it('ends without an SMS when the rules send no thanks', () => {
    const done = step(sentSurvey({ csat: 5, resolved: true }), '9', { sendThankYou: false });
    expect(done).toMatchObject({ kind: 'answered', value: 9, after: { status: 'completed' } });
    expect(done.kind === 'answered' && 'text' in done).toBe(false);
  });

  it('with the short default, a happy CSAT completes the survey and an unhappy one asks what to improve', () => {
    const short = defaultTemplateContent('zh-TW');
    const happy = step(sentSurvey(), '5', { template: short, language: 'zh-TW', sendThankYou: false });
    expect(happy).toMatchObject({ kind: 'answered', value: 5, after: { status: 'completed', answers: { csat: 5 } } });
    expect(happy.kind === 'answered' && happy.text).toBeUndefined();
    const unhappy = step(sentSurvey(), '2', { template: short, language: 'zh-TW', sendThankYou: false });
    expect(unhappy).toMatchObject({ kind: 'answered', askedQuestionId: 'improve', text: '很抱歉沒能讓您滿意，哪些地方可以做得更好？' });
    if (unhappy.kind !== 'answered') throw new Error();
    expect(step(unhappy.after, '等太久', { template: short, language: 'zh-TW', sendThankYou: true })).toMatchObject({
      kind: 'answered',
      value: '等太久',
      text: '感謝您的回覆！您的意見將幫助Acme做得更好。',
      after: { status: 'completed' },
    });
  });

  it('ignores a reply to a question already answered, and any reply to a finished survey', () => {
    expect(step(sentSurvey({ csat: 4 }), '1', { repliedToQuestionId: 'csat' })).toEqual({ kind: 'ignored', reason: 'already-answered' });
    expect(step(sentSurvey({ csat: 4 }), 'yes', { repliedToQuestionId: 'resolved' })).toMatchObject({ kind: 'answered', value: true });
    expect(step(sentSurvey({ csat: 4, resolved: true, nps: 9 }, { status: 'completed' }), '3')).toEqual({ kind: 'ignored', reason: 'finished' });
    expect(step(sentSurvey({}, { status: 'expired' }), '3')).toEqual({ kind: 'ignored', reason: 'finished' });
  });
});

describe('what the events say', () => {
  it('Survey Answered carries ratings and yes/no but never free text', () => {
    expect(answeredData({ questionId: 'csat', type: 'csat' }, 2)).toEqual({ questionId: 'csat', questionType: 'csat', value: 2 });
    expect(answeredData({ questionId: 'csat', type: 'csat' }, null)).toEqual({ questionId: 'csat', questionType: 'csat', value: null });
    expect(answeredData({ questionId: 'improve', type: 'freeText' }, 'rude agent')).toEqual({ questionId: 'improve', questionType: 'freeText' });
  });

  it('the scores summary holds the figures, null for skipped, and no text', () => {
    expect(surveyScores(template, { csat: 2, improve: 'slow', resolved: false, nps: null })).toEqual({ csat: 2, resolved: false, nps: null });
  });

  it('reads each score by its question type, whatever the template names the question', () => {
    const renamed = { questions: template.questions.map((question) => ({ ...question, questionId: `q_${question.questionId}` })) };
    expect(surveyScores(renamed, { q_csat: 4, q_nps: 9, csat: 1 })).toEqual({ csat: 4, nps: 9 });
  });
});

describe('the recovery rule', () => {
  const thresholds = { csat: 2, nps: 6 };
  it.each([
    ['csat', 2, { type: 'csat', value: 2 }],
    ['csat', 3, undefined],
    ['nps', 6, { type: 'nps', value: 6 }],
    ['nps', 7, undefined],
    ['ces', 1, undefined],
    ['csat', null, undefined],
  ])('%s %j is low: %j', (type, value, expected) => {
    expect(lowScoreOf(type, value, thresholds)).toEqual(expected);
  });
  it('is off when the threshold is null, and rates the very unhappy high', () => {
    expect(lowScoreOf('csat', 1, { csat: null, nps: 6 })).toBeUndefined();
    expect(recoverySeverity({ type: 'csat', value: 1 })).toBe('high');
    expect(recoverySeverity({ type: 'csat', value: 2 })).toBe('medium');
    expect(recoverySeverity({ type: 'nps', value: 2 })).toBe('high');
    expect(recoverySubject({ type: 'csat', value: 2 }, 'con_1')).toBe('Low CSAT (2/5) after contact con_1');
  });
});
