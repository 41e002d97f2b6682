import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSurveyTimer } from '../../functions/survey-send/handler';
import { getSurvey, saveSurveyAnswers } from '../../shared/data/surveys-repo';
import { getSurveyTemplateVersion } from '../../shared/data/survey-templates-repo';
import { recordAnswer } from '../../shared/domain/surveys/survey';
import { brandPalette, contrastRatio } from '../../shared/http/survey-page';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { busEventDetails, settle, uniqueDigits } from '../support/waiting';
import { earlierTenantRules } from '../support/surveys';

/**
 * The survey web page over HTTP on the local twin, without a browser: what the POST accepts and
 * refuses, what it records, and the pages for links that cannot be used. The browser journey is
 * tests/e2e/survey-web.test.ts.
 */

let twin: TestTwin;

beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

interface LinkSurvey {
  key: string;
  tenantId: string;
  surveyId: string;
  path: string;
}

async function linkSurvey(language: 'en' | 'zh-TW' = 'en', displayName = 'Lin & <Sons>', colour = '#ffd400'): Promise<LinkSurvey> {
  const created = await createTenant(twin, { name: 'Web Survey Co', locale: 'zh-TW' });
  const key = created.apiKey;
  // The four-question template: the page's layout, conditions and errors need more than the short default.
  const surveys = await earlierTenantRules(twin, key);
  expect((await api(twin.url, 'PATCH', '/v1/settings', { key, body: { branding: { displayName, colour }, surveys } })).status).toBe(200);
  const customer = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Ms Lin', phone: `+8869${uniqueDigits()}`, language } });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const contact = await api(twin.url, 'POST', '/v1/contacts', {
    key,
    body: { channel: 'chat', direction: 'inbound', purpose: 'service', customerId: customer.body.customerId, agentId: 'agent-3', queue: 'billing' },
  });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  expect((await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key, body: { outcome: 'resolved' } })).status).toBe(200);
  const survey = await api(twin.url, 'POST', '/v1/surveys', { key, body: { contactId: contact.body.contactId, deliveryChannel: 'link' } });
  expect(survey.status, JSON.stringify(survey.body)).toBe(201);
  return { key, tenantId: created.tenant.tenantId, surveyId: survey.body.surveyId, path: survey.body.linkPath };
}

const post = (path: string, fields: Record<string, string> | string, contentType = 'application/x-www-form-urlencoded') =>
  api(twin.url, 'POST', path, { body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(), headers: { 'content-type': contentType } });

const readSurvey = async (s: LinkSurvey) => (await api(twin.url, 'GET', `/v1/surveys/${s.surveyId}`, { key: s.key })).body;

const eventsOf = (s: LinkSurvey, detailType: string) => busEventDetails(twin, s.tenantId, detailType).map((detail) => detail.data);

const settled = () => settle(twin);

