import './web-preview.css';
import { type CSSProperties, useId } from 'react';
import type { TemplateBody, Language, ApiQuestion } from './draft';
import { scaleOf } from './draft';
import { fillPlaceholders } from './sms';
import { brandPalette } from '../../../../shared/domain/brand-palette';

/**
 * The survey's web page as shared/http/survey-page.ts serves it (renderSurveyForm and
 * renderThankYou), rendered by React for the preview: the same elements, classes, words and
 * colours, for every question of the template (no answers yet, so follow-ups carry their note).
 * The customer's words are copied from survey-page.ts, which the console cannot import (Node).
 */

const words = {
  en: {
    title: 'Your feedback',
    intro: (company: string) => `${company} would like to know how your recent contact went. It takes about a minute.`,
    required: '(required)',
    optional: '(optional)',
    yes: 'Yes',
    no: 'No',
    yourAnswer: (max: number, required: boolean) => `Your answer (${required ? 'required' : 'optional'}, up to ${max} characters)`,
    submit: 'Send my answers',
    ifAnswered: (range: string, number: number) => `Answer this only if you chose ${range} in question ${number}.`,
    thanksTitle: 'Thank you',
  },
  'zh-TW': {
    title: '意見調查',
    intro: (company: string) => `${company}想了解您最近一次聯繫的感受，大約只需一分鐘。`,
    required: '（必填）',
    optional: '（選填）',
    yes: '是',
    no: '否',
    yourAnswer: (max: number, required: boolean) => `您的回答（${required ? '必填' : '選填'}，最多 ${max} 字）`,
    submit: '送出回答',
    ifAnswered: (range: string, number: number) => `若第 ${number} 題選擇 ${range}，才需回答此題。`,
    thanksTitle: '感謝您',
  },
} as const;

// ---------------------------------------------------------------- colours: as the survey page computes them

export { brandPalette };

// ---------------------------------------------------------------- the page

export interface PagePreviewProps {
  template: Pick<TemplateBody, 'questions' | 'thankYou'>;
  language: Language;
  company: string;
  colour: string;
  /** What the page is called for a screen reader in the console. */
  label: string;
  thanksLabel: string;
}

function paletteStyle(colour: string): CSSProperties {
  const palette = brandPalette(colour);
  return { '--brand': palette.brand, '--on-brand': palette.onBrand, '--accent': palette.accent } as CSSProperties;
}

export function SurveyPagePreview({ template, language, company, colour, label, thanksLabel }: PagePreviewProps) {
  const w = words[language];
  const questions = template.questions;
  return (
    <div lang={language}>
      <section className="survey-page-preview" style={paletteStyle(colour)} aria-label={label}>
        <div className="brand">
          <p>{company}</p>
        </div>
        <div className="page-main">
          <p className="page-title">
            {w.title}
          </p>
          <p className="lead">{w.intro(company)}</p>
          <form onSubmit={(event) => event.preventDefault()} aria-label={w.title}>
            {questions.map((question, index) => (
              <QuestionPreview
                key={index}
                question={question}
                number={index + 1}
                note={conditionNote(question, questions, language)}
                language={language}
                company={company}
              />
            ))}
            <button type="submit" className="submit">
              {w.submit}
            </button>
          </form>
        </div>
      </section>
      <div style={{ height: 16 }} />
      <section className="survey-page-preview" style={paletteStyle(colour)} aria-label={thanksLabel}>
        <div className="brand">
          <p>{company}</p>
        </div>
        <div className="page-main">
          <div className="message" role="status">
            <p className="page-title">{w.thanksTitle}</p>
            <p>{fillPlaceholders(template.thankYou[language], company)}</p>
          </div>
        </div>
      </section>
    </div>
  );
}

type Question = TemplateBody['questions'][number];

function conditionNote(question: Question, onPage: readonly Question[], language: Language): string | undefined {
  const showIf = question.showIf;
  if (!showIf) return undefined;
  const index = onPage.findIndex((candidate) => candidate.questionId === showIf.questionId);
  if (index === -1) return undefined;
  const w = words[language];
  if ('equals' in showIf) {
    const answer = showIf.equals ? w.yes : w.no;
    return w.ifAnswered(language === 'en' ? `"${answer}"` : `「${answer}」`, index + 1);
  }
  const scale = scaleOf(onPage[index]!.type);
  if (!scale) return undefined;
  const range = showIf.operator === 'eq' ? `${showIf.value}` : showIf.operator === 'lte' ? `${scale.min}–${showIf.value}` : `${showIf.value}–${scale.max}`;
  return w.ifAnswered(range, index + 1);
}

function QuestionPreview({ question, number, note, language, company }: { question: Question; number: number; note?: string; language: Language; company: string }) {
  const w = words[language];
  const id = `${useId()}-q`;
  const required = question.required ?? true;
  const text = fillPlaceholders(question.text[language], company);
  const scale = scaleOf(question.type);
  const labels = scale && 'scaleLabels' in question ? (question as Extract<ApiQuestion, { scaleLabels?: unknown }>).scaleLabels : undefined;
  const describedBy = [note && `${id}-note`, labels && `${id}-ends`].filter(Boolean).join(' ') || undefined;
  const name = `${id}-${question.questionId}`;
  let control;
  if (scale || question.type === 'resolved') {
    const options = scale
      ? Array.from({ length: scale.max - scale.min + 1 }, (_, index) => ({ value: String(scale.min + index), label: String(scale.min + index) }))
      : [
          { value: 'yes', label: w.yes },
          { value: 'no', label: w.no },
        ];
    control = (
      <>
        <div className={scale ? 'scale' : 'scale two'}>
          {options.map((option) => (
            <label className="opt" key={option.value}>
              <input type="radio" name={name} value={option.value} aria-describedby={describedBy} />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
        {scale && labels ? (
          <p className="ends" id={`${id}-ends`}>
            <span>
              {scale.min} = {fillPlaceholders(labels.min[language], company)}
            </span>
            <span>
              {scale.max} = {fillPlaceholders(labels.max[language], company)}
            </span>
          </p>
        ) : null}
      </>
    );
  } else {
    const maxLength = question.type === 'freeText' ? (question.maxLength ?? 500) : 500;
    control = (
      <>
        <label className="text" htmlFor={`${id}-text`}>
          {w.yourAnswer(maxLength, required)}
        </label>
        <textarea id={`${id}-text`} name={name} rows={4} maxLength={maxLength} aria-describedby={note ? `${id}-note` : undefined} />
      </>
    );
  }
  return (
    <fieldset aria-describedby={describedBy}>
      <legend>
        {number}. {text} <span className="tag">{required ? w.required : w.optional}</span>
      </legend>
      {note ? (
        <p className="note" id={`${id}-note`}>
          {note}
        </p>
      ) : null}
      {control}
    </fieldset>
  );
}
