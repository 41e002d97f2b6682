import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context, EventBridgeEvent } from 'aws-lambda';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { captureLogLines } from '../support/log-capture';

/**
 * POWERTOOLS_LOGGER_LOG_EVENT=true makes Powertools log every incoming event whole: API keys in
 * the Authorization header, bodies with names and phone numbers. A deployment (or an operator
 * debugging one) may set it; the functions must log no event anyway.
 */
vi.hoisted(() => {
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const captured = captureLogLines();
afterAll(() => vi.restoreAllMocks());

const marker = 'sb_secret-that-must-not-be-logged';
const context = {
  functionName: 'switchboard-test',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:switchboard-test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const loggedMarker = () => captured.filter((entry) => entry.line.includes(marker));

describe('with POWERTOOLS_LOGGER_LOG_EVENT=true', () => {
  it('the HTTP functions log no event', async () => {
    const { createFallbackHandler } = await import('../../shared/http/handler');
    const handler = createFallbackHandler([]);
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/nowhere',
      rawQueryString: '',
      headers: { authorization: `Bearer ${marker}` },
      requestContext: { requestId: 'req-1', http: { method: 'GET', path: '/nowhere', sourceIp: '127.0.0.1' } },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const answer = await handler(event, context);
    expect(answer.statusCode).toBe(404);
    expect(loggedMarker()).toEqual([]);
  });

  it('the event consumers log no event', async () => {
    const { createEventConsumer } = await import('../../shared/events/consumer');
    const { contactOpened } = await import('../../shared/events/contact-events');
    const handler = createEventConsumer('test', [contactOpened], async () => undefined);
    const event: EventBridgeEvent<string, unknown> = {
      version: '0',
      id: 'bus-1',
      source: 'switchboard',
      'detail-type': 'Some Other Event',
      account: '000000000000',
      time: '2026-03-01T10:00:00Z',
      region: 'local',
      resources: [],
      detail: { secret: marker },
    };
    await handler(event, context).catch(() => undefined);
    expect(loggedMarker()).toEqual([]);
  });

  it('every function injects the Lambda context through the one wrapper that forces logEvent off', () => {
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) visit(path);
        else if (path.endsWith('.ts') && path !== join('shared', 'observability.ts') && readFileSync(path, 'utf8').includes('injectLambdaContext(')) offenders.push(path);
      }
    };
    visit('shared');
    visit('functions');
    expect(offenders).toEqual([]);
  });
});
