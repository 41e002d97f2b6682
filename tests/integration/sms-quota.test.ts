import { allocateSmsSender } from '../support/operator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { advanceClock, busEventDetails, eventually, settle, uniqueDigits } from '../support/waiting';
import { type SurveyTenant, readSurvey, surveyTenant, surveyedCustomer } from '../support/surveys';

/**
 * Issue 11 §2, "SMS cannot be abused at the platform's cost", on the local twin: every send (rule
 * surveys, ad hoc surveys, survey replies, HELP and STOP answers) goes through one quota and
 * destination check; a refusal is answered (429/422), or recorded on the survey (not_sent with
 * the reason), and always written as SMS Send Refused. Days and months are UTC; the functions
 * follow the twin's clock so that a test can cross midnight and the month's end.
 *
 * The plan's figures are replaced through the deployment's overrides (SMS_SEGMENTS_PER_DAY,
 * SMS_SEGMENTS_PER_MONTH, SMS_SPEND_CAP_USD_PER_MONTH), as an operator would in an incident.
 */

let twin: TestTwin;

beforeAll(async () => {
  twin = await startTestTwin({ functionsFollowClock: true });
});
afterAll(() => twin.close());

const overrides = ['SMS_SEGMENTS_PER_DAY', 'SMS_SEGMENTS_PER_MONTH', 'SMS_SPEND_CAP_USD_PER_MONTH', 'TENANT_REQUESTS_PER_MINUTE'] as const;
beforeEach(() => {
  twin.clock.set(new Date());
});
afterEach(() => {
  for (const name of overrides) delete process.env[name];
});

const refusals = (t: { tenantId: string }) => busEventDetails(twin, t.tenantId, 'SMS Send Refused');

/** A customer with SMS consent and a closed contact, surveyed by no rule (the tenant's rules are off unless it turned them on). */
async function closedContactOf(t: { key: string }, phone = `+8869${uniqueDigits()}`) {
  const customer = await api(twin.url, 'POST', '/v1/customers', {
    key: t.key,
    body: { displayName: 'Mr Wu', phone, language: 'en', consent: { sms: { status: 'granted', source: 'web-form' } } },
  });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const contact = await api(twin.url, 'POST', '/v1/contacts', {
    key: t.key,
    body: { channel: 'voice', direction: 'inbound', purpose: 'service', customerId: customer.body.customerId, agentId: 'agent-1' },
  });
  expect(contact.status).toBe(201);
  expect((await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key: t.key, body: { outcome: 'resolved' } })).status).toBe(200);
  return { phone, contactId: contact.body.contactId as string };
}

/** A tenant that sends SMS from its own number with its rules off: only ad hoc surveys go out. */
async function adHocTenant(settings: Record<string, unknown> = {}) {
  const created = await createTenant(twin, { name: 'Quota Co', locale: 'en' });
  const number = `+8862${uniqueDigits()}`;
  await allocateSmsSender(twin, created.tenant.tenantId, number);
  const patched = await api(twin.url, 'PATCH', '/v1/settings', { key: created.apiKey, body: { sms: { originationIdentity: number }, ...settings } });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  return { key: created.apiKey, tenantId: created.tenant.tenantId as string, number };
}

const adHocSurvey = (t: { key: string }, contactId: string) => api(twin.url, 'POST', '/v1/surveys', { key: t.key, body: { contactId } });

/** The survey the rules decided for the contact closed last, once its send timer has fired. */
async function ruleSurveyOfNextContact(t: SurveyTenant) {
  const { phone, contactId } = await closedContactOf(t);
  const surveyId = await eventually(async () => {
    const page = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: t.key });
    return (page.body.items as { contactId: string; surveyId: string }[]).find((survey) => survey.contactId === contactId)?.surveyId;
  }, 'the survey decision');
  await advanceClock(twin, 6 * 60_000);
  await settle(twin);
  return { phone, survey: await readSurvey(twin, t, surveyId) };
}

