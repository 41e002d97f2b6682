import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantAuthorizer } from '../../shared/http/functions';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { surveyTenant } from '../support/surveys';
import { advanceClock, eventually, settle, uniqueDigits } from '../support/waiting';

/**
 * Issue 11 §1: the operator suspends and resumes a tenant. A suspended tenant's keys answer 403
 * tenant-suspended (within the authorizer cache's TTL), and nothing is sent or scheduled for it:
 * each sender records why it skipped.
 */
let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

const operator = (method: string, path: string, body?: unknown) => api(twin.url, method, `/v1/operator${path}`, { key: twin.operatorKey, body });

describe('§1 suspending a tenant', () => {
  it("makes every key of the tenant answer 403 tenant-suspended, whatever its scope and route, until the operator resumes it; other tenants are untouched", async () => {
    const acme = await createTenant(twin);
    const other = await createTenant(twin);
    const agent = await api(twin.url, 'POST', '/v1/api-keys', { key: acme.apiKey, body: { name: 'desk', scopes: ['agent'] } });
    const suspended = await operator('POST', `/tenants/${acme.tenant.tenantId}/suspend`, { reason: 'Unpaid invoice 2026-11' });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ state: 'suspended', suspension: { reason: 'Unpaid invoice 2026-11', suspendedAt: expect.any(String) } });

    for (const [key, method, path, body] of [
      [acme.apiKey, 'GET', '/v1/tenant', undefined],
      [acme.apiKey, 'PATCH', '/v1/settings', { locale: 'en' }],
      [agent.body.secret, 'POST', '/v1/customers', { displayName: 'Ms Lin' }],
      [agent.body.secret, 'GET', '/v1/api-keys', undefined],
    ] as const) {
      const refused = await api(twin.url, method, path, { key, body });
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.body.type).toBe('/problems/tenant-suspended');
    }
    expect((await api(twin.url, 'GET', '/v1/tenant', { key: other.apiKey })).status).toBe(200);

    // Suspending again changes nothing (the first reason and time stay).
    const again = await operator('POST', `/tenants/${acme.tenant.tenantId}/suspend`, { reason: 'again' });
    expect(again.body.suspension).toEqual(suspended.body.suspension);
    const resumed = await operator('POST', `/tenants/${acme.tenant.tenantId}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.state).toBe('active');
    expect(resumed.body.suspension).toBeUndefined();
    expect((await api(twin.url, 'GET', '/v1/tenant', { key: acme.apiKey })).status).toBe(200);
  });

  it('sends nothing for a suspended tenant: a due survey is recorded not_sent tenant-suspended, HELP gets no answer; after resuming, sending works again', async () => {
    const t = await surveyTenant(twin, {}, { as: 'new' });
    const phone = `+8869${uniqueDigits()}`;
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: t.key, body: { displayName: 'Ms Lin', phone, consent: { sms: { status: 'granted', source: 'web-form' } } } });
    const opened = await api(twin.url, 'POST', '/v1/contacts', { key: t.key, body: { channel: 'voice', direction: 'inbound', purpose: 'service', customerId: customer.body.customerId } });
    expect((await api(twin.url, 'POST', `/v1/contacts/${opened.body.contactId}/close`, { key: t.key, body: { outcome: 'resolved' } })).status).toBe(200);
    const surveyId = await eventually(async () => {
      const page = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: t.key });
      return (page.body.items as { contactId: string; surveyId: string; status: string }[]).find((survey) => survey.contactId === opened.body.contactId && survey.status === 'pending')?.surveyId;
    }, 'the pending survey');

    expect((await operator('POST', `/tenants/${t.tenantId}/suspend`, { reason: 'abuse report' })).status).toBe(200);
    await advanceClock(twin, 6 * 60_000);
    const help = await api(twin.url, 'POST', '/local/sms/inbound', { body: { originationNumber: phone, destinationNumber: t.number, messageBody: 'HELP', inboundMessageId: `in-${Math.random()}` } });
    expect(help.status).toBe(202);
    await settle(twin);
    expect(twin.sms.sentTo(phone)).toEqual([]);

    expect((await operator('POST', `/tenants/${t.tenantId}/resume`)).status).toBe(200);
    const survey = await api(twin.url, 'GET', `/v1/surveys/${surveyId}`, { key: t.key });
    expect(survey.body).toMatchObject({ status: 'not_sent', notSentReason: 'tenant-suspended' });

    await api(twin.url, 'POST', '/local/sms/inbound', { body: { originationNumber: phone, destinationNumber: t.number, messageBody: 'HELP', inboundMessageId: `in-${Math.random()}` } });
    await settle(twin);
    expect(twin.sms.sentTo(phone)).toHaveLength(1);
  });

  // Last: a second twin points the functions' AWS endpoints at its own emulator, which it closes.
  it(`bites within the authorizer cache TTL (${tenantAuthorizer.cacheSeconds} s): a key answered just before keeps its cached answer until it expires`, async () => {
    const cached = await startTestTwin({ authorizerCacheSeconds: tenantAuthorizer.cacheSeconds });
    try {
      const tenant = await createTenant(cached);
      expect((await api(cached.url, 'GET', '/v1/tenant', { key: tenant.apiKey })).status).toBe(200);
      expect((await api(cached.url, 'POST', `/v1/operator/tenants/${tenant.tenant.tenantId}/suspend`, { key: cached.operatorKey, body: { reason: 'abuse' } })).status).toBe(200);
      expect((await api(cached.url, 'GET', '/v1/tenant', { key: tenant.apiKey })).status).toBe(200);
      cached.clock.advance((tenantAuthorizer.cacheSeconds + 1) * 1000);
      const refused = await api(cached.url, 'GET', '/v1/tenant', { key: tenant.apiKey });
      expect(refused.status).toBe(403);
      expect(refused.body.type).toBe('/problems/tenant-suspended');
    } finally {
      await cached.close();
    }
  });
});
