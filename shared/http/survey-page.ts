import type { Question } from '../schemas/survey-template';
import { fillPlaceholders } from '../domain/surveys/survey';
import { scaleOf } from '../domain/surveys/template';
import { type BrandPalette, brandPalette } from '../domain/brand-palette';
import { type PageLanguage, followUpNote, surveyPageWords as words } from '../domain/surveys/page-words';

/**
 * The survey's web page as HTML, pure: the form, the thank-you page and the pages for a link that
 * cannot be used. Server-side, without JavaScript, one column for a phone. Every text put into
 * the page goes through `escapeHtml`.
 */

export type { PageLanguage } from '../domain/surveys/page-words';

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);

// ---------------------------------------------------------------- colours

export { type BrandPalette, brandPalette, contrastRatio, relativeLuminance } from '../domain/brand-palette';

/** Why an answer was refused, for the message shown next to the question. */
export type AnswerProblem = 'missing' | 'invalid' | 'too-long';

/** The message next to a refused answer, in the page's language. */
export function answerProblemText(question: Question, problem: AnswerProblem, language: PageLanguage): string {
  const w = words[language];
  if (problem === 'missing') return w.needsAnswer;
  if (problem === 'too-long' && question.type === 'freeText') return w.tooLong(question.maxLength);
  const scale = scaleOf(question);
  if (scale) return w.onScale(scale.min, scale.max);
  return question.type === 'resolved' ? w.yesOrNo : w.needsAnswer;
}

// ---------------------------------------------------------------- pages

export interface PageBranding {
  company: string;
  colour: string;
}

interface Shell {
  language: PageLanguage;
  title: string;
  branding?: PageBranding;
  styleNonce: string;
  body: string;
}

function page({ language, title, branding, styleNonce, body }: Shell): string {
  const palette = brandPalette(branding?.colour ?? '#1f4e79');
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(branding ? `${title} · ${branding.company}` : title)}</title>
<style nonce="${escapeHtml(styleNonce)}">${stylesheet(palette)}</style>
</head>
<body>
${branding ? `<header class="brand"><p>${escapeHtml(branding.company)}</p></header>` : ''}
<main>
${body}
</main>
</body>
</html>
`;
}

function stylesheet({ brand, onBrand, accent }: BrandPalette): string {
  return `