describe('SMS quota per UTC day and month, and the spend cap', () => {
  it('a rule survey over the day quota is recorded not_sent: quota with SMS Send Refused, an ad hoc survey answers 429 sms-quota-exceeded with Retry-After until UTC midnight, and after midnight SMS go out again', async () => {
    process.env.SMS_SEGMENTS_PER_DAY = '1';
    twin.clock.set(new Date('2027-03-31T23:30:00Z'));
    const t = await surveyTenant(twin, {}, { as: 'new' });

    const first = await surveyedCustomer(twin, t);
    expect(first.first.segments).toBe(1);
    const second = await ruleSurveyOfNextContact(t);
    expect(second.survey).toMatchObject({ status: 'not_sent', notSentReason: 'quota' });
    expect(twin.sms.sentTo(second.phone)).toEqual([]);
    expect(busEventDetails(twin, t.tenantId, 'Survey Not Sent').find((event) => event.data.surveyId === second.survey.surveyId)?.data.reason).toBe('quota');
    expect(refusals(t)).toContainEqual(expect.objectContaining({ data: expect.objectContaining({ reason: 'quota', limit: 'day', purpose: 'survey', surveyId: second.survey.surveyId, country: 'TW' }) }));

    const adHoc = await closedContactOf(t);
    const refused = await adHocSurvey(t, adHoc.contactId);
    expect(refused.status, JSON.stringify(refused.body)).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: '/problems/sms-quota-exceeded', limit: 'day' });
    const untilMidnight = (Date.parse('2027-04-01T00:00:00Z') - twin.clock.now().getTime()) / 1000;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(untilMidnight - 5);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(Math.ceil(untilMidnight) + 1);
    // Nothing half-written: the contact has no ad hoc survey (its rules' decision is its own).
    const listed = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: t.key });
    expect(listed.body.items.filter((survey: { contactId: string; origin: string }) => survey.contactId === adHoc.contactId && survey.origin === 'ad-hoc')).toHaveLength(0);

    // The clock passes midnight UTC (the tenant's day in Taipei changed hours ago): a new day's
    // quota, which the contact's own rule survey, due at 23:47, takes when its timer fires.
    twin.clock.set(new Date('2027-04-01T00:05:00Z'));
    await twin.scheduler.settled();
    await settle(twin);
    await eventually(() => twin.sms.sentTo(adHoc.phone)[0], 'the survey SMS after midnight');
  });

  it('the month quota refuses the send that would pass it (not_sent: quota, limit month) until the next UTC month', async () => {
    process.env.SMS_SEGMENTS_PER_MONTH = '2';
    twin.clock.set(new Date('2027-05-31T23:00:00Z'));
    const t = await surveyTenant(twin, {}, { as: 'new' });
    await surveyedCustomer(twin, t);
    await surveyedCustomer(twin, t);
    const third = await ruleSurveyOfNextContact(t);
    expect(third.survey).toMatchObject({ status: 'not_sent', notSentReason: 'quota' });
    expect(refusals(t)).toContainEqual(expect.objectContaining({ data: expect.objectContaining({ reason: 'quota', limit: 'month' }) }));

    twin.clock.set(new Date('2027-06-01T00:10:00Z'));
    const nextMonth = await ruleSurveyOfNextContact(t);
    expect(nextMonth.survey.sms, JSON.stringify(nextMonth.survey)).toHaveLength(1);
  });

  it('the monthly spend cap refuses what would pass it at the price table (TW at $0.066 a segment against a $0.10 cap)', async () => {
    process.env.SMS_SPEND_CAP_USD_PER_MONTH = '0.1';
    const t = await surveyTenant(twin, {}, { as: 'new' });
    await surveyedCustomer(twin, t);
    const second = await ruleSurveyOfNextContact(t);
    expect(second.survey).toMatchObject({ status: 'not_sent', notSentReason: 'quota' });
    expect(refusals(t)).toContainEqual(expect.objectContaining({ data: expect.objectContaining({ reason: 'quota', limit: 'spend' }) }));
  });
});

