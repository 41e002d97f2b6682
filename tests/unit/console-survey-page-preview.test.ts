import { type FunctionComponent, createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { fourQuestionTemplateContent } from '../../shared/domain/surveys/default-template';
import { brandPalette, renderSurveyForm, renderThankYou } from '../../shared/http/survey-page';
import { SurveyTemplateContent } from '../../shared/schemas/survey-template';

// The console's TSX is type-checked by web/tsconfig.json (DOM, JSX), not by the Node project this test is in: loaded by a path tsc does not follow.
const previewModule: string = '../../web/src/pages/survey-templates/web-preview.tsx';
const { SurveyPagePreview, brandPalette: previewPalette } = (await import(previewModule)) as {
  SurveyPagePreview: FunctionComponent<{ template: unknown; language: 'en' | 'zh-TW'; company: string; colour: string; label: string; thanksLabel: string }>;
  brandPalette: typeof brandPalette;
};

/**
 * The console's preview of the survey web page says what the served page says: the same
 * questions, numbers, required/optional tags, follow-up notes, answer options, scale ends,
 * text-box labels, button and thanks, in both languages (shared/http/survey-page.ts is the page).
 */

const template = SurveyTemplateContent.parse({
  ...fourQuestionTemplateContent('zh-TW'),
  questions: [
    ...fourQuestionTemplateContent('zh-TW').questions,
    { questionId: 'ces', type: 'ces', text: { en: 'It was easy to get help from {company}.', 'zh-TW': '向{company}取得協助很容易。' } },
    {
      questionId: 'empathy',
      type: 'dimension',
      dimension: 'empathy',
      text: { en: 'The agent understood my needs.', 'zh-TW': '客服人員理解我的需求。' },
      scaleLabels: { min: { en: 'Disagree', 'zh-TW': '不同意' }, max: { en: 'Agree', 'zh-TW': '同意' } },
    },
    { questionId: 'other', type: 'freeText', required: false, maxLength: 200, text: { en: 'Anything else?', 'zh-TW': '還有其他意見嗎？' }, showIf: { questionId: 'resolved', equals: false } },
  ],
});

/** The words a person reads, in order: every text node of the page's main part, whitespace evened out. */
function visibleWords(html: string): string[] {
  return html
    .split(/<[^>]+>/)
    .map((text) => text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim())
    .filter((text) => text !== '');
}

describe("the console's survey page preview", () => {
  for (const language of ['en', 'zh-TW'] as const) {
    it(`reads as the served page does, in ${language}`, () => {
      const branding = { company: 'Acme', colour: '#0b6e4f' };
      const served = renderSurveyForm({ language, branding, questions: template.questions, answeredBefore: {}, styleNonce: 'n' });
      const thanks = renderThankYou({ language, branding, styleNonce: 'n', thankYou: template.thankYou[language] });
      const preview = renderToStaticMarkup(
        createElement(SurveyPagePreview, { template, language, company: branding.company, colour: branding.colour, label: 'preview', thanksLabel: 'thanks' }),
      );
      const [form, thanksPreview] = [...preview.matchAll(/<section class="survey-page-preview"[^>]*>([\s\S]*?)<\/section>/g)].map((match) => match[1]!);
      const body = (page: string) => page.slice(page.indexOf('<body>'));
      expect(visibleWords(form!)).toEqual(visibleWords(body(served)));
      expect(visibleWords(thanksPreview!)).toEqual(visibleWords(body(thanks)));
      expect(visibleWords(form!)).toContain(language === 'en' ? 'Answer this only if you chose "No" in question 3.' : '若第 3 題選擇 「否」，才需回答此題。');
    });
  }

  it("takes the served page's colours from the tenant's colour", () => {
    for (const colour of ['#0b6e4f', '#ffd400', '#1f4e79', '#ffffff', '#000000', 'not a colour']) expect(previewPalette(colour)).toEqual(brandPalette(colour));
  });
});
