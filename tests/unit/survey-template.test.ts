import { describe, expect, it } from 'vitest';
import {
  type Question,
  type QuestionInput,
  type ServiceDimension,
  type SurveyTemplateContent,
} from '../../shared/schemas/survey-template';
import { CreateSurveyTemplateBody } from '../../shared/http/routes/survey-templates';
import { defaultTemplateContent, fourQuestionTemplateContent } from '../../shared/domain/surveys/default-template';
import { type Answers, isAsked, jsonPath, nextQuestion, validateAnswer, validateTemplate } from '../../shared/domain/surveys/template';
import { ArchivedTemplate, InvalidTemplate, newSurveyTemplate, nextTemplateVersion } from '../../shared/domain/surveys/versions';

const text = (en: string) => ({ en, 'zh-TW': `${en}（中文）` });
/** A question of any type in its short form; the test data need not repeat texts and defaults. */
type QuestionSketch = Pick<QuestionInput, 'questionId' | 'type' | 'required' | 'showIf'> & {
  text?: QuestionInput['text'];
  dimension?: ServiceDimension;
  maxLength?: number;
};
const q = (question: QuestionSketch): Question =>
  ({ required: true, text: text(`Question ${question.questionId}`), ...(question.type === 'freeText' && { maxLength: 500 }), ...question }) as Question;

const template = (questions: Question[]): SurveyTemplateContent => ({
  name: 'Test',
  defaultLanguage: 'en',
  questions,
  smsIntro: text('Hello from {company}'),
  thankYou: text('Thanks'),
});

const paths = (content: SurveyTemplateContent) => validateTemplate(content).map((issue) => jsonPath(issue.path));

describe('the default template', () => {
  const content = defaultTemplateContent('zh-TW');

  it('is valid and asks CSAT, then what to improve only after CSAT ≤ 3 (resolved and NPS are opt-in)', () => {
    expect(validateTemplate(content)).toEqual([]);
    expect(CreateSurveyTemplateBody.safeParse(content).success).toBe(true);
    expect(content.questions.map((question) => question.type)).toEqual(['csat', 'freeText']);
    expect(content.questions[1]!.showIf).toEqual({ questionId: 'csat', operator: 'lte', value: 3 });
    expect(content.defaultLanguage).toBe('zh-TW');
  });

  it('has every text in both languages, the Chinese in Traditional characters', () => {
    const texts = [content.smsIntro, content.thankYou, ...content.questions.map((question) => question.text)];
    const earlier = fourQuestionTemplateContent('zh-TW');
    const earlierTexts = [earlier.smsIntro, earlier.thankYou, ...earlier.questions.map((question) => question.text)];
    for (const t of [...texts, ...earlierTexts]) {
      expect(t.en.length).toBeGreaterThan(5);
      expect(t['zh-TW']).toMatch(/[\u4e00-\u9fff]/);
      // Simplified forms that Taiwan does not use.
      expect(t['zh-TW']).not.toMatch(/[们这问题满务谢时见议亲荐]/);
    }
  });

  it('walks a happy customer past the follow-up and an unhappy one through it', () => {
    const happy: Record<string, number | boolean | string> = {};
    const happyPath: string[] = [];
    for (let next = nextQuestion(content, happy); next; next = nextQuestion(content, happy)) {
      happyPath.push(next.questionId);
      happy[next.questionId] = next.type === 'csat' ? 5 : next.type === 'resolved' ? true : 9;
    }
    expect(happyPath).toEqual(['csat']);

    const unhappy: Record<string, number | boolean | string> = {};
    const unhappyPath: string[] = [];
    for (let next = nextQuestion(content, unhappy); next; next = nextQuestion(content, unhappy)) {
      unhappyPath.push(next.questionId);
      unhappy[next.questionId] = next.type === 'csat' ? 3 : next.type === 'resolved' ? false : next.type === 'nps' ? 2 : 'Too long on hold';
    }
    expect(unhappyPath).toEqual(['csat', 'improve']);
  });
});

