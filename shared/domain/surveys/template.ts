import type { LocalText, Question, QuestionType, ShowIf, SurveyTemplateContent } from '../../schemas/survey-template';

/** One problem found in a template: where (as a path into the template) and what. */
export interface TemplateIssue {
  path: (string | number)[];
  message: string;
}

/** An answer as recorded: a rating, yes/no, or text; null when the question was skipped. */
export type AnswerValue = number | boolean | string;
export type Answers = Readonly<Record<string, AnswerValue | null | undefined>>;

export interface Scale {
  min: number;
  max: number;
}

const scales: Partial<Record<QuestionType, Scale>> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
  ces: { min: 1, max: 7 },
  dimension: { min: 1, max: 5 },
};

/** The rating scale of a question, or undefined for yes/no and free text. */
export const scaleOf = (question: Pick<Question, 'type'>): Scale | undefined => scales[question.type];

/**
 * Each score a survey yields (CSAT, NPS, CES, resolution, each service dimension) comes from
 * one question, so that a survey has one figure of each for the results and for the low-score
 * threshold. Free-text questions may repeat.
 */
const oncePerTemplate: ReadonlySet<QuestionType> = new Set(['csat', 'nps', 'ces', 'resolved']);

/** The placeholders a text may carry; `{company}` becomes the tenant's branding display name when sent. */
export const textPlaceholders = ['company'] as const;

/**
 * The rules across questions that the schema alone cannot state. An empty list means the
 * template is valid. Paths point into the template content (e.g. questions[2].showIf.value).
 */
export function validateTemplate(template: SurveyTemplateContent): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const earlier = new Map<string, Question>();
  const seenTypes = new Set<QuestionType>();
  const seenDimensions = new Set<string>();

  template.questions.forEach((question, index) => {
    const at = (...rest: (string | number)[]) => ['questions', index, ...rest];
    if (earlier.has(question.questionId)) issues.push({ path: at('questionId'), message: `questionId ${question.questionId} is used twice` });

    if (oncePerTemplate.has(question.type)) {
      if (seenTypes.has(question.type)) issues.push({ path: at('type'), message: `A template may have one ${question.type} question` });
      seenTypes.add(question.type);
    }
    if (question.type === 'dimension') {
      if (seenDimensions.has(question.dimension)) {
        issues.push({ path: at('dimension'), message: `A template may rate ${question.dimension} once` });
      }
      seenDimensions.add(question.dimension);
    }

    if (question.showIf) issues.push(...conditionIssues(question.showIf, earlier, question.questionId).map((issue) => ({ ...issue, path: at('showIf', ...issue.path) })));

    for (const [field, text] of textsOf(question)) issues.push(...placeholderIssues(text, at(...field)));
    if (!earlier.has(question.questionId)) earlier.set(question.questionId, question);
  });

  issues.push(...placeholderIssues(template.smsIntro, ['smsIntro']));
  issues.push(...placeholderIssues(template.thankYou, ['thankYou']));
  return issues;
}

function conditionIssues(showIf: ShowIf, earlier: ReadonlyMap<string, Question>, ownId: string): TemplateIssue[] {
  const referenced = earlier.get(showIf.questionId);
  if (!referenced) {
    const message = showIf.questionId === ownId ? 'A question cannot depend on itself' : `Must name an earlier question; ${showIf.questionId} is not before this one`;
    return [{ path: ['questionId'], message }];
  }
  const scale = scaleOf(referenced);
  if ('operator' in showIf) {
    if (!scale) {
      return [{ path: ['operator'], message: `${showIf.questionId} is a ${referenced.type} question: ${referenced.type === 'resolved' ? 'use { questionId, equals: true|false }' : 'free text cannot be a condition'}` }];
    }
    if (showIf.value < scale.min || showIf.value > scale.max) {
      return [{ path: ['value'], message: `Must be within the ${referenced.type} scale, ${scale.min}–${scale.max}` }];
    }
    return [];
  }
  if (referenced.type !== 'resolved') {
    return [{ path: ['equals'], message: `${showIf.questionId} is a ${referenced.type} question: ${scale ? 'use { questionId, operator: lte|gte|eq, value }' : 'free text cannot be a condition'}` }];
  }
  return [];
}