describe('GET /s/{token}', () => {
  it('renders the form in the customer’s language, with the tenant’s name escaped and inert headers', async () => {
    const s = await linkSurvey('en');
    const page = await api(twin.url, 'GET', s.path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src/);
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(page.body).toContain(`<style nonce="${nonce}">`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');

    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.body).toContain('Lin &amp; &lt;Sons&gt;');
    expect(page.body).not.toContain('<Sons>');
    // The default template: csat (1–5), the follow-up on a low score, resolved, nps (0–10).
    expect(page.body.match(/<fieldset/g)).toHaveLength(4);
    expect(page.body.match(/name="csat"/g)).toHaveLength(5);
    expect(page.body.match(/name="nps"/g)).toHaveLength(11);
    expect(page.body).toContain('<textarea id="q-improve" name="improve"');
    expect(page.body).toContain('Answer this only if you chose 1–3 in question 1.');
    expect(page.body).toContain('1 = Very dissatisfied');
  });

  it('keeps text readable on the tenant’s colour, light or dark (4.5:1 at least)', () => {
    for (const colour of ['#ffd400', '#777777', '#0a3d62', '#ffffff', '#000000', '#ff0000', '#00a3e0']) {
      const palette = brandPalette(colour);
      expect(contrastRatio(palette.brand, palette.onBrand), colour).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(palette.accent, '#ffffff'), colour).toBeGreaterThanOrEqual(4.5);
    }
    expect(brandPalette('#ffd400').onBrand).toBe('#000000');
    expect(brandPalette('#0a3d62').onBrand).toBe('#ffffff');
  });

  it('is documented in the OpenAPI document as public HTML taking an HTML form', async () => {
    const document = (await api(twin.url, 'GET', '/openapi.json')).body;
    const page = document.paths['/s/{token}'];
    expect(page.get.security).toEqual([]);
    expect(Object.keys(page.get.responses['200'].content)).toEqual(['text/html']);
    expect(Object.keys(page.post.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    for (const status of ['400', '404', '415']) expect(Object.keys(page.post.responses[status].content), status).toEqual(['text/html']);
    expect(Object.keys(page.get.responses['404'].content)).toEqual(['text/html']);
    // The GET reads only the token, and a token that does not fit is no such link (404): no 400.
    expect(page.get.responses['400']).toBeUndefined();
    expect(page.get.parameters[0].schema.maxLength).toBe(128);
  });

  it('answers an unknown or malformed token with a friendly 404 page, in both languages', async () => {
    // 129 characters: longer than any token the service makes (the documented maximum is 128).
    for (const path of ['/s/not-a-token', `/s/${'A'.repeat(43)}`, '/s/%3Cscript%3E', `/s/${'A'.repeat(129)}`]) {
      const page = await api(twin.url, 'GET', path);
      expect(page.status, path).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('找不到這份問卷');
      expect(page.body).toContain('We could not find this survey');
      expect(page.body).not.toContain('<script');
    }
    const posted = await post(`/s/${'A'.repeat(129)}`, { csat: '5' });
    expect(posted.status).toBe(404);
    expect(posted.body).toContain('We could not find this survey');
  });
});

describe('POST /s/{token}', () => {
  it('refuses invalid answers with the form again (400), errors beside the fields, answers kept, nothing saved', async () => {
    const s = await linkSurvey('zh-TW');
    const refused = await post(s.path, { csat: '9', resolved: 'maybe', nps: '7', improve: 'x' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(refused.body).toContain('<html lang="zh-TW">');
    expect(refused.body).toContain('role="alert"');
    expect(refused.body).toContain('<p class="error" id="q-csat-error">請選擇 1 到 5 之間的數字。</p>');
    expect(refused.body).toContain('<p class="error" id="q-resolved-error">請選擇「是」或「否」。</p>');
    expect(refused.body).toMatch(/<fieldset id="q-csat-group" aria-describedby="q-csat-ends q-csat-error">/);
    expect(refused.body).toMatch(/name="csat" value="1"[^>]*aria-invalid="true"[^>]*aria-describedby="q-csat-ends q-csat-error"/);
    expect(refused.body).not.toContain('id="q-nps-error"');
    // What was given stays chosen.
    expect(refused.body).toContain('name="nps" value="7" checked');

    const missing = await post(s.path, { nps: '10' });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('<p class="error" id="q-csat-error">請回答這一題。</p>');

    const tooLong = await post(s.path, { csat: '1', improve: '太'.repeat(501), resolved: 'no', nps: '3' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toContain('<p class="error" id="q-improve-error">請在 500 字以內。</p>');

    const json = await post(s.path, JSON.stringify({ csat: 5 }), 'application/json');
    expect(json.status).toBe(415);
    expect(json.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const twice = await post(s.path, 'csat=5&csat=4&resolved=yes&nps=9');
    expect(twice.status).toBe(400);
    expect(twice.body).toContain('發生了一點問題');

    await settled();
    expect(await readSurvey(s)).toMatchObject({ status: 'sent', answers: {} });
    expect(eventsOf(s, 'Survey Answered')).toEqual([]);
    expect((await api(twin.url, 'GET', s.path)).status).toBe(200);
  });

  it('records the answers once, with Survey Answered (no free text) and Survey Completed; the link is then used', async () => {
    const s = await linkSurvey('en');
    // A happy customer: the follow-up for a low score is not asked, whatever its field says.
    const done = await post(s.path, { csat: '5', improve: 'should be ignored', resolved: 'yes', nps: '9' });
    expect(done.status).toBe(200);
    expect(done.body).toContain('Thank you for your answers. Your feedback helps Lin &amp; &lt;Sons&gt; serve you better.');
    const survey = await readSurvey(s);
    expect(survey).toMatchObject({ status: 'completed', answers: { csat: 5, resolved: true, nps: 9 }, completedAt: expect.any(String) });
    expect(survey.answers).not.toHaveProperty('improve');

    await settled();
    const answered = eventsOf(s, 'Survey Answered').map((data) => [data.questionId, data.value]);
    expect(answered).toHaveLength(3);
    expect(answered).toEqual(expect.arrayContaining([['csat', 5], ['resolved', true], ['nps', 9]]));
    const completed = eventsOf(s, 'Survey Completed');
    expect(completed).toHaveLength(1);
    // The figures analytics counts, as an SMS completion carries them.
    expect(completed[0].scores).toEqual({ csat: 5, resolved: true, nps: 9 });

    for (const again of [await api(twin.url, 'GET', s.path), await post(s.path, { csat: '1', resolved: 'no', nps: '0' })]) {
      expect(again.status).toBe(410);
      expect(again.body).toContain('This survey has already been answered');
    }
    expect((await readSurvey(s)).answers).toEqual({ csat: 5, resolved: true, nps: 9 });
  });

  it('asks the follow-up after a low score and keeps free text out of the events', async () => {
    const s = await linkSurvey('en');
    const done = await post(s.path, { csat: '2', improve: '  The wait was long.  ', resolved: 'no', nps: '4' });
    expect(done.status).toBe(200);
    expect((await readSurvey(s)).answers).toEqual({ csat: 2, improve: 'The wait was long.', resolved: false, nps: 4 });
    await settled();
    const improve = eventsOf(s, 'Survey Answered').find((data) => data.questionId === 'improve');
    expect(improve).toMatchObject({ questionType: 'freeText' });
    expect(improve).not.toHaveProperty('value');
    expect(JSON.stringify(eventsOf(s, 'Survey Answered'))).not.toContain('wait was long');
  });

  it('continues a survey started by SMS: only the questions left are shown, and it is one response', async () => {
    const s = await linkSurvey('en');
    const before = (await getSurvey(s.tenantId, s.surveyId))!;
    const template = (await getSurveyTemplateVersion(s.tenantId, before.templateId!, before.templateVersion!))!;
    const started = recordAnswer(before, template, 'csat', 4, new Date().toISOString());
    await saveSurveyAnswers(s.tenantId, before, started, []);

    const page = await api(twin.url, 'GET', s.path);
    expect(page.status).toBe(200);
    expect(page.body).toContain('You already answered one question by SMS.');
    expect(page.body).not.toContain('name="csat"');
    expect(page.body).not.toContain('name="improve"'); // csat 4: no follow-up
    expect(page.body.match(/<fieldset/g)).toHaveLength(2);

    expect((await post(s.path, { resolved: 'yes', nps: '10' })).status).toBe(200);
    expect(await readSurvey(s)).toMatchObject({ status: 'completed', answers: { csat: 4, resolved: true, nps: 10 } });
  });

  it('reads the form when API Gateway hands it over base64-encoded, as it does for form bodies', async () => {
    const s = await linkSurvey('en');
    const token = s.path.slice(3);
    const { handler } = await import('../../functions/survey-web/handler');
    const event = {
      version: '2.0',
      routeKey: 'POST /s/{token}',
      rawPath: s.path,
      rawQueryString: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      pathParameters: { token },
      requestContext: { requestId: 'base64-form', http: { method: 'POST', path: s.path } },
      body: Buffer.from('csat=4&resolved=yes&nps=10').toString('base64'),
      isBase64Encoded: true,
    };
    const context = { functionName: 'switchboard-survey-web', awsRequestId: 'base64-form', getRemainingTimeInMillis: () => 10_000 };
    const answer = (await handler(event as never, context as never)) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('Thank you for your answers.');
    expect((await readSurvey(s)).answers).toEqual({ csat: 4, resolved: true, nps: 10 });
  });

  it('shows the expired page once the link has expired, for GET and POST', async () => {
    const s = await linkSurvey('zh-TW');
    await expect(handleSurveyTimer({ tenantId: s.tenantId, surveyId: s.surveyId, action: 'expire' })).resolves.toBe('expired');
    const page = await api(twin.url, 'GET', s.path);
    expect(page.status).toBe(410);
    expect(page.body).toContain('<html lang="zh-TW">');
    expect(page.body).toContain('這個問卷連結已經過期');
    const posted = await post(s.path, { csat: '5', resolved: 'yes', nps: '9' });
    expect(posted.status).toBe(410);
    expect((await readSurvey(s)).status).toBe('expired');
  });
});
