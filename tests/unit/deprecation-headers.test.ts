import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApiHandler, deprecationHeadersOf } from '../../shared/http/handler';
import { notFound } from '../../shared/http/problem';
import { type RouteDeclaration, defineRoutes } from '../../shared/http/route-types';
import { openApiRoutes } from '../../shared/http/routes/openapi';

/**
 * docs/versioning.md: the answers of a deprecated operation carry Deprecation (RFC 9745) and, once
 * its removal date is known, Sunset (RFC 8594). No declared route is deprecated yet, so a stand-in
 * for the public getOpenApi route (no credential or request limit needed) is declared deprecated.
 */
const standIn = (marks: Pick<RouteDeclaration, 'deprecated' | 'deprecatedOn' | 'sunset'>) => defineRoutes([{ ...openApiRoutes[0], ...marks }]);

const lambdaContext = { functionName: 'openapi', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:openapi' } as Context;
const event = {
  routeKey: 'GET /openapi.json',
  rawPath: '/openapi.json',
  headers: {},
  requestContext: { requestId: 'req-1', http: { method: 'GET', path: '/openapi.json', sourceIp: '127.0.0.1' } },
};
const invoke = (handler: (event: never, context: Context) => Promise<APIGatewayProxyStructuredResultV2>) => handler(event as never, lambdaContext);

const served = async () => ({ status: 200 as const, body: { openapi: '3.1.0' } });

describe('a route declared deprecated', () => {
  it('answers Deprecation as @<unix seconds> of deprecatedOn, and Sunset as an HTTP date', async () => {
    const handler = createApiHandler('openapi', standIn({ deprecated: true, deprecatedOn: '2026-12-01', sunset: '2027-06-01' }), { getOpenApi: served });
    const answer = await invoke(handler);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ deprecation: '@1796083200', sunset: 'Tue, 01 Jun 2027 00:00:00 GMT' });
    expect(new Date(1796083200 * 1000).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('carries them on its errors too, and no Sunset until one is declared', async () => {
    const failing = async () => {
      throw notFound();
    };
    const handler = createApiHandler('openapi', standIn({ deprecated: true, deprecatedOn: '2026-12-01' }), { getOpenApi: failing });
    const answer = await invoke(handler);
    expect(answer.statusCode).toBe(404);
    expect(answer.headers?.['content-type']).toBe('application/problem+json');
    expect(answer.headers?.deprecation).toBe('@1796083200');
    expect(answer.headers).not.toHaveProperty('sunset');
  });

  it('an operation that is not deprecated answers neither', async () => {
    const answer = await invoke(createApiHandler('openapi', defineRoutes([openApiRoutes[0]]), { getOpenApi: served }));
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).not.toHaveProperty('deprecation');
    expect(answer.headers).not.toHaveProperty('sunset');
  });

  it.each([
    [{ deprecated: true }, /deprecated without a deprecatedOn date/],
    [{ deprecated: true, deprecatedOn: '2026-02-30' }, /deprecated without a deprecatedOn date/],
    [{ deprecated: true, deprecatedOn: '2026-12-01', sunset: 'next summer' }, /sunset is not a date/],
    [{ deprecated: true, deprecatedOn: '2026-12-01', sunset: '2026-11-30' }, /sunset must come after deprecatedOn/],
  ] as const)('refuses to start with %j', (marks, problem) => {
    expect(() => createApiHandler('openapi', standIn(marks), { getOpenApi: served })).toThrow(problem);
    expect(() => deprecationHeadersOf({ operationId: 'getOpenApi', ...marks })).toThrow(problem);
  });
});
