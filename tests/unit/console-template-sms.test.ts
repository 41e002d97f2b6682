import { describe, expect, it } from 'vitest';
import { defaultTemplateContent, fourQuestionTemplateContent } from '../../shared/domain/surveys/default-template';
import { templateSmsSegments } from '../../shared/domain/surveys/sms-segments';
import { firstSmsText, questionSmsText, surveyLinkUrl } from '../../shared/domain/surveys/survey';
import { type SurveyTemplateContent, SurveyTemplateContent as ContentSchema } from '../../shared/schemas/survey-template';
import { sampleSurveyLink, templateSms, firstSmsText as consoleFirstSmsText, questionSmsText as consoleQuestionSmsText } from '../../web/src/pages/survey-templates/sms';

/**
 * The console's survey-templates page puts each SMS together itself (the domain module needs
 * Node): these are the same texts and the same counts as the service's, for templates that
 * exercise every rule (scale labels, free text first, placeholders, the web link,
 * long Chinese texts over the segment limit).
 */

const everyKind: SurveyTemplateContent = ContentSchema.parse({
  name: 'Every kind',
  defaultLanguage: 'en',
  smsIntro: { en: '{company} asks: how did we do? Reply STOP to opt out.', 'zh-TW': '{company}想請教您對這次服務的看法，回覆「退訂」即不再收到簡訊。' },
  questions: [
    {
      questionId: 'resolved',
      type: 'resolved',
      text: { en: 'Was your issue resolved?', 'zh-TW': '您的問題解決了嗎？' },
    },
    {
      questionId: 'why',
      type: 'freeText',
      required: false,
      text: { en: 'What is still open?', 'zh-TW': '還有哪些問題沒有解決？' },
      showIf: { questionId: 'resolved', equals: false },
    },
    {
      questionId: 'nps',
      type: 'nps',
      text: { en: 'How likely are you to recommend {company} to a friend?', 'zh-TW': '您有多大可能向親友推薦{company}？' },
      scaleLabels: { min: { en: 'Not at all', 'zh-TW': '完全不可能' }, max: { en: 'Extremely likely', 'zh-TW': '非常可能' } },
    },
    { questionId: 'ces', type: 'ces', text: { en: 'It was easy to get help — agree?', 'zh-TW': '這次取得協助很容易。' } },
    {
      questionId: 'empathy',
      type: 'dimension',
      dimension: 'empathy',
      text: { en: 'Did the agent understand your needs?', 'zh-TW': '客服人員是否理解您的需求？' },
      scaleLabels: { min: { en: 'Not at all', 'zh-TW': '完全沒有' }, max: { en: 'Completely', 'zh-TW': '完全理解' } },
    },
  ],
  thankYou: { en: 'Thanks from {company}!', 'zh-TW': '感謝您的回覆！'.repeat(12) },
});

const templates = {
  default: defaultTemplateContent('zh-TW'),
  fourQuestion: fourQuestionTemplateContent('zh-TW'),
  everyKind,
  /** Free text first: the first SMS asks it, with no scale hint. */
  freeTextFirst: { ...everyKind, questions: [{ ...everyKind.questions[1]!, showIf: undefined }, ...everyKind.questions.slice(0, 1), ...everyKind.questions.slice(2)] },
};

describe("the console's SMS preview", () => {
  for (const [name, template] of Object.entries(templates)) {
    for (const options of [
      { company: 'Acme', maxSegmentsPerMessage: 1 },
      { company: '台灣大哥大客服中心', maxSegmentsPerMessage: 2, base: 'https://console.example.com' },
    ]) {
      it(`counts ${name} as the service does (${options.company}, ${options.base ? 'with' : 'without'} the web link)`, () => {
        const service = templateSmsSegments(template, { company: options.company, maxSegmentsPerMessage: options.maxSegmentsPerMessage, ...(options.base && { webLinkBaseUrl: options.base }) });
        const preview = templateSms(template, { company: options.company, maxSegmentsPerMessage: options.maxSegmentsPerMessage, ...(options.base && { webLink: sampleSurveyLink(options.base) }) });
        expect(preview.map(({ text: _text, kind, ...rest }) => ({ message: kind, ...rest }))).toEqual(service.messages);
        expect(preview.some((message) => message.overLimit)).toBe(service.warnings.length > 0);
      });
    }

    it(`writes the texts of ${name} as the service sends them`, () => {
      const link = surveyLinkUrl('https://console.example.com', 'x'.repeat(16));
      for (const language of ['en', 'zh-TW'] as const) {
        expect(consoleFirstSmsText(template, language, 'Acme', sampleSurveyLink('https://console.example.com/'))).toBe(firstSmsText(template, language, 'Acme', link));
        expect(consoleFirstSmsText(template, language, 'Acme')).toBe(firstSmsText(template, language, 'Acme'));
        for (const question of template.questions) expect(consoleQuestionSmsText(question, language)).toBe(questionSmsText(question, language));
      }
    });
  }

  it('flags what the service flags: a thank-you of twelve repeats is several UCS-2 segments', () => {
    const messages = templateSms(everyKind, { company: 'Acme', maxSegmentsPerMessage: 1 });
    const thanks = messages.find((message) => message.kind === 'thankYou' && message.language === 'zh-TW')!;
    expect(thanks).toMatchObject({ encoding: 'UCS-2', characters: 84, segments: 2, overLimit: true });
  });
});