describe('SMS destinations: the tenant allow-list and the platform block list', () => {
  it('a rule survey to a country outside the allow-list (default: the tenant country) is recorded not_sent: destination-not-allowed', async () => {
    const t = await surveyTenant(twin, {}, { as: 'new' });
    const us = await ruleSurveyOfNextContactTo(t, `+1202555${uniqueDigits().slice(0, 4)}`);
    expect(us.survey).toMatchObject({ status: 'not_sent', notSentReason: 'destination-not-allowed' });
    expect(twin.sms.sentTo(us.phone)).toEqual([]);
    expect(refusals(t)).toContainEqual(
      expect.objectContaining({ data: expect.objectContaining({ reason: 'destination-not-allowed', destinationRule: 'country-not-allowed', country: 'US' }) }),
    );
  });

  it('an ad hoc survey to a country outside the allow-list answers 422 destination-not-allowed; once the admin allows the country it goes out', async () => {
    const t = await adHocTenant();
    const us = await closedContactOf(t, `+1202555${uniqueDigits().slice(0, 4)}`);
    const refused = await adHocSurvey(t, us.contactId);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.type).toBe('/problems/destination-not-allowed');
    await settle(twin);
    expect(refusals(t)).toHaveLength(1);

    const allowed = await api(twin.url, 'PATCH', '/v1/settings', { key: t.key, body: { sms: { allowedDestinationCountries: ['TW', 'US'] } } });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
    expect(allowed.body.sms.allowedDestinationCountries).toEqual(['TW', 'US']);
    expect((await adHocSurvey(t, us.contactId)).status).toBe(201);
    await advanceClock(twin, 1_000);
    await eventually(() => twin.sms.sentTo(us.phone)[0], 'the survey SMS to the allowed country');
  });

  it('a satellite number (+881) and a premium-rate range (+1 900) are refused with 422 whatever the allow-list says', async () => {
    const t = await adHocTenant({ sms: { allowedDestinationCountries: ['TW', 'US'] } });
    for (const phone of [`+881631${uniqueDigits().slice(0, 6)}`, `+1900555${uniqueDigits().slice(0, 4)}`]) {
      const contact = await closedContactOf(t, phone);
      const refused = await adHocSurvey(t, contact.contactId);
      expect(refused.status, `${phone}: ${JSON.stringify(refused.body)}`).toBe(422);
      expect(refused.body.type).toBe('/problems/destination-not-allowed');
    }
    await settle(twin);
    expect(refusals(t).map((event) => event.data.destinationRule)).toEqual(['blocked-prefix', 'blocked-prefix']);
  });
});

async function ruleSurveyOfNextContactTo(t: SurveyTenant, phone: string) {
  const { contactId } = await closedContactOf(t, phone);
  const surveyId = await eventually(async () => {
    const page = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: t.key });
    return (page.body.items as { contactId: string; surveyId: string }[]).find((survey) => survey.contactId === contactId)?.surveyId;
  }, 'the survey decision');
  await advanceClock(twin, 6 * 60_000);
  await settle(twin);
  return { phone, survey: await readSurvey(twin, t, surveyId) };
}

describe('the daily cap applies to ad hoc surveys', () => {
  it('an ad hoc survey past settings.surveys.dailyCap answers 429 survey-daily-cap-reached, and writes nothing', async () => {
    const t = await adHocTenant({ surveys: { dailyCap: 1 } });
    const one = await closedContactOf(t);
    const two = await closedContactOf(t);
    expect((await adHocSurvey(t, one.contactId)).status).toBe(201);
    const capped = await adHocSurvey(t, two.contactId);
    expect(capped.status, JSON.stringify(capped.body)).toBe(429);
    expect(capped.body.type).toBe('/problems/survey-daily-cap-reached');
    expect(Number(capped.headers.get('retry-after'))).toBeGreaterThan(0);
    const listed = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: t.key });
    expect(listed.body.items.map((survey: { contactId: string }) => survey.contactId)).toEqual([one.contactId]);
  });
});

describe('keyword answers count against the quota', () => {
  const inbound = (t: { number: string }, from: string, body: string) =>
    api(twin.url, 'POST', '/local/sms/inbound', {
      body: { originationNumber: from, destinationNumber: t.number, messageKeyword: 'KEYWORD_NONE', messageBody: body, inboundMessageId: `in-${Math.random()}` },
    });

  it('HELP answers are counted; past the quota HELP and the STOP confirmation are refused (SMS Send Refused), and STOP still opts the number out', async () => {
    process.env.SMS_SEGMENTS_PER_DAY = '1';
    const t = await adHocTenant();
    const from = `+8869${uniqueDigits()}`;
    expect((await inbound(t, from, 'HELP')).status).toBe(202);
    await settle(twin);
    expect(twin.sms.sentTo(from)).toHaveLength(1);
    const usage = await api(twin.url, 'GET', '/v1/usage', { key: t.key });
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    expect(usage.body.currentMonth.smsSegmentsToday).toBe(1);

    expect((await inbound(t, from, 'HELP')).status).toBe(202);
    expect((await inbound(t, from, 'STOP')).status).toBe(202);
    await settle(twin);
    expect(twin.sms.sentTo(from)).toHaveLength(1);
    expect(refusals(t).map((event) => [event.data.purpose, event.data.reason]).sort()).toEqual([
      ['keyword-help', 'quota'],
      ['keyword-stop', 'quota'],
    ]);
    expect(twin.sms.isOptedOut(from)).toBe(true);
  });
});

