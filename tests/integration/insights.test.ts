import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCaseBacklog } from '../../shared/data/case-backlog-repo';
import { getCase } from '../../shared/data/cases-repo';
import { getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { recordDecision } from '../../shared/data/surveys-repo';
import { fourQuestionTemplateContent } from '../../shared/domain/surveys/default-template';
import { markSent, pendingSurvey, recordAnswer } from '../../shared/domain/surveys/survey';
import { answerEvents } from '../../shared/services/survey-replies';
import { backfillInsights } from '../../shared/services/insights-backfill';
import { newId } from '../../shared/ids';
import type { SurveyTemplate } from '../../shared/schemas/survey-template';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { settle } from '../support/waiting';

/**
 * The insights projection on the twin: case events keep the backlog counters and deadline lists,
 * finished surveys with words are listed; and the three routes that read them.
 */

let twin: TestTwin;
let key: string;
let tenantId: string;
let customerId: string;
let template: SurveyTemplate;

const call = async (method: string, path: string, body?: unknown) => {
  const answer = await api(twin.url, method, path, { key, body });
  expect([200, 201, 204], `${method} ${path}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
  return answer.body;
};

beforeAll(async () => {
  twin = await startTestTwin();
  const created = await createTenant(twin, { name: 'Insights Ltd', locale: 'en' });
  key = created.apiKey;
  tenantId = created.tenant.tenantId;
  customerId = (await call('POST', '/v1/customers', { displayName: 'Kao Ya-ting' })).customerId;
  const fourQuestions = await call('POST', '/v1/survey-templates', fourQuestionTemplateContent('en'));
  template = (await getSurveyTemplateVersion(tenantId, fourQuestions.templateId, 1))!;
}, 120_000);

afterAll(async () => {
  await twin?.close();
});

const backlog = async () => call('GET', '/v1/analytics/case-backlog');
const statusTotal = (body: { byStatus: { status: string; total: number }[] }, status: string) => body.byStatus.find((entry) => entry.status === status)!.total;

describe('the case backlog', () => {
  it('counts each unresolved case once by status as it moves, and lists the ones due within a day soonest first', async () => {
    const open = (severity: string, subject: string) => call('POST', '/v1/cases', { type: 'complaint', severity, category: 'billing', subject, customerId });
    const critical = (await open('critical', 'Line down since this morning')).caseId as string;
    const low = (await open('low', 'Wrong name on the invoice')).caseId as string;
    const moved = (await open('medium', 'Router replacement')).caseId as string;
    const finished = (await open('medium', 'Refund of a double charge')).caseId as string;
    await call('POST', `/v1/cases/${moved}/events`, { type: 'status_change', to: 'in_progress' });
    await call('POST', `/v1/cases/${finished}/events`, { type: 'status_change', to: 'in_progress' });
    await call('POST', `/v1/cases/${finished}/events`, { type: 'status_change', to: 'resolved' });
    await settle(twin);

    const figures = await backlog();
    expect(figures).toMatchObject({ total: 3, byAge: { day: 3, days3: 0, week: 0, month: 0, older: 0 } });
    expect(statusTotal(figures, 'open')).toBe(2);
    expect(statusTotal(figures, 'in_progress')).toBe(1);
    expect(statusTotal(figures, 'awaiting_customer')).toBe(0);

    // Critical: first response within the hour. Low: two business days, beyond the 24 hours.
    const nearly = await call('GET', '/v1/analytics/case-backlog/deadlines?list=nearly_breached');
    const ids = nearly.items.map((item: { case: { caseId: string } }) => item.case.caseId);
    expect(ids[0]).toBe(critical);
    expect(ids).not.toContain(low);
    expect(ids).not.toContain(finished);
    expect(nearly.items[0]).toMatchObject({ deadline: { kind: 'firstResponse', breached: false }, case: { subject: 'Line down since this morning', status: 'open' } });
    const dues = nearly.items.map((item: { deadline: { dueAt: string } }) => item.deadline.dueAt);
    expect([...dues].sort()).toEqual(dues);
    expect((await call('GET', '/v1/analytics/case-backlog/deadlines?list=breached')).items).toEqual([]);

    // Paged: one at a time reads the same cases in the same order.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/v1/analytics/case-backlog/deadlines?list=nearly_breached&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      paged.push(...page.items.map((item: { case: { caseId: string } }) => item.case.caseId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(ids);

    // Resolved and reopened: back in the backlog, once.
    await call('POST', `/v1/cases/${finished}/events`, { type: 'status_change', to: 'open' });
    await settle(twin);
    expect(statusTotal(await backlog(), 'open')).toBe(3);
  }, 180_000);

  it('changes nothing when a case is synced again, as a redelivered or late event would', async () => {
    const before = await backlog();
    const listed = await call('GET', '/v1/analytics/case-backlog/deadlines?list=nearly_breached');
    for (const item of listed.items as { case: { caseId: string } }[]) {
      const caseId = item.case.caseId;
      expect(await syncCaseBacklog(tenantId, caseId, async () => (await getCase(tenantId, caseId))?.case)).toBe('current');
    }
    const after = await backlog();
    expect({ ...after, asOf: undefined }).toEqual({ ...before, asOf: undefined });
  }, 60_000);

  it('refuses another list’s cursor', async () => {
    const page = await call('GET', '/v1/analytics/case-backlog/deadlines?list=nearly_breached&limit=1');
    expect(page.nextCursor).toBeTruthy();
    const answer = await api(twin.url, 'GET', `/v1/analytics/case-backlog/deadlines?list=breached&cursor=${encodeURIComponent(page.nextCursor)}`, { key });
    expect(answer.status).toBe(400);
  });
});

/** A survey sent and answered an hour ago; only Survey Completed is published (no recovery case is opened). */
async function answeredSurvey(spec: { contactId?: string; agentId: string; answers: [string, number | boolean | string][]; unpublished?: boolean }) {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const origin = {
    surveyId: newId('svy'),
    contact: { contactId: spec.contactId ?? newId('con'), customerId, agentId: spec.agentId, queue: 'billing', channel: 'voice' as const },
    origin: 'rules' as const,
    deliveryChannel: 'sms' as const,
    now: at,
  };
  const sent = markSent(pendingSurvey(origin, template, 'en', at), at, 72);
  let survey = sent;
  for (const [questionId, value] of spec.answers) survey = recordAnswer(survey, template, questionId, value, at);
  const events = spec.unpublished ? [] : answerEvents(tenantId, sent, survey, template, at).filter((event) => event.detailType === 'Survey Completed');
  await recordDecision(tenantId, { survey, events });
  return survey.surveyId;
}

describe("the customers' words", () => {
  it('lists the finished surveys with words, newest first, with their scores and question, and forgets them on erasure', async () => {
    const period = () => `from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`;
    await answeredSurvey({ agentId: 'agent-quiet', answers: [['csat', 5], ['resolved', true], ['nps', 10]] });
    const contact = await call('POST', '/v1/contacts', { channel: 'voice', direction: 'inbound', purpose: 'service', customerId, queue: 'billing', agentId: 'agent-words' });
    const withWords = await answeredSurvey({
      contactId: contact.contactId,
      agentId: 'agent-words',
      answers: [['csat', 2], ['improve', '等了四十分鐘才有人接'], ['resolved', false], ['nps', 3]],
    });
    await settle(twin);

    const listed = await call('GET', `/v1/analytics/survey-comments?${period()}`);
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({
      surveyId: withWords,
      status: 'completed',
      agentId: 'agent-words',
      queue: 'billing',
      channel: 'voice',
      scores: { csat: 2, nps: 3 },
      words: [{ questionId: 'improve', text: '等了四十分鐘才有人接', question: { en: expect.any(String), 'zh-TW': expect.any(String) } }],
    });
    expect(listed.items[0].case).toBeUndefined();
    // A case opened to follow the survey up is shown beside the words, with its status.
    const followUp = await call('POST', '/v1/cases', { type: 'complaint', category: 'service', subject: 'Call back about the wait', customerId, surveyId: withWords });
    await settle(twin);
    expect((await call('GET', `/v1/analytics/survey-comments?${period()}`)).items[0].case).toEqual({ caseId: followUp.caseId, status: 'open' });

    const outside = await call('GET', `/v1/analytics/survey-comments?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`);
    expect(outside.items).toEqual([]);
    const backwards = await api(twin.url, 'GET', '/v1/analytics/survey-comments?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', { key });
    expect(backwards.status).toBe(400);

    // A survey finished before the projection existed (no event reaches it) is listed by the backfill, once however often it runs.
    const earlierContact = await call('POST', '/v1/contacts', { channel: 'voice', direction: 'inbound', purpose: 'service', customerId, queue: 'billing', agentId: 'agent-before' });
    const older = await answeredSurvey({ contactId: earlierContact.contactId, agentId: 'agent-before', answers: [['csat', 3], ['improve', 'Nobody called back'], ['resolved', false], ['nps', 5]], unpublished: true });
    await settle(twin);
    const beforeBackfill = await call('GET', `/v1/analytics/survey-comments?${period()}`);
    expect(beforeBackfill.items.map((item: { surveyId: string }) => item.surveyId)).not.toContain(older);
    await backfillInsights(tenantId);
    await backfillInsights(tenantId);
    const afterBackfill = await call('GET', `/v1/analytics/survey-comments?${period()}`);
    expect(afterBackfill.items.map((item: { surveyId: string }) => item.surveyId).filter((id: string) => id === older)).toHaveLength(1);

    await call('DELETE', `/v1/customers/${customerId}`);
    await settle(twin);
    expect(twin.bus.deadLetters).toEqual([]);
    const afterErasure = await call('GET', `/v1/analytics/survey-comments?${period()}`);
    expect(JSON.stringify(afterErasure)).not.toContain('等了四十分鐘');
    expect(afterErasure.items).toEqual([]);
  }, 180_000);
});
