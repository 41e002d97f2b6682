import { describe, expect, it } from 'vitest';
import type { Survey } from '../../shared/schemas/survey';
import type { SurveyScores } from '../../shared/domain/surveys/scores';
import { type ScoredSurvey, resultsRange, summarizeSurveys, surveyFigures } from '../../shared/domain/surveys/results';

/** A survey that went out and was answered with these scores (answers stand for them). */
function answered(scores: SurveyScores, extra: Partial<ScoredSurvey['survey']> = {}): ScoredSurvey {
  const answers: Survey['answers'] = {};
  for (const [name, value] of Object.entries(scores)) if (name !== 'dimensions') answers[name] = value as number | boolean | null;
  for (const [name, value] of Object.entries(scores.dimensions ?? {})) answers[name] = value ?? null;
  return { survey: { status: 'completed', answers, channel: 'voice', templateId: 'svt_a', ...extra }, scores };
}
const unanswered = (status: Survey['status'], extra: Partial<ScoredSurvey['survey']> = {}): ScoredSurvey => ({
  survey: { status, answers: {}, channel: 'voice', ...extra },
  scores: {},
});

describe('survey figures', () => {
  it.each([
    { csat: [5, 4, 3, 2, 5], answers: 5, satisfied: 3, score: 60 },
    { csat: [4], answers: 1, satisfied: 1, score: 100 },
    { csat: [1, 2, 3], answers: 3, satisfied: 0, score: 0 },
    { csat: [5, 3, 3], answers: 3, satisfied: 1, score: 33.3 },
    { csat: [], answers: 0, satisfied: 0, score: null },
  ])('CSAT of $csat is $score % (share of 4–5)', ({ csat, answers, satisfied, score }) => {
    expect(surveyFigures(csat.map((value) => answered({ csat: value }))).csat).toEqual({ answers, satisfied, score });
  });

  it.each([
    { nps: [10, 9, 8, 6, 0], promoters: 2, passives: 1, detractors: 2, score: 0 },
    { nps: [10, 10, 7], promoters: 2, passives: 1, detractors: 0, score: 66.7 },
    { nps: [0, 6, 3], promoters: 0, passives: 0, detractors: 3, score: -100 },
    { nps: [9, 8, 7, 5], promoters: 1, passives: 2, detractors: 1, score: 0 },
    { nps: [], promoters: 0, passives: 0, detractors: 0, score: null },
  ])('NPS of $nps is $score (% 9–10 minus % 0–6)', ({ nps, promoters, passives, detractors, score }) => {
    expect(surveyFigures(nps.map((value) => answered({ nps: value }))).nps).toEqual({ answers: nps.length, promoters, passives, detractors, score });
  });

  it.each([
    { ces: [7, 5, 4, 1], average: 4.25, agreeing: 2, agreeingShare: 50 },
    { ces: [6, 6, 5], average: 5.67, agreeing: 3, agreeingShare: 100 },
    { ces: [], average: null, agreeing: 0, agreeingShare: null },
  ])('CES of $ces averages $average with $agreeingShare % agreeing (5–7)', ({ ces, average, agreeing, agreeingShare }) => {
    expect(surveyFigures(ces.map((value) => answered({ ces: value }))).ces).toEqual({ answers: ces.length, average, agreeing, agreeingShare });
  });

  it('averages each service-quality dimension over its own answers, null for a dimension nobody rated', () => {
    const figures = surveyFigures([
      answered({ dimensions: { empathy: 5, reliability: 2 } }),
      answered({ dimensions: { empathy: 4, reliability: null } }),
      answered({ dimensions: { empathy: 4 } }),
    ]);
    expect(figures.dimensions).toEqual({
      reliability: { answers: 1, average: 2 },
      responsiveness: { answers: 0, average: null },
      assurance: { answers: 0, average: null },
      empathy: { answers: 3, average: 4.33 },
      tangibles: { answers: 0, average: null },
    });
  });

  it('gives the share of resolved yes over the yes/no answers, skipped ones not counted', () => {
    const figures = surveyFigures([answered({ resolved: true }), answered({ resolved: false }), answered({ resolved: true }), answered({ resolved: null })]);
    expect(figures.resolved).toEqual({ answers: 3, yes: 2, yesShare: 66.7 });
  });

  it('counts sent, responses and completed: pending and not sent are not sent; an all-skipped survey is no response', () => {
    const figures = surveyFigures([
      answered({ csat: 5, nps: 10 }),
      { ...answered({ csat: 2 }), survey: { ...answered({ csat: 2 }).survey, status: 'in_progress' } },
      unanswered('sent'),
      unanswered('expired'),
      { survey: { status: 'in_progress', answers: { csat: null }, channel: 'voice' }, scores: { csat: null } },
      unanswered('pending'),
      unanswered('not_sent'),
    ]);
    expect(figures).toMatchObject({ sent: 5, responses: 2, completed: 1, responseRate: 40 });
    expect(figures.csat).toEqual({ answers: 2, satisfied: 1, score: 50 });
  });

  it('answers null, not 0, for every rate and average when nothing was sent', () => {
    const figures = surveyFigures([unanswered('not_sent')]);
    expect(figures).toMatchObject({ sent: 0, responses: 0, completed: 0, responseRate: null });
    expect([figures.csat.score, figures.nps.score, figures.ces.average, figures.ces.agreeingShare, figures.resolved.yesShare, figures.dimensions.empathy.average]).toEqual([
      null, null, null, null, null, null,
    ]);
  });
});

