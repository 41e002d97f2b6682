import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSurveyTimer } from '../../functions/survey-send/handler';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { busEventDetails, eventually, settle, uniqueDigits } from '../support/waiting';

/**
 * An SMS survey carries a web link too: started by SMS, continued on the page (plain HTTP, no
 * browser), it is one response; left part-answered, it expires at linkExpiryHours with its answers.
 */

let twin: TestTwin;
const minute = 60_000;

interface SurveyTenant {
  key: string;
  tenantId: string;
  number: string;
}

beforeAll(async () => {
  twin = await startTestTwin();
  twin.clock.set(new Date());
});
afterAll(() => twin.close());

async function surveyTenant(): Promise<SurveyTenant> {
  const created = await createTenant(twin, { name: 'Survey Co', locale: 'en' });
  const number = `+8862${uniqueDigits()}`;
  const patched = await api(twin.url, 'PATCH', '/v1/settings', {
    key: created.apiKey,
    body: { sms: { originationIdentity: number }, surveys: { enabled: true, delayMinutes: 5, quietHours: null } },
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  return { key: created.apiKey, tenantId: created.tenant.tenantId, number };
}



/** A customer with SMS consent whose contact has closed and whose first survey SMS has gone out. */
async function surveyedCustomer(t: SurveyTenant) {
  const phone = `+8869${uniqueDigits()}`;
  const created = await api(twin.url, 'POST', '/v1/customers', {
    key: t.key,
    body: { displayName: 'Ms Lin', phone, language: 'en', consent: { sms: { status: 'granted', source: 'web-form' } } },
  });
  expect(created.status).toBe(201);
  const opened = await api(twin.url, 'POST', '/v1/contacts', {
    key: t.key,
    body: { channel: 'voice', direction: 'inbound', purpose: 'service', customerId: created.body.customerId, agentId: 'agent-7', queue: 'billing' },
  });
  expect(opened.status).toBe(201);
  const contactId = opened.body.contactId as string;
  expect((await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key: t.key, body: { outcome: 'resolved' } })).status).toBe(200);
  const surveyId = await eventually(async () => {
    const page = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: t.key });
    return (page.body.items as { contactId: string; surveyId: string }[]).find((survey) => survey.contactId === contactId)?.surveyId;
  }, 'the survey decision');
  twin.clock.advance(6 * minute);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await twin.scheduler.settled();
  const first = await eventually(() => twin.sms.sentTo(phone)[0], 'the first survey SMS');
  // The intro SMS ends with the link to the survey page on this twin.
  const link = /\nOr answer on the web: (\S+)$/.exec(first.body)?.[1];
  expect(link, first.body).toMatch(new RegExp(`^${twin.url.replace(/[.]/g, '\\.')}/s/[A-Za-z0-9_-]{43}$`));
  return { phone, contactId, surveyId, first, path: new URL(link!).pathname };
}

async function reply(t: SurveyTenant, phone: string, body: string) {
  const answer = await api(twin.url, 'POST', '/local/sms/inbound', {
    body: {
      originationNumber: phone,
      destinationNumber: t.number,
      messageKeyword: 'KEYWORD_NONE',
      messageBody: body,
      inboundMessageId: `in-${Math.random()}`,
    },
  });
  expect(answer.status).toBe(202);
  await settle(twin);
}