*{box-sizing:border-box}
body{margin:0;background:#f4f4f5;color:#1a1a1a;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans TC","Noto Sans CJK TC","PingFang TC","Microsoft JhengHei",sans-serif}
.brand{background:${brand};color:${onBrand};padding:1rem 1.25rem}
.brand p{margin:0;max-width:36rem;margin:0 auto;font-weight:700;font-size:1.125rem}
main{max-width:36rem;margin:0 auto;padding:1rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.3;margin:.75rem 0}
.lead{margin:0 0 1.25rem}
fieldset{border:0;margin:0 0 1rem;padding:1rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12);min-width:0}
legend{float:left;width:100%;padding:0;margin:0 0 .75rem;font-weight:600}
legend+*{clear:both}
.tag{font-weight:400;color:#4d4d4d;font-size:.9375rem;white-space:nowrap}
.note{margin:0 0 .75rem;color:#4d4d4d;font-size:.9375rem}
.scale{display:grid;grid-template-columns:repeat(auto-fill,minmax(2.9rem,1fr));gap:.5rem}
.scale.two{grid-template-columns:1fr 1fr}
.opt{position:relative;display:block;-webkit-tap-highlight-color:transparent}
.opt input{position:absolute;inset:0;width:100%;height:100%;margin:0;opacity:0;cursor:pointer}
.opt span{display:flex;align-items:center;justify-content:center;min-height:3rem;padding:0 .25rem;border:2px solid #767676;border-radius:.5rem;background:#fff;font-weight:600}
.opt input:checked+span{background:${brand};color:${onBrand};border-color:${accent};box-shadow:inset 0 0 0 2px ${onBrand}}
.opt input:focus-visible+span{outline:3px solid ${accent};outline-offset:3px}
.opt input[aria-invalid=true]+span{border-color:#b3261e}
.ends{display:flex;justify-content:space-between;gap:1rem;margin:.5rem 0 0;color:#4d4d4d;font-size:.9375rem}
.ends span:last-child{text-align:right}
label.text{display:block;margin:0 0 .5rem;color:#4d4d4d;font-size:.9375rem}
textarea{display:block;width:100%;min-height:7rem;padding:.75rem;border:2px solid #767676;border-radius:.5rem;font:inherit;color:inherit;background:#fff}
textarea:focus-visible{outline:3px solid ${accent};outline-offset:2px}
textarea[aria-invalid=true]{border-color:#b3261e}
.error{margin:.5rem 0 0;color:#b3261e;font-weight:600}
.summary{margin:0 0 1rem;padding:1rem;border:2px solid #b3261e;border-radius:.75rem;background:#fff;color:#b3261e;font-weight:600}
button{display:block;width:100%;min-height:3.25rem;margin-top:1.5rem;border:2px solid ${accent};border-radius:.75rem;background:${brand};color:${onBrand};font:inherit;font-weight:700;cursor:pointer}
button:focus-visible{outline:3px solid ${accent};outline-offset:3px}
.message{padding:1.25rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.message h1{margin-top:0}
.message p{margin:0}
.message+.message{margin-top:1rem}
`;
}

export interface SurveyFormPage {
  language: PageLanguage;
  branding: PageBranding;
  /** The questions still to answer, in template order (answered ones, by SMS say, are left out). */
  questions: readonly Question[];
  /** Answers already recorded (by SMS): a condition on one of them is known. */
  answeredBefore: Readonly<Record<string, unknown>>;
  /** What the customer submitted, shown again with the errors. */
  values?: Readonly<Record<string, string>>;
  errors?: Readonly<Record<string, string>>;
  styleNonce: string;
}

/** The form: every question still to answer on one page (see followUpNote for follow-ups). */
export function renderSurveyForm(form: SurveyFormPage): string {
  const { language, branding, questions, answeredBefore, values = {}, errors = {} } = form;
  const w = words[language];
  const numbers = new Map(questions.map((question, index) => [question.questionId, index + 1]));
  const answeredCount = Object.keys(answeredBefore).length;
  const errorCount = Object.keys(errors).length;
  const body = [
    `<h1>${escapeHtml(w.title)}</h1>`,
    `<p class="lead">${escapeHtml(w.intro(branding.company))}</p>`,
    answeredCount > 0 ? `<p class="lead">${escapeHtml(w.smsDone(answeredCount))}</p>` : '',
    errorCount > 0 ? `<p class="summary" role="alert">${escapeHtml(w.errorSummary)}</p>` : '',
    '<form method="post">',
    ...questions.map((question) =>
      renderQuestion(question, {
        language,
        company: branding.company,
        number: numbers.get(question.questionId)!,
        note: followUpNote(question, questions, language),
        value: values[question.questionId],
        error: errors[question.questionId],
      }),
    ),
    `<button type="submit">${escapeHtml(w.submit)}</button>`,
    '</form>',
  ].filter(Boolean);
  return page({ language, title: w.title, branding, styleNonce: form.styleNonce, body: body.join('\n') });
}

interface QuestionView {
  language: PageLanguage;
  company: string;
  number: number;
  note?: string;
  value?: string;
  error?: string;
}

function renderQuestion(question: Question, view: QuestionView): string {
  const w = words[view.language];
  const id = `q-${question.questionId}`;
  const name = escapeHtml(question.questionId);
  const text = fillPlaceholders(question.text[view.language], view.company);
  const describedBy = [view.note && `${id}-note`, `${id}-ends`, view.error && `${id}-error`].filter(Boolean);
  const invalid = view.error ? ' aria-invalid="true"' : '';
  const requiredAttribute = question.required && !question.showIf ? ' required' : '';
  const parts: string[] = [];
  parts.push(
    `<legend id="${id}-legend">${view.number}. ${escapeHtml(text)} <span class="tag">${escapeHtml(question.required ? w.required : w.optional)}</span></legend>`,
  );
  if (view.note) parts.push(`<p class="note" id="${id}-note">${escapeHtml(view.note)}</p>`);

  const scale = scaleOf(question);
  let hasEnds = false;
  if (scale || question.type === 'resolved') {
    const options = scale
      ? Array.from({ length: scale.max - scale.min + 1 }, (_, index) => ({ value: String(scale.min + index), label: String(scale.min + index) }))
      : [
          { value: 'yes', label: w.yes },
          { value: 'no', label: w.no },
        ];
    const describe = describedBy.filter((entry) => entry !== `${id}-ends` || (scale && 'scaleLabels' in question && question.scaleLabels));
    parts.push(
      `<div class="scale${scale ? '' : ' two'}">` +
        options
          .map(
            (option) =>
              `<label class="opt"><input type="radio" name="${name}" value="${escapeHtml(option.value)}"${view.value === option.value ? ' checked' : ''}${requiredAttribute}${invalid}` +
              `${describe.length > 0 ? ` aria-describedby="${describe.join(' ')}"` : ''}><span>${escapeHtml(option.label)}</span></label>`,
          )
          .join('') +
        '</div>',
    );
    if (scale && 'scaleLabels' in question && question.scaleLabels) {
      hasEnds = true;
      const labels = question.scaleLabels;
      parts.push(
        `<p class="ends" id="${id}-ends"><span>${scale.min} = ${escapeHtml(fillPlaceholders(labels.min[view.language], view.company))}</span>` +
          `<span>${scale.max} = ${escapeHtml(fillPlaceholders(labels.max[view.language], view.company))}</span></p>`,
      );
    }
  } else {
    const maxLength = question.type === 'freeText' ? question.maxLength : 500;
    const describe = describedBy.filter((entry) => entry !== `${id}-ends`);
    parts.push(
      `<label class="text" for="${id}">${escapeHtml(w.yourAnswer(maxLength, question.required))}</label>` +
        `<textarea id="${id}" name="${name}" rows="4" maxlength="${maxLength}"${requiredAttribute}${invalid}` +
        `${describe.length > 0 ? ` aria-describedby="${describe.join(' ')}"` : ''}>${escapeHtml(view.value ?? '')}</textarea>`,
    );
  }
  if (view.error) parts.push(`<p class="error" id="${id}-error">${escapeHtml(view.error)}</p>`);
  const groupDescribedBy = describedBy.filter((entry) => entry !== `${id}-ends` || hasEnds);
  return `<fieldset id="${id}-group"${groupDescribedBy.length > 0 ? ` aria-describedby="${groupDescribedBy.join(' ')}"` : ''}>\n${parts.join('\n')}\n</fieldset>`;
}

export interface MessagePageInput {
  language: PageLanguage;
  branding: PageBranding;
  styleNonce: string;
}

/** After the last answer: the template's thank-you text. */
export function renderThankYou(input: MessagePageInput & { thankYou: string }): string {
  const w = words[input.language];
  const body = `<section class="message" role="status"><h1>${escapeHtml(w.thanksTitle)}</h1><p>${escapeHtml(fillPlaceholders(input.thankYou, input.branding.company))}</p></section>`;
  return page({ ...input, title: w.thanksTitle, body });
}

export type LinkProblem = 'used' | 'expired';

/** A link of a known survey that cannot be used any more, in the customer's language and the tenant's colours. */
export function renderLinkProblem(input: MessagePageInput & { problem: LinkProblem }): string {
  const w = words[input.language];
  const [title, text] = input.problem === 'used' ? [w.usedTitle, w.usedText] : [w.expiredTitle, w.expiredText];
  return page({ ...input, title, body: `<section class="message"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></section>` });
}

/**
 * A page for a link we know nothing about (unknown, mistyped) or a failure: neither the customer's
 * language nor the tenant is known, so it says it in both, each part marked with its language.
 */
export function renderNeutralPage(kind: 'unknown' | 'error' | 'busy', styleNonce: string): string {
  const texts = (language: PageLanguage) => {
    const w = words[language];
    if (kind === 'unknown') return [w.unknownTitle, w.unknownText];
    return kind === 'busy' ? [w.busyTitle, w.busyText] : [w.errorTitle, w.errorText];
  };
  const part = (language: PageLanguage) => {
    const [title, text] = texts(language);
    return `<section class="message" lang="${language}"><h1>${escapeHtml(title!)}</h1><p>${escapeHtml(text!)}</p></section>`;
  };
  const title = `${texts('zh-TW')[0]} · ${texts('en')[0]}`;
  return page({ language: 'zh-TW', title, styleNonce, body: `${part('zh-TW')}\n${part('en')}` });
}
