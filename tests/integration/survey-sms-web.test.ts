import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSurveyTimer } from '../../functions/survey-send/handler';
import { type TestTwin, api, startTestTwin } from '../support/twin';
import { eventually, settle } from '../support/waiting';
import { type SurveyTenant, readSurvey, replyBySms, surveyEvents, surveyTenant, surveyedCustomer } from '../support/surveys';

/**
 * An SMS survey carries a web link too: started by SMS, continued on the page (plain HTTP, no
 * browser), it is one response; left part-answered, it expires at linkExpiryHours with its answers.
 */

let twin: TestTwin;

beforeAll(async () => {
  twin = await startTestTwin();
  twin.clock.set(new Date());
});
afterAll(() => twin.close());

/** A surveyed customer, with the path of the web link its first SMS ends with. */
async function surveyedCustomerWithLink(t: SurveyTenant) {
  const c = await surveyedCustomer(twin, t);
  // The intro SMS ends with the link to the survey page on this twin.
  const link = /\nOr answer on the web: (\S+)$/.exec(c.first.body)?.[1];
  expect(link, c.first.body).toMatch(new RegExp(`^${twin.url.replace(/[.]/g, '\\.')}/s/[A-Za-z0-9_-]{16}$`));
  return { ...c, path: new URL(link!).pathname };
}

const post = (path: string, fields: Record<string, string>) =>
  api(twin.url, 'POST', path, { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

const busEvents = (t: SurveyTenant, detailType: string, surveyId: string) => surveyEvents(twin, t, detailType, surveyId);

describe('a survey started by SMS', () => {
  it('is continued on the web page from the link in the first SMS: the remaining questions only, one response, events once', async () => {
    const t = await surveyTenant(twin);
    const c = await surveyedCustomerWithLink(t);
    // The SMS survey's link carries no secret onto the bus: Survey Sent names no link.
    const [sent] = await eventually(() => (busEvents(t, 'Survey Sent', c.surveyId).length ? busEvents(t, 'Survey Sent', c.surveyId) : undefined), 'Survey Sent');
    expect(sent.data).not.toHaveProperty('linkPath');

    await replyBySms(twin, t, c.phone, '5');
    expect(twin.sms.sentTo(c.phone)[0]!.body).toBe('Was your issue resolved?');
    expect(await readSurvey(twin, t, c.surveyId)).toMatchObject({ status: 'in_progress', answers: { csat: 5 } });

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

    expect(await readSurvey(twin, t, c.surveyId)).toMatchObject({ status: 'completed', answers: { csat: 5, resolved: true, nps: 9 }, completedAt: expect.any(String) });
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
    await replyBySms(twin, t, c.phone, 'no');
    expect(twin.sms.sentTo(c.phone)).toHaveLength(smsBefore);
    expect((await readSurvey(twin, t, c.surveyId)).answers).toEqual({ csat: 5, resolved: true, nps: 9 });
  });

  it('expires part-answered at linkExpiryHours: answers kept, Survey Expired once, the link shows the expired page', async () => {
    const t = await surveyTenant(twin);
    const c = await surveyedCustomerWithLink(t);
    await replyBySms(twin, t, c.phone, '4');
    expect(await readSurvey(twin, t, c.surveyId)).toMatchObject({ status: 'in_progress', answers: { csat: 4 } });

    await expect(handleSurveyTimer({ tenantId: t.tenantId, surveyId: c.surveyId, action: 'expire' })).resolves.toBe('expired');
    await expect(handleSurveyTimer({ tenantId: t.tenantId, surveyId: c.surveyId, action: 'expire' })).resolves.toBe('ignored');
    await settle(twin);

    expect(await readSurvey(twin, t, c.surveyId)).toMatchObject({ status: 'expired', expiredAt: expect.any(String), answers: { csat: 4 } });
    const expired = busEvents(t, 'Survey Expired', c.surveyId);
    expect(expired).toHaveLength(1);
    expect(expired[0].data).toMatchObject({ contactId: c.contactId });

    const page = await api(twin.url, 'GET', c.path);
    expect(page.status).toBe(410);
    expect(page.body).toContain('This survey link has expired');
    // A reply after expiry is not recorded and asks nothing more.
    const smsBefore = twin.sms.sentTo(c.phone).length;
    await replyBySms(twin, t, c.phone, 'yes');
    expect(twin.sms.sentTo(c.phone)).toHaveLength(smsBefore);
    expect((await readSurvey(twin, t, c.surveyId)).answers).toEqual({ csat: 4 });
  });
});
