import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as TwinSupport from '../support/twin';
import type { TestTwin } from '../support/twin';

/**
 * What the functions write to their logs, captured as CloudWatch would receive it: one JSON
 * object a line, carrying the tenant and request ids and none of the personal data the
 * requests carried.
 */

let twin: TestTwin;
let support: typeof TwinSupport;
const lines: string[] = [];

beforeAll(async () => {
  // As a function deployed with POWERTOOLS_LOG_LEVEL=INFO (the stack's setting) logs. Powertools
  // reads it when its module loads, so the twin (and everything it loads) is imported after this.
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  support = await import('../support/twin');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    lines.push(...text.split('\n').filter((line) => line.startsWith('{')));
    return true;
  });
  twin = await support.startTestTwin();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await twin.close();
});

describe('function logs', () => {
  it('carry tenant and request ids and no personal data', async () => {
    const { api, createTenant } = support;
    const { apiKey, tenant } = await createTenant(twin, { name: 'Logging Ltd' });
    const personal = { givenName: 'Xiuying', familyName: 'Zhangwei', phone: '0987 654 321', email: 'xiuying.zhang@example.org', externalId: 'crm-secret-77' };
    const created = await api(twin.url, 'POST', '/v1/customers', { key: apiKey, body: personal });
    expect(created.status).toBe(201);
    const id = created.body.customerId;
    await api(twin.url, 'GET', `/v1/customers?phone=${encodeURIComponent(personal.phone)}`, { key: apiKey });
    await api(twin.url, 'GET', `/v1/customers?email=${personal.email}`, { key: apiKey });
    await api(twin.url, 'PATCH', `/v1/customers/${id}`, { key: apiKey, body: { email: 'bad' }, headers: { 'if-match': '"1"' } });
    await api(twin.url, 'POST', '/v1/customers', { key: apiKey, body: { ...personal, givenName: 'Dup' } });
    await api(twin.url, 'DELETE', `/v1/customers/${id}`, { key: apiKey });

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const handled = entries.filter((entry) => entry.message === 'Request handled' && entry.tenantId === tenant.tenantId);
    expect(handled.map((entry) => [entry.routeKey, entry.status])).toEqual([
      ['POST /v1/customers', 201],
      ['GET /v1/customers', 200],
      ['GET /v1/customers', 200],
      ['PATCH /v1/customers/{customerId}', 400],
      ['POST /v1/customers', 409],
      ['DELETE /v1/customers/{customerId}', 204],
    ]);
    for (const entry of handled) {
      expect(entry.correlation_id).toEqual(expect.any(String));
      expect(entry.function_request_id).toEqual(expect.any(String));
      expect(entry.level).toBe('INFO');
    }

    const everything = lines.join('\n');
    for (const value of [personal.givenName, personal.familyName, '987654321', '987 654 321', personal.email, 'xiuying', personal.externalId]) {
      expect(everything).not.toContain(value);
    }
  });
});
