import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwinClock } from './clock';
import { type InvokeFunction, LocalEventBus, type PutEventsEntry } from './event-bus';
import { LocalScheduler, SchedulerApiError, type ScheduleInput, type StoredSchedule } from './scheduler';
import { LocalSms, SmsApiError, type InboundSmsPayload, inboundPayloadProblems } from './sms';
import { LocalMail, serveMailApi, serveMailControl } from './mail';
import { LocalS3 } from './s3';
import { LocalInboundMail, inboundMailPrefix, localInboundMailDomain, localMailBucket, serveInboundMailControl } from './inbound-mail';
import { IdentityStore } from './oidc/user-store';
import { localUserPoolId, serveCognitoApi } from './oidc/cognito-api';
import { StreamPoller } from './stream-poller';
import { LocalLiveChannel } from './live';
import { findResourceHolder } from '../../shared/data/tenants-repo';

/**
 * The AWS side of the twin's event backbone, in this process:
 * - an HTTP server on its own port that speaks EventBridge's PutEvents (AWS JSON 1.1),
 *   EventBridge Scheduler's REST API (CreateSchedule, UpdateSchedule, DeleteSchedule,
 *   GetSchedule), End User Messaging SMS's SendTextMessage and PutOptedOutNumber (AWS JSON
 *   1.0, infra/local/sms.ts), SES v2's SendEmail (infra/local/mail.ts), S3's PutObject,
 *   GetObject and DeleteObject on the mail bucket (infra/local/s3.ts) and the Cognito admin
 *   calls (AWS JSON 1.1, infra/local/oidc/cognito-api.ts), so the functions' own SDK adapters
 *   run unchanged against it;
 * - the bus that delivers to the declared subscriptions, the scheduler on a clock tests drive,
 *   and the poller that feeds the table's stream to the event relay.
 */

export const localStage = 'local';
export const localBusName = `switchboard-${localStage}`;
export const localScheduleGroup = `switchboard-${localStage}`;
export const localFunctionArnPrefix = `arn:aws:lambda:local:000000000000:function:switchboard-${localStage}-`;
export const localSchedulerRoleArn = 'arn:aws:iam::000000000000:role/switchboard-local-scheduler';
/** The sender of the functions' mail on the twin (MAIL_FROM); in AWS a verified SES identity. */
export const localMailFrom = 'Switchboard <no-reply@switchboard.localhost>';

export interface AwsEmulatorOptions {
  dynamoEndpoint: string;
  tableName: string;
  invoke: InvokeFunction;
  host?: string;
  /** Where the stream poller starts; LATEST unless the twin keeps data between runs. */
  streamStartingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** Deliver every bus event twice, to prove consumers idempotent. */
  deliverEventsTwice?: boolean;
  /**
   * Don't poll the table's stream: for tests of the emulator alone, and for tests whose stand-in
   * functions must not be handed the outbox events other test files write to the shared table.
   */
  withoutStream?: boolean;
  /** Backoff of the bus's retries; short by default so tests see them. */
  busRetryBaseDelayMs?: number;
  /** Where the user pool's accounts are kept between runs (DIR/identity.json with --data); in memory otherwise. */
  identityFile?: string;
}

export interface AwsEmulator {
  /** EVENTBRIDGE_ENDPOINT, SCHEDULER_ENDPOINT, SMS_ENDPOINT, MAIL_ENDPOINT, S3_ENDPOINT and COGNITO_ENDPOINT. */
  endpoint: string;
  bus: LocalEventBus;
  /** SMS: the outbox, opt-out lists, inbound messages to sms-inbound. */
  sms: LocalSms;
  /** SES v2: the mail outbox (newest first). */
  mail: LocalMail;
  /** S3: the mail bucket (inbound messages, attachments). */
  s3: LocalS3;
  /** SES receiving: raw messages to the mail bucket and mail-inbound. */
  inboundMail: LocalInboundMail;
  /** The user pool behind the Cognito admin calls and the local OIDC issuer. */
  identity: IdentityStore;
  /** The live channel's WebSocket connections and its management API (./live.ts). */
  live: LocalLiveChannel;
  scheduler: LocalScheduler;
  clock: TwinClock;
  stream: StreamPoller | undefined;
  /** What the functions find in their environment to use this emulator. */
  environment: Record<string, string>;
  /**
   * EventBridge's PutEvents (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`) for the twin's
   * public port, so the AWS SDK and `aws events put-events --endpoint-url` reach the bus there.
   */
  serveEventsApi(target: string, body: Buffer, response: ServerResponse, authorization?: string): void;
  /** Answers the twin's `/local/...` requests about events, SMS, mail and the clock; false when the path is not one of them. */
  serveControl(method: string, path: string, body: Buffer, response: ServerResponse, query?: URLSearchParams): boolean;
  close(): Promise<void>;
}

