import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  Context,
} from 'aws-lambda';
import { db } from '../../shared/data/client';
import { type FunctionDeclaration, type LiveFunctionName, apiFunctions, edgeFunctions, liveFunctions } from '../../shared/http/functions';
import { HttpError, forbidden, payloadTooLarge, problemBody } from '../../shared/http/problem';
import { type ApiFunctionName, matchPath, routeKey, tenantAuthorizer } from '../../shared/http/routes';
import type { eventRelay } from '../../shared/events/outbox-stream';
import { type EventFunctionName, eventFunctions } from '../../shared/events/subscriptions';
import { functionClock } from '../../shared/ports/clock';
import { type AwsEmulator, type AwsEmulatorOptions, startAwsEmulator } from './aws-emulator';
import { type AuthorizerAnswer, AuthorizerCache } from './authorizer-cache';
import { undeclaredInAnswer } from './declared-answers';
import { enforceTableGrants, withTableGrants } from './table-grants';
import { cachedApiReference } from './api-reference';
import { type ConsoleSite, serveConsole } from './console';
import type { TwinClock } from './clock';
import type { LocalEventBus } from './event-bus';
import type { LocalScheduler } from './scheduler';
import type { LocalSms } from './sms';
import type { LocalMail } from './mail';
import { type IdentityStore, type LocalIssuer, startLocalIssuer } from './oidc';

/**
 * The local twin of the API Gateway HTTP API: it turns each HTTP request into the payload 2.0
 * event API Gateway would send, runs the same Lambda authorizer on tenant routes, invokes the
 * same handler modules in this process, and writes back their answer the way API Gateway does.
 *
 * The authorizer's answers are cached per Authorization header for `tenantAuthorizer.cacheSeconds`
 * as in AWS (tests that need a revocation to bite at once start the twin with 0).
 *
 * Differences from AWS, on purpose: no integration timeout (30 s in AWS), every function shares this one
 * process (module state is shared and requests run concurrently), and a failing function is
 * answered with 502 problem+json instead of AWS's 500 {"message":"Internal Server Error"}.
 *
 * No edge: AWS puts CloudFront and WAF in front of the API (infra/edge-stack.ts), which add the
 * origin secret header that the deployed authorizer's identity source and every function require.
 * The twin sets no ORIGIN_VERIFY_SECRETS, so its functions check no such header, its authorizer's
 * identity source is Authorization alone, there is no per-address WAF limit, and `sourceIp` is the
 * socket's address rather than CloudFront-Viewer-Address.
 * IAM: a function whose table access is confined by partition key (`survey-link`) is held to it
 * (./table-grants.ts); the others reach the whole table, so read-only roles and the grants for
 * SMS, schedules and KMS are checked by the template tests only (docs/developers/security.md). Webhooks may
 * reach loopback receivers on the ports `webhookReceiverPorts` names, which no deployed stage allows.
 * The twin alone serves the API reference at GET /docs (./api-reference.ts); a stage hosts the
 * files `npm run docs:build` writes.
 * People sign in at /oidc, the twin's stand-in for the Cognito user pool's managed login
 * (./oidc; what it leaves out: docs/local-twin.md).
 */

export type TwinFunctionName = ApiFunctionName | keyof typeof edgeFunctions | LiveFunctionName | EventFunctionName | typeof eventRelay.name;

export interface LambdaModule {
  handler: (event: never, context: Context) => Promise<unknown>;
}

