import type { ServiceDimension, SurveyTemplate } from '../../schemas/survey-template';
import type { Answers } from './template';

/** A survey's scores by question type: answers are kept by question id, which each template names as it likes. Pure; the console uses it too. */
export interface SurveyScores {
  csat?: number | null;
  nps?: number | null;
  ces?: number | null;
  resolved?: boolean | null;
  dimensions?: Partial<Record<ServiceDimension, number | null>>;
}

export function surveyScores(template: Pick<SurveyTemplate, 'questions'>, answers: Answers): SurveyScores {
  const scores: SurveyScores = {};
  for (const question of template.questions) {
    if (!(question.questionId in answers)) continue;
    const answer = answers[question.questionId];
    const value = answer === undefined ? null : answer;
    if (question.type === 'csat' || question.type === 'nps' || question.type === 'ces') scores[question.type] = typeof value === 'number' ? value : null;
    else if (question.type === 'resolved') scores.resolved = typeof value === 'boolean' ? value : null;
    else if (question.type === 'dimension') scores.dimensions = { ...scores.dimensions, [question.dimension]: typeof value === 'number' ? value : null };
  }
  return scores;
}
