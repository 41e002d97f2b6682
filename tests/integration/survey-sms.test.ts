import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getUnmatchedReply } from '../../shared/data/sms-messages-repo';
import { type TestTwin, api, startTestTwin } from '../support/twin';
import { eventually, settle } from '../support/waiting';
import { type SurveyTenant, readSurvey, replyBySms, surveyEvents, surveyTenant, surveyedCustomer } from '../support/surveys';

/**
 * The SMS survey conversation on the local twin: contact closed → first question in the outbox →
 * replies injected at POST /local/sms/inbound → next questions, thank-you, the completed survey,
 * and a service-recovery case on a low score. Every test has its own tenant and numbers.
 */

let twin: TestTwin;

beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());
beforeEach(() => {
  twin.clock.set(new Date());
});
afterEach(() => twin.bus.setDeliverTwice(false));

/** The SMS sent to the customer, oldest first. */
const texts = (phone: string) => twin.sms.sentTo(phone).map((sms) => sms.body).reverse();
const latest = (phone: string) => twin.sms.sentTo(phone)[0]!;

const getSurvey = (t: SurveyTenant, surveyId: string) => readSurvey(twin, t, surveyId);

const busEvents = (t: SurveyTenant, detailType: string, surveyId: string) => surveyEvents(twin, t, detailType, surveyId);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const casesOf = async (t: SurveyTenant, customerId: string): Promise<any[]> =>
  (await api(twin.url, 'GET', `/v1/cases?customerId=${customerId}&limit=100`, { key: t.key })).body.items;