export interface TwinOptions {
  port: number;
  dynamoEndpoint: string;
  tableName: string;
  operatorKey: string;
  host?: string;
  /** Where a function's module comes from; by default `functions/<name>/handler.ts`. Tests replace it. */
  loadFunction?: (name: TwinFunctionName) => Promise<LambdaModule>;
  /** How long an authorizer answer is reused for the same Authorization header; AWS's setting by default. */
  authorizerCacheSeconds?: number;
  /**
   * The functions take the twin's clock as "now" where they read shared/ports/clock.ts (closing a
   * contact, the survey decision), so that a test places them at a time of day. Off by default:
   * the functions see the real time and only the timers follow the clock.
   */
  functionsFollowClock?: boolean;
  /**
   * Checks every successful answer against its route's declared response (./declared-answers.ts)
   * and answers a mismatch with a 500 problem naming the route and each difference, logged as an
   * error. The tests' twins switch it on; off by default (npm start, benchmarks).
   */
  checkAnswers?: boolean;
  /** The event backbone's options: where the stream poller starts, duplicate deliveries (see aws-emulator.ts). */
  events?: Pick<AwsEmulatorOptions, 'streamStartingPosition' | 'deliverEventsTwice' | 'busRetryBaseDelayMs' | 'withoutStream'>;
  /**
   * Twin only: loopback ports where webhook receivers on this machine listen, which webhooks may
   * then name over plain HTTP (docs/webhooks.md). Every other endpoint gets the checks a deployed
   * stage makes. None by default; `npm start` takes them from SWITCHBOARD_TWIN_WEBHOOK_RECEIVER_PORTS.
   */
  webhookReceiverPorts?: readonly number[];
  /** The people's user pool file (`npm start -- --data DIR` keeps DIR/identity.json); in memory otherwise. */
  identityFile?: string;
  /** Origins besides the twin's own (`http://localhost:<port>`) the console may sign in from, such as a Vite dev server. */
  extraConsoleOrigins?: readonly string[];
}

/** What the twin's gateway needs for every request. */
interface Gateway {
  loadFunction: (name: TwinFunctionName) => Promise<LambdaModule>;
  authorizerCache: AuthorizerCache;
  /** The `/local/...` endpoints about events, schedules and the clock. */
  serveControl: AwsEmulator['serveControl'];
  /** EventBridge's PutEvents on the twin's own port. */
  serveEventsApi: AwsEmulator['serveEventsApi'];
  checkAnswers: boolean;
  /** Set once the server listens (its port is known). */
  console?: ConsoleSite;
  /** The local OIDC issuer at /oidc (./oidc), set once the port is known. */
  issuer?: LocalIssuer;
}

export interface Twin {
  url: string;
  server: Server;
  /** The EventBridge bus: recent events, deliveries, dead letters, `settled()`, `failPutEvents(n)`. */
  bus: LocalEventBus;
  /** The timers' clock: `advance(ms)`, `set(date)`; it follows real time otherwise. */
  clock: TwinClock;
  /** EventBridge Scheduler's one-time schedules. */
  scheduler: LocalScheduler;
  /** End User Messaging SMS: `outbox` (newest first), `inject(payload)`, `settled()`, opt-out lists. */
  sms: LocalSms;
  /** The emulated AWS endpoints and the stream poller. */
  aws: AwsEmulator;
  /** SES v2: `outbox` (newest first), `sentTo(to)`; GET /local/mail/outbox. */
  mail: LocalMail;
  /** The people's user pool (Cognito's stand-in): `findByEmail`, `totpSecretOf(email)`. */
  identity: IdentityStore;
  /** The local OIDC issuer: `${consoleUrl}/oidc`, every person token's `iss`. */
  issuer: string;
  /** `http://localhost:<port>`: where browsers reach the console and the issuer. */
  consoleUrl: string;
  /** The issuer itself (its signing key, discovery document). */
  oidc: LocalIssuer;
  close(): Promise<void>;
}

/** API Gateway's own limit on a request body; the API's 64 KiB limit is the handlers' to enforce. */
export const gatewayMaxBodyBytes = 10 * 1024 * 1024;

const accountId = '000000000000';
const apiId = 'localtwin';
const stage = '$default';
const functionTimeoutMs = 29_000;
/** Paths that belong to the API (answered by a function, a 404 problem at worst), never to the console; any `/v<n>` too, so a client of a version that does not exist gets a problem, not a page. */
const apiPathPrefix = /^\/(v\d+|local|oidc|s|problems|openapi\.json)(\/|$)/;
/** Headers named by the authorizer's identity source, as the CDK stack declares it. */
const identitySourceHeaders: readonly string[] = [tenantAuthorizer.identitySourceHeader.toLowerCase()];

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (how a dual-stack socket reports an IPv4 peer). */
export const isLoopback = (address: string | undefined): boolean =>
  !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));

/**
 * Sets what the deployed functions find in their environment. Call before any handler module is
 * imported: Powertools reads its settings when the module loads.
 */
