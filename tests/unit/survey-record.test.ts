import { describe, expect, it } from 'vitest';
import { surveyNotSent, surveySent } from '../../shared/events/survey-events';
import { newEvent } from '../../shared/events/events';
import type { SurveyTemplate } from '../../shared/schemas/survey-template';
import { defaultTemplateContent, fourQuestionTemplateContent } from '../../shared/domain/surveys/default-template';
import {
  SurveyStateConflict,
  expireSurvey,
  firstSmsText,
  isSurveyTokenFormat,
  markNotSent,
  markSent,
  newSurveyToken,
  notSentSurvey,
  pendingSurvey,
  recordAnswer,
  surveyLinkUrl,
  surveyRef,
  surveyTokenHash,
} from '../../shared/domain/surveys/survey';
import { timerTime, surveyTimerName } from '../../shared/services/survey-timers';

const template = { ...fourQuestionTemplateContent('zh-TW'), templateId: 'svt_1', version: 3 } as unknown as SurveyTemplate;
const origin = {
  surveyId: 'svy_1',
  contact: { contactId: 'con_1', customerId: 'cus_1', agentId: 'agent-7', queue: 'billing', channel: 'voice' as const },
  origin: 'rules' as const,
  deliveryChannel: 'sms' as const,
  now: '2026-05-04T06:00:00.000Z',
};
const pending = () => pendingSurvey(origin, template, 'en', '2026-05-04T06:10:00.000Z');

describe('a survey record', () => {
  it('starts pending with the template version it will be asked with, and no answers', () => {
    expect(pending()).toMatchObject({
      surveyId: 'svy_1',
      contactId: 'con_1',
      customerId: 'cus_1',
      agentId: 'agent-7',
      queue: 'billing',
      status: 'pending',
      templateId: 'svt_1',
      templateVersion: 3,
      scheduledAt: '2026-05-04T06:10:00.000Z',
      answers: {},
      version: 1,
    });
  });

  it('records a decision not to send with its reason and no template', () => {
    const survey = notSentSurvey(origin, 'sampled-out');
    expect(survey).toMatchObject({ status: 'not_sent', notSentReason: 'sampled-out' });
    expect(survey.templateId).toBeUndefined();
  });

  it('once sent, expires linkExpiryHours later; it cannot be sent twice', () => {
    const sent = markSent(pending(), '2026-05-04T06:10:00.000Z', 72, { messageId: 'm-1', segments: 2, encoding: 'UCS-2', sentAt: '2026-05-04T06:10:00.000Z' });
    expect(sent).toMatchObject({ status: 'sent', sentAt: '2026-05-04T06:10:00.000Z', expiresAt: '2026-05-07T06:10:00.000Z', version: 2 });
    expect(sent.sms).toEqual([{ messageId: 'm-1', segments: 2, encoding: 'UCS-2', sentAt: '2026-05-04T06:10:00.000Z' }]);
    expect(() => markSent(sent, '2026-05-04T06:11:00.000Z', 72)).toThrow(SurveyStateConflict);
    expect(() => markNotSent(sent, 'no-consent', '2026-05-04T06:11:00.000Z')).toThrow(SurveyStateConflict);
  });

  it('a pending survey whose customer withdrew consent becomes not sent', () => {
    expect(markNotSent(pending(), 'no-consent', '2026-05-04T06:10:00.000Z')).toMatchObject({ status: 'not_sent', notSentReason: 'no-consent', version: 2 });
  });

  it('expires when sent or part-answered, keeping the answers; never when pending or completed', () => {
    const sent = markSent(pending(), '2026-05-04T06:10:00.000Z', 72);
    expect(expireSurvey(sent, '2026-05-07T06:10:00.000Z')).toMatchObject({ status: 'expired', expiredAt: '2026-05-07T06:10:00.000Z' });
    const started = recordAnswer(sent, template, 'csat', 2, '2026-05-04T06:12:00.000Z');
    expect(started.status).toBe('in_progress');
    expect(expireSurvey(started, '2026-05-07T06:10:00.000Z')).toMatchObject({ status: 'expired', answers: { csat: 2 }, version: started.version + 1 });
    let completed = recordAnswer(sent, template, 'csat', 5, '2026-05-04T06:12:00.000Z');
    completed = recordAnswer(completed, template, 'resolved', true, '2026-05-04T06:13:00.000Z');
    completed = recordAnswer(completed, template, 'nps', 9, '2026-05-04T06:14:00.000Z');
    expect(completed.status).toBe('completed');
    expect(expireSurvey(completed, '2026-05-07T06:10:00.000Z')).toBeUndefined();
    expect(expireSurvey(pending(), '2026-05-07T06:10:00.000Z')).toBeUndefined();
  });

  it('is in progress after an answer and completed when the template asks nothing more (follow-up skipped for a happy customer)', () => {
    let survey = markSent(pending(), '2026-05-04T06:10:00.000Z', 72);
    survey = recordAnswer(survey, template, 'csat', 5, '2026-05-04T06:11:00.000Z');
    expect(survey.status).toBe('in_progress');
    survey = recordAnswer(survey, template, 'resolved', true, '2026-05-04T06:12:00.000Z');
    expect(survey.status).toBe('in_progress');
    survey = recordAnswer(survey, template, 'nps', null, '2026-05-04T06:13:00.000Z');
    expect(survey).toMatchObject({ status: 'completed', completedAt: '2026-05-04T06:13:00.000Z', answers: { csat: 5, resolved: true, nps: null } });
    expect(() => recordAnswer(survey, template, 'nps', 9, '2026-05-04T06:14:00.000Z')).toThrow(SurveyStateConflict);
  });

  it('refuses an answer to a question the template does not have', () => {
    const sent = markSent(pending(), '2026-05-04T06:10:00.000Z', 72);
    expect(() => recordAnswer(sent, template, 'nope', 1, '2026-05-04T06:11:00.000Z')).toThrow(SurveyStateConflict);
  });
});