describe('the SMS survey conversation', () => {
  it('asks one question a message in English, reads ４ and yes, thanks the customer and completes the survey', async () => {
    const t = await surveyTenant(twin);
    const c = await surveyedCustomer(twin, t);

    await replyBySms(twin, t, c.phone, '４', { to: c.first.messageId });
    expect(latest(c.phone).body).toBe('Was your issue resolved?');
    await replyBySms(twin, t, c.phone, 'yes', { to: latest(c.phone).messageId });
    expect(latest(c.phone).body).toBe('How likely are you to recommend Survey Co to a friend or family member? (0 = Not at all likely, 10 = Extremely likely)');
    await replyBySms(twin, t, c.phone, '9', { to: latest(c.phone).messageId });
    expect(latest(c.phone).body).toBe('Thank you for your answers. Your feedback helps Survey Co serve you better.');

    const survey = await getSurvey(t, c.surveyId);
    expect(survey).toMatchObject({ status: 'completed', answers: { csat: 4, resolved: true, nps: 9 } });
    expect(survey.sms).toHaveLength(4);
    expect(survey.sms.map((sms: { segments: number }) => sms.segments).every((segments: number) => segments >= 1)).toBe(true);

    const answered = busEvents(t, 'Survey Answered', c.surveyId).map((event) => [event.data.questionId, event.data.value]);
    expect(answered).toHaveLength(3);
    expect(answered).toEqual(expect.arrayContaining([['csat', 4], ['resolved', true], ['nps', 9]]));
    const [completed] = busEvents(t, 'Survey Completed', c.surveyId);
    expect(completed.data.scores).toEqual({ csat: 4, resolved: true, nps: 9 });
    expect(await casesOf(t, c.customerId)).toEqual([]);

    // Another reply to the finished survey changes nothing and sends nothing.
    await replyBySms(twin, t, c.phone, '1');
    expect(texts(c.phone)).toHaveLength(4);
    expect((await getSurvey(t, c.surveyId)).answers).toEqual({ csat: 4, resolved: true, nps: 9 });
  });

  it("takes a reply quoting the survey's message only from the surveyed customer's number; another is recorded as unmatched with the reason", async () => {
    const t = await surveyTenant(twin);
    const c = await surveyedCustomer(twin, t);
    const other = await surveyedCustomer(twin, t);
    const stranger = '+886911000111';
    for (const phone of [stranger, other.phone]) {
      const inboundMessageId = await replyBySms(twin, t, phone, '1', { to: c.first.messageId });
      expect(await getUnmatchedReply(t.tenantId, inboundMessageId)).toMatchObject({ from: phone, reason: 'sender-not-surveyed', previousPublishedMessageId: c.first.messageId });
    }
    expect(twin.sms.sentTo(stranger)).toEqual([]);
    expect(texts(c.phone)).toHaveLength(1);
    expect(await getSurvey(t, c.surveyId)).toMatchObject({ status: 'sent' });
    expect((await getSurvey(t, c.surveyId)).answers ?? {}).toEqual({});
    // The other customer's own survey was not answered by a reply that quoted someone else's.
    expect((await getSurvey(t, other.surveyId)).answers ?? {}).toEqual({});
    // The surveyed customer's own reply still counts.
    await replyBySms(twin, t, c.phone, '5', { to: c.first.messageId });
    expect((await getSurvey(t, c.surveyId)).answers).toMatchObject({ csat: 5 });
  });

  it('speaks Chinese to a Chinese-reading customer, reads 四, 是 and " 4 分", and matches replies by the pair of numbers', async () => {
    const t = await surveyTenant(twin);
    const c = await surveyedCustomer(twin, t, 'zh-TW');
    expect(c.first.body).toContain('整體而言，您對這次的服務滿意嗎？');

    await replyBySms(twin, t, c.phone, '四');
    expect(latest(c.phone).body).toBe('您這次反映的問題是否已經解決？');
    await replyBySms(twin, t, c.phone, '是');
    expect(latest(c.phone).body).toBe('您有多大的可能會向親友推薦Survey Co？（0 = 完全不可能, 10 = 非常可能）');
    await replyBySms(twin, t, c.phone, ' 8 分');
    expect(latest(c.phone).body).toBe('感謝您撥冗回覆！您的寶貴意見將幫助Survey Co提供更好的服務。');
    expect(await getSurvey(t, c.surveyId)).toMatchObject({ status: 'completed', answers: { csat: 4, resolved: true, nps: 8 } });
  });

  it('opens one service-recovery case on a CSAT of 1, however often Survey Answered arrives, and keeps free text out of events', async () => {
    const t = await surveyTenant(twin);
    const c = await surveyedCustomer(twin, t);
    twin.bus.setDeliverTwice(true);

    await replyBySms(twin, t, c.phone, '1', { to: c.first.messageId });
    expect(latest(c.phone).body).toBe('We are sorry we fell short. What could we have done better?');
    await replyBySms(twin, t, c.phone, 'The agent hung up on me', { to: latest(c.phone).messageId });
    expect(latest(c.phone).body).toBe('Was your issue resolved?');
    await replyBySms(twin, t, c.phone, 'no', { to: latest(c.phone).messageId });
    // NPS 2 is low too: still one case for the survey.
    await replyBySms(twin, t, c.phone, '2', { to: latest(c.phone).messageId });

    expect(await getSurvey(t, c.surveyId)).toMatchObject({ status: 'completed', answers: { csat: 1, improve: 'The agent hung up on me', resolved: false, nps: 2 } });
    const cases = await eventually(async () => {
      const found = await casesOf(t, c.customerId);
      return found.length > 0 ? found : undefined;
    }, 'the recovery case');
    await settle(twin);
    expect(await casesOf(t, c.customerId)).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      type: 'complaint',
      category: 'service recovery',
      severity: 'high',
      subject: `Low CSAT (1/5) after contact ${c.contactId}`,
      contactIds: [c.contactId],
      surveyId: c.surveyId,
      agentId: 'agent-7',
      status: 'open',
    });
    expect(cases[0].description).toContain(c.surveyId);
    expect(cases[0].description).toContain('agent-7');
    expect(cases[0].sla.firstResponse.dueAt).toBeDefined();
    const opened = twin.bus.recent.filter((record) => record.event['detail-type'] === 'Case Opened' && (record.event.detail as { data: { caseId: string } }).data.caseId === cases[0].caseId);
    expect(opened.length).toBeGreaterThan(0);

    const events = JSON.stringify([...busEvents(t, 'Survey Answered', c.surveyId), ...busEvents(t, 'Survey Completed', c.surveyId)]);
    expect(events).not.toContain('hung up');
    expect(events).not.toContain(c.phone);
  });

  it('asks again once with the valid range after an unreadable reply, then skips the question', async () => {
    const t = await surveyTenant(twin);
    const c = await surveyedCustomer(twin, t);

    await replyBySms(twin, t, c.phone, 'great', { to: c.first.messageId });
    expect(latest(c.phone).body).toBe(
      'Sorry, we could not read that. Please reply with a number from 1 to 5.',
    );
    await replyBySms(twin, t, c.phone, 'very good indeed', { to: latest(c.phone).messageId });
    expect(latest(c.phone).body).toBe('Was your issue resolved?');
    expect(await getSurvey(t, c.surveyId)).toMatchObject({ status: 'in_progress', answers: { csat: null } });
    expect(busEvents(t, 'Survey Answered', c.surveyId).map((event) => event.data)).toMatchObject([{ questionId: 'csat', value: null }]);
  });

  it('changes nothing for a redelivered reply, and ignores a late reply to a question already answered', async () => {
    const t = await surveyTenant(twin);
    const c = await surveyedCustomer(twin, t);

    const inboundMessageId = await replyBySms(twin, t, c.phone, '5', { to: c.first.messageId });
    await replyBySms(twin, t, c.phone, '5', { to: c.first.messageId, inboundMessageId });
    expect(texts(c.phone)).toEqual([c.first.body, 'Was your issue resolved?']);

    // A second answer to the first question, arriving after it was answered: ignored.
    await replyBySms(twin, t, c.phone, '2', { to: c.first.messageId });
    expect(texts(c.phone)).toHaveLength(2);
    const survey = await getSurvey(t, c.surveyId);
    expect(survey).toMatchObject({ status: 'in_progress', answers: { csat: 5 } });
    expect(busEvents(t, 'Survey Answered', c.surveyId)).toHaveLength(1);
    expect(await casesOf(t, c.customerId)).toEqual([]);
  });
});
