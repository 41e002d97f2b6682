import { describe, expect, it } from 'vitest';
import { countSegments } from '../../shared/domain/sms/segments';
import { reaskText } from '../../shared/domain/surveys/conversation';
import { defaultTemplateContent, fourQuestionTemplateContent } from '../../shared/domain/surveys/default-template';
import { templateSmsSegments } from '../../shared/domain/surveys/sms-segments';
import { fillPlaceholders, firstSmsText, questionSmsText } from '../../shared/domain/surveys/survey';

const languages = ['en', 'zh-TW'] as const;
/** A display name as long as the default texts are written for (docs/surveys.md). */
const longName = { en: 'Acme Dental', 'zh-TW': '大安幸福牙醫診所聯盟' } as const;

describe('the default survey template by SMS', () => {
  it.each(languages)('sends every %s text in one segment, in GSM-7 for English, with a 10-character display name', (language) => {
    const template = defaultTemplateContent(language);
    const company = longName[language];
    const texts = [
      firstSmsText(template, language, company),
      ...template.questions.slice(1).map((question) => fillPlaceholders(questionSmsText(question, language), company)),
      ...template.questions.map((question) => reaskText(question, language)),
      fillPlaceholders(template.thankYou[language], company),
    ];
    for (const text of texts) {
      expect(countSegments(text), text).toMatchObject({ encoding: language === 'en' ? 'GSM-7' : 'UCS-2', segments: 1 });
    }
  });

  it('asks CSAT first, in the first SMS, and what to improve only after a CSAT of 3 or less', () => {
    const template = defaultTemplateContent('zh-TW');
    expect(template.questions.map((question) => [question.questionId, question.type])).toEqual([
      ['csat', 'csat'],
      ['improve', 'freeText'],
    ]);
    expect(template.questions[1]!.showIf).toEqual({ questionId: 'csat', operator: 'lte', value: 3 });
    expect(firstSmsText(template, 'zh-TW', 'Acme')).toBe('Acme感謝您的聯繫！回覆「退訂」即不再收到簡訊。\n您對這次的服務滿意嗎？（1 = 非常不滿意, 5 = 非常滿意）');
    expect(firstSmsText(template, 'en', 'Acme')).toBe(
      'Acme: thanks for contacting us! Reply STOP to opt out.\nHow satisfied were you with our service? (1 = Very dissatisfied, 5 = Very satisfied)',
    );
  });
});

describe('the SMS segments of a template', () => {
  it('counts each message per language with the display name filled in, within the limit', () => {
    const report = templateSmsSegments(defaultTemplateContent('en'), { company: 'Acme', maxSegmentsPerMessage: 1 });
    expect(report.warnings).toEqual([]);
    expect(report.messages).toEqual([
      { message: 'first', questionId: 'csat', language: 'en', encoding: 'GSM-7', characters: 139, segments: 1, overLimit: false },
      { message: 'question', questionId: 'improve', language: 'en', encoding: 'GSM-7', characters: 52, segments: 1, overLimit: false },
      { message: 'thankYou', language: 'en', encoding: 'GSM-7', characters: 51, segments: 1, overLimit: false },
      { message: 'first', questionId: 'csat', language: 'zh-TW', encoding: 'UCS-2', characters: 58, segments: 1, overLimit: false },
      { message: 'question', questionId: 'improve', language: 'zh-TW', encoding: 'UCS-2', characters: 21, segments: 1, overLimit: false },
      { message: 'thankYou', language: 'zh-TW', encoding: 'UCS-2', characters: 23, segments: 1, overLimit: false },
    ]);
  });

  it('warns about each message over the limit, the web link counted in the first SMS', () => {
    const report = templateSmsSegments(fourQuestionTemplateContent('zh-TW'), {
      company: 'Acme',
      maxSegmentsPerMessage: 2,
      webLinkBaseUrl: 'https://api.example.com',
    });
    const over = report.messages.filter((message) => message.overLimit);
    expect(over).toEqual([{ message: 'first', questionId: 'csat', language: 'zh-TW', encoding: 'UCS-2', characters: 143, segments: 3, overLimit: true }]);
    expect(report.warnings).toEqual([
      'The first SMS in zh-TW is 3 segments (143 characters, UCS-2: 70 characters in one segment, 67 each when split); settings.surveys.maxSegmentsPerMessage allows 2',
    ]);
  });

  it('flags a character that forces an English text into UCS-2', () => {
    const template = { ...defaultTemplateContent('en'), thankYou: { en: 'Thanks – we’ll do better, {company}!', 'zh-TW': '謝謝' } };
    const thanks = templateSmsSegments(template, { company: 'Acme', maxSegmentsPerMessage: 1 }).messages.find(
      (message) => message.message === 'thankYou' && message.language === 'en',
    );
    expect(thanks).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });
});