describe('the link token', () => {
  it('has 96 random bits in 16 characters (docs/developers/security.md says why that is enough) and is stored only as its SHA-256', () => {
    const token = newSurveyToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(Buffer.from(token, 'base64url').length * 8).toBe(96);
    expect(newSurveyToken()).not.toBe(token);
    expect(surveyTokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(surveyTokenHash(token)).not.toContain(token);
  });

  it('is read in 16 characters, or 43 for links sent before tokens were shortened', () => {
    expect(isSurveyTokenFormat(newSurveyToken())).toBe(true);
    expect(isSurveyTokenFormat('A'.repeat(43))).toBe(true);
    for (const malformed of ['A'.repeat(15), 'A'.repeat(17), 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(15)}=`, '']) {
      expect(isSurveyTokenFormat(malformed), malformed).toBe(false);
    }
  });
});

describe('the first SMS', () => {
  it("is the introduction and the first question, in the customer's language, with {company} and the scale's ends", () => {
    const short = defaultTemplateContent('en');
    expect(firstSmsText(short, 'en', 'Acme')).toBe(
      'Acme: thanks for contacting us! Reply STOP to opt out.\nHow satisfied were you with our service? (1 = Very dissatisfied, 5 = Very satisfied)',
    );
    expect(firstSmsText(template, 'en', 'Acme')).toBe(
      'Hello from Acme. Thank you for contacting us. Could you answer a few short questions? Reply STOP to opt out.\n' +
        'Overall, how satisfied are you with the service you received? (1 = Very dissatisfied, 5 = Very satisfied)',
    );
    const zh = firstSmsText(template, 'zh-TW', '艾克美');
    expect(zh).toContain('您好，這裡是艾克美。');
    expect(zh).toContain('整體而言，您對這次的服務滿意嗎？（1 = 非常不滿意, 5 = 非常滿意）');
    expect(zh).not.toContain('{company}');
  });

  it('offers the web page on a last line when given the link', () => {
    const link = 'https://surveys.example.com/s/abc';
    expect(firstSmsText(template, 'en', 'Acme', link)).toBe(`${firstSmsText(template, 'en', 'Acme')}\nOr answer on the web: ${link}`);
    expect(firstSmsText(template, 'zh-TW', 'Acme', link).split('\n').at(-1)).toBe(`也可以在網頁上回答：${link}`);
    expect(surveyLinkUrl('https://surveys.example.com/', 'abc')).toBe(link);
  });
});

describe('survey events and timers', () => {
  it('carry ids and reasons only: a not-sent reason outside the list is refused', () => {
    const ref = surveyRef(pending());
    expect(ref).toEqual({ surveyId: 'svy_1', contactId: 'con_1', customerId: 'cus_1', agentId: 'agent-7', queue: 'billing', channel: 'voice' });
    expect(() => newEvent(surveyNotSent, 't_1', { ...ref, reason: 'no-consent' })).not.toThrow();
    expect(() => newEvent(surveyNotSent, 't_1', { ...ref, reason: 'because' as never })).toThrow();
    const sent = newEvent(surveySent, 't_1', { ...ref, deliveryChannel: 'sms', templateId: 'svt_1', templateVersion: 3, sentAt: origin.now, expiresAt: origin.now });
    expect(sent.detail.data).not.toHaveProperty('phone');
  });

  it('name timers within the scheduler’s limits and never set one in the past', () => {
    expect(surveyTimerName('svy_01JZZZZZZZZZZZZZZZZZZZZZZZ', 'expire')).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
    const now = Date.parse('2026-05-04T06:00:00.000Z');
    expect(timerTime('2026-05-04T05:00:00.000Z', now).getTime()).toBeGreaterThan(now);
    expect(timerTime('2026-05-04T08:00:00.000Z', now).toISOString()).toBe('2026-05-04T08:00:00.000Z');
  });
});
