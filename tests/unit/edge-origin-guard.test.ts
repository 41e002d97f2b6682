import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { handler as authorizer } from '../../functions/authorizer/handler';
import { handler as openApi } from '../../functions/openapi/handler';
import { edgeOrigin } from '../../shared/http/functions';
import { createFallbackHandler } from '../../shared/http/handler';
import { acceptedOriginSecrets, cameThroughEdge, clientAddress } from '../../shared/http/origin-guard';
import { routes } from '../../shared/http/routes';
import { captureLogLines } from '../support/log-capture';

/**
 * Issue 11 §3, "the edge cannot be bypassed": in AWS every request must come through CloudFront
 * and WAF, which add the origin secret header; one sent straight to the `execute-api` endpoint is
 * refused by the HTTP middleware (public, operator and page routes, `$default`) and by the tenant
 * authorizer. The local twin sets no secret and behaves as before.
 */
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const captured = captureLogLines();
afterAll(() => vi.restoreAllMocks());

const current = 'current-origin-secret-0123456789abcdef';
const previous = 'previous-origin-secret-0123456789abcdef';
const withEdge = () => vi.stubEnv(edgeOrigin.secretsVariable, `${current} ${previous}`);
afterEach(() => vi.unstubAllEnvs());

const context = {
  functionName: 'switchboard-test',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:switchboard-test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

function httpEvent(routeKey: string, method: string, path: string, headers: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: { requestId: 'req-1', http: { method, path, sourceIp: '192.0.2.10' } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

const fallback = createFallbackHandler(routes);
const getOpenApi = (headers?: Record<string, string>) =>
  openApi(httpEvent('GET /openapi.json', 'GET', '/openapi.json', headers), context) as Promise<APIGatewayProxyStructuredResultV2>;
const getNowhere = (headers?: Record<string, string>) => fallback(httpEvent('$default', 'GET', '/nowhere', headers), context);

function authorizerEvent(headers: Record<string, string>): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:local:000000000000:api/$default/GET/v1/customers',
    identitySource: Object.values(headers),
    routeKey: 'GET /v1/customers',
    rawPath: '/v1/customers',
    rawQueryString: '',
    headers,
    requestContext: { requestId: 'req-1', http: { method: 'GET', path: '/v1/customers', sourceIp: '192.0.2.10' } },
  } as unknown as APIGatewayRequestAuthorizerEventV2;
}

describe('edge bypass: with the origin secret configured (AWS)', () => {
  it('refuses a request without the origin header with a bare 403 problem that names no header, secret or edge', async () => {
    withEdge();
    captured.length = 0;
    const answer = await getOpenApi();
    expect(answer.statusCode).toBe(403);
    expect(answer.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(String(answer.body))).toEqual({
      type: '/problems/forbidden',
      title: 'Forbidden',
      status: 403,
      instance: '/openapi.json',
    });
    expect(String(answer.body)).not.toMatch(/origin|edge|secret|header|cloudfront/i);
    // The caller is told nothing; the log says why.
    expect(captured.some(({ line }) => line.includes('did not come through the edge'))).toBe(true);
  });

  it('refuses a wrong origin secret, on the $default route too', async () => {
    withEdge();
    expect((await getOpenApi({ [edgeOrigin.header]: 'guessed' })).statusCode).toBe(403);
    expect((await getNowhere({ [edgeOrigin.header]: `${current}x` })).statusCode).toBe(403);
    expect((await getNowhere()).statusCode).toBe(403);
  });

  it('serves a request with the current or the previous secret (a rotation in progress)', async () => {
    withEdge();
    expect((await getOpenApi({ [edgeOrigin.header]: current })).statusCode).toBe(200);
    expect((await getOpenApi({ [edgeOrigin.header]: previous })).statusCode).toBe(200);
    expect((await getNowhere({ [edgeOrigin.header]: current })).statusCode).toBe(404);
  });

  it('the tenant authorizer denies a wrong origin secret before it looks a key up', async () => {
    withEdge();
    const answer = await authorizer(authorizerEvent({ authorization: 'Bearer sb_whatever', [edgeOrigin.header]: 'guessed' }));
    expect(answer.isAuthorized).toBe(false);
    // With the right secret an unparseable key is passed on with no identity, as before (the handler answers 401).
    const passed = await authorizer(authorizerEvent({ authorization: 'Bearer junk', [edgeOrigin.header]: current }));
    expect(passed).toEqual({ isAuthorized: true, context: {} });
  });
});

describe('edge bypass: without an origin secret (the local twin)', () => {
  it('changes nothing: requests without the header are served as before', async () => {
    expect(acceptedOriginSecrets()).toBeUndefined();
    expect((await getOpenApi()).statusCode).toBe(200);
    expect((await getNowhere()).statusCode).toBe(404);
    expect(await authorizer(authorizerEvent({ authorization: 'Bearer junk' }))).toEqual({ isAuthorized: true, context: {} });
  });

  it('reads the accepted secrets as a space-separated list and ignores an empty setting', () => {
    expect(acceptedOriginSecrets({ [edgeOrigin.secretsVariable]: ' a  b ' })).toEqual(['a', 'b']);
    expect(acceptedOriginSecrets({ [edgeOrigin.secretsVariable]: '' })).toBeUndefined();
    expect(cameThroughEdge({}, undefined)).toBe(true);
    expect(cameThroughEdge({ [edgeOrigin.header]: 'b' }, ['a', 'b'])).toBe(true);
    expect(cameThroughEdge({ [edgeOrigin.header]: 'c' }, ['a', 'b'])).toBe(false);
  });
});

describe('the client address behind the edge (survey-link guard)', () => {
  it("is the viewer's address CloudFront forwards once origin secrets are configured, not the CloudFront server's", () => {
    const secrets = [current];
    expect(clientAddress({ 'cloudfront-viewer-address': '203.0.113.7:46532' }, '130.176.0.1', secrets)).toBe('203.0.113.7');
    expect(clientAddress({ 'cloudfront-viewer-address': '2001:db8::1:46532' }, '130.176.0.1', secrets)).toBe('2001:db8::1');
    expect(clientAddress({}, '130.176.0.1', secrets)).toBe('130.176.0.1');
  });

  it('is the socket address on the twin, whatever the header claims', () => {
    expect(clientAddress({ 'cloudfront-viewer-address': '203.0.113.7:46532' }, '127.0.0.7', undefined)).toBe('127.0.0.7');
  });
});