export async function startAwsEmulator(options: AwsEmulatorOptions): Promise<AwsEmulator> {
  const clock = new TwinClock();
  const bus = new LocalEventBus({
    name: localBusName,
    invoke: options.invoke,
    deliverTwice: options.deliverEventsTwice,
    retryBaseDelayMs: options.busRetryBaseDelayMs,
  });
  const scheduler = new LocalScheduler({ clock, invoke: options.invoke, functionArnPrefix: localFunctionArnPrefix });
  const sms = new LocalSms({ invoke: options.invoke, holder: findResourceHolder });
  const mail = new LocalMail();
  const s3 = new LocalS3([localMailBucket]);
  const inboundMail = new LocalInboundMail({ invoke: options.invoke, s3 });
  const identity = new IdentityStore({ file: options.identityFile });
  const live = new LocalLiveChannel(options.invoke);
  const server = createServer((request, response) => {
    serveAws(request, response, bus, scheduler, sms, { mail, identity, s3, live }).catch((error: unknown) => {
      console.error('[twin] the AWS emulator could not answer:', error);
      if (!response.headersSent) sendJson(response, 500, { __type: 'InternalException', message: 'The local emulator failed' });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const endpoint = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  let stream: StreamPoller | undefined;
  if (!options.withoutStream) {
    stream = new StreamPoller({
      dynamoEndpoint: options.dynamoEndpoint,
      tableName: options.tableName,
      invoke: options.invoke,
      startingPosition: options.streamStartingPosition,
    });
    try {
      await stream.start();
    } catch (error) {
      await closeServer(server);
      bus.close();
      scheduler.close();
      sms.close();
      inboundMail.close();
      throw error;
    }
  }

  return {
    endpoint,
    bus,
    sms,
    mail,
    s3,
    inboundMail,
    identity,
    live,
    scheduler,
    clock,
    stream,
    environment: {
      LIVE_MANAGEMENT_ENDPOINT: endpoint,
      EVENTBRIDGE_ENDPOINT: endpoint,
      SCHEDULER_ENDPOINT: endpoint,
      SMS_ENDPOINT: endpoint,
      MAIL_ENDPOINT: endpoint,
      MAIL_FROM: localMailFrom,
      S3_ENDPOINT: endpoint,
      MAIL_BUCKET: localMailBucket,
      MAIL_INBOUND_PREFIX: inboundMailPrefix,
      INBOUND_MAIL_DOMAIN: localInboundMailDomain,
      COGNITO_ENDPOINT: endpoint,
      PEOPLE_USER_POOL_ID: localUserPoolId,
      EVENT_BUS_NAME: localBusName,
      SCHEDULE_GROUP_NAME: localScheduleGroup,
      SCHEDULER_ROLE_ARN: localSchedulerRoleArn,
      FUNCTION_ARN_PREFIX: localFunctionArnPrefix,
    },
    serveEventsApi: (target, body, response, authorization) => serveEventsApi(target, body.toString('utf8'), response, bus, callerAccount(authorization)),
    serveControl: (method, path, body, response, query) =>
      serveSmsControl(method, path, body, response, sms, query) ||
      serveMailControl(method, path, response, mail, query) ||
      serveInboundMailControl(method, path, body, response, inboundMail, query) ||
      serveLiveControl(method, path, response, live) ||
      serveControl(method, path, body, response, { bus, scheduler, clock, stream }),
    async close() {
      await stream?.close();
      live.close();
      bus.close();
      scheduler.close();
      sms.close();
      inboundMail.close();
      await closeServer(server);
    },
  };
}

async function serveAws(
  request: IncomingMessage,
  response: ServerResponse,
  bus: LocalEventBus,
  scheduler: LocalScheduler,
  sms: LocalSms,
  people: { mail: LocalMail; identity: IdentityStore; s3: LocalS3; live: LocalLiveChannel },
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const raw = Buffer.concat(chunks);
  const text = raw.toString('utf8');
  const url = new URL(request.url ?? '/', 'http://emulator');
  const method = request.method ?? 'GET';
  if (people.s3.serves(url.pathname)) return people.s3.serve(method, url, raw, request.headers, response);
  const target = request.headers['x-amz-target'];

  if (method === 'POST' && url.pathname === '/' && typeof target === 'string') {
    if (target.startsWith('PinpointSMSVoiceV2.')) return serveSmsApi(target, text, response, sms);
    if (target.startsWith('AWSCognitoIdentityProviderService.')) return serveCognitoApi(target, text, response, people.identity);
    return serveEventsApi(target, text, response, bus, callerAccount(request.headers.authorization));
  }

  if (serveMailApi(method, url.pathname, text, response, people.mail)) return;
  if (people.live.serveManagementApi(method, url.pathname, Buffer.from(text, 'utf8'), response)) return;

  const scheduleMatch = /^\/schedules\/([^/]+)$/.exec(url.pathname);
  if (!scheduleMatch) return sendJson(response, 404, { message: `The local twin does not emulate ${method} ${url.pathname}` });
  const name = decodeURIComponent(scheduleMatch[1]!);
  try {
    if (method === 'GET') {
      return sendJson(response, 200, describeSchedule(scheduler.get(url.searchParams.get('groupName') ?? 'default', name)));
    }
    if (method === 'DELETE') {
      scheduler.delete(url.searchParams.get('groupName') ?? 'default', name);
      return sendJson(response, 200, {});
    }
    const input = JSON.parse(text || '{}') as ScheduleInput & { GroupName?: string; ClientToken?: string };
    const { GroupName, ClientToken: _token, ...schedule } = input;
    if (method === 'POST') return sendJson(response, 200, scheduler.create(GroupName ?? 'default', name, schedule));
    if (method === 'PUT') return sendJson(response, 200, scheduler.update(GroupName ?? 'default', name, schedule));
    return sendJson(response, 405, { message: `${method} is not allowed on ${url.pathname}` });
  } catch (error) {
    if (!(error instanceof SchedulerApiError)) throw error;
    // restJson1 errors: the SDK takes the error's name from x-amzn-errortype and raises that class.
    response.setHeader('x-amzn-errortype', error.type);
    return sendJson(response, error.status, { Message: error.message });
  }
}

/**
 * The AWS account a request comes from, as AWS knows it from the credentials: on the twin, an
 * access key id of 12 digits names the account (AWS_ACCESS_KEY_ID=123456789012 plays a tenant's
 * account putting its Amazon Connect events); any other is the twin's own account.
 */
export function callerAccount(authorization: string | undefined): string | undefined {
  return /Credential=(\d{12})\//.exec(authorization ?? '')?.[1];
}

function serveEventsApi(target: string, text: string, response: ServerResponse, bus: LocalEventBus, account?: string): void {
  if (target !== 'AWSEvents.PutEvents') {
    return sendJson(response, 400, { __type: 'UnknownOperationException', message: `The local twin does not emulate ${target}` }, 'application/x-amz-json-1.1');
  }
  return putEvents(text, response, bus, account);
}

function putEvents(text: string, response: ServerResponse, bus: LocalEventBus, account?: string): void {
  const contentType = 'application/x-amz-json-1.1';
  let entries: PutEventsEntry[];
  try {
    entries = (JSON.parse(text) as { Entries?: PutEventsEntry[] }).Entries ?? [];
  } catch {
    return sendJson(response, 400, { __type: 'SerializationException', message: 'The request body is not JSON' }, contentType);
  }
  if (entries.length < 1 || entries.length > 10) {
    return sendJson(response, 400, { __type: 'ValidationException', message: 'Entries must hold 1 to 10 entries' }, contentType);
  }
  const failure = bus.takeFailure();
  if (failure === 'outage') {
    return sendJson(response, 500, { __type: 'InternalException', message: 'Simulated EventBridge outage' }, contentType);
  }
  const results =
    failure === 'entries'
      ? entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'Simulated partial failure' }))
      : bus.putEvents(entries, account);
  const failed = results.filter((result) => 'ErrorCode' in result).length;
  sendJson(response, 200, { FailedEntryCount: failed, Entries: results }, contentType);
}

/** End User Messaging SMS (AWS JSON 1.0): the SDK takes an error's class from `__type`. */
async function serveSmsApi(target: string, text: string, response: ServerResponse, sms: LocalSms): Promise<void> {
  const contentType = 'application/x-amz-json-1.0';
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(text || '{}') as Record<string, unknown>;
  } catch {
    return sendJson(response, 400, { __type: 'ValidationException', message: 'The request body is not JSON' }, contentType);
  }
  try {
    if (target === 'PinpointSMSVoiceV2.SendTextMessage') return sendJson(response, 200, await sms.sendTextMessage(input), contentType);
    if (target === 'PinpointSMSVoiceV2.PutOptedOutNumber') return sendJson(response, 200, await sms.putOptedOutNumber(input), contentType);
    return sendJson(response, 400, { __type: 'UnknownOperationException', message: `The local twin does not emulate ${target}` }, contentType);
  } catch (error) {
    if (!(error instanceof SmsApiError)) throw error;
    return sendJson(response, 400, { __type: error.type, message: error.message, ...error.fields }, contentType);
  }
}