export function configureFunctionEnvironment(options: { dynamoEndpoint: string; tableName: string; operatorKey: string; webhookReceiverPorts?: readonly number[] }) {
  const env = process.env;
  env.TABLE_NAME = options.tableName;
  env.DYNAMODB_ENDPOINT = options.dynamoEndpoint;
  env.AWS_REGION ??= 'local';
  env.AWS_ACCESS_KEY_ID ??= 'local';
  env.AWS_SECRET_ACCESS_KEY ??= 'local';
  env.OPERATOR_KEY_SHA256 = createHash('sha256').update(options.operatorKey).digest('hex');
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  // The twin-only allowance for webhook receivers on this machine (twinReceiverPorts in
  // shared/services/webhook-delivery.ts, not imported here: it loads Powertools); the CDK stack never sets it.
  if (options.webhookReceiverPorts) env.SWITCHBOARD_TWIN_WEBHOOK_RECEIVER_PORTS = options.webhookReceiverPorts.join(',');
  // KMS's stand-in for sealed webhook secrets (shared/ports/secret-box.ts); kept once set, so what was sealed still opens.
  env.SECRET_BOX_LOCAL_KEY ??= randomBytes(32).toString('base64');
}

const moduleCache = new Map<TwinFunctionName, Promise<LambdaModule>>();

/** Imports `functions/<name>/handler.ts` once, as a Lambda execution environment would on a cold start. */
export function loadFunctionModule(name: TwinFunctionName): Promise<LambdaModule> {
  let loading = moduleCache.get(name);
  if (!loading) {
    const url = new URL(`../../functions/${name}/handler.ts`, import.meta.url).href;
    loading = (import(url) as Promise<LambdaModule>).then((module) => {
      if (typeof module.handler !== 'function') throw new Error(`functions/${name}/handler.ts exports no handler`);
      return module;
    });
    // A module that failed to load is tried again on the next request, once it has been fixed.
    loading.catch(() => moduleCache.delete(name));
    moduleCache.set(name, loading);
  }
  return loading;
}

const twinFunctionDeclarations: Partial<Record<string, FunctionDeclaration>> = { ...apiFunctions, ...edgeFunctions, ...liveFunctions, ...eventFunctions };

/** Every invocation runs under its function's declared table grants where the twin can check them (./table-grants.ts). */
function underDeclaredTableGrants(load: (name: TwinFunctionName) => Promise<LambdaModule>): (name: TwinFunctionName) => Promise<LambdaModule> {
  return async (name) => {
    const module = await load(name);
    const declaration = twinFunctionDeclarations[name];
    if (declaration?.tableAccess !== 'survey-link') return module;
    // On first use, not at start: the functions' client is made from DYNAMODB_ENDPOINT when first
    // asked for, and the fault suite points that at its proxy after the twin has started.
    enforceTableGrants(db());
    return { handler: (event, context) => withTableGrants(name, declaration, () => module.handler(event, context)) };
  };
}