const post = (path: string, fields: Record<string, string>) =>
  api(twin.url, 'POST', path, { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

const readSurvey = async (t: SurveyTenant, surveyId: string) => (await api(twin.url, 'GET', `/v1/surveys/${surveyId}`, { key: t.key })).body;

const busEvents = (t: SurveyTenant, detailType: string, surveyId: string) =>
  busEventDetails(twin, t.tenantId, detailType).filter((detail) => detail.data.surveyId === surveyId);

describe('a survey started by SMS', () => {
  it('is continued on the web page from the link in the first SMS: the remaining questions only, one response, events once', async () => {
    const t = await surveyTenant();
    const c = await surveyedCustomer(t);
    // The SMS survey's link carries no secret onto the bus: Survey Sent names no link.
    const [sent] = await eventually(() => (busEvents(t, 'Survey Sent', c.surveyId).length ? busEvents(t, 'Survey Sent', c.surveyId) : undefined), 'Survey Sent');
    expect(sent.data).not.toHaveProperty('linkPath');

    await reply(t, c.phone, '5');
    expect(twin.sms.sentTo(c.phone)[0]!.body).toBe('Was your issue resolved?');
    expect(await readSurvey(t, c.surveyId)).toMatchObject({ status: 'in_progress', answers: { csat: 5 } });

    const page = await api(twin.url, 'GET', c.path);
    expect(page.status).toBe(200);
    expect(page.body).toContain('You already answered one question by SMS.');
    expect(page.body).not.toContain('name="csat"');
    expect(page.body).not.toContain('name="improve"');
    expect(page.body.match(/<fieldset/g)).toHaveLength(2);
    expect(page.body).toContain('name="resolved"');
    expect(page.body).toContain('name="nps"');

    const done = await post(c.path, { resolved: 'yes', nps: '9' });
    expect(done.status).toBe(200);
    expect(done.body).toContain('Thank you for your answers.');
    await settle(twin);

    expect(await readSurvey(t, c.surveyId)).toMatchObject({ status: 'completed', answers: { csat: 5, resolved: true, nps: 9 }, completedAt: expect.any(String) });
    const ofContact = (await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: t.key })).body.items.filter(
      (survey: { contactId: string }) => survey.contactId === c.contactId,
    );
    expect(ofContact.map((survey: { surveyId: string }) => survey.surveyId)).toEqual([c.surveyId]);
    const answered = busEvents(t, 'Survey Answered', c.surveyId).map((detail) => [detail.data.questionId, detail.data.value]);
    expect(answered).toHaveLength(3);
    expect(answered).toEqual(expect.arrayContaining([['csat', 5], ['resolved', true], ['nps', 9]]));
    expect(busEvents(t, 'Survey Completed', c.surveyId)).toHaveLength(1);
    expect(busEvents(t, 'Survey Sent', c.surveyId)).toHaveLength(1);

    // The link is used now, and a late SMS reply changes nothing.
    const again = await api(twin.url, 'GET', c.path);
    expect(again.status).toBe(410);
    expect(again.body).toContain('This survey has already been answered');
    const smsBefore = twin.sms.sentTo(c.phone).length;
    await reply(t, c.phone, 'no');
    expect(twin.sms.sentTo(c.phone)).toHaveLength(smsBefore);
    expect((await readSurvey(t, c.surveyId)).answers).toEqual({ csat: 5, resolved: true, nps: 9 });
  });

  it('expires part-answered at linkExpiryHours: answers kept, Survey Expired once, the link shows the expired page', async () => {
    const t = await surveyTenant();
    const c = await surveyedCustomer(t);
    await reply(t, c.phone, '4');
    expect(await readSurvey(t, c.surveyId)).toMatchObject({ status: 'in_progress', answers: { csat: 4 } });

    await expect(handleSurveyTimer({ tenantId: t.tenantId, surveyId: c.surveyId, action: 'expire' })).resolves.toBe('expired');
    await expect(handleSurveyTimer({ tenantId: t.tenantId, surveyId: c.surveyId, action: 'expire' })).resolves.toBe('ignored');
    await settle(twin);

    expect(await readSurvey(t, c.surveyId)).toMatchObject({ status: 'expired', expiredAt: expect.any(String), answers: { csat: 4 } });
    const expired = busEvents(t, 'Survey Expired', c.surveyId);
    expect(expired).toHaveLength(1);
    expect(expired[0].data).toMatchObject({ contactId: c.contactId });

    const page = await api(twin.url, 'GET', c.path);
    expect(page.status).toBe(410);
    expect(page.body).toContain('This survey link has expired');
    // A reply after expiry is not recorded and asks nothing more.
    const smsBefore = twin.sms.sentTo(c.phone).length;
    await reply(t, c.phone, 'yes');
    expect(twin.sms.sentTo(c.phone)).toHaveLength(smsBefore);
    expect((await readSurvey(t, c.surveyId)).answers).toEqual({ csat: 4 });
  });
});
