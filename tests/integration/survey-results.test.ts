import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDecision } from '../../shared/data/surveys-repo';
import { getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { newId } from '../../shared/ids';
import type { Survey } from '../../shared/schemas/survey';
import type { SurveyTemplate } from '../../shared/schemas/survey-template';
import { fourQuestionTemplateContent } from '../../shared/domain/surveys/default-template';
import { markSent, notSentSurvey, pendingSurvey, recordAnswer } from '../../shared/domain/surveys/survey';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';

/**
 * GET /v1/survey-results/summary on the local twin. The surveys are written with the repository's
 * own recordDecision (the records the SMS and web flows produce, built with the same domain
 * functions) rather than driven reply by reply: the conversation itself is tested in
 * survey-sms.test.ts, and this keeps the figures hand-computable and the test fast.
 */

let twin: TestTwin;
let key: string;
let tenantId: string;
let template: SurveyTemplate;
const dayMs = 24 * 60 * 60 * 1000;

interface Spec {
  agentId?: string;
  queue?: string;
  channel?: 'voice' | 'chat';
  /** Answers in the default template's order (csat, improve when csat ≤ 3, resolved, nps). */
  answers?: [string, number | boolean | string][];
  notSent?: boolean;
  daysAgo?: number;
}

async function storeSurvey(spec: Spec): Promise<Survey> {
  const now = new Date(Date.now() - (spec.daysAgo ?? 0) * dayMs).toISOString();
  const origin = {
    surveyId: newId('svy'),
    contact: { contactId: newId('con'), agentId: spec.agentId, queue: spec.queue, channel: spec.channel ?? 'voice' },
    origin: 'rules' as const,
    deliveryChannel: 'sms' as const,
    now,
  };
  let survey = spec.notSent ? notSentSurvey(origin, 'sampled-out') : markSent(pendingSurvey(origin, template, 'en', now), now, 72);
  for (const [questionId, value] of spec.answers ?? []) survey = recordAnswer(survey, template, questionId, value, now);
  await recordDecision(tenantId, { survey, events: [] });
  return survey;
}

const summary = (query = '') => api(twin.url, 'GET', `/v1/survey-results/summary${query}`, { key });

beforeAll(async () => {
  twin = await startTestTwin();
  const created = await createTenant(twin, { name: 'Results Co', locale: 'en' });
  key = created.apiKey;
  tenantId = created.tenant.tenantId;
  // The four-question template (CSAT, improve, resolved, NPS): every figure of the summary has answers.
  const fourQuestions = await api(twin.url, 'POST', '/v1/survey-templates', { key, body: fourQuestionTemplateContent('en') });
  expect(fourQuestions.status).toBe(201);
  template = (await getSurveyTemplateVersion(tenantId, fourQuestions.body.templateId, 1))!;

  const stored = [
    await storeSurvey({ agentId: 'agent-a', queue: 'billing', answers: [['csat', 5], ['resolved', true], ['nps', 10]] }),
    await storeSurvey({ agentId: 'agent-a', queue: 'billing', channel: 'chat', answers: [['csat', 2], ['improve', 'Too slow'], ['resolved', false], ['nps', 6]] }),
    await storeSurvey({ agentId: 'agent-b', queue: 'support', answers: [['csat', 4], ['resolved', true], ['nps', 8]] }),
    await storeSurvey({ agentId: 'agent-b', queue: 'support' }),
    await storeSurvey({ agentId: 'agent-b', queue: 'support', answers: [['csat', 3]] }),
    await storeSurvey({ agentId: 'agent-a', notSent: true }),
    await storeSurvey({ agentId: 'agent-a', queue: 'billing', daysAgo: 40, answers: [['csat', 1], ['improve', 'Rude'], ['resolved', false], ['nps', 0]] }),
  ];
  expect(stored.map((survey) => survey.status)).toEqual(['completed', 'completed', 'completed', 'sent', 'in_progress', 'not_sent', 'completed']);
}, 60_000);
afterAll(() => twin.close());

describe('GET /v1/survey-results/summary', () => {
  it('sums up the last 30 days: sent, responses, response rate, CSAT, NPS and resolved, null where nothing was answered', async () => {
    const answer = await summary();
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(Date.parse(answer.body.to) - Date.parse(answer.body.from)).toBeGreaterThan(29 * dayMs);
    expect(Date.parse(answer.body.to) - Date.parse(answer.body.from)).toBeLessThanOrEqual(31 * dayMs);
    expect(answer.body.groups).toBeUndefined();
    // The 40-day-old survey is outside; the not-sent one is not counted as sent.
    expect(answer.body.overall).toMatchObject({
      sent: 5,
      responses: 4,
      completed: 3,
      responseRate: 80,
      csat: { answers: 4, satisfied: 2, score: 50 },
      nps: { answers: 3, promoters: 1, passives: 1, detractors: 1, score: 0 },
      ces: { answers: 0, average: null, agreeingShare: null },
      resolved: { answers: 3, yes: 2, yesShare: 66.7 },
    });
    expect(answer.body.overall.dimensions.empathy).toEqual({ answers: 0, average: null });
  });

  it('gives each agent its own figures', async () => {
    const answer = await summary('?groupBy=agent');
    expect(answer.status).toBe(200);
    expect(answer.body.groupBy).toBe('agent');
    expect(answer.body.overall.sent).toBe(5);
    const [a, b, ...rest] = answer.body.groups;
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ key: 'agent-a', sent: 2, responses: 2, completed: 2, responseRate: 100, csat: { score: 50 }, nps: { score: 0 } });
    expect(b).toMatchObject({
      key: 'agent-b',
      sent: 3,
      responses: 2,
      completed: 1,
      responseRate: 66.7,
      csat: { answers: 2, satisfied: 1, score: 50 },
      nps: { answers: 1, promoters: 0, passives: 1, detractors: 0, score: 0 },
    });
  });

  it("groups by the contact's channel", async () => {
    const answer = await summary('?groupBy=channel');
    expect(answer.body.groups.map((group: { key: string; sent: number }) => [group.key, group.sent])).toEqual([['chat', 1], ['voice', 4]]);
  });

  it('takes an explicit range, which brings in the older survey', async () => {
    const from = new Date(Date.now() - 60 * dayMs).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const answer = await summary(`?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&groupBy=queue`);
    expect(answer.status).toBe(200);
    expect(answer.body.overall).toMatchObject({ sent: 6, csat: { answers: 5, satisfied: 2, score: 40 } });
    expect(answer.body.groups.map((group: { key: string | null; sent: number }) => [group.key, group.sent])).toEqual([
      ['billing', 3],
      ['support', 3],
      // The decision not to send names no queue: a group of its own, with nothing sent.
      [null, 0],
    ]);
  });

  it('refuses a range over 92 days, from not before to, and an unknown groupBy, with the field named', async () => {
    const wide = await summary('?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z');
    expect(wide.status).toBe(400);
    expect(wide.headers.get('content-type')).toContain('application/problem+json');
    expect(wide.body.errors).toEqual([{ path: 'query.from', message: 'The range may span at most 92 days' }]);
    const backwards = await summary('?from=2026-06-01T00:00:00Z&to=2026-05-01T00:00:00Z');
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors.map((error: { path: string }) => error.path)).toEqual(['query.from']);
    const bogus = await summary('?groupBy=weekday');
    expect(bogus.status).toBe(400);
    expect(bogus.body.errors.map((error: { path: string }) => error.path)).toEqual(['query.groupBy']);
  });

  it("shows another tenant none of these surveys", async () => {
    const other = await createTenant(twin, { name: 'Other Co', locale: 'en' });
    const answer = await api(twin.url, 'GET', '/v1/survey-results/summary?groupBy=agent', { key: other.apiKey });
    expect(answer.status).toBe(200);
    expect(answer.body.overall).toMatchObject({ sent: 0, responseRate: null, csat: { score: null } });
    expect(answer.body.groups).toEqual([]);
  });
});
