import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { bundleFunction } from '../../infra/bundling';
import { type ApiResult, type TenantRequestLimit, createApiHandler } from '../../shared/http/handler';
import { tooManyRequests } from '../../shared/http/rate-limit';
import { analyticsRoutes } from '../../shared/http/routes/analytics';
import { customerRoutes } from '../../shared/http/routes/customers';
import { openApiRoutes } from '../../shared/http/routes/openapi';
import { usageRoutes } from '../../shared/http/routes/usage';

/**
 * The per-tenant request limit is passed into createApiHandler (shared/http/tenant-request-limit.ts),
 * never imported by it: no function can forget it, and functions without tenant routes bundle no
 * DynamoDB client for it.
 */

// A stand-in for every operation, whatever its declared answers: these tests are about the request limit.
const ok = (async () => ({ status: 200, body: { served: true } })) as () => Promise<never>;
const customerOperations = { createCustomer: ok, listCustomers: ok, searchCustomers: ok, getCustomer: ok, updateCustomer: ok, eraseCustomer: ok };
const passThrough = (_request: unknown, run: () => Promise<ApiResult>) => run();

const lambdaContext = { functionName: 'customers', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:customers' } as Context;

function tenantEvent(tenantId: string) {
  return {
    routeKey: 'GET /v1/customers',
    rawPath: '/v1/customers',
    headers: {},
    requestContext: {
      requestId: 'req-1',
      http: { method: 'GET', path: '/v1/customers', sourceIp: '127.0.0.1' },
      authorizer: { lambda: { tenantId, keyId: 'key_1', scopes: 'readonly' } },
    },
  };
}

const invoke = (handler: (event: never, context: Context) => Promise<APIGatewayProxyStructuredResultV2>, event: unknown) =>
  handler(event as never, lambdaContext);

describe('the per-tenant request limit in createApiHandler', () => {
  it('must be given to a function that serves tenant routes', () => {
    expect(() => createApiHandler('customers', customerRoutes, customerOperations, { idempotency: passThrough })).toThrow(
      /customers: has tenant routes but no per-tenant request limit/,
    );
  });

  it('is not needed by a function that serves only public routes', () => {
    expect(() => createApiHandler('openapi', openApiRoutes, { getOpenApi: ok, getProblemType: ok })).not.toThrow();
  });

  it('refuses a tenant it knows to be over its limit before the operation runs', async () => {
    const operation = vi.fn(ok);
    const limit: TenantRequestLimit = {
      refuseIfOver: vi.fn(() => {
        throw tooManyRequests(42, 'over');
      }),
      count: vi.fn(async () => {}),
    };
    const handler = createApiHandler('customers', customerRoutes, { ...customerOperations, listCustomers: operation }, { idempotency: passThrough, requestLimit: limit });

    const answer = await invoke(handler, tenantEvent('ten_over'));

    expect(answer.statusCode).toBe(429);
    expect(answer.headers?.['retry-after']).toBe('42');
    expect(limit.refuseIfOver).toHaveBeenCalledWith('ten_over');
    expect(operation).not.toHaveBeenCalled();
  });

  it('counts the request of the tenant named by the credential, and answers only once it is counted', async () => {
    let finishCounting!: () => void;
    const limit: TenantRequestLimit = {
      refuseIfOver: vi.fn(),
      count: vi.fn(() => new Promise<void>((resolve) => (finishCounting = resolve))),
    };
    const handler = createApiHandler('customers', customerRoutes, customerOperations, { idempotency: passThrough, requestLimit: limit });

    let answered = false;
    const answer = invoke(handler, tenantEvent('ten_counted')).then((result) => {
      answered = true;
      return result;
    });
    await vi.waitFor(() => expect(limit.count).toHaveBeenCalledWith('ten_counted'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);

    finishCounting();
    expect((await answer).statusCode).toBe(200);
  });

  it('counts a read declared weighedByReads by the reads its operation reports: one request per 25 read requests and items', async () => {
    const counted: number[] = [];
    const limit: TenantRequestLimit = { refuseIfOver: vi.fn(), count: vi.fn(async (_tenantId: string, weight = 1) => void counted.push(weight)) };
    const read = (requests: number, items: number) => (async () => ({ status: 200, body: {}, readWork: { requests, items } })) as () => Promise<never>;
    const summaryOf = (requests: number, items: number) =>
      createApiHandler('analytics', analyticsRoutes, { getAnalyticsSummary: read(requests, items), getAnalyticsTimeseries: ok, getAnalyticsHeatmap: ok, getCaseBacklog: ok, listCaseDeadlines: ok, listSurveyComments: ok }, { requestLimit: limit });
    const summaryEvent = {
      ...tenantEvent('ten_weighed'),
      routeKey: 'GET /v1/analytics/summary',
      rawPath: '/v1/analytics/summary',
      queryStringParameters: { from: '2025-12-05', to: '2026-12-04' },
    };

    // Usage reads a month of analytics counters too.
    expect([...analyticsRoutes, ...usageRoutes].every((route) => route.weighedByReads)).toBe(true);
    expect((await invoke(summaryOf(4, 3), summaryEvent)).statusCode).toBe(200);
    expect(counted).toEqual([1]);
    counted.length = 0;
    // A year summed from every slot: 1,468 Queries and their items.
    expect((await invoke(summaryOf(1_468, 2_032), summaryEvent)).statusCode).toBe(200);
    expect(counted).toEqual([1, 139]);
  });

  it('is not consulted for a public route', async () => {
    const limit: TenantRequestLimit = { refuseIfOver: vi.fn(), count: vi.fn(async () => {}) };
    const handler = createApiHandler('openapi', openApiRoutes, { getOpenApi: ok, getProblemType: ok }, { requestLimit: limit });

    const answer = await invoke(handler, { routeKey: 'GET /openapi.json', rawPath: '/openapi.json', headers: {}, requestContext: { requestId: 'req-2', http: { method: 'GET', path: '/openapi.json' } } });

    expect(answer.statusCode).toBe(200);
    expect(limit.refuseIfOver).not.toHaveBeenCalled();
    expect(limit.count).not.toHaveBeenCalled();
  });
});

/** The bundled bytes of each @aws-sdk/client-dynamodb source file in a function's Lambda bundle. */
async function dynamoDbClientFilesIn(functionName: string): Promise<string[]> {
  const built = await bundleFunction(functionName, path.join(tmpdir(), 'request-limit-wiring', functionName, 'index.mjs'), { write: false, metafile: true });
  const bundle = Object.values(built.metafile!.outputs).find((output) => output.entryPoint)!;
  return Object.entries(bundle.inputs)
    .filter(([file, input]) => /@aws-sdk\/(client|lib)-dynamodb\//.test(file) && input.bytesInOutput > 0)
    .map(([file]) => file.replace(/^.*@aws-sdk\//, ''));
}

describe('Lambda bundles', () => {
  it.each(['openapi', 'fallback'])('%s, which serves no tenant route, bundles no DynamoDB client', async (functionName) => {
    expect(await dynamoDbClientFilesIn(functionName)).toEqual([]);
  }, 60_000);

  it.each(['customers', 'cases'])("%s bundles only the DynamoDB client and commands it uses, not the aggregated client's paginators and waiters", async (functionName) => {
    const files = await dynamoDbClientFilesIn(functionName);
    expect(files).toContain('client-dynamodb/dist-es/DynamoDBClient.js');
    expect(files.filter((file) => /^client-dynamodb\/.*(\/DynamoDB\.js$|\/pagination\/|\/waiters\/)/.test(file))).toEqual([]);
  }, 60_000);
});