describe('GET /v1/usage', () => {
  it("adds up: segments and estimated cost by day and country match what was sent, refusals, API requests, contacts and surveys are counted, against the plan's limits", async () => {
    process.env.TENANT_REQUESTS_PER_MINUTE = '1000';
    process.env.SMS_SEGMENTS_PER_DAY = '2';
    const t = await surveyTenant(twin, {}, { as: 'new' });
    const a = await surveyedCustomer(twin, t);
    const b = await surveyedCustomer(twin, t);
    const refused = await ruleSurveyOfNextContact(t);
    expect(refused.survey.notSentReason).toBe('quota');
    await settle(twin);

    // Survey Sent is dated by the real time, the SMS by the twin's (moved) clock: the period covers both.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const from = day(Date.now() - 86_400_000);
    const to = day(twin.clock.now().getTime() + 86_400_000);
    const usage = await eventually(async () => {
      const answer = await api(twin.url, 'GET', `/v1/usage?from=${from}&to=${to}`, { key: t.key });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.totals.surveysSent === 2 && answer.body.totals.contacts === 3 && answer.body;
    }, 'the analytics counters of the surveys and contacts');
    const sentSegments = [a, b].reduce((sum, c) => sum + twin.sms.sentTo(c.phone).reduce((n, sms) => n + sms.segments, 0), 0);
    expect(sentSegments).toBe(2);
    expect(usage.period).toEqual({ from, to });
    expect(usage.days[0]).toMatchObject({ date: from, smsSegments: 0, apiRequests: 0, contacts: 0, surveysSent: 0, countries: [] });
    type Day = { smsSegments: number; smsEstimatedCostUsd: number; smsRefused: number; apiRequests: number; contacts: number; surveysSent: number; countries: { country: string; smsSegments: number }[] };
    const sum = (pick: (day: Day) => number) => (usage.days as Day[]).reduce((total, entry) => total + pick(entry), 0);
    expect(usage.totals).toEqual({
      smsSegments: sum((d) => d.smsSegments),
      smsEstimatedCostUsd: sum((d) => d.smsEstimatedCostUsd),
      smsRefused: sum((d) => d.smsRefused),
      apiRequests: sum((d) => d.apiRequests),
      contacts: 3,
      surveysSent: 2,
    });
    expect(usage.totals).toMatchObject({ smsSegments: sentSegments, smsRefused: 1 });
    expect(usage.totals.smsEstimatedCostUsd).toBeCloseTo(sentSegments * 0.066, 6);
    expect(usage.totals.apiRequests).toBeGreaterThanOrEqual(10);
    expect((usage.days as Day[]).flatMap((d) => d.countries)).toEqual([{ country: 'TW', smsSegments: sentSegments, smsEstimatedCostUsd: sentSegments * 0.066 }]);
    expect(usage.plan).toBe('trial');
    expect(usage.limits).toEqual({ smsSegmentsPerDay: 2, smsSegmentsPerMonth: 300, smsSpendCapUsdPerMonth: 10, apiRequestsPerMinute: 1000 });
    expect(usage.currentMonth).toMatchObject({ smsSegmentsToday: sentSegments, percentOfCap: 100 });
    expect(usage.priceTable.currency).toBe('USD');
  });

  it('refuses a period over 31 days or ending before it starts with 400', async () => {
    const t = await adHocTenant();
    for (const query of ['from=2027-01-01&to=2027-02-15', 'from=2027-02-02&to=2027-02-01']) {
      const answer = await api(twin.url, 'GET', `/v1/usage?${query}`, { key: t.key });
      expect(answer.status, query).toBe(400);
      expect(answer.body.errors[0].path).toBe('query.to');
    }
  });
});