function textsOf(question: Question): [string[], LocalText][] {
  const texts: [string[], LocalText][] = [[['text'], question.text]];
  if ('scaleLabels' in question && question.scaleLabels) {
    texts.push([['scaleLabels', 'min'], question.scaleLabels.min], [['scaleLabels', 'max'], question.scaleLabels.max]);
  }
  return texts;
}

function placeholderIssues(text: LocalText, path: (string | number)[]): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const language of ['en', 'zh-TW'] as const) {
    for (const match of text[language].matchAll(/\{([^{}]*)\}/g)) {
      if (!(textPlaceholders as readonly string[]).includes(match[1]!)) {
        issues.push({ path: [...path, language], message: `Unknown placeholder {${match[1]}}; only {company} is filled in` });
      }
    }
  }
  return issues;
}

/** Whether a question's condition holds on the answers so far; a question without one is always asked. */
export function isAsked(question: Pick<Question, 'showIf'>, answers: Answers): boolean {
  const showIf = question.showIf;
  if (!showIf) return true;
  const answer = answers[showIf.questionId];
  if ('operator' in showIf) {
    if (typeof answer !== 'number') return false;
    switch (showIf.operator) {
      case 'lte':
        return answer <= showIf.value;
      case 'gte':
        return answer >= showIf.value;
      case 'eq':
        return answer === showIf.value;
    }
  }
  return typeof answer === 'boolean' && answer === showIf.equals;
}

/**
 * The next question to put to the customer: the first, in template order, that has no entry in
 * `answers` (an answer, or null for skipped) and whose condition holds. Undefined when the
 * survey is done. Conditions only look back, so a question passed over stays passed over.
 */
export function nextQuestion(template: Pick<SurveyTemplateContent, 'questions'>, answers: Answers): Question | undefined {
  return template.questions.find((question) => !(question.questionId in answers) && isAsked(question, answers));
}

export type AnswerCheck = { ok: true; value: AnswerValue | null } | { ok: false; message: string };

/**
 * Checks one answer against its question and gives it in its recorded form. Ratings are whole
 * numbers on the question's scale (a string of digits, as an HTML form sends, is read as one);
 * resolved is true/false (or "yes"/"no", "true"/"false"); free text is trimmed and at most
 * maxLength characters. null (or empty text) skips the question, which only an optional one allows.
 * Lenient parsing of SMS replies (４, 四, 是, …) happens before this, in the SMS flow.
 */
export function validateAnswer(question: Question, value: unknown): AnswerCheck {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    return question.required ? { ok: false, message: 'This question needs an answer' } : { ok: true, value: null };
  }
  const scale = scaleOf(question);
  if (scale) {
    const rating = typeof value === 'string' && /^\s*\d{1,2}\s*$/.test(value) ? Number(value) : value;
    if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < scale.min || rating > scale.max) {
      return { ok: false, message: `Must be a whole number from ${scale.min} to ${scale.max}` };
    }
    return { ok: true, value: rating };
  }
  if (question.type === 'resolved') {
    if (typeof value === 'boolean') return { ok: true, value };
    const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
    if (word === 'yes' || word === 'true') return { ok: true, value: true };
    if (word === 'no' || word === 'false') return { ok: true, value: false };
    return { ok: false, message: 'Must be yes or no' };
  }
  if (typeof value !== 'string') return { ok: false, message: 'Must be text' };
  const text = value.trim();
  const maxLength = question.type === 'freeText' ? question.maxLength : 500;
  if ([...text].length > maxLength) return { ok: false, message: `Must be at most ${maxLength} characters` };
  return { ok: true, value: text };
}

/** A template issue's path as a JSON path from the request body, e.g. $.questions[1].showIf.value. */
export const jsonPath = (path: (string | number)[], root = '$') =>
  path.reduce<string>((at, part) => (typeof part === 'number' ? `${at}[${part}]` : `${at}.${part}`), root);