describe('summarizeSurveys', () => {
  const surveys = [
    answered({ csat: 5 }, { agentId: 'agent-b', queue: 'billing', channel: 'chat' }),
    answered({ csat: 2 }, { agentId: 'agent-a', queue: 'billing', channel: 'voice' }),
    answered({ csat: 4 }, { agentId: 'agent-a', channel: 'voice', templateId: 'svt_b' }),
    unanswered('expired', { channel: 'sms', templateId: 'svt_b' }),
  ];

  it('gives the overall figures alone without groupBy', () => {
    const summary = summarizeSurveys(surveys);
    expect(summary.groups).toBeUndefined();
    expect(summary.overall).toMatchObject({ sent: 4, responses: 3, responseRate: 75, csat: { answers: 3, satisfied: 2, score: 66.7 } });
  });

  it.each([
    { groupBy: 'agent' as const, groups: [['agent-a', 2, 50], ['agent-b', 1, 100], [null, 1, null]] },
    { groupBy: 'queue' as const, groups: [['billing', 2, 50], [null, 2, 100]] },
    { groupBy: 'channel' as const, groups: [['chat', 1, 100], ['sms', 1, null], ['voice', 2, 50]] },
    { groupBy: 'template' as const, groups: [['svt_a', 2, 50], ['svt_b', 2, 100]] },
  ])('groups by $groupBy, by key, the surveys without one last', ({ groupBy, groups }) => {
    const summary = summarizeSurveys(surveys, groupBy);
    expect(summary.groups!.map((group) => [group.key, group.sent, group.csat.score])).toEqual(groups);
    expect(summary.overall.sent).toBe(4);
  });
});

describe('resultsRange', () => {
  const now = new Date('2026-11-22T03:00:00Z'); // 11:00 on 22 November in Taipei

  it('defaults to the last 30 tenant-local days up to now', () => {
    expect(resultsRange({}, now, 'Asia/Taipei')).toEqual({ ok: true, from: '2026-10-23T16:00:00.000Z', to: now.toISOString() });
    expect(resultsRange({}, now, 'UTC')).toEqual({ ok: true, from: '2026-10-24T00:00:00.000Z', to: now.toISOString() });
  });

  it('takes from and to as given, in UTC', () => {
    expect(resultsRange({ from: '2026-11-01T00:00:00+08:00', to: '2026-11-02T00:00:00Z' }, now, 'Asia/Taipei')).toEqual({
      ok: true,
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
    });
  });

  it('refuses from not before to, and a range over 92 days', () => {
    expect(resultsRange({ from: '2026-11-02T00:00:00Z', to: '2026-11-02T00:00:00Z' }, now, 'UTC')).toMatchObject({ ok: false, path: 'query.from' });
    expect(resultsRange({ from: '2026-08-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, now, 'UTC')).toMatchObject({ ok: false, path: 'query.from', message: 'The range may span at most 92 days' });
    expect(resultsRange({ from: '2026-08-02T00:00:00Z', to: '2026-11-02T00:00:00Z' }, now, 'UTC')).toMatchObject({ ok: true });
    expect(resultsRange({ to: '2027-06-01T00:00:00Z', from: '2026-11-01T00:00:00Z' }, now, 'UTC')).toMatchObject({ ok: false });
  });
});
