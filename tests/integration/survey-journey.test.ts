import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { advanceClock, eventually, settle, uniqueDigits } from '../support/waiting';
import { earlierTenantRules } from '../support/surveys';
import { allocateSmsSender } from '../support/operator';

/**
 * The whole survey journey on the local twin, through its HTTP surfaces only: contacts closed →
 * first survey SMS in the outbox (GET /local/sms/outbox) → replies injected at
 * POST /local/sms/inbound → one recovery case for the unhappy customer → the tenant's summary
 * figures, computed by hand below.
 */

let twin: TestTwin;
const minute = 60_000;

interface OutboxSms {
  messageId: string;
  body: string;
  originationIdentity: string;
  context: Record<string, string>;
}

beforeAll(async () => {
  twin = await startTestTwin();
  twin.clock.set(new Date());
});
afterAll(() => twin.close());



/** The SMS sent to a number, newest first, as the outbox answers over HTTP. */
const outbox = async (to: string) => (await api(twin.url, 'GET', `/local/sms/outbox?to=${encodeURIComponent(to)}`)).body.items as OutboxSms[];

describe('the survey journey', () => {
  it('closed contacts → SMS surveys → replies → one recovery case → the right summary figures', async () => {
    const created = await createTenant(twin, { name: 'Journey Co', locale: 'en' });
    const key = created.apiKey;
    const tenantId = created.tenant.tenantId;
    const number = `+8862${uniqueDigits()}`;
    await allocateSmsSender(twin, tenantId, number);
    const patched = await api(twin.url, 'PATCH', '/v1/settings', {
      key,
      // As a tenant from before the short default: four questions, NPS included (its recovery case).
      body: { sms: { originationIdentity: number }, surveys: { enabled: true, delayMinutes: 5, quietHours: null, ...(await earlierTenantRules(twin, key)) } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);

    async function closedContact(agentId: string, consent: 'granted' | 'unknown' = 'granted') {
      const phone = `+8869${uniqueDigits()}`;
      const customer = await api(twin.url, 'POST', '/v1/customers', {
        key,
        body: { displayName: 'Journey customer', phone, language: 'en', ...(consent === 'granted' && { consent: { sms: { status: 'granted', source: 'web-form' } } }) },
      });
      expect(customer.status, JSON.stringify(customer.body)).toBe(201);
      const contact = await api(twin.url, 'POST', '/v1/contacts', {
        key,
        body: { channel: 'voice', direction: 'inbound', purpose: 'service', customerId: customer.body.customerId, agentId, queue: 'billing' },
      });
      expect(contact.status, JSON.stringify(contact.body)).toBe(201);
      expect((await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key, body: { outcome: 'resolved' } })).status).toBe(200);
      return { phone, customerId: customer.body.customerId as string, contactId: contact.body.contactId as string };
    }

    const happy = await closedContact('agent-1');
    const unhappy = await closedContact('agent-1');
    const content = await closedContact('agent-2');
    const partial = await closedContact('agent-2');
    const noConsent = await closedContact('agent-2', 'unknown');

    const surveys = await eventually(async () => {
      const page = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key });
      return page.body.items.length === 5 ? (page.body.items as { contactId: string; surveyId: string; status: string }[]) : undefined;
    }, 'five survey decisions');
    const surveyOf = (contactId: string) => surveys.find((survey) => survey.contactId === contactId)!;
    expect(surveyOf(noConsent.contactId)).toMatchObject({ status: 'not_sent' });

    await advanceClock(twin, 6 * minute);

    for (const customer of [happy, unhappy, content, partial]) {
      const [first, ...more] = await eventually(async () => {
        const sent = await outbox(customer.phone);
        return sent.length > 0 ? sent : undefined;
      }, 'the first survey SMS');
      expect(more).toEqual([]);
      expect(first!.body).toContain('Overall, how satisfied are you with the service you received?');
      expect(first).toMatchObject({ originationIdentity: number, context: { tenantId, surveyId: surveyOf(customer.contactId).surveyId } });
    }
    expect(await outbox(noConsent.phone)).toEqual([]);

    async function replies(phone: string, ...bodies: string[]) {
      for (const body of bodies) {
        const [latest] = await outbox(phone);
        const answer = await api(twin.url, 'POST', '/local/sms/inbound', {
          body: {
            originationNumber: phone,
            destinationNumber: number,
            messageKeyword: 'KEYWORD_NONE',
            messageBody: body,
            inboundMessageId: `in-${Math.random()}`,
            previousPublishedMessageId: latest!.messageId,
          },
        });
        expect(answer.status).toBe(202);
        await settle(twin);
      }
    }
    await replies(happy.phone, '5', 'yes', '10');
    await replies(unhappy.phone, '2', 'Nobody called me back', 'no', '3');
    await replies(content.phone, '４', '是', '8 分');
    await replies(partial.phone, '四');

    const read = async (contactId: string) => (await api(twin.url, 'GET', `/v1/surveys/${surveyOf(contactId).surveyId}`, { key })).body;
    expect(await read(happy.contactId)).toMatchObject({ status: 'completed', answers: { csat: 5, resolved: true, nps: 10 } });
    expect(await read(unhappy.contactId)).toMatchObject({ status: 'completed', answers: { csat: 2, improve: 'Nobody called me back', resolved: false, nps: 3 } });
    expect(await read(content.contactId)).toMatchObject({ status: 'completed', answers: { csat: 4, resolved: true, nps: 8 } });
    expect(await read(partial.contactId)).toMatchObject({ status: 'in_progress', answers: { csat: 4 } });
    expect((await outbox(happy.phone))[0]!.body).toBe('Thank you for your answers. Your feedback helps Journey Co serve you better.');

    // CSAT 2 opens a recovery case; the NPS 3 on the same survey opens no second one.
    const casesOf = async (customerId: string) => (await api(twin.url, 'GET', `/v1/cases?customerId=${customerId}&limit=100`, { key })).body.items;
    const [recovery, ...others] = await eventually(async () => {
      const found = await casesOf(unhappy.customerId);
      return found.length > 0 ? found : undefined;
    }, 'the recovery case');
    await settle(twin);
    expect(others).toEqual([]);
    expect(await casesOf(unhappy.customerId)).toHaveLength(1);
    expect(recovery).toMatchObject({ type: 'complaint', category: 'service recovery', subject: `Low CSAT (2/5) after contact ${unhappy.contactId}`, contactIds: [unhappy.contactId] });
    for (const customer of [happy, content, partial]) expect(await casesOf(customer.customerId)).toEqual([]);
    const caseOpened = twin.bus.recent.filter(
      (record) => record.event['detail-type'] === 'Case Opened' && (record.event.detail as { tenantId: string }).tenantId === tenantId,
    );
    expect(new Set(caseOpened.map((record) => (record.event.detail as { data: { caseId: string } }).data.caseId))).toEqual(new Set([recovery.caseId]));

    // By hand: sent = 4 (the no-consent decision is not sent); responses 4; completed 3.
    // CSAT 5, 2, 4, 4 → 3 of 4 satisfied = 75. NPS 10, 3, 8 → 1 promoter, 1 passive, 1 detractor = 0.
    // Resolved yes, no, yes → 2 of 3 = 66.7. No CES question.
    const summary = await api(twin.url, 'GET', '/v1/survey-results/summary?groupBy=agent', { key });
    expect(summary.status, JSON.stringify(summary.body)).toBe(200);
    expect(summary.body.overall).toMatchObject({
      sent: 4,
      responses: 4,
      completed: 3,
      responseRate: 100,
      csat: { answers: 4, satisfied: 3, score: 75 },
      nps: { answers: 3, promoters: 1, passives: 1, detractors: 1, score: 0 },
      ces: { answers: 0, average: null, agreeingShare: null },
      resolved: { answers: 3, yes: 2, yesShare: 66.7 },
    });
    // agent-1: CSAT 5, 2 → 50; NPS 10, 3 → 50 − 50 = 0; resolved 1 of 2 = 50.
    // agent-2: CSAT 4, 4 → 100; NPS 8 → passive only = 0; resolved 1 of 1 = 100; one survey in progress.
    expect(summary.body.groups).toHaveLength(2);
    const [agent1, agent2] = summary.body.groups;
    expect(agent1).toMatchObject({
      key: 'agent-1',
      sent: 2,
      responses: 2,
      completed: 2,
      responseRate: 100,
      csat: { answers: 2, satisfied: 1, score: 50 },
      nps: { answers: 2, promoters: 1, passives: 0, detractors: 1, score: 0 },
      resolved: { answers: 2, yes: 1, yesShare: 50 },
    });
    expect(agent2).toMatchObject({
      key: 'agent-2',
      sent: 2,
      responses: 2,
      completed: 1,
      responseRate: 100,
      csat: { answers: 2, satisfied: 2, score: 100 },
      nps: { answers: 1, promoters: 0, passives: 1, detractors: 0, score: 0 },
      resolved: { answers: 1, yes: 1, yesShare: 100 },
    });
  }, 60_000);
});