describe('validateTemplate', () => {
  const csat = q({ questionId: 'csat', type: 'csat' });
  const resolved = q({ questionId: 'resolved', type: 'resolved' });

  it.each([
    ['a repeated questionId', [csat, q({ questionId: 'csat', type: 'freeText' })], ['$.questions[1].questionId']],
    ['two CSAT questions (one figure per survey)', [csat, q({ questionId: 'csat2', type: 'csat' })], ['$.questions[1].type']],
    ['two NPS questions', [q({ questionId: 'a', type: 'nps' }), q({ questionId: 'b', type: 'nps' })], ['$.questions[1].type']],
    ['two CES questions', [q({ questionId: 'a', type: 'ces' }), q({ questionId: 'b', type: 'ces' })], ['$.questions[1].type']],
    ['two resolved questions', [resolved, q({ questionId: 'again', type: 'resolved' })], ['$.questions[1].type']],
    [
      'one dimension rated twice',
      [q({ questionId: 'a', type: 'dimension', dimension: 'empathy' }), q({ questionId: 'b', type: 'dimension', dimension: 'empathy' })],
      ['$.questions[1].dimension'],
    ],
    ['a condition on a later question', [q({ questionId: 'why', type: 'freeText', showIf: { questionId: 'csat', operator: 'lte', value: 2 } }), csat], ['$.questions[0].showIf.questionId']],
    ['a condition on itself', [q({ questionId: 'csat', type: 'csat', showIf: { questionId: 'csat', operator: 'lte', value: 2 } })], ['$.questions[0].showIf.questionId']],
    ['a condition on a missing question', [csat, q({ questionId: 'why', type: 'freeText', showIf: { questionId: 'nope', operator: 'lte', value: 2 } })], ['$.questions[1].showIf.questionId']],
    ['a rating value off the scale', [csat, q({ questionId: 'why', type: 'freeText', showIf: { questionId: 'csat', operator: 'lte', value: 6 } })], ['$.questions[1].showIf.value']],
    ['an NPS condition below 0', [q({ questionId: 'nps', type: 'nps' }), q({ questionId: 'why', type: 'freeText', showIf: { questionId: 'nps', operator: 'gte', value: -1 } })], ['$.questions[1].showIf.value']],
    ['an operator on a yes/no question', [resolved, q({ questionId: 'why', type: 'freeText', showIf: { questionId: 'resolved', operator: 'eq', value: 1 } })], ['$.questions[1].showIf.operator']],
    ['equals on a rating', [csat, q({ questionId: 'why', type: 'freeText', showIf: { questionId: 'csat', equals: false } })], ['$.questions[1].showIf.equals']],
    [
      'a condition on free text',
      [q({ questionId: 'note', type: 'freeText' }), q({ questionId: 'why', type: 'freeText', showIf: { questionId: 'note', equals: true } })],
      ['$.questions[1].showIf.equals'],
    ],
    ['an unknown placeholder', [q({ questionId: 'csat', type: 'csat', text: { en: 'Rate {agent}', 'zh-TW': '請評分' } })], ['$.questions[0].text.en']],
  ] as [string, Question[], string[]][])('refuses %s, with its path', (_name, questions, expected) => {
    expect(paths(template(questions))).toEqual(expected);
  });

  it('accepts every question type, conditions that fit, and repeated free text', () => {
    const content = template([
      csat,
      q({ questionId: 'why', type: 'freeText', required: false, showIf: { questionId: 'csat', operator: 'lte', value: 3 } }),
      q({ questionId: 'nps', type: 'nps', showIf: { questionId: 'csat', operator: 'gte', value: 1 } }),
      q({ questionId: 'ces', type: 'ces' }),
      ...(['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'] as const).map((dimension) =>
        q({ questionId: dimension, type: 'dimension', dimension }),
      ),
      resolved,
      q({ questionId: 'unresolved_why', type: 'freeText', showIf: { questionId: 'resolved', equals: false } }),
      q({ questionId: 'anything_else', type: 'freeText', required: false, showIf: { questionId: 'nps', operator: 'eq', value: 10 } }),
    ]);
    expect(content.questions).toHaveLength(12);
    expect(validateTemplate(content)).toEqual([]);
  });
});

