import { instantOf, wallClock } from '../sla';
import type { Survey } from '../../schemas/survey';
import type { ServiceDimension } from '../../schemas/survey-template';
import type { SurveyScores } from './scores';

/**
 * Survey results: the figures a contact-center manager reads, computed from survey records and
 * their scores (surveyScores against the template version each was asked with). Pure. Every
 * share is a percentage rounded to one decimal, every average to two; a figure with nothing to
 * compute it from is null, never 0.
 */

export const surveyResultsGroupings = ['agent', 'queue', 'channel', 'template'] as const;
export type SurveyResultsGrouping = (typeof surveyResultsGroupings)[number];

export const maxResultsRangeDays = 92;
export const defaultResultsRangeDays = 30;
const dayMs = 24 * 60 * 60 * 1000;

const dimensions: readonly ServiceDimension[] = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'];

export interface SurveyFigures {
  /** Surveys that went out (sent, in progress, completed or expired); pending and not sent are not counted. */
  sent: number;
  /** Sent surveys with at least one answer that was not skipped. */
  responses: number;
  completed: number;
  /** responses / sent, in %. */
  responseRate: number | null;
  csat: { answers: number; satisfied: number; score: number | null };
  nps: { answers: number; promoters: number; passives: number; detractors: number; score: number | null };
  ces: { answers: number; average: number | null; agreeing: number; agreeingShare: number | null };
  dimensions: Record<ServiceDimension, { answers: number; average: number | null }>;
  resolved: { answers: number; yes: number; yesShare: number | null };
}

export interface ScoredSurvey {
  survey: Pick<Survey, 'status' | 'answers' | 'agentId' | 'queue' | 'channel' | 'templateId'>;
  /** The survey's scores, read against its template version (empty when it has none). */
  scores: SurveyScores;
}

const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);
const average = (values: number[]) => (values.length === 0 ? null : Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 100) / 100);
const numbers = (values: (number | null | undefined)[]) => values.filter((value): value is number => typeof value === 'number');

const wentOut = (status: Survey['status']) => status === 'sent' || status === 'in_progress' || status === 'completed' || status === 'expired';

/** The figures of a set of surveys. */
export function surveyFigures(surveys: readonly ScoredSurvey[]): SurveyFigures {
  const out = surveys.filter(({ survey }) => wentOut(survey.status));
  const responses = out.filter(({ survey }) => Object.values(survey.answers).some((answer) => answer !== null && answer !== undefined)).length;
  const csat = numbers(out.map(({ scores }) => scores.csat));
  const nps = numbers(out.map(({ scores }) => scores.nps));
  const ces = numbers(out.map(({ scores }) => scores.ces));
  const resolved = out.map(({ scores }) => scores.resolved).filter((value): value is boolean => typeof value === 'boolean');
  const promoters = nps.filter((score) => score >= 9).length;
  const detractors = nps.filter((score) => score <= 6).length;
  const satisfied = csat.filter((score) => score >= 4).length;
  const agreeing = ces.filter((score) => score >= 5).length;
  const yes = resolved.filter(Boolean).length;
  const npsScore = nps.length === 0 ? null : Math.round(((promoters - detractors) / nps.length) * 1000) / 10;
  return {
    sent: out.length,
    responses,
    completed: out.filter(({ survey }) => survey.status === 'completed').length,
    responseRate: percent(responses, out.length),
    csat: { answers: csat.length, satisfied, score: percent(satisfied, csat.length) },
    nps: { answers: nps.length, promoters, passives: nps.length - promoters - detractors, detractors, score: npsScore },
    ces: { answers: ces.length, average: average(ces), agreeing, agreeingShare: percent(agreeing, ces.length) },
    dimensions: Object.fromEntries(
      dimensions.map((dimension) => {
        const values = numbers(out.map(({ scores }) => scores.dimensions?.[dimension]));
        return [dimension, { answers: values.length, average: average(values) }];
      }),
    ) as SurveyFigures['dimensions'],
    resolved: { answers: resolved.length, yes, yesShare: percent(yes, resolved.length) },
  };
}

/** The group a survey falls in; null: the survey has none (no agent, no queue, no template). */
export function groupOf(survey: ScoredSurvey['survey'], groupBy: SurveyResultsGrouping): string | null {
  switch (groupBy) {
    case 'agent':
      return survey.agentId ?? null;
    case 'queue':
      return survey.queue ?? null;
    case 'channel':
      return survey.channel;
    case 'template':
      return survey.templateId ?? null;
  }
}

export interface SurveySummary {
  overall: SurveyFigures;
  groups?: ({ key: string | null } & SurveyFigures)[];
}

/** The overall figures, and with groupBy each group's, by key (the group without one last). */
export function summarizeSurveys(surveys: readonly ScoredSurvey[], groupBy?: SurveyResultsGrouping): SurveySummary {
  const overall = surveyFigures(surveys);
  if (!groupBy) return { overall };
  const byKey = new Map<string | null, ScoredSurvey[]>();
  for (const scored of surveys) {
    const key = groupOf(scored.survey, groupBy);
    byKey.set(key, [...(byKey.get(key) ?? []), scored]);
  }
  const keys = [...byKey.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  return { overall, groups: keys.map((key) => ({ key, ...surveyFigures(byKey.get(key)!) })) };
}

export type ResultsRange = { ok: true; from: string; to: string } | { ok: false; path: 'query.from' | 'query.to'; message: string };

/**
 * The range read: [from, to). Without `from`, the start of the tenant-local day 29 days before
 * `to`'s day (30 local days including today); without `to`, now. At most maxResultsRangeDays long.
 */
export function resultsRange(query: { from?: string; to?: string }, now: Date, timezone: string): ResultsRange {
  const to = query.to !== undefined ? new Date(query.to) : now;
  let from: Date;
  if (query.from !== undefined) from = new Date(query.from);
  else {
    const local = wallClock(to.getTime() - 1, timezone);
    const start = new Date(Date.UTC(local.year, local.month - 1, local.day - (defaultResultsRangeDays - 1)));
    from = new Date(instantOf(timezone, { year: start.getUTCFullYear(), month: start.getUTCMonth() + 1, day: start.getUTCDate() }, 0));
  }
  if (from.getTime() >= to.getTime()) return { ok: false, path: 'query.from', message: 'Must be before to' };
  if (to.getTime() - from.getTime() > maxResultsRangeDays * dayMs) {
    return { ok: false, path: query.from !== undefined ? 'query.from' : 'query.to', message: `The range may span at most ${maxResultsRangeDays} days` };
  }
  return { ok: true, from: from.toISOString(), to: to.toISOString() };
}
