import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTemplateContent } from '../../shared/domain/surveys/default-template';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';
import { allocateSmsSender } from '../support/operator';

let twin: TestTwin;
let key: string;
let readonlyKey: string;
beforeAll(async () => {
  twin = await startTestTwin();
  key = (await createTenant(twin)).apiKey;
  const issued = await api(twin.url, 'POST', '/v1/api-keys', { key, body: { name: 'Dashboard', scopes: ['readonly'] } });
  readonlyKey = issued.body.secret;
});
afterAll(() => twin.close());

const text = (en: string, zh: string) => ({ en, 'zh-TW': zh });
const content = () => ({
  name: 'After a chat',
  description: 'Short chat survey',
  defaultLanguage: 'en',
  smsIntro: text('Hi from {company}', '{company}您好'),
  thankYou: text('Thank you', '謝謝您'),
  questions: [
    { questionId: 'csat', type: 'csat', text: text('How satisfied are you?', '您滿意嗎？') },
    {
      questionId: 'why',
      type: 'freeText',
      required: false,
      maxLength: 300,
      text: text('What went wrong?', '哪裡做得不好？'),
      showIf: { questionId: 'csat', operator: 'lte', value: 2 },
    },
    { questionId: 'ces', type: 'ces', text: text('It was easy to get help.', '這次求助很容易。') },
  ],
});
const create = (body: unknown = content(), apiKey = key, headers: Record<string, string> = {}) =>
  api(twin.url, 'POST', '/v1/survey-templates', { key: apiKey, body, headers });

