import './web-preview.css';
import { type CSSProperties, useId } from 'react';
import type { TemplateBody, Language, ApiQuestion } from './draft';
import { scaleOf } from './draft';
import { fillPlaceholders } from './sms';
import { brandPalette } from '../../../../shared/domain/brand-palette';
import { followUpNote, surveyPageWords } from '../../../../shared/domain/surveys/page-words';

/**
 * The survey's web page as shared/http/survey-page.ts serves it (renderSurveyForm and
 * renderThankYou), rendered by React for the preview: the same elements, classes, words and
 * colours, for every question of the template (no answers yet, so follow-ups carry their note).
 * The words and the follow-up notes come from the page's own source, shared/domain/surveys/page-words.ts.
 */

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
  const w = surveyPageWords[language];
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
                note={followUpNote(question, questions, language)}
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

function QuestionPreview({ question, number, note, language, company }: { question: Question; number: number; note?: string; language: Language; company: string }) {
  const w = surveyPageWords[language];
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
