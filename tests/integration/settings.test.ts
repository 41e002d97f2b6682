import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

describe('settings', () => {
  it('start from the sign-up and sensible defaults', async () => {
    const { apiKey } = await createTenant(twin, { name: 'Formosa Care' });
    const settings = await api(twin.url, 'GET', '/v1/settings', { key: apiKey });
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({
      timezone: 'Asia/Taipei',
      locale: 'zh-TW',
      defaultCountry: 'TW',
      branding: { displayName: 'Formosa Care' },
      businessHours: { mon: [{ open: '09:00', close: '18:00' }], sun: [] },
      surveys: {
        enabled: false,
        templateId: expect.stringMatching(/^svt_/),
        delayMinutes: 10,
        samplingPercent: 100,
        quietHours: { start: '21:00', end: '08:00' },
        suppressionDays: 30,
        deliveryChannel: 'sms',
        lowScoreThresholds: { csat: 2, nps: 6 },
      },
      slaPolicy: {},
      webhooks: {},
      version: 1,
    });
    expect(settings.headers.get('etag')).toBe('"1"');
  });

  it('merge a patch, move the version, and show in the tenant', async () => {
    const { apiKey } = await createTenant(twin);
    const patched = await api(twin.url, 'PATCH', '/v1/settings', {
      key: apiKey,
      body: { timezone: 'Europe/London', locale: 'en', branding: { colour: '#AA3300' }, businessHours: { sat: [{ open: '10:00', close: '14:00' }] } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      timezone: 'Europe/London',
      branding: { colour: '#AA3300', displayName: 'Acme Support' },
      businessHours: { sat: [{ open: '10:00', close: '14:00' }], mon: [{ open: '09:00', close: '18:00' }] },
      version: 2,
    });
    const tenant = await api(twin.url, 'GET', '/v1/tenant', { key: apiKey });
    expect(tenant.body).toMatchObject({ timezone: 'Europe/London', locale: 'en' });
  });

  it('refuse unknown fields and invalid values, and change nothing', async () => {
    const { apiKey } = await createTenant(twin);
    const refused = await api(twin.url, 'PATCH', '/v1/settings', {
      key: apiKey,
      body: { timezone: 'Nowhere/City', branding: { colour: 'blue' }, businessHours: { mon: [{ open: '18:00', close: '09:00' }] }, favouriteColour: 'x' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '$',
      '$.branding.colour',
      '$.businessHours.mon[0].close',
      '$.timezone',
    ]);
    const unchanged = await api(twin.url, 'GET', '/v1/settings', { key: apiKey });
    expect(unchanged.body.version).toBe(1);
    expect(unchanged.body.timezone).toBe('Asia/Taipei');
  });

  it('honour If-Match when given', async () => {
    const { apiKey } = await createTenant(twin);
    const stale = await api(twin.url, 'PATCH', '/v1/settings', { key: apiKey, body: { locale: 'en' }, headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    const fresh = await api(twin.url, 'PATCH', '/v1/settings', { key: apiKey, body: { locale: 'en' }, headers: { 'if-match': '"1"' } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('"2"');
  });
  it("keep the Connect instance's access URL for the desk's phone: two shapes only, refused beside the field, merged apart from the instance list, admins only", async () => {
    const { apiKey } = await createTenant(twin);
    const refused = await api(twin.url, 'PATCH', '/v1/settings', { key: apiKey, body: { connect: { accessUrl: 'https://acme.my.connect.aws.evil.example' } } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: '$.connect.accessUrl', message: expect.stringContaining("instance's access URL") }]);
    expect((await api(twin.url, 'GET', '/v1/settings', { key: apiKey })).body.version).toBe(1);

    const saved = await api(twin.url, 'PATCH', '/v1/settings', { key: apiKey, body: { connect: { accessUrl: 'https://Acme.my.connect.aws/' } } });
    expect(saved.status).toBe(200);
    expect(saved.body.connect).toEqual({ instanceArns: [], accessUrl: 'https://acme.my.connect.aws' });
    const instancesOnly = await api(twin.url, 'PATCH', '/v1/settings', { key: apiKey, body: { connect: { instanceArns: [] } } });
    expect(instancesOnly.body.connect.accessUrl).toBe('https://acme.my.connect.aws');

    const agentKey = await api(twin.url, 'POST', '/v1/api-keys', { key: apiKey, body: { name: 'desk', scopes: ['agent'] } });
    expect(agentKey.status).toBe(201);
    const byAgent = await api(twin.url, 'PATCH', '/v1/settings', { key: agentKey.body.secret, body: { connect: { accessUrl: null } } });
    expect(byAgent.status).toBe(403);
    // An agent's desk reads it to open the phone.
    expect((await api(twin.url, 'GET', '/v1/settings', { key: agentKey.body.secret })).body.connect.accessUrl).toBe('https://acme.my.connect.aws');

    const removed = await api(twin.url, 'PATCH', '/v1/settings', { key: apiKey, body: { connect: { accessUrl: null } } });
    expect(removed.body.connect).toEqual({ instanceArns: [] });
  });
});