describe('survey templates', () => {
  it('include the default one every tenant starts with, which the survey rules use', async () => {
    const tenant = await createTenant(twin, { locale: 'zh-TW' });
    const list = await api(twin.url, 'GET', '/v1/survey-templates', { key: tenant.apiKey });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const [template] = list.body.items;
    expect(template).toMatchObject({ isDefault: true, status: 'active', version: 1, currentVersion: 1, defaultLanguage: 'zh-TW' });
    expect(template.questions.map((q: { questionId: string }) => q.questionId)).toEqual(['csat', 'improve']);
    expect(template.questions[0].text['zh-TW']).toBe('您對這次的服務滿意嗎？');
    const settings = await api(twin.url, 'GET', '/v1/settings', { key: tenant.apiKey });
    expect(settings.body.surveys).toMatchObject({
      enabled: false,
      templateId: template.templateId,
      smsWebLink: false,
      smsThankYou: false,
      maxSegmentsPerMessage: 1,
    });
  });

  it('are created once per Idempotency-Key, and read back as created', async () => {
    const headers = { 'idempotency-key': `tpl-${Date.now()}` };
    const first = await create(content(), key, headers);
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/v1/survey-templates/${first.body.templateId}`);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.body).toMatchObject({ name: 'After a chat', version: 1, currentVersion: 1, status: 'active', isDefault: false });
    const again = await create(content(), key, headers);
    expect(again.status).toBe(201);
    expect(again.body.templateId).toBe(first.body.templateId);
    const read = await api(twin.url, 'GET', `/v1/survey-templates/${first.body.templateId}`, { key: readonlyKey });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(first.body);
  });

  it('refuse invalid templates with the path of each problem, and store nothing', async () => {
    const before = await api(twin.url, 'GET', '/v1/survey-templates?limit=100', { key });
    const bad = content();
    bad.questions[1]!.showIf = { questionId: 'ces', operator: 'lte', value: 2 };
    (bad.questions[2]!.text as Record<string, string>) = { en: 'Easy?' };
    const refused = await create(bad);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['$.questions[2].text.zh-TW']);
    bad.questions[2]!.text = text('Easy?', '容易嗎？');
    const laterReference = await create(bad);
    expect(laterReference.status).toBe(400);
    expect(laterReference.body.errors).toEqual([{ path: '$.questions[1].showIf.questionId', message: expect.stringContaining('earlier') }]);
    const after = await api(twin.url, 'GET', '/v1/survey-templates?limit=100', { key });
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('need an admin key to write, a readonly key to read', async () => {
    expect((await create(content(), readonlyKey)).status).toBe(403);
    expect((await api(twin.url, 'GET', '/v1/survey-templates', { key: readonlyKey })).status).toBe(200);
  });

  it('change by new versions only; older versions stay readable as they were', async () => {
    const created = await create();
    const id = created.body.templateId;
    const path = `/v1/survey-templates/${id}`;
    expect((await api(twin.url, 'PATCH', path, { key, body: { name: 'x' } })).status).toBe(428);
    expect((await api(twin.url, 'PATCH', path, { key, body: { name: 'x' }, headers: { 'if-match': '"9"' } })).status).toBe(412);

    const questions = content().questions;
    questions[0]!.text = text('Overall, how satisfied are you?', '整體而言，您滿意嗎？');
    const v2 = await api(twin.url, 'PATCH', path, { key, body: { questions, description: null }, headers: { 'if-match': '"1"' } });
    expect(v2.status).toBe(200);
    expect(v2.headers.get('etag')).toBe('"2"');
    expect(v2.body).toMatchObject({ version: 2, currentVersion: 2, name: 'After a chat' });
    expect(v2.body).not.toHaveProperty('description');

    // The same change again makes no version 3.
    const same = await api(twin.url, 'PATCH', path, { key, body: { questions }, headers: { 'if-match': '"2"' } });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(2);

    const current = await api(twin.url, 'GET', path, { key });
    expect(current.body.questions[0].text.en).toBe('Overall, how satisfied are you?');
    const old = await api(twin.url, 'GET', `${path}?version=1`, { key });
    expect(old.status).toBe(200);
    expect(old.headers.get('etag')).toBe('"1"');
    expect(old.body).toMatchObject({ version: 1, currentVersion: 2, description: 'Short chat survey' });
    expect(old.body.questions[0].text.en).toBe('How satisfied are you?');
    expect((await api(twin.url, 'GET', `${path}?version=3`, { key })).status).toBe(404);
    expect((await api(twin.url, 'GET', `${path}?version=zero`, { key })).status).toBe(400);

    // Editing from the old version's ETag is refused: it is not the current one.
    expect((await api(twin.url, 'PATCH', path, { key, body: { name: 'y' }, headers: { 'if-match': '"1"' } })).status).toBe(412);
    const invalid = await api(twin.url, 'PATCH', path, { key, body: { questions: [...questions].reverse() }, headers: { 'if-match': '"2"' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].path).toBe('$.questions[1].showIf.questionId');
    expect((await api(twin.url, 'GET', path, { key })).body.version).toBe(2);
  });

  it('are archived, not deleted: no more changes, every version still readable, listed by status', async () => {
    const created = await create();
    const path = `/v1/survey-templates/${created.body.templateId}`;
    await api(twin.url, 'PATCH', path, { key, body: { name: 'Second' }, headers: { 'if-match': '"1"' } });
    expect((await api(twin.url, 'DELETE', path, { key })).status).toBe(204);
    expect((await api(twin.url, 'DELETE', path, { key })).status).toBe(204);
    const read = await api(twin.url, 'GET', path, { key });
    expect(read.body).toMatchObject({ status: 'archived', version: 2, name: 'Second', archivedAt: expect.any(String) });
    expect((await api(twin.url, 'GET', `${path}?version=1`, { key })).body).toMatchObject({ status: 'archived', version: 1, name: 'After a chat' });
    const edit = await api(twin.url, 'PATCH', path, { key, body: { name: 'Third' }, headers: { 'if-match': '"2"' } });
    expect(edit.status).toBe(409);
    const archived = await api(twin.url, 'GET', '/v1/survey-templates?status=archived&limit=100', { key });
    expect(archived.body.items.map((t: { templateId: string }) => t.templateId)).toContain(created.body.templateId);
    const active = await api(twin.url, 'GET', '/v1/survey-templates?status=active&limit=100', { key });
    expect(active.body.items.map((t: { templateId: string }) => t.templateId)).not.toContain(created.body.templateId);
  });

  it('answer 404 for an unknown or malformed id', async () => {
    for (const id of ['svt_01JZZZZZZZZZZZZZZZZZZZZZZZ', 'nonsense']) {
      expect((await api(twin.url, 'GET', `/v1/survey-templates/${id}`, { key })).status).toBe(404);
      expect((await api(twin.url, 'DELETE', `/v1/survey-templates/${id}`, { key })).status).toBe(404);
    }
  });

  it('are listed page by page with a cursor, oldest first', async () => {
    const tenant = await createTenant(twin);
    for (const name of ['One', 'Two', 'Three']) await create({ ...content(), name }, tenant.apiKey);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api(twin.url, 'GET', `/v1/survey-templates?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: tenant.apiKey });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((t: { name: string }) => t.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Satisfaction after a contact', 'One', 'Two', 'Three']);
  });
});

