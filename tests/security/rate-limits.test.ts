import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyLinkMisses } from '../../shared/http/rate-limit';
import { type TestTwin, api, createTenant, startTestTwin } from '../support/twin';

/**
 * The two request limits on the local twin: survey-link guessing per client address, and each
 * tenant's requests per minute. Clients at different addresses are made by binding the socket
 * to another loopback address (127.0.0.0/8 is all loopback on Linux), which the twin reports as
 * requestContext.http.sourceIp as API Gateway would.
 */

let twin: TestTwin;
const perMinuteOverride = 'TENANT_REQUESTS_PER_MINUTE';
const tenantLimitForTest = 15;

beforeAll(async () => {
  process.env[perMinuteOverride] = String(tenantLimitForTest);
  twin = await startTestTwin();
});
afterAll(async () => {
  delete process.env[perMinuteOverride];
  await twin.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request from `fromAddress`, e.g. 127.0.0.7: another client as far as the twin can tell. */
function sendFrom(fromAddress: string, method: string, path: string, form?: string): Promise<Answer> {
  const url = new URL(path, twin.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method, localAddress: fromAddress, headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(form);
  });
}

const guessedToken = (i: number) => `${'g'.repeat(39)}${String(i).padStart(4, '0')}`;

async function openLinkSurvey(key: string): Promise<string> {
  const customer = await api(twin.url, 'POST', '/v1/customers', { key, body: { displayName: 'Link holder' } });
  const contact = await api(twin.url, 'POST', '/v1/contacts', {
    key,
    body: { channel: 'chat', direction: 'inbound', purpose: 'service', customerId: customer.body.customerId },
  });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  expect((await api(twin.url, 'POST', `/v1/contacts/${contact.body.contactId}/close`, { key, body: { outcome: 'resolved' } })).status).toBe(200);
  const survey = await api(twin.url, 'POST', '/v1/surveys', { key, body: { contactId: contact.body.contactId, deliveryChannel: 'link' } });
  expect(survey.status, JSON.stringify(survey.body)).toBe(201);
  return survey.body.linkPath as string;
}

describe('survey-link guessing', () => {
  it(`answers 429 with Retry-After after ${surveyLinkMisses.limit} unknown links from one client, and only to that client`, async () => {
    const { apiKey } = await createTenant(twin, { name: 'Guessed Co', plan: 'enterprise' });
    const realLink = await openLinkSurvey(apiKey);
    const guesser = '127.0.0.7';

    for (let i = 0; i < surveyLinkMisses.limit; i++) {
      const miss = await sendFrom(guesser, i % 2 === 0 ? 'GET' : 'POST', `/s/${guessedToken(i)}`, i % 2 === 0 ? undefined : 'q1=5');
      expect(miss.status, `guess ${i + 1}`).toBe(404);
    }
    const refused = await sendFrom(guesser, 'GET', `/s/${guessedToken(999)}`);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(refused.body).toContain('Please wait a moment');
    expect(refused.body).toContain('請稍候再試');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(surveyLinkMisses.windowSeconds);

    // Blocked means blocked: even a right guess learns nothing until the window is over.
    expect((await sendFrom(guesser, 'GET', realLink)).status).toBe(429);
    // Another client with the real link is served as usual.
    const customer = await sendFrom('127.0.0.8', 'GET', realLink);
    expect(customer.status).toBe(200);
    expect(customer.body).toContain('<form');
  });

  it('does not count real links as misses', async () => {
    const { apiKey } = await createTenant(twin, { name: 'Busy Link Co', plan: 'enterprise' });
    const realLink = await openLinkSurvey(apiKey);
    for (let i = 0; i < surveyLinkMisses.limit + 3; i++) {
      expect((await sendFrom('127.0.0.9', 'GET', realLink)).status).toBe(200);
    }
  });
});

describe('per-tenant request limit', () => {
  it('answers 429 problem+json with Retry-After once a tenant is over its limit, and leaves other tenants alone', async () => {
    const noisy = await createTenant(twin, { name: 'Noisy Co' });
    const quiet = await createTenant(twin, { name: 'Quiet Co' });
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof api>> | undefined;
    // A minute boundary may fall inside the burst and reset the count once; twice the limit plus a margin is refused either way.
    for (let i = 0; i < 2 * tenantLimitForTest + 5; i++) {
      const answer = await api(twin.url, 'GET', '/v1/settings', { key: noisy.apiKey });
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
    }
    expect(statuses.slice(0, tenantLimitForTest).every((status) => status === 200 || status === 429)).toBe(true);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    expect(refused!.headers.get('content-type')).toBe('application/problem+json');
    expect(refused!.body).toMatchObject({ type: '/problems/too-many-requests', status: 429 });
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    expect((await api(twin.url, 'GET', '/v1/settings', { key: quiet.apiKey })).status).toBe(200);
  });

  it('refuses before any write: a throttled create stores nothing', async () => {
    const tenant = await createTenant(twin, { name: 'Flooding Co' });
    let throttled = 0;
    for (let i = 0; i < 2 * tenantLimitForTest + 5; i++) {
      const answer = await api(twin.url, 'POST', '/v1/customers', { key: tenant.apiKey, body: { displayName: `Flood ${i}` } });
      if (answer.status === 429) throttled++;
      else expect(answer.status).toBe(201);
    }
    expect(throttled).toBeGreaterThanOrEqual(5);
    process.env[perMinuteOverride] = '100000';
    try {
      const listed = await api(twin.url, 'GET', '/v1/customers?limit=100', { key: tenant.apiKey });
      expect(listed.body.items).toHaveLength(2 * tenantLimitForTest + 5 - throttled);
    } finally {
      process.env[perMinuteOverride] = String(tenantLimitForTest);
    }
  });
});
