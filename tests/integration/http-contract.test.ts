import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

let twin: TestTwin;
let key: string;
beforeAll(async () => {
  twin = await startTestTwin();
  key = (await createTenant(twin)).apiKey;
});
afterAll(() => twin.close());

const raw = (method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) =>
  fetch(`${twin.url}${path}`, { method, body, headers: { authorization: `Bearer ${key}`, ...headers } });

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^\/problems\/[a-z-]+$/), title: expect.any(String) });
  return problem;
}

const customerCount = async () => (await api(twin.url, 'GET', '/v1/customers?limit=100', { key })).body.items.length;

describe('the HTTP contract', () => {
  it('answers malformed JSON with 400 and writes nothing', async () => {
    const before = await customerCount();
    const problem = await expectProblem(await raw('POST', '/v1/customers', '{"displayName": "x",', { 'content-type': 'application/json' }), 400);
    expect(problem.detail).toMatch(/JSON/);
    expect(await customerCount()).toBe(before);
  });

  it('answers a body that is not JSON with 415', async () => {
    await expectProblem(await raw('POST', '/v1/customers', 'displayName=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
    await expectProblem(await raw('POST', '/v1/customers', '{"displayName":"x"}', { 'content-type': 'text/plain' }), 415);
  });

  it('accepts JSON with a charset or a +json media type', async () => {
    const ok = await raw('POST', '/v1/customers', '{"displayName":"x"}', { 'content-type': 'application/json; charset=utf-8' });
    expect(ok.status).toBe(201);
  });

  it('answers a body over 64 KiB with 413 and writes nothing', async () => {
    const before = await customerCount();
    const body = JSON.stringify({ displayName: 'x', tags: ['a'.repeat(70 * 1024)] });
    await expectProblem(await raw('POST', '/v1/customers', body, { 'content-type': 'application/json' }), 413);
    expect(await customerCount()).toBe(before);
  });

  it('answers an unknown route with 404 and a wrong method with 405 and Allow', async () => {
    await expectProblem(await raw('GET', '/v1/nothing-here', undefined), 404);
    await expectProblem(await raw('GET', '/v2/customers', undefined), 404);
    const wrong = await raw('PUT', '/v1/settings', '{}', { 'content-type': 'application/json' });
    await expectProblem(wrong, 405);
    expect(wrong.headers.get('allow')).toBe('GET, PATCH');
  });

  it('answers an unknown key with 401 problem+json and WWW-Authenticate', async () => {
    const response = await fetch(`${twin.url}/v1/customers`, { headers: { authorization: 'Bearer sb.nope' } });
    await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers a missing Authorization header with 401 as API Gateway does, before any function runs', async () => {
    const response = await fetch(`${twin.url}/v1/customers`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  it('serves the OpenAPI document without a credential', async () => {
    const response = await fetch(`${twin.url}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/v1/customers/{customerId}']?.patch?.operationId).toBe('updateCustomer');
  });

  it('sends nosniff and HSTS with every answer a function gives: JSON, problem+json, CSV, the OpenAPI document and the survey page', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const answers = {
      json: await raw('GET', '/v1/customers', undefined),
      problem: await raw('GET', '/v1/customers/cus_nothere', undefined),
      fallback: await raw('GET', '/v1/nowhere', undefined),
      csv: await raw('GET', `/v1/exports/contacts?from=${today}&to=${today}`, undefined),
      openapi: await fetch(`${twin.url}/openapi.json`),
      surveyPage: await fetch(`${twin.url}/s/not-a-real-token`),
    };
    for (const [name, response] of Object.entries(answers)) {
      expect([name, response.headers.get('x-content-type-options')]).toEqual([name, 'nosniff']);
      expect([name, response.headers.get('strict-transport-security')]).toEqual([name, 'max-age=31536000; includeSubDomains']);
    }
    expect(answers.csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(answers.problem.headers.get('content-type')).toBe('application/problem+json');
  });

  it("names problem types whose pages the API serves: the type resolved against the request's URL", async () => {
    const problem = await expectProblem(await raw('GET', '/v1/customers/cus_01JZZZZZZZZZZZZZZZZZZZZZZZ', undefined), 404);
    const page = await fetch(new URL(String(problem.type), `${twin.url}/v1/customers/cus_01JZZZZZZZZZZZZZZZZZZZZZZZ`));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<h1>not-found</h1>');
    const unknown = await fetch(`${twin.url}/problems/no-such-type`);
    expect([unknown.status, unknown.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
  });

  it('refuses a repeated filter rather than guessing', async () => {
    await expectProblem(await raw('GET', '/v1/customers?email=a@b.co&email=c@d.co', undefined), 400);
  });
});