/** `GET /local/sms/outbox[?to=&limit=]` and `POST /local/sms/inbound`. */
function serveSmsControl(method: string, path: string, body: Buffer, response: ServerResponse, sms: LocalSms, query?: URLSearchParams): boolean {
  if (method === 'GET' && path === '/local/sms/outbox') {
    const limit = Math.min(Math.max(Number(query?.get('limit') ?? 50) || 50, 1), 500);
    sendJson(response, 200, { items: sms.sentTo(query?.get('to') ?? undefined, limit) });
    return true;
  }
  if (method === 'POST' && path === '/local/sms/inbound') {
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      input = undefined;
    }
    const problems = inboundPayloadProblems(input);
    if (problems.length > 0) {
      const problem = { type: 'about:blank', title: 'Not an inbound SMS as AWS publishes it', status: 400, detail: 'See docs/sms.md', errors: problems };
      sendJson(response, 400, problem, 'application/problem+json');
      return true;
    }
    const payload = input as InboundSmsPayload;
    // AWS always gives one; a hand-written test message may leave it out.
    payload.inboundMessageId ??= randomUUID();
    sendJson(response, 202, { inboundMessageId: payload.inboundMessageId, ...sms.inject(payload) });
    return true;
  }
  return false;
}

/** `GET /local/live`: the live channel's open connections and the latest messages posted to them. */
function serveLiveControl(method: string, path: string, response: ServerResponse, live: LocalLiveChannel): boolean {
  if (method !== 'GET' || path !== '/local/live') return false;
  sendJson(response, 200, { connections: live.connections, posted: live.posted.slice(-50).reverse() });
  return true;
}

