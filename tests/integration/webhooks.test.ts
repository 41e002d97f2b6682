import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateScheduleCommand,
  SchedulerClient,
  type SchedulerClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-scheduler';
import type { Context } from 'aws-lambda';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CaseStatusChanged } from '../../shared/events/case-events';
import type { DomainEvent } from '../../shared/events/catalog';
import { newEvent } from '../../shared/events/events';
import { unreachableEndpoint } from '../../shared/services/webhook-delivery';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

// The twin sets these for its own scheduler; they are here for a twin without one.
process.env.SCHEDULE_GROUP_NAME ??= 'switchboard-test';
process.env.SCHEDULER_ROLE_ARN ??= 'arn:aws:iam::000000000000:role/switchboard-test-scheduler';
process.env.FUNCTION_ARN_PREFIX ??= 'arn:aws:lambda:local:000000000000:function:switchboard-test-';

// ---- A receiver as a tenant would write one, verifying signatures with its own code ----

interface Arrival {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Checks `Switchboard-Signature: t=…,v1=…` the way docs/webhooks.md tells receivers to. */
function verifiedBy(secret: string, header: string | undefined, rawBody: string, nowSeconds = Date.now() / 1000): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.split('=') as [string, string]);
  const timestamp = Number(parts.find(([name]) => name === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest();
  return parts
    .filter(([name]) => name === 'v1')
    .some(([, hex]) => {
      const given = Buffer.from(hex, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

const arrivals: Arrival[] = [];
/** Status codes to answer per path, in order; 200 once a path's list is used up. */
const scripted = new Map<string, number[]>();
let receiver: Server;
let receiverUrl: string;

async function startReceiver() {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      if (path.startsWith('/hang')) return; // never answers
      const rawBody = Buffer.concat(chunks).toString('utf8');
      arrivals.push({ path, headers: request.headers, rawBody, body: JSON.parse(rawBody) });
      const status = scripted.get(path)?.shift() ?? 200;
      if (status >= 300 && status < 400) response.setHeader('location', `${receiverUrl}/redirected`);
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? 'receiver says no: internal detail' : 'ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
}

const arrivalsAt = (path: string) => arrivals.filter((arrival) => arrival.path === path);

// ---- Driving the event functions as EventBridge and Scheduler would ----

/** EventBridge Scheduler, mocked where a test fires the timers itself. */
let scheduler: AwsStub<ServiceInputTypes, ServiceOutputTypes, SchedulerClientResolvedConfig>;
const lambdaContext = (name: string) =>
  ({ functionName: `switchboard-test-${name}`, awsRequestId: randomUUID(), invokedFunctionArn: 'arn', memoryLimitInMB: '256', functionVersion: '$LATEST' }) as Context;

const busEvent = (event: DomainEvent) => ({
  version: '0',
  id: randomUUID(),
  source: 'switchboard',
  account: '000000000000',
  time: event.detail.occurredAt,
  region: 'local',
  resources: [],
  'detail-type': event.detailType,
  detail: event.detail,
});

async function dispatch(event: DomainEvent) {
  const { handler } = await import('../../functions/webhook-dispatch/handler');
  await handler(busEvent(event) as never, lambdaContext('webhook-dispatch'));
}

/** Fires the retry timers set since the last call, as EventBridge Scheduler would at their time. */
async function fireTimers() {
  const { handler } = await import('../../functions/webhook-deliver/handler');
  const timers = scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input);
  scheduler.resetHistory();
  for (const timer of timers) await handler(JSON.parse(timer.Target!.Input!), lambdaContext('webhook-deliver'));
  return timers;
}

// ---- The tenant ----

let twin: TestTwin;
let key: string;
let tenantId: string;

/** A loopback port where nothing listens: the twin allows it as a receiver, and the connection is refused. */
let closedPort: number;

beforeAll(async () => {
  await startReceiver();
  closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
  twin = await startTestTwin({ webhookReceiverPorts: [(receiver.address() as AddressInfo).port, closedPort] });
  const tenant = await createTenant(twin);
  key = tenant.apiKey;
  tenantId = tenant.tenant.tenantId;
});
afterAll(async () => {
  await twin.close();
  await new Promise((resolve) => receiver.close(resolve));
});
// Each test sees deliveries to its own webhooks only.
afterEach(async () => {
  const list = await api(twin.url, 'GET', '/v1/webhooks?limit=100', { key });
  for (const webhook of list.body.items) await api(twin.url, 'DELETE', `/v1/webhooks/${webhook.webhookId}`, { key });
});

let pathCounter = 0;
async function createWebhook(body: Record<string, unknown> = {}) {
  const path = `/hook-${++pathCounter}`;
  const created = await api(twin.url, 'POST', '/v1/webhooks', {
    key,
    body: { url: `${receiverUrl}${path}`, eventTypes: ['Case Status Changed'], ...body },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { path, webhookId: created.body.webhookId as string, secret: created.body.secret as string, created };
}

const caseEvent = (to: 'in_progress' | 'resolved' = 'in_progress') =>
  newEvent(CaseStatusChanged, tenantId, { caseId: `cas_${randomUUID()}`, customerId: 'cus_1', from: 'open', to });

const deliveriesOf = async (webhookId: string, query = '') => {
  const answer = await api(twin.url, 'GET', `/v1/webhooks/${webhookId}/deliveries${query}`, { key });
  expect(answer.status).toBe(200);
  return answer.body;
};

describe('webhook registration', () => {
  it('shows the signing secret once, at creation, and never again', async () => {
    const { webhookId, secret, created } = await createWebhook({ description: 'CRM sync' });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.headers.get('location')).toBe(`/v1/webhooks/${webhookId}`);
    expect(created.body).toMatchObject({ eventTypes: ['Case Status Changed'], enabled: true, description: 'CRM sync', version: 1 });

    const read = await api(twin.url, 'GET', `/v1/webhooks/${webhookId}`, { key });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    const { secret: _shown, ...withoutSecret } = created.body;
    expect(read.body).toEqual(withoutSecret);
    const list = await api(twin.url, 'GET', '/v1/webhooks?limit=100', { key });
    expect(list.body.items.map((w: { webhookId: string }) => w.webhookId)).toContain(webhookId);
    expect(JSON.stringify([read.body, list.body])).not.toContain('whsec_');
  });

  it('creates one webhook for a retried POST with the same Idempotency-Key; the retry answers 409, the secret being shown once', async () => {
    const body = { url: `${receiverUrl}/idem`, eventTypes: ['*'] };
    const headers = { 'idempotency-key': randomUUID() };
    const first = await api(twin.url, 'POST', '/v1/webhooks', { key, body, headers });
    const again = await api(twin.url, 'POST', '/v1/webhooks', { key, body, headers });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/secret-shown-once$/);
    expect(again.body.detail).toContain(`/v1/webhooks/${first.body.webhookId}`);
    const list = await api(twin.url, 'GET', '/v1/webhooks?limit=100', { key });
    expect(list.body.items.filter((w: { url: string }) => w.url === body.url)).toHaveLength(1);
  });

  it.each([
    ['a plain-http URL to a public host', { url: 'http://hooks.example.com/in', eventTypes: ['*'] }, '$.url'],
    ['a private-network URL', { url: 'https://10.0.0.7/in', eventTypes: ['*'] }, '$.url'],
    ['a URL that is not one', { url: 'hooks.example.com', eventTypes: ['*'] }, '$.url'],
    ['an unknown event type', { url: 'https://hooks.example.com/in', eventTypes: ['Case Deleted'] }, '$.eventTypes[0]'],
    ['no event types', { url: 'https://hooks.example.com/in', eventTypes: [] }, '$.eventTypes'],
    ['* with other types', { url: 'https://hooks.example.com/in', eventTypes: ['*', 'Case Opened'] }, '$.eventTypes'],
    ['an unknown field', { url: 'https://hooks.example.com/in', eventTypes: ['*'], secret: 'whsec_mine' }, '$'],
  ])('refuses %s with 400 at its path, writing nothing', async (_case, body, path) => {
    const before = await api(twin.url, 'GET', '/v1/webhooks?limit=100', { key });
    const refused = await api(twin.url, 'POST', '/v1/webhooks', { key, body });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    const after = await api(twin.url, 'GET', '/v1/webhooks?limit=100', { key });
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  // Issue 11 §5: registration checked only the host string, and these were accepted.
  it.each([
    'https://localhost./in',
    'https://[::127.0.0.1]/in',
    'https://[64:ff9b::7f00:1]/in',
    'https://198.18.0.1/in',
    'https://0x7f.1/in',
    'https://2130706433/in',
    'https://[::ffff:169.254.169.254]/latest',
    'https://hooks.example.com:22/in',
    'https://hooks.example.com./in',
    'https://user@hooks.example.com/in',
    'https://metadata/in',
  ])('refuses %s with a 400 at $.url and stores nothing (SSRF at registration)', async (url) => {
    const before = (await api(twin.url, 'GET', '/v1/webhooks?limit=100', { key })).body.items.length;
    const refused = await api(twin.url, 'POST', '/v1/webhooks', { key, body: { url, eventTypes: ['*'] } });
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: '$.url' })]);
    expect((await api(twin.url, 'GET', '/v1/webhooks?limit=100', { key })).body.items).toHaveLength(before);
  });

  it('accepts https on ports 443 and 8443, and on the twin only the loopback receiver ports it was given', async () => {
    for (const url of ['https://hooks.example.com/in', 'https://hooks.example.com:8443/in', `${receiverUrl}/allowed`]) {
      const created = await api(twin.url, 'POST', '/v1/webhooks', { key, body: { url, eventTypes: ['*'] } });
      expect(created.status, url).toBe(201);
    }
    const otherLoopbackPort = (receiver.address() as AddressInfo).port === 1 ? 2 : 1;
    const refused = await api(twin.url, 'POST', '/v1/webhooks', { key, body: { url: `http://127.0.0.1:${otherLoopbackPort}/in`, eventTypes: ['*'] } });
    expect(refused.status).toBe(400);
  });

  it('is for admins only', async () => {
    const agent = await api(twin.url, 'POST', '/v1/api-keys', { key, body: { name: 'agent', scopes: ['agent'] } });
    const answer = await api(twin.url, 'GET', '/v1/webhooks', { key: agent.body.secret });
    expect(answer.status).toBe(403);
  });

  it('is changed only with the current ETag, and validated like a create', async () => {
    const { webhookId } = await createWebhook();
    const path = `/v1/webhooks/${webhookId}`;
    expect((await api(twin.url, 'PATCH', path, { key, body: { enabled: false } })).status).toBe(428);
    expect((await api(twin.url, 'PATCH', path, { key, body: { enabled: false }, headers: { 'if-match': '"7"' } })).status).toBe(412);
    const badUrl = await api(twin.url, 'PATCH', path, { key, body: { url: 'http://hooks.example.com' }, headers: { 'if-match': '"1"' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.errors[0].path).toBe('$.url');
    expect((await api(twin.url, 'PATCH', path, { key, body: {}, headers: { 'if-match': '"1"' } })).status).toBe(400);
    expect((await api(twin.url, 'PATCH', path, { key, body: { events: ['*'] }, headers: { 'if-match': '"1"' } })).status).toBe(400);

    const updated = await api(twin.url, 'PATCH', path, {
      key,
      body: { eventTypes: ['Case Opened', 'Case Resolved'], description: 'Two types', enabled: false },
      headers: { 'if-match': '"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
    expect(updated.body).toMatchObject({ eventTypes: ['Case Opened', 'Case Resolved'], description: 'Two types', enabled: false, version: 2 });
    expect(updated.body).not.toHaveProperty('secret');
    const cleared = await api(twin.url, 'PATCH', path, { key, body: { description: null }, headers: { 'if-match': '"2"' } });
    expect(cleared.body).not.toHaveProperty('description');
  });

  it('answers 404 for a missing or deleted webhook, and deleting twice is a 404', async () => {
    const { webhookId } = await createWebhook();
    expect((await api(twin.url, 'DELETE', `/v1/webhooks/${webhookId}`, { key })).status).toBe(204);
    for (const [method, path] of [
      ['GET', `/v1/webhooks/${webhookId}`],
      ['GET', `/v1/webhooks/${webhookId}/deliveries`],
      ['DELETE', `/v1/webhooks/${webhookId}`],
      ['GET', '/v1/webhooks/not-an-id'],
    ] as const) {
      const answer = await api(twin.url, method, path, { key });
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
  });
});

describe('webhook delivery', () => {
  beforeAll(() => {
    scheduler = mockClient(SchedulerClient);
  });
  afterAll(() => scheduler.restore());
  beforeEach(() => {
    scheduler.reset();
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:local:000000000000:schedule/test' });
  });

  it('POSTs the event, signed, to each enabled webhook subscribed to its type and no other', async () => {
    const subscribed = await createWebhook();
    const everything = await createWebhook({ eventTypes: ['*'] });
    const otherType = await createWebhook({ eventTypes: ['Case Opened'] });
    const disabled = await createWebhook({ enabled: false });
    const event = caseEvent();
    await dispatch(event);

    for (const hook of [subscribed, everything]) {
      const [arrival, ...more] = arrivalsAt(hook.path);
      expect(more).toHaveLength(0);
      expect(verifiedBy(hook.secret, arrival!.headers['switchboard-signature'] as string, arrival!.rawBody)).toBe(true);
      expect(arrival!.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Webhooks/1',
        'switchboard-event-id': event.detail.eventId,
        'switchboard-event-type': 'Case Status Changed',
      });
      expect(arrival!.body).toEqual({
        id: event.detail.eventId,
        type: 'Case Status Changed',
        tenantId,
        occurredAt: event.detail.occurredAt,
        schemaVersion: 1,
        data: event.detail.data,
      });
    }
    // Another webhook's secret does not verify: the signature is per endpoint.
    const [arrival] = arrivalsAt(subscribed.path);
    expect(verifiedBy(everything.secret, arrival!.headers['switchboard-signature'] as string, arrival!.rawBody)).toBe(false);
    expect(verifiedBy(subscribed.secret, arrival!.headers['switchboard-signature'] as string, arrival!.rawBody.replace('in_progress', 'resolved'))).toBe(false);
    expect(arrivalsAt(otherType.path)).toHaveLength(0);
    expect(arrivalsAt(disabled.path)).toHaveLength(0);

    const { items } = await deliveriesOf(subscribed.webhookId);
    expect(items).toEqual([
      expect.objectContaining({
        webhookId: subscribed.webhookId,
        eventId: event.detail.eventId,
        detailType: 'Case Status Changed',
        status: 'succeeded',
        attempts: 1,
        lastResponseStatus: 200,
      }),
    ]);
    expect(items[0]).not.toHaveProperty('nextAttemptAt');
    expect(JSON.stringify(items)).not.toContain(event.detail.data.caseId);
    expect((await deliveriesOf(disabled.webhookId)).items).toEqual([]);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('delivers an event the bus delivers twice, or at once in parallel, only once', async () => {
    const hook = await createWebhook();
    const event = caseEvent();
    await dispatch(event);
    await dispatch(event);
    expect(arrivalsAt(hook.path)).toHaveLength(1);

    const raced = caseEvent('resolved');
    await Promise.allSettled([dispatch(raced), dispatch(raced), dispatch(raced)]);
    expect(arrivalsAt(hook.path).filter((a) => a.body.id === raced.detail.eventId)).toHaveLength(1);
    // The invocations that found the attempt under way failed so the bus retries them; a retry changes nothing.
    await dispatch(raced);
    expect(arrivalsAt(hook.path)).toHaveLength(2);
    const { items } = await deliveriesOf(hook.webhookId);
    expect(items.map((d: { status: string }) => d.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('retries a failed delivery on a timer with backoff, and records every attempt', async () => {
    const hook = await createWebhook();
    scripted.set(hook.path, [500]);
    const event = caseEvent();
    const dispatchedAt = Date.now();
    await dispatch(event);

    const [failed] = (await deliveriesOf(hook.webhookId)).items;
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: 500, lastError: 'The endpoint answered HTTP 500' });
    expect(JSON.stringify(failed)).not.toContain('internal detail');
    const due = Date.parse(failed.nextAttemptAt) - dispatchedAt;
    expect(due).toBeGreaterThanOrEqual(29_000);
    expect(due).toBeLessThan(40_000);

    const [timer] = scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input);
    expect(timer).toMatchObject({
      Name: `wh-${failed.deliveryId}-2`,
      GroupName: process.env.SCHEDULE_GROUP_NAME,
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: `${process.env.FUNCTION_ARN_PREFIX}webhook-deliver` },
    });
    expect(timer!.Name!.length).toBeLessThanOrEqual(64);
    expect(JSON.parse(timer!.Target!.Input!)).toEqual({ tenantId, webhookId: hook.webhookId, deliveryId: failed.deliveryId, attempt: 2 });

    const fired = await fireTimers();
    expect(fired).toHaveLength(1);
    const tries = arrivalsAt(hook.path);
    expect(tries).toHaveLength(2);
    expect(tries[1]!.body.id).toBe(event.detail.eventId);
    expect(verifiedBy(hook.secret, tries[1]!.headers['switchboard-signature'] as string, tries[1]!.rawBody)).toBe(true);
    const [delivered] = (await deliveriesOf(hook.webhookId)).items;
    expect(delivered).toMatchObject({ deliveryId: failed.deliveryId, status: 'succeeded', attempts: 2, lastResponseStatus: 200 });
    expect(delivered).not.toHaveProperty('lastError');
    expect(delivered).not.toHaveProperty('nextAttemptAt');

    // The scheduler fires at least once: the same timer again sends nothing.
    const { handler } = await import('../../functions/webhook-deliver/handler');
    await handler(JSON.parse(timer!.Target!.Input!), lambdaContext('webhook-deliver'));
    expect(arrivalsAt(hook.path)).toHaveLength(2);
  });

  it('gives up after six attempts and says why', async () => {
    const hook = await createWebhook();
    scripted.set(hook.path, [503, 503, 503, 503, 503, 503, 503]);
    await dispatch(caseEvent());
    for (let i = 0; i < 5; i++) expect(await fireTimers()).toHaveLength(1);
    expect(await fireTimers()).toHaveLength(0);
    expect(arrivalsAt(hook.path)).toHaveLength(6);
    const [delivery] = (await deliveriesOf(hook.webhookId)).items;
    expect(delivery).toMatchObject({ status: 'failed', attempts: 6, lastResponseStatus: 503 });
    expect(delivery).not.toHaveProperty('nextAttemptAt');
  });

  it('does not follow redirects, and counts them as failures', async () => {
    const hook = await createWebhook();
    scripted.set(hook.path, [302]);
    await dispatch(caseEvent());
    expect(arrivalsAt('/redirected')).toHaveLength(0);
    const [delivery] = (await deliveriesOf(hook.webhookId)).items;
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: 302 });
  });

  it('gives up on an endpoint that does not answer within 5 seconds, and on one that is not there, recording the same text for both (issue 11 §5: no port-scan oracle)', async () => {
    const hanging = await api(twin.url, 'POST', '/v1/webhooks', { key, body: { url: `${receiverUrl}/hang`, eventTypes: ['Case Status Changed'] } });
    const closed = await api(twin.url, 'POST', '/v1/webhooks', { key, body: { url: `http://127.0.0.1:${closedPort}/nothing-listens`, eventTypes: ['Case Status Changed'] } });
    const started = Date.now();
    await dispatch(caseEvent());
    expect(Date.now() - started).toBeLessThan(9_000);
    const [timedOut] = (await deliveriesOf(hanging.body.webhookId)).items;
    expect(timedOut).toMatchObject({ status: 'pending', attempts: 1, lastError: unreachableEndpoint });
    expect(timedOut).not.toHaveProperty('lastResponseStatus');
    const [refused] = (await deliveriesOf(closed.body.webhookId)).items;
    expect(refused).toMatchObject({ status: 'pending', attempts: 1, lastError: unreachableEndpoint });
  });

  it('stops retrying when the webhook is disabled or deleted', async () => {
    const disabled = await createWebhook();
    const deleted = await createWebhook();
    scripted.set(disabled.path, [500, 500]);
    scripted.set(deleted.path, [500, 500]);
    await dispatch(caseEvent());
    expect(arrivals.filter((a) => a.path === disabled.path || a.path === deleted.path)).toHaveLength(2);
    await api(twin.url, 'PATCH', `/v1/webhooks/${disabled.webhookId}`, { key, body: { enabled: false }, headers: { 'if-match': '"1"' } });
    await api(twin.url, 'DELETE', `/v1/webhooks/${deleted.webhookId}`, { key });

    expect(await fireTimers()).toHaveLength(2);
    expect(arrivals.filter((a) => a.path === disabled.path || a.path === deleted.path)).toHaveLength(2);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    const [stopped] = (await deliveriesOf(disabled.webhookId)).items;
    expect(stopped).toMatchObject({ status: 'failed', attempts: 1, lastError: 'The webhook was disabled; no further attempts' });
  });

  it('signs with a rotated secret at once, and with the previous one too while receivers switch', async () => {
    const hook = await createWebhook();
    const rotated = await api(twin.url, 'PATCH', `/v1/webhooks/${hook.webhookId}`, { key, body: { rotateSecret: true }, headers: { 'if-match': '"1"' } });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(hook.secret);
    expect(rotated.body.secretRotatedAt).toBeTruthy();
    const read = await api(twin.url, 'GET', `/v1/webhooks/${hook.webhookId}`, { key });
    expect(JSON.stringify(read.body)).not.toContain('whsec_');
    // A replayed rotation with the old ETag rotates nothing.
    expect((await api(twin.url, 'PATCH', `/v1/webhooks/${hook.webhookId}`, { key, body: { rotateSecret: true }, headers: { 'if-match': '"1"' } })).status).toBe(412);

    await dispatch(caseEvent());
    const [arrival] = arrivalsAt(hook.path);
    const signature = arrival!.headers['switchboard-signature'] as string;
    expect(signature.match(/v1=/g)).toHaveLength(2);
    expect(verifiedBy(newSecret, signature, arrival!.rawBody)).toBe(true);
    expect(verifiedBy(hook.secret, signature, arrival!.rawBody)).toBe(true);
    expect(verifiedBy(newSecret, signature, arrival!.rawBody, Date.now() / 1000 + 301)).toBe(false);
  });

  it('lists deliveries newest first, a page at a time', async () => {
    const hook = await createWebhook();
    const events = [caseEvent(), caseEvent(), caseEvent()];
    for (const event of events) await dispatch(event);
    const first = await deliveriesOf(hook.webhookId, '?limit=2');
    expect(first.items.map((d: { eventId: string }) => d.eventId)).toEqual([events[2]!.detail.eventId, events[1]!.detail.eventId]);
    const second = await deliveriesOf(hook.webhookId, `?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
    expect(second.items.map((d: { eventId: string }) => d.eventId)).toEqual([events[0]!.detail.eventId]);
    expect(second.nextCursor).toBeUndefined();
    const foreign = await api(twin.url, 'GET', `/v1/webhooks/${hook.webhookId}/deliveries?cursor=${encodeURIComponent(Buffer.from('{"pk":"T#ten_x#WH","sk":"x"}').toString('base64url'))}`, { key });
    expect(foreign.status).toBe(400);
  });
});

describe('webhooks on the local twin', () => {
  const publish = (event: DomainEvent) =>
    twin.bus.putEvents([{ EventBusName: twin.bus.name, Source: 'switchboard', DetailType: event.detailType, Detail: JSON.stringify(event.detail) }]);

  it('receive events from the bus once however often it delivers them, and retries on the scheduler clock', async () => {
    const hook = await createWebhook();
    scripted.set(hook.path, [500]);
    const event = caseEvent();
    twin.bus.setDeliverTwice(true);
    try {
      expect(publish(event)).toEqual([{ EventId: expect.any(String) }]);
      await twin.bus.settled();
    } finally {
      twin.bus.setDeliverTwice(false);
    }
    expect(arrivalsAt(hook.path)).toHaveLength(1);
    const [pending] = (await deliveriesOf(hook.webhookId)).items;
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastResponseStatus: 500 });
    expect(twin.scheduler.list().map((schedule) => schedule.Name)).toContain(`wh-${pending.deliveryId}-2`);

    twin.clock.advance(29_000);
    await twin.scheduler.settled();
    expect(arrivalsAt(hook.path)).toHaveLength(1);
    twin.clock.advance(2_000);
    await vi.waitFor(() => expect(arrivalsAt(hook.path)).toHaveLength(2));
    await twin.scheduler.settled();

    const [retried] = arrivalsAt(hook.path).slice(1);
    expect(verifiedBy(hook.secret, retried!.headers['switchboard-signature'] as string, retried!.rawBody)).toBe(true);
    expect(retried!.body.id).toBe(event.detail.eventId);
    const [delivered] = (await deliveriesOf(hook.webhookId)).items;
    expect(delivered).toMatchObject({ deliveryId: pending.deliveryId, status: 'succeeded', attempts: 2 });
  });

  it('deliver a test event to the one webhook asked, signed, through the delivery path of events, and list it with its deliveries', async () => {
    const hook = await createWebhook({ eventTypes: ['Case Opened'] });
    const bystander = await createWebhook({ eventTypes: ['*'] });
    const headers = { 'idempotency-key': randomUUID() };
    const queued = await api(twin.url, 'POST', `/v1/webhooks/${hook.webhookId}/test`, { key, headers });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    expect(queued.body).toMatchObject({ webhookId: hook.webhookId, detailType: 'Webhook Test', status: 'pending', attempts: 0 });
    const replayed = await api(twin.url, 'POST', `/v1/webhooks/${hook.webhookId}/test`, { key, headers });
    expect(replayed.body.deliveryId).toBe(queued.body.deliveryId);

    await vi.waitFor(() => expect(arrivalsAt(hook.path)).toHaveLength(1), { timeout: 10_000 });
    await twin.scheduler.settled();
    const [arrival] = arrivalsAt(hook.path);
    expect(verifiedBy(hook.secret, arrival!.headers['switchboard-signature'] as string, arrival!.rawBody)).toBe(true);
    expect(arrival!.headers['switchboard-event-type']).toBe('Webhook Test');
    expect(arrival!.headers['switchboard-delivery-id']).toBe(queued.body.deliveryId);
    expect(arrival!.body).toMatchObject({ id: queued.body.eventId, type: 'Webhook Test', tenantId, data: { webhookId: hook.webhookId, test: true } });
    expect(arrivalsAt(bystander.path)).toHaveLength(0);

    const listed = (await deliveriesOf(hook.webhookId)).items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ deliveryId: queued.body.deliveryId, status: 'succeeded', attempts: 1, lastResponseStatus: 200 });
    expect((await deliveriesOf(bystander.webhookId)).items).toHaveLength(0);
  });

  it('refuse a test of a disabled webhook with 409 webhook-disabled, and of a missing one with 404, queuing nothing', async () => {
    const disabled = await createWebhook({ enabled: false });
    const refused = await api(twin.url, 'POST', `/v1/webhooks/${disabled.webhookId}/test`, { key });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/\/webhook-disabled$/);
    expect((await deliveriesOf(disabled.webhookId)).items).toHaveLength(0);
    const missing = await api(twin.url, 'POST', '/v1/webhooks/whk_01JZZZZZZZZZZZZZZZZZZZZZZZ/test', { key });
    expect(missing.status).toBe(404);
    await twin.scheduler.settled();
    expect(arrivalsAt(disabled.path)).toHaveLength(0);
  });
});