describe('the template body schema', () => {
  const body = (overrides: Record<string, unknown>) => ({ ...defaultTemplateContent('en'), ...overrides });
  const errorPaths = (input: unknown) => {
    const parsed = CreateSurveyTemplateBody.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((issue) => jsonPath(issue.path as (string | number)[]));
  };

  it('needs every text in both languages', () => {
    const questions = fourQuestionTemplateContent('en').questions.map((question, index) =>
      index === 2 ? { ...question, text: { en: 'Resolved?' } } : question,
    );
    expect(errorPaths(body({ questions, thankYou: { 'zh-TW': '謝謝' } }))).toEqual(['$.questions[2].text.zh-TW', '$.thankYou.en']);
  });

  it('needs one to twelve questions', () => {
    expect(errorPaths(body({ questions: [] }))).toEqual(['$.questions']);
    const many = Array.from({ length: 13 }, (_, i) => q({ questionId: `note_${i}`, type: 'freeText' }));
    expect(errorPaths(body({ questions: many }))).toEqual(['$.questions']);
  });

  it('refuses an unknown question type, a dimension outside the five and an unknown field', () => {
    expect(errorPaths(body({ questions: [{ ...q({ questionId: 'a', type: 'csat' }), type: 'stars' }] }))).toEqual(['$.questions[0].type']);
    expect(errorPaths(body({ questions: [q({ questionId: 'a', type: 'dimension', dimension: 'price' as ServiceDimension })] }))).toEqual([
      '$.questions[0].dimension',
    ]);
    expect(errorPaths(body({ colour: 'red' }))).toEqual(['$']);
  });

  it('reports the rules across questions with their paths', () => {
    expect(errorPaths(body({ questions: [q({ questionId: 'a', type: 'nps' }), q({ questionId: 'b', type: 'nps' })] }))).toEqual([
      '$.questions[1].type',
    ]);
  });

  it('fills in required and maxLength defaults', () => {
    const parsed = CreateSurveyTemplateBody.parse(body({ questions: [{ questionId: 'note', type: 'freeText', text: text('Anything else?') }] }));
    expect(parsed.questions[0]).toMatchObject({ required: true, maxLength: 500 });
  });
});

describe('nextQuestion', () => {
  const content = template([
    q({ questionId: 'csat', type: 'csat' }),
    q({ questionId: 'why', type: 'freeText', required: false, showIf: { questionId: 'csat', operator: 'lte', value: 2 } }),
    q({ questionId: 'resolved', type: 'resolved' }),
    q({ questionId: 'how', type: 'freeText', showIf: { questionId: 'resolved', equals: false } }),
    q({ questionId: 'nps', type: 'nps' }),
    q({ questionId: 'praise', type: 'freeText', required: false, showIf: { questionId: 'nps', operator: 'gte', value: 9 } }),
  ]);
  const next = (answers: Answers) => nextQuestion(content, answers)?.questionId;

  it.each([
    [{}, 'csat'],
    [{ csat: 1 }, 'why'],
    [{ csat: 2 }, 'why'],
    [{ csat: 3 }, 'resolved'],
    [{ csat: 5 }, 'resolved'],
    [{ csat: 2, why: 'Rude' }, 'resolved'],
    [{ csat: 2, why: null }, 'resolved'],
    [{ csat: 4, resolved: true }, 'nps'],
    [{ csat: 4, resolved: false }, 'how'],
    [{ csat: 4, resolved: false, how: 'Still broken' }, 'nps'],
    [{ csat: 4, resolved: true, nps: 8 }, undefined],
    [{ csat: 4, resolved: true, nps: 9 }, 'praise'],
    [{ csat: 4, resolved: true, nps: 10, praise: 'Great' }, undefined],
    // A skipped rating never satisfies a condition.
    [{ csat: null }, 'resolved'],
    [{ csat: null, resolved: null, nps: null }, undefined],
  ] as [Answers, string | undefined][])('after %j asks %s', (answers, expected) => {
    expect(next(answers)).toBe(expected);
  });

  it('asks the follow-up a late answer makes due when answers arrive out of order', () => {
    // csat recorded after later answers (a delayed SMS reply): its free-text follow-up becomes due, and only it.
    expect(next({ resolved: true, nps: 7, csat: 1 })).toBe('why');
  });

  it('isAsked reads conditions strictly by type', () => {
    expect(isAsked({ showIf: { questionId: 'csat', operator: 'lte', value: 2 } }, { csat: '1' })).toBe(false);
    expect(isAsked({ showIf: { questionId: 'resolved', equals: false } }, { resolved: 0 })).toBe(false);
    expect(isAsked({ showIf: { questionId: 'csat', operator: 'eq', value: 3 } }, { csat: 3 })).toBe(true);
    expect(isAsked({}, {})).toBe(true);
  });
});