/** GetSchedule's answer; timestamps in epoch seconds, as restJson1 sends them. */
function describeSchedule(schedule: StoredSchedule) {
  const { at: _at, CreationDate, LastModificationDate, ...fields } = schedule;
  return { ...fields, CreationDate: CreationDate.getTime() / 1000, LastModificationDate: LastModificationDate.getTime() / 1000 };
}

interface ControlTargets {
  bus: LocalEventBus;
  scheduler: LocalScheduler;
  clock: TwinClock;
  stream: StreamPoller | undefined;
}

function serveControl(method: string, path: string, body: Buffer, response: ServerResponse, targets: ControlTargets): boolean {
  const { bus, scheduler, clock } = targets;
  if (method === 'GET' && path === '/local/events') {
    sendJson(response, 200, { items: bus.recent });
  } else if (method === 'GET' && path === '/local/events/dead-letters') {
    sendJson(response, 200, { items: bus.deadLetters, stream: targets.stream?.failures ?? [] });
  } else if (method === 'POST' && path === '/local/events/dead-letters/redrive') {
    // Optional body: { "consumer": "<function>", "eventIds": ["<detail.eventId>", …] } narrows the redrive.
    let input: { consumer?: unknown; eventIds?: unknown };
    try {
      input = JSON.parse(body.toString('utf8') || '{}') as typeof input;
    } catch {
      input = {};
    }
    const eventIds = Array.isArray(input.eventIds) ? new Set(input.eventIds.map(String)) : undefined;
    const redriven = bus.redriveDeadLetters(
      (letter) =>
        (typeof input.consumer !== 'string' || letter.consumer === input.consumer) &&
        (!eventIds || eventIds.has(String((letter.event.detail as { eventId?: unknown } | null)?.eventId))),
    );
    sendJson(response, 200, { redriven });
  } else if (method === 'GET' && path === '/local/schedules') {
    sendJson(response, 200, { items: scheduler.list().map(describeSchedule), firings: scheduler.firings });
  } else if (path === '/local/clock' && method === 'GET') {
    sendJson(response, 200, { now: clock.now().toISOString() });
  } else if (path === '/local/clock' && method === 'POST') {
    let input: { advanceSeconds?: unknown; now?: unknown };
    try {
      input = JSON.parse(body.toString('utf8') || '{}') as typeof input;
    } catch {
      input = {};
    }
    try {
      if (typeof input.advanceSeconds === 'number') clock.advance(input.advanceSeconds * 1000);
      else if (typeof input.now === 'string') clock.set(new Date(input.now));
      else throw new RangeError('Send { "advanceSeconds": <number> } or { "now": "<ISO 8601 time>" }');
      sendJson(response, 200, { now: clock.now().toISOString() });
    } catch (error) {
      response.setHeader('content-type', 'application/problem+json');
      sendJson(response, 400, { type: 'about:blank', title: 'Bad clock request', status: 400, detail: (error as Error).message }, 'application/problem+json');
    }
  } else {
    return false;
  }
  return true;
}

function sendJson(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
