import type { Schemas } from '../../api/client';

/**
 * The editor's working copy of a template: every field a person can change, in the shape the
 * form needs (texts always present in both languages, a follow-up condition as separate parts),
 * and how it becomes the body the API takes. Questions keep their order, so the API's
 * `$.questions[i]…` paths point at the same question in the form.
 */

export type Language = 'en' | 'zh-TW';
export const languages: readonly Language[] = ['en', 'zh-TW'];
export type LocalText = Record<Language, string>;

export type Template = Schemas['SurveyTemplate'];
export type TemplateBody = Schemas['CreateSurveyTemplate'];
export type ApiQuestion = Schemas['SurveyQuestion'];
export type QuestionType = ApiQuestion['type'];
export const questionTypes: readonly QuestionType[] = ['csat', 'nps', 'ces', 'dimension', 'resolved', 'freeText'];
export type Dimension = Extract<ApiQuestion, { type: 'dimension' }>['dimension'];
export const dimensions: readonly Dimension[] = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'];
export type Operator = 'lte' | 'gte' | 'eq';

export interface Scale {
  min: number;
  max: number;
}

/** The rating scales of shared/domain/surveys/template.ts (scaleOf). */
const scales: Partial<Record<QuestionType, Scale>> = {
  csat: { min: 1, max: 5 },
  nps: { min: 0, max: 10 },
  ces: { min: 1, max: 7 },
  dimension: { min: 1, max: 5 },
};
export const scaleOf = (type: QuestionType): Scale | undefined => scales[type];

export type DraftCondition =
  | { kind: 'rating'; questionId: string; operator: Operator; value: number }
  | { kind: 'yesNo'; questionId: string; equals: boolean };

export interface DraftQuestion {
  /** The form's own key for the question: stays while its questionId is being typed. */
  key: string;
  questionId: string;
  type: QuestionType;
  required: boolean;
  text: LocalText;
  dimension: Dimension;
  hasScaleLabels: boolean;
  scaleLabels: { min: LocalText; max: LocalText };
  maxLength: number;
  showIf: DraftCondition | null;
}

export interface Draft {
  name: string;
  description: string;
  defaultLanguage: Language;
  questions: DraftQuestion[];
  smsIntro: LocalText;
  thankYou: LocalText;
}

const emptyText = (): LocalText => ({ en: '', 'zh-TW': '' });
let keys = 0;
const newKey = () => `q${++keys}`;

export const questionsOfType = (questions: readonly DraftQuestion[], type: QuestionType) => questions.filter((question) => question.type === type);

/** A questionId not yet used in the template, named for the type (csat, nps, comment_2, …). */
function freeQuestionId(questions: readonly DraftQuestion[], type: QuestionType, dimension?: Dimension): string {
  const base = type === 'freeText' ? 'comment' : type === 'dimension' ? dimension! : type;
  const used = new Set(questions.map((question) => question.questionId));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}

export function newQuestion(questions: readonly DraftQuestion[], type: QuestionType): DraftQuestion {
  const taken = new Set(questions.filter((question) => question.type === 'dimension').map((question) => question.dimension));
  const dimension = dimensions.find((candidate) => !taken.has(candidate)) ?? 'reliability';
  return {
    key: newKey(),
    questionId: freeQuestionId(questions, type, dimension),
    type,
    required: type !== 'freeText',
    text: emptyText(),
    dimension,
    hasScaleLabels: false,
    scaleLabels: { min: emptyText(), max: emptyText() },
    maxLength: 500,
    showIf: null,
  };
}

export function emptyDraft(defaultLanguage: Language): Draft {
  return { name: '', description: '', defaultLanguage, questions: [], smsIntro: emptyText(), thankYou: emptyText() };
}

export function draftOf(template: Template): Draft {
  return {
    name: template.name,
    description: template.description ?? '',
    defaultLanguage: template.defaultLanguage,
    smsIntro: { ...template.smsIntro },
    thankYou: { ...template.thankYou },
    questions: template.questions.map((question) => {
      const labels = 'scaleLabels' in question ? question.scaleLabels : undefined;
      const showIf = question.showIf;
      return {
        key: newKey(),
        questionId: question.questionId,
        type: question.type,
        required: question.required,
        text: { ...question.text },
        dimension: question.type === 'dimension' ? question.dimension : 'reliability',
        hasScaleLabels: !!labels,
        scaleLabels: labels ? { min: { ...labels.min }, max: { ...labels.max } } : { min: emptyText(), max: emptyText() },
        maxLength: question.type === 'freeText' ? question.maxLength : 500,
        showIf: !showIf ? null : 'operator' in showIf ? { kind: 'rating', ...showIf } : { kind: 'yesNo', ...showIf },
      };
    }),
  };
}

/** The question as the API takes it: only the fields of its type. */
export function questionBody(question: DraftQuestion): ApiQuestion {
  const showIf = !question.showIf
    ? undefined
    : question.showIf.kind === 'rating'
      ? { questionId: question.showIf.questionId, operator: question.showIf.operator, value: question.showIf.value }
      : { questionId: question.showIf.questionId, equals: question.showIf.equals };
  const common = { questionId: question.questionId, required: question.required, text: question.text, ...(showIf && { showIf }) };
  const scaleLabels = question.hasScaleLabels ? { scaleLabels: question.scaleLabels } : {};
  switch (question.type) {
    case 'dimension':
      return { type: 'dimension', ...common, dimension: question.dimension, ...scaleLabels };
    case 'resolved':
      return { type: 'resolved', ...common };
    case 'freeText':
      return { type: 'freeText', ...common, maxLength: question.maxLength };
    default:
      return { type: question.type, ...common, ...scaleLabels };
  }
}

export function templateBody(draft: Draft): TemplateBody {
  return {
    name: draft.name,
    ...(draft.description.trim() !== '' && { description: draft.description }),
    defaultLanguage: draft.defaultLanguage,
    questions: draft.questions.map(questionBody),
    smsIntro: draft.smsIntro,
    thankYou: draft.thankYou,
  };
}

/** The change as a PATCH body: every field (questions replace the old ones as a whole); description null removes it. */
export function updateBody(draft: Draft): Schemas['UpdateSurveyTemplate'] {
  const { description, ...rest } = templateBody(draft);
  return { ...rest, description: description ?? null };
}

/** Whether the draft says the same as the template (then the API's own SMS figures apply to it). */
export const sameContent = (draft: Draft, template: Template): boolean => canonical(templateBody(draft)) === canonical(templateBody(draftOf(template)));

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** The question the survey asks first: the first one without a condition (a condition never holds before any answer). */
export const firstAsked = <Question extends { showIf?: unknown }>(questions: readonly Question[]): Question | undefined =>
  questions.find((question) => !question.showIf);

/** A JSON path as the API's problem names a field: $.questions[1].text.zh-TW */
export const fieldPath = (...parts: (string | number)[]) =>
  parts.reduce<string>((at, part) => (typeof part === 'number' ? `${at}[${part}]` : `${at}.${part}`), '$');
