import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as FaultSupport from '../support/faults';
import type { FaultyTwin } from '../support/faults';
import { captureLogLines } from '../support/log-capture';
import type * as TwinSupport from '../support/twin';
import type * as Waiting from '../support/waiting';

/**
 * What the functions write to their logs, captured as CloudWatch would receive it (stdout and
 * stderr, where WARN and ERROR go): one JSON object a line, carrying the tenant and request ids
 * and none of the personal data the requests carried. The twin sits behind the fault proxy so
 * that the WARN and ERROR paths (AWS unavailable, an unexpected AWS error) can be driven too.
 */

let twin: FaultyTwin;
let support: typeof TwinSupport;
let waiting: typeof Waiting;
const captured = captureLogLines();

beforeAll(async () => {
  // As a function logs with POWERTOOLS_LOG_LEVEL=INFO (the stack deploys WARN; INFO is what an operator
  // sets on a function to follow its requests). Powertools reads it when its module loads, so the
  // twin (and everything it loads) is imported after this.
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  support = await import('../support/twin');
  waiting = await import('../support/waiting');
  const faults: typeof FaultSupport = await import('../support/faults');
  twin = await faults.startFaultyTwin();
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

    const lines = captured.map((entry) => entry.line);
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

describe('WARN and ERROR lines', () => {
  it('go to stderr and carry no personal data either', async () => {
    const { api, createTenant } = support;
    const { apiKey, tenant } = await createTenant(twin, { name: 'Warnings Ltd' });
    const personal = { givenName: 'Meilingmarker', familyName: 'Kaohsiungfamily', phone: '+886911222333', email: 'meiling.marker@example.org' };
    const leaks = [personal.givenName, personal.familyName, '911222333', personal.email, 'meiling', 'Private-reply-words'];
    const from = captured.length;

    // DynamoDB throttles past the SDK's retries: 503 and a WARN.
    const throttled = twin.faults.inject({
      operation: 'TransactWriteItems',
      bodyIncludes: tenant.tenantId,
      times: Infinity,
      answer: { type: 'ThrottlingException', message: 'Rate of requests exceeds the allowed throughput' },
    });
    expect((await api(twin.url, 'POST', '/v1/customers', { key: apiKey, body: personal })).status).toBe(503);
    twin.faults.clear(throttled);

    // An AWS error nothing expects: 500 and an ERROR with the error.
    const refused = twin.faults.inject({
      operation: 'TransactWriteItems',
      bodyIncludes: tenant.tenantId,
      times: Infinity,
      answer: { type: 'ValidationException', message: 'One or more parameter values were invalid' },
    });
    expect((await api(twin.url, 'POST', '/v1/customers', { key: apiKey, body: personal })).status).toBe(500);
    twin.faults.clear(refused);

    // The customer texts a number no tenant has connected: dropped with a WARN.
    const inbound = await api(twin.url, 'POST', '/local/sms/inbound', {
      body: { originationNumber: personal.phone, destinationNumber: '+15550001999', messageKeyword: 'KEYWORD_NONE', messageBody: `Private-reply-words from ${personal.givenName}` },
    });
    expect(inbound.status).toBe(202);
    await waiting.settle(twin);

    const logged = captured.slice(from);
    const onStderr = logged.filter((entry) => entry.stream === 'stderr').map((entry) => JSON.parse(entry.line) as Record<string, unknown>);
    expect(onStderr.map((entry) => [entry.level, entry.message])).toEqual(
      expect.arrayContaining([
        ['WARN', 'AWS busy or unavailable after the SDK retries'],
        ['ERROR', 'Unhandled error'],
        ['WARN', 'Inbound SMS to a number no tenant has connected; dropped'],
      ]),
    );
    expect(onStderr.every((entry) => entry.level === 'WARN' || entry.level === 'ERROR')).toBe(true);
    for (const { line } of logged) for (const leak of leaks) expect(line, `logged ${leak}`).not.toContain(leak);
  });
});