describe('validateAnswer', () => {
  const csat = q({ questionId: 'csat', type: 'csat' });
  const nps = q({ questionId: 'nps', type: 'nps' });
  const ces = q({ questionId: 'ces', type: 'ces' });
  const dimension = q({ questionId: 'empathy', type: 'dimension', dimension: 'empathy' });
  const resolved = q({ questionId: 'resolved', type: 'resolved' });
  const note = q({ questionId: 'note', type: 'freeText', required: false, maxLength: 10 });

  it.each([
    [csat, 1, 1],
    [csat, 5, 5],
    [csat, '4', 4],
    [csat, ' 3 ', 3],
    [nps, 0, 0],
    [nps, 10, 10],
    [ces, 7, 7],
    [dimension, 5, 5],
    [resolved, true, true],
    [resolved, false, false],
    [resolved, 'Yes', true],
    [resolved, 'no', false],
    [note, '  Too slow  ', 'Too slow'],
    [note, '很好很好很好很好很好', '很好很好很好很好很好'],
    [note, null, null],
    [note, '   ', null],
  ] as [Question, unknown, unknown][])('%# accepts %j as %j', (question, value, recorded) => {
    expect(validateAnswer(question, value)).toEqual({ ok: true, value: recorded });
  });

  it.each([
    [csat, 0],
    [csat, 6],
    [csat, 4.5],
    [csat, '4.5'],
    [csat, 'four'],
    [csat, true],
    [nps, 11],
    [nps, -1],
    [ces, 0],
    [ces, 8],
    [dimension, 6],
    [resolved, 'maybe'],
    [resolved, 1],
    [note, 42],
    [note, 'eleven char'],
    [csat, null],
    [resolved, undefined],
  ] as [Question, unknown][])('%# refuses %j', (question, value) => {
    const check = validateAnswer(question, value);
    expect(check.ok).toBe(false);
  });

  it('says what a required question needs', () => {
    expect(validateAnswer(csat, null)).toEqual({ ok: false, message: 'This question needs an answer' });
    expect(validateAnswer(nps, 11)).toEqual({ ok: false, message: 'Must be a whole number from 0 to 10' });
  });
});

describe('template versions', () => {
  const now = '2026-03-01T10:00:00.000Z';
  const later = '2026-03-02T10:00:00.000Z';
  const v1 = newSurveyTemplate(fourQuestionTemplateContent('en'), { templateId: 'svt_X', now });

  it('start at version 1, active', () => {
    expect(v1).toMatchObject({ version: 1, currentVersion: 1, status: 'active', isDefault: false, createdAt: now, versionCreatedAt: now });
  });

  it('refuse invalid content', () => {
    expect(() => newSurveyTemplate(template([q({ questionId: 'a', type: 'nps' }), q({ questionId: 'b', type: 'nps' })]), { templateId: 'svt_Y', now })).toThrow(
      InvalidTemplate,
    );
  });

  it('make a new version from a patch, the whole content checked', () => {
    const v2 = nextTemplateVersion(v1, { name: 'Renamed', description: null }, later)!;
    expect(v2).toMatchObject({ version: 2, currentVersion: 2, name: 'Renamed', createdAt: now, versionCreatedAt: later });
    expect(v2).not.toHaveProperty('description');
    expect(v1).toMatchObject({ version: 1, name: 'Satisfaction after a contact' });
    const broken = [...v1.questions].reverse();
    try {
      nextTemplateVersion(v1, { questions: broken }, later);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidTemplate);
      expect((error as InvalidTemplate).issues.map((issue) => jsonPath(issue.path))).toEqual(['$.questions[2].showIf.questionId']);
    }
  });

  it('make no version from a patch that changes nothing', () => {
    expect(nextTemplateVersion(v1, { name: v1.name, questions: structuredClone(v1.questions) }, later)).toBeUndefined();
  });

  it('refuse to change an archived template', () => {
    expect(() => nextTemplateVersion({ ...v1, status: 'archived' }, { name: 'x' }, later)).toThrow(ArchivedTemplate);
  });
});
