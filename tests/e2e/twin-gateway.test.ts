import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LambdaModule, TwinFunctionName } from '../../infra/local/twin';
import { api, startTestTwin, type TestTwin } from '../support/twin';

/**
 * The twin's API Gateway half, observed through stand-in functions that record what they are
 * given: the events must be what API Gateway sends, and answers must come back as it sends them.
 */

type Invocation = { name: TwinFunctionName; event: APIGatewayProxyEventV2; context: Context };
type Authorization = { event: APIGatewayRequestAuthorizerEventV2; context: Context };

const invocations: Invocation[] = [];
const authorizations: Authorization[] = [];
let nextAnswer: (event: APIGatewayProxyEventV2) => unknown = () => ({ statusCode: 200, body: 'ok' });
const tenantContext = { tenantId: 'ten_TEST', keyId: 'key_TEST', scopes: 'admin' };

async function standIn(name: TwinFunctionName): Promise<LambdaModule> {
  if (name === 'authorizer') {
    return {
      handler: async (event: APIGatewayRequestAuthorizerEventV2, context: Context) => {
        authorizations.push({ event, context });
        if (event.identitySource[0] === 'Bearer explode') throw new Error('authorizer down');
        return event.identitySource[0] === 'Bearer good'
          ? { isAuthorized: true, context: tenantContext }
          : { isAuthorized: false, context: {} };
      },
    };
  }
  return {
    handler: async (event: APIGatewayProxyEventV2, context: Context) => {
      invocations.push({ name, event, context });
      return nextAnswer(event);
    },
  };
}

let twin: TestTwin;
beforeAll(async () => {
  // No stream relay: the stand-ins would also be handed the outbox events other test files write.
  // The stand-ins answer whatever the gateway case needs, not the routes' declared responses.
  twin = await startTestTwin({ loadFunction: standIn, events: { withoutStream: true }, checkAnswers: false });
});
afterAll(() => twin.close());
afterEach(() => {
  invocations.length = 0;
  authorizations.length = 0;
  nextAnswer = () => ({ statusCode: 200, body: 'ok' });
});

function rawGet(url: string, headers: OutgoingHttpHeaders): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    request.on('error', reject);
    request.end();
  });
}

const lastInvocation = () => {
  expect(invocations).toHaveLength(1);
  return invocations[0]!;
};

describe('the events the twin sends', () => {
  it('are payload 2.0 events with the declared route key, parameters, headers and cookies', async () => {
    // fetch would merge repeated headers itself; node:http sends each line as given.
    const response = await rawGet(`${twin.url}/v1/customers/cus_123?limit=5&tag=a&tag=b&q=a+b%2Bc`, {
      Authorization: 'Bearer good',
      'X-Repeated': ['one', 'two'],
      Cookie: ['session=abc; theme=dark', 'lang=zh'],
      'User-Agent': 'twin-test/1.0',
    });
    expect(response.status).toBe(200);
    const { name, event, context } = lastInvocation();
    expect(name).toBe('customers');
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/customers/{customerId}',
      rawPath: '/v1/customers/cus_123',
      rawQueryString: 'limit=5&tag=a&tag=b&q=a+b%2Bc',
      queryStringParameters: { limit: '5', tag: 'a,b', q: 'a b+c' },
      pathParameters: { customerId: 'cus_123' },
      cookies: ['session=abc', 'theme=dark', 'lang=zh'],
      isBase64Encoded: false,
      requestContext: {
        routeKey: 'GET /v1/customers/{customerId}',
        stage: '$default',
        http: { method: 'GET', path: '/v1/customers/cus_123', protocol: 'HTTP/1.1', userAgent: 'twin-test/1.0' },
        authorizer: { lambda: tenantContext },
      },
    });
    expect(event.headers).toMatchObject({ authorization: 'Bearer good', 'x-repeated': 'one,two', 'x-forwarded-proto': 'http' });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(Object.keys(event.headers).every((header) => header === header.toLowerCase())).toBe(true);
    expect(event.requestContext.http.sourceIp).toBe('127.0.0.1');
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(event).not.toHaveProperty('body');
    expect(response.headers['apigw-requestid']).toBe(event.requestContext.requestId);

    expect(context.functionName).toBe('switchboard-customers');
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('give every request its own request id', async () => {
    await api(twin.url, 'GET', '/openapi.json');
    await api(twin.url, 'GET', '/openapi.json');
    expect(invocations).toHaveLength(2);
    expect(invocations[0]!.event.requestContext.requestId).not.toBe(invocations[1]!.event.requestContext.requestId);
    expect(invocations[0]!.event).not.toHaveProperty('queryStringParameters');
    expect(invocations[0]!.event).not.toHaveProperty('pathParameters');
  });

  it('carry a text body as text and anything else in base64', async () => {
    await api(twin.url, 'POST', '/v1/customers', { key: 'good', body: { displayName: '林美玲' } });
    expect(lastInvocation().event).toMatchObject({ body: '{"displayName":"林美玲"}', isBase64Encoded: false });

    invocations.length = 0;
    const bytes = Buffer.from([0, 1, 2, 255]);
    await fetch(`${twin.url}/v1/customers`, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(lastInvocation().event).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('send undeclared routes, and declared paths with another method, to the fallback as $default', async () => {
    await api(twin.url, 'GET', '/v1/nothing-here');
    await api(twin.url, 'PUT', '/v1/settings', { key: 'good', body: {} });
    expect(invocations.map((invocation) => [invocation.name, invocation.event.routeKey])).toEqual([
      ['fallback', '$default'],
      ['fallback', '$default'],
    ]);
    expect(authorizations).toHaveLength(0);
  });

  it('do not run the authorizer for public and operator routes', async () => {
    await api(twin.url, 'GET', '/openapi.json');
    await api(twin.url, 'POST', '/v1/tenants', { key: 'anything', body: {} });
    expect(invocations.map((invocation) => invocation.name)).toEqual(['openapi', 'tenants']);
    expect(authorizations).toHaveLength(0);
    expect(invocations[1]!.event.requestContext).not.toHaveProperty('authorizer');
  });
});

describe('the authorizer, as API Gateway runs it', () => {
  it('gets a REQUEST event with the Authorization header as identity source and the route ARN', async () => {
    await api(twin.url, 'GET', '/v1/settings?x=1', { key: 'good' });
    expect(authorizations).toHaveLength(1);
    const { event, context } = authorizations[0]!;
    expect(event).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      identitySource: ['Bearer good'],
      routeKey: 'GET /v1/settings',
      rawPath: '/v1/settings',
      rawQueryString: 'x=1',
      headers: { authorization: 'Bearer good' },
    });
    expect(event.routeArn).toMatch(/^arn:aws:execute-api:[^:]+:\d{12}:[^/]+\/\$default\/GET\/v1\/settings$/);
    expect(event).not.toHaveProperty('body');
    expect(context.functionName).toBe('switchboard-authorizer');
  });

  it('is skipped without an Authorization header: 401 {"message":"Unauthorized"}, as API Gateway answers', async () => {
    const refused = await api(twin.url, 'GET', '/v1/settings');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toBe('application/json');
    expect(refused.body).toEqual({ message: 'Unauthorized' });
    expect(authorizations).toHaveLength(0);
    expect(invocations).toHaveLength(0);
  });

  it('refusing means 403 {"message":"Forbidden"} and the function is not called', async () => {
    const refused = await api(twin.url, 'GET', '/v1/settings', { key: 'bad' });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: 'Forbidden' });
    expect(authorizations).toHaveLength(1);
    expect(invocations).toHaveLength(0);
  });

  it('failing means 502 problem+json and the function is not called', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const failed = await api(twin.url, 'GET', '/v1/settings', { key: 'explode' });
      expect(failed.status).toBe(502);
      expect(failed.headers.get('content-type')).toBe('application/problem+json');
      expect(invocations).toHaveLength(0);
      expect(log).toHaveBeenCalledWith(expect.stringContaining('switchboard-authorizer failed'), expect.any(Error));
    } finally {
      log.mockRestore();
    }
  });
});