export async function startTwin(options: TwinOptions): Promise<Twin> {
  configureFunctionEnvironment(options);
  const host = options.host ?? '127.0.0.1';
  const loadFunction = underDeclaredTableGrants(options.loadFunction ?? loadFunctionModule);
  const aws = await startAwsEmulator({
    ...options.events,
    identityFile: options.identityFile,
    dynamoEndpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    invoke: async (name, event) => (await loadFunction(name as TwinFunctionName)).handler(event as never, lambdaContext(name as TwinFunctionName)),
  });
  Object.assign(process.env, aws.environment);
  const gateway: Gateway = {
    loadFunction,
    authorizerCache: new AuthorizerCache((options.authorizerCacheSeconds ?? tenantAuthorizer.cacheSeconds) * 1000, () => aws.clock.now().getTime()),
    serveControl: aws.serveControl,
    serveEventsApi: aws.serveEventsApi,
    checkAnswers: options.checkAnswers ?? false,
  };

  const server = createServer((request, response) => {
    serve(request, response, gateway).catch((error: unknown) => {
      console.error('[twin] could not answer a request:', error);
      if (!response.headersSent) writeProblem(response, gatewayError(), request.url);
      else response.destroy();
    });
  });
  // The live channel's WebSocket API on the same port (./live.ts), as CloudFront would route it in AWS.
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    aws.live.upgrade(request, socket, head).catch((error: unknown) => {
      console.error('[twin] could not take a live connection:', error);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await aws.close();
    throw error;
  });

  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  // The functions run in this process: the survey SMS links to the web page on this twin.
  process.env.PUBLIC_BASE_URL = url;
  const people = startLocalIssuer(aws, { port, twinUrl: url, extraConsoleOrigins: options.extraConsoleOrigins });
  Object.assign(process.env, people.environment);
  gateway.issuer = people.issuer;
  gateway.console = { origin: people.consoleUrl, issuer: people.issuer.issuer };
  const twinTime = () => aws.clock.now();
  if (options.functionsFollowClock) functionClock.now = twinTime;
  return {
    url,
    server,
    bus: aws.bus,
    clock: aws.clock,
    scheduler: aws.scheduler,
    sms: aws.sms,
    aws,
    mail: aws.mail,
    identity: aws.identity,
    issuer: people.issuer.issuer,
    consoleUrl: people.consoleUrl,
    oidc: people.issuer,
    close: async () => {
      // Upgraded sockets are no longer the HTTP server's to close: the live channel closes its own first.
      aws.live.close();
      await closeServer(server);
      await aws.close();
      if (functionClock.now === twinTime) functionClock.now = () => new Date();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    // In-flight requests may finish; a kept-alive idle connection must not hold the close up.
    const force = setTimeout(() => server.closeAllConnections(), 2_000);
    force.unref();
    server.close((error) => {
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

async function serve(request: IncomingMessage, response: ServerResponse, gateway: Gateway): Promise<void> {
  const { loadFunction } = gateway;
  const receivedAt = new Date();
  const requestId = newRequestId();
  response.setHeader('apigw-requestid', requestId);

  const body = await readBody(request, gatewayMaxBodyBytes);
  if (body === 'aborted') return; // the client went away; there is no one to answer
  if (body === 'too-large') {
    response.setHeader('connection', 'close');
    writeProblem(response, payloadTooLarge(gatewayMaxBodyBytes), request.url);
    // Stop reading what remains of the body; the connection is closed once the answer is out.
    response.on('finish', () => request.destroy());
    return;
  }

  const method = request.method ?? 'GET';
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : target.slice(queryStart + 1);
  const awsTarget = request.headers['x-amz-target'];
  if (method === 'POST' && rawPath === '/' && typeof awsTarget === 'string' && awsTarget.startsWith('AWSEvents.')) {
    // EventBridge's API on the twin's own port; like /local/*, it feeds the bus, so for this machine only.
    if (!isLoopback(request.socket.remoteAddress)) {
      writeProblem(response, forbidden('The twin takes PutEvents only on this machine (a loopback address)'), request.url);
      return;
    }
    gateway.serveEventsApi(awsTarget, body, response, request.headers.authorization);
    return;
  }
  if (rawPath.startsWith('/local/') && !isLoopback(request.socket.remoteAddress)) {
    // The control endpoints move the clock and inject events: for this machine only, whatever HOST the twin listens on.
    writeProblem(response, forbidden('The /local endpoints answer only on this machine (a loopback address)'), request.url);
    return;
  }
  if (rawPath.startsWith('/local/') && gateway.serveControl(method, rawPath, body, response, new URLSearchParams(rawQueryString))) return;
  if (method === 'GET' && (rawPath === '/docs' || rawPath === '/docs/')) return serveApiReference(response);
  if ((rawPath === '/oidc' || rawPath.startsWith('/oidc/')) && gateway.issuer?.serve(request, response, rawPath, new URLSearchParams(rawQueryString), body)) return;

  const match = matchPath(method, rawPath);
  const matched = match && 'route' in match ? match : undefined;
  const route = matched?.route;
  const event = buildEvent({
    request,
    method,
    rawPath,
    rawQueryString,
    body,
    requestId,
    receivedAt,
    routeKey: route ? routeKey(route) : '$default',
    pathParameters: matched?.params,
  });
  const functionName: TwinFunctionName = route ? route.function : 'fallback';
  if (!route && gateway.console && !apiPathPrefix.test(rawPath) && (await serveConsole(method, rawPath, response, gateway.console))) return;

  if (route?.access.kind === 'tenant') {
    let denied: Denial | undefined;
    try {
      denied = await authorize(event, gateway);
    } catch (error) {
      console.error(`[twin] switchboard-authorizer failed on ${method} ${rawPath} (request ${requestId}):`, error);
      return writeProblem(response, gatewayError(), rawPath);
    }
    if (denied) return writeGatewayMessage(response, denied.status, denied.message);
  }

  let result: unknown;
  try {
    const { handler } = await loadFunction(functionName);
    result = await handler(event as never, lambdaContext(functionName));
  } catch (error) {
    console.error(`[twin] switchboard-${functionName} failed on ${method} ${rawPath} (request ${requestId}):`, error);
    return writeProblem(response, gatewayError(), rawPath);
  }
  if (gateway.checkAnswers && route && isStructuredResult(result)) {
    const differences = undeclaredInAnswer(route, result);
    if (differences.length > 0) {
      const detail = `${routeKey(route)} answered ${result.statusCode ?? 200} otherwise than its declaration (request ${requestId})`;
      console.error(`[twin] ${detail}:`, differences);
      return writeProblem(response, new HttpError('undeclared-answer', detail, { errors: differences }), rawPath);
    }
  }
  writeLambdaResult(response, result, rawPath, functionName);
}

/** The API reference (./api-reference.ts), twin only: a deployed stage hosts `npm run docs:build`'s files instead. */
async function serveApiReference(response: ServerResponse): Promise<void> {
  let html: string;
  try {
    html = await cachedApiReference();
  } catch (error) {
    console.error('[twin] could not render the API reference:', error);
    return writeProblem(response, gatewayError(), '/docs');
  }
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(html);
}

type Denial = { status: 401 | 403; message: 'Unauthorized' | 'Forbidden' };

/**
 * What API Gateway does for a route with the Lambda authorizer: a missing identity source (the
 * Authorization header) is 401 without calling the authorizer; `isAuthorized: false` is 403;
 * otherwise the authorizer's context reaches the handler as requestContext.authorizer.lambda.
 */
async function authorize(event: TwinEvent, gateway: Gateway): Promise<Denial | undefined> {
  const identitySource = identitySourceHeaders.map((header) => event.headers[header] ?? '');
  if (identitySource.some((value) => value === '')) return { status: 401, message: 'Unauthorized' };
  const identity = JSON.stringify(identitySource);
  // As API Gateway's cache: an answer is kept for the TTL from when the authorizer gave it; hits do not extend it.
  let answer = gateway.authorizerCache.get(identity);
  if (!answer) {
    answer = await invokeAuthorizer(event, identitySource, gateway);
    gateway.authorizerCache.set(identity, answer);
  }
  if (!answer.isAuthorized) return { status: 403, message: 'Forbidden' };
  event.requestContext.authorizer = { lambda: answer.context ?? {} };
  return undefined;
}

async function invokeAuthorizer(event: TwinEvent, identitySource: string[], gateway: Gateway): Promise<AuthorizerAnswer> {
  const { body: _body, isBase64Encoded: _encoded, ...rest } = event;
  const authorizerEvent: APIGatewayRequestAuthorizerEventV2 = {
    ...structuredClone(rest),
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${process.env.AWS_REGION}:${accountId}:${apiId}/${stage}/${event.requestContext.http.method}${event.rawPath}`,
    identitySource,
    cookies: event.cookies ?? [],
  };
  const { handler } = await gateway.loadFunction('authorizer');
  const answer = (await handler(authorizerEvent as never, lambdaContext('authorizer'))) as
    | { isAuthorized?: unknown; context?: Record<string, unknown> }
    | undefined;
  if (typeof answer?.isAuthorized !== 'boolean') {
    throw new Error('The authorizer answered without a boolean isAuthorized (simple responses are expected)');
  }
  return { isAuthorized: answer.isAuthorized, context: answer.context };
}

type TwinEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayEventRequestContextV2 & { authorizer?: { lambda: Record<string, unknown> } };
};

interface EventInput {
  request: IncomingMessage;
  method: string;
  rawPath: string;
  rawQueryString: string;
  body: Buffer;
  requestId: string;
  receivedAt: Date;
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
}

function buildEvent(input: EventInput): TwinEvent {
  const { request, method, rawPath, rawQueryString, body, requestId, receivedAt } = input;
  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const { headers, cookies } = collectHeaders(request.rawHeaders);
  // What API Gateway adds in front of the function.
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(request.socket.localPort ?? '');
  headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(receivedAt.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  const domainName = headers.host ?? 'localhost';
  const contentType = headers['content-type'];
  const textBody = isTextContentType(contentType);

  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: parseQueryString(rawQueryString) } : {}),
    ...(input.pathParameters && Object.keys(input.pathParameters).length > 0 ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId,
      apiId,
      domainName,
      domainPrefix: domainName.split(/[.:]/)[0] ?? domainName,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: input.routeKey,
      stage,
      time: formatRequestTime(receivedAt),
      timeEpoch: receivedAt.getTime(),
    },
    ...(body.length > 0 ? { body: textBody ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !textBody,
  };
}

/**
 * Payload 2.0 headers: names lowercased, a repeated header joined with commas. Cookie headers
 * become the `cookies` list and are not passed as a header.
 */
function collectHeaders(rawHeaders: string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name === 'cookie') {
      cookies.push(...value.split(';').map((cookie) => cookie.trim()).filter(Boolean));
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
}

/** Values are URL-decoded (`+` as a space); a repeated parameter is joined with commas, as API Gateway does. */
function parseQueryString(rawQueryString: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return parameters;
}

function isTextContentType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return (
    mediaType.startsWith('text/') ||
    /^application\/(json|xml|javascript|x-www-form-urlencoded|yaml|graphql)$/.test(mediaType) ||
    /^application\/[a-z0-9.-]+\+(json|xml)$/.test(mediaType)
  );
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's requestContext.time, e.g. `12/Mar/2020:19:03:58 +0000`. */
function formatRequestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** Shaped like API Gateway's request ids (`JKJaXmPLvHcESHA=`): 16 characters of base64. */
const newRequestId = () => randomBytes(11).toString('base64').slice(0, 15) + '=';

function lambdaContext(name: TwinFunctionName): Context {
  const functionName = `switchboard-${name}`;
  const deadline = Date.now() + functionTimeoutMs;
  const region = process.env.AWS_REGION ?? 'local';
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('Callback-style completion (done/fail/succeed) is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** Reads the whole body, or answers 'too-large' as soon as it is known to exceed the limit. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return 'too-large';
      chunks.push(chunk);
    }
  } catch {
    return 'aborted';
  }
  return Buffer.concat(chunks);
}

/**
 * How API Gateway turns a payload 2.0 answer into HTTP: a structured result as given; anything
 * else (a string, an object without statusCode) as a 200 JSON body.
 */
function writeLambdaResult(response: ServerResponse, result: unknown, rawPath: string, name: TwinFunctionName): void {
  if (!isStructuredResult(result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return send(response, 200, { 'content-type': 'application/json' }, body);
  }
  try {
    const statusCode = result.statusCode ?? 200;
    for (const [header, value] of Object.entries(result.headers ?? {})) response.setHeader(header, String(value));
    if (result.cookies?.length) response.setHeader('set-cookie', result.cookies);
    const body = result.body ?? '';
    send(response, statusCode, {}, result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
  } catch (error) {
    // Such as an invalid status code or header value, which API Gateway also refuses.
    console.error(`[twin] switchboard-${name} answered something API Gateway cannot send:`, error);
    for (const header of response.getHeaderNames()) if (header !== 'apigw-requestid') response.removeHeader(header);
    writeProblem(response, gatewayError(), rawPath);
  }
}

function isStructuredResult(result: unknown): result is APIGatewayProxyStructuredResultV2 {
  return typeof result === 'object' && result !== null && 'statusCode' in result;
}

const gatewayError = () =>
  new HttpError('bad-gateway', 'The function failed to answer; the local twin logged the error');

function writeProblem(response: ServerResponse, error: HttpError, instance: string | undefined): void {
  send(response, error.status, { 'content-type': 'application/problem+json', ...error.headers }, JSON.stringify(problemBody(error, instance)));
}

/** API Gateway's own JSON answers, such as `{"message":"Unauthorized"}`. */
function writeGatewayMessage(response: ServerResponse, status: number, message: string): void {
  send(response, status, { 'content-type': 'application/json' }, JSON.stringify({ message }));
}

/** API Gateway answers with Content-Length, never chunked. */
function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  response.end(bytes);
}