describe('the SMS segments in a template answer', () => {
  it('show each message per language, with the tenant display name, and warn over settings.surveys.maxSegmentsPerMessage', async () => {
    const tenant = await createTenant(twin, { name: 'Acme', locale: 'zh-TW' });
    const [byDefault] = (await api(twin.url, 'GET', '/v1/survey-templates', { key: tenant.apiKey })).body.items;
    expect(byDefault.sms).toMatchObject({ maxSegmentsPerMessage: 1, warnings: [] });
    expect(byDefault.sms.messages).toContainEqual({
      message: 'first',
      questionId: 'csat',
      language: 'zh-TW',
      encoding: 'UCS-2',
      characters: 58,
      segments: 1,
      overLimit: false,
    });

    const long = '很抱歉這次沒能讓您滿意。請告訴我們，哪些地方可以做得更好？您的每一則意見都會由專人閱讀，並在一週內以簡訊或電話回覆您處理的結果與後續的改善方式。';
    const improve = byDefault.questions[1];
    const changed = await api(twin.url, 'PATCH', `/v1/survey-templates/${byDefault.templateId}`, {
      key: tenant.apiKey,
      headers: { 'if-match': '"1"' },
      body: { questions: [byDefault.questions[0], { ...improve, text: { ...improve.text, 'zh-TW': long } }] },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.sms.messages.find((m: { questionId?: string; language: string }) => m.questionId === 'improve' && m.language === 'zh-TW')).toMatchObject({
      segments: 2,
      overLimit: true,
    });
    expect(changed.body.sms.warnings).toEqual([
      `The SMS asking improve in zh-TW is 2 segments (${long.length} characters, UCS-2: 70 characters in one segment, 67 each when split); settings.surveys.maxSegmentsPerMessage allows 1`,
    ]);

    await api(twin.url, 'PATCH', '/v1/settings', { key: tenant.apiKey, body: { surveys: { maxSegmentsPerMessage: 2 } } });
    const read = await api(twin.url, 'GET', `/v1/survey-templates/${byDefault.templateId}`, { key: tenant.apiKey });
    expect(read.body.sms).toMatchObject({ maxSegmentsPerMessage: 2, warnings: [] });
  });
});

describe('survey rules in settings', () => {
  it('accept a valid change and show it merged over the defaults', async () => {
    const tenant = await createTenant(twin);
    const other = await create(content(), tenant.apiKey);
    // SMS surveys need a sender the operator allocated.
    const sender = `+8862${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await allocateSmsSender(twin, tenant.tenant.tenantId, sender);
    const patched = await api(twin.url, 'PATCH', '/v1/settings', {
      key: tenant.apiKey,
      body: { sms: { originationIdentity: sender }, surveys: { enabled: true, templateId: other.body.templateId, channels: ['voice', 'chat'], delayMinutes: 0, lowScoreThresholds: { nps: 5 } } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.surveys).toEqual({
      enabled: true,
      templateId: other.body.templateId,
      channels: ['voice', 'chat'],
      queues: [],
      purposes: ['service', 'care'],
      delayMinutes: 0,
      samplingPercent: 100,
      quietHours: { start: '21:00', end: '08:00' },
      suppressionDays: 30,
      dailyCap: 1000,
      linkExpiryHours: 72,
      deliveryChannel: 'sms',
      requireExplicitConsent: true,
      lowScoreThresholds: { csat: 2, nps: 5 },
      smsWebLink: false,
      smsThankYou: false,
      maxSegmentsPerMessage: 1,
    });
  });

  it('refuse an unknown, foreign or archived template with its path, and change nothing', async () => {
    const tenant = await createTenant(twin);
    const foreign = await create(content(), key);
    const archived = await create(content(), tenant.apiKey);
    await api(twin.url, 'DELETE', `/v1/survey-templates/${archived.body.templateId}`, { key: tenant.apiKey });
    for (const templateId of ['svt_01JZZZZZZZZZZZZZZZZZZZZZZZ', 'not-an-id', foreign.body.templateId, archived.body.templateId]) {
      const refused = await api(twin.url, 'PATCH', '/v1/settings', { key: tenant.apiKey, body: { surveys: { templateId } } });
      expect(refused.status, templateId).toBe(422);
      expect(refused.body.errors).toEqual([{ path: '$.surveys.templateId', message: expect.any(String) }]);
    }
    const noTemplate = await api(twin.url, 'PATCH', '/v1/settings', { key: tenant.apiKey, body: { surveys: { enabled: true, templateId: null } } });
    expect(noTemplate.status).toBe(422);
    const settings = await api(twin.url, 'GET', '/v1/settings', { key: tenant.apiKey });
    expect(settings.body.version).toBe(1);
    expect(settings.body.surveys.enabled).toBe(false);
  });

  it('refuse bad times and percentages with their paths', async () => {
    const refused = await api(twin.url, 'PATCH', '/v1/settings', {
      key,
      body: { surveys: { quietHours: { start: '25:00', end: '08:00' }, samplingPercent: 150 } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['$.surveys.quietHours.start', '$.surveys.samplingPercent']);
  });

  it('keep the template they use from being archived', async () => {
    const tenant = await createTenant(twin);
    const settings = await api(twin.url, 'GET', '/v1/settings', { key: tenant.apiKey });
    const defaultId = settings.body.surveys.templateId;
    const refused = await api(twin.url, 'DELETE', `/v1/survey-templates/${defaultId}`, { key: tenant.apiKey });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('settings.surveys.templateId');
    expect((await api(twin.url, 'GET', `/v1/survey-templates/${defaultId}`, { key: tenant.apiKey })).body.status).toBe('active');

    const replacement = await create(defaultTemplateContent('en'), tenant.apiKey);
    await api(twin.url, 'PATCH', '/v1/settings', { key: tenant.apiKey, body: { surveys: { templateId: replacement.body.templateId } } });
    expect((await api(twin.url, 'DELETE', `/v1/survey-templates/${defaultId}`, { key: tenant.apiKey })).status).toBe(204);
  });
});