describe('the answers the twin writes back', () => {
  it('take status, headers, cookies and a base64 body from the function result', async () => {
    nextAnswer = () => ({
      statusCode: 201,
      headers: { 'content-type': 'image/png', 'x-count': 3 },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: Buffer.from([137, 80, 78, 71]).toString('base64'),
      isBase64Encoded: true,
    });
    const response = await fetch(`${twin.url}/openapi.json`);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-count')).toBe('3');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([137, 80, 78, 71]));
  });

  it('treat a result without statusCode as a 200 JSON body, as API Gateway does', async () => {
    nextAnswer = () => ({ hello: 'world' });
    const response = await api(twin.url, 'GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.body).toEqual({ hello: 'world' });
  });

  it('answer a function that throws with 502 problem+json and log the error', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      nextAnswer = () => {
        throw new Error('boom');
      };
      const response = await api(twin.url, 'GET', '/openapi.json');
      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.body).toMatchObject({ status: 502, title: expect.any(String), type: '/problems/bad-gateway' });
      expect(log).toHaveBeenCalledWith(expect.stringContaining('switchboard-openapi failed'), expect.objectContaining({ message: 'boom' }));
    } finally {
      log.mockRestore();
    }
  });

  it('refuse a body over API Gateway’s 10 MiB with 413 problem+json without calling the function', async () => {
    const response = await api(twin.url, 'POST', '/v1/customers', {
      key: 'good',
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ status: 413 });
    expect(invocations).toHaveLength(0);
  });

  it('refuse an oversized chunked body too, once it has read past the limit', async () => {
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 12) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${twin.url}/v1/customers`, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(invocations).toHaveLength(0);
  });
});

describe('the real edge functions behind the twin', () => {
  let real: TestTwin;
  beforeAll(async () => {
    real = await startTestTwin();
  });
  afterAll(() => real.close());

  it('answer no credential at the gateway, and a malformed key with the handler’s 401 problem+json', async () => {
    const none = await api(real.url, 'GET', '/v1/tenant');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ message: 'Unauthorized' });
    // The authorizer passes an unknown key on without identity, for the handler to refuse.
    const malformed = await api(real.url, 'GET', '/v1/tenant', { key: 'nonsense' });
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get('content-type')).toBe('application/problem+json');
    expect(malformed.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answer undeclared routes through the fallback with 404 problem+json', async () => {
    const missing = await api(real.url, 'GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });
});
