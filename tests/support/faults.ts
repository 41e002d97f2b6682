import { type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SurveyTenant } from './surveys';
import { type TestTwin, api, startTestTwin } from './twin';
import { uniqueDigits } from './waiting';

/**
 * Fault injection for the fault suite (tests/faults): an HTTP proxy in front of DynamoDB Local
 * and in front of the twin's emulated AWS endpoints (EventBridge, Scheduler, End User Messaging
 * SMS, SES v2, the Cognito admin API). A request matching an injected fault is answered with the error AWS would send, in the
 * wire format of that service's protocol, so the functions' own SDK clients parse it into the
 * real exception class and apply their real retry strategy. Everything else is passed through.
 *
 * Faults are narrowed to one test's data by `bodyIncludes` (a tenant id, a phone number), since
 * other requests of the same twin must keep working.
 */

export interface AwsErrorAnswer {
  /** The exception's name, e.g. ProvisionedThroughputExceededException, ThrottlingException. */
  type: string;
  /** 400 for client-side and throttling errors, 500 for InternalServerError and the like. */
  status?: number;
  message?: string;
  /** Members the exception carries, e.g. `{ Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT' }`. */
  fields?: Record<string, unknown>;
}

export interface FaultSpec {
  /**
   * The operation: the X-Amz-Target's action (`TransactWriteItems`, `SendTextMessage`,
   * `PutEvents`, `AdminCreateUser`), or for the REST APIs EventBridge Scheduler's `CreateSchedule`,
   * `UpdateSchedule`, `DeleteSchedule`, `GetSchedule` and SES v2's `SendEmail`.
   */
  operation: string;
  /** Only requests whose body holds this text (each of these texts) fail. */
  bodyIncludes?: string | readonly string[];
  /** How many matching requests fail; Infinity until the fault is cleared. */
  times: number;
  /** The error to answer with, or a whole answer (e.g. a PutEvents partial failure with status 200). */
  answer: AwsErrorAnswer | ((body: string) => { status: number; body: unknown });
}

export interface Fault extends FaultSpec {
  /** How many requests this fault failed so far. */
  injected: number;
}

export interface ProxiedRequest {
  operation: string;
  body: string;
  failed: boolean;
}

/** The faults in force, shared by every proxy of one twin. */
export class FaultPlan {
  readonly faults: Fault[] = [];
  /** Every request that went through a proxy, oldest first (bounded). */
  readonly requests: ProxiedRequest[] = [];

  inject(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, injected: 0 };
    this.faults.push(fault);
    return fault;
  }

  /** Removes one fault (the service recovers), or all of them. */
  clear(fault?: Fault): void {
    if (!fault) this.faults.length = 0;
    else if (this.faults.includes(fault)) this.faults.splice(this.faults.indexOf(fault), 1);
  }

  /** How many requests of this operation, whose body holds the text, reached a proxy (failed or not). */
  count(operation: string, bodyIncludes?: string | readonly string[]): number {
    return this.requests.filter((r) => r.operation === operation && holdsAll(r.body, bodyIncludes)).length;
  }

  /** The fault this request meets, consuming one of its times. */
  take(operation: string, body: string): Fault | undefined {
    const fault = this.faults.find((f) => f.operation === operation && f.injected < f.times && holdsAll(body, f.bodyIncludes));
    if (fault) fault.injected++;
    this.requests.push({ operation, body, failed: fault !== undefined });
    if (this.requests.length > 5_000) this.requests.splice(0, 1_000);
    return fault;
  }
}

const holdsAll = (body: string, texts: string | readonly string[] | undefined) =>
  texts === undefined || (typeof texts === 'string' ? [texts] : texts).every((text) => body.includes(text));

const schedulerOperations: Record<string, string> = { POST: 'CreateSchedule', PUT: 'UpdateSchedule', DELETE: 'DeleteSchedule', GET: 'GetSchedule' };

function operationOf(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const path = (request.url ?? '/').split('?')[0]!;
  if (path.startsWith('/schedules/')) return schedulerOperations[request.method ?? 'GET'] ?? 'Unknown';
  if (request.method === 'POST' && path === '/v2/email/outbound-emails') return 'SendEmail';
  return `${request.method} ${path}`;
}

/** AWS's error answer: `__type` for the JSON protocols, `x-amzn-errortype` for restJson (Scheduler, SES v2). */
function errorAnswer(answer: AwsErrorAnswer): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: answer.status ?? 400,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': answer.type },
    body: JSON.stringify({ __type: answer.type, message: answer.message ?? `Injected ${answer.type}`, Message: answer.message ?? `Injected ${answer.type}`, ...answer.fields }),
  };
}

export interface FaultProxy {
  url: string;
  close(): Promise<void>;
}

/** A proxy to `upstream` (http://host:port) that applies the plan's faults. */
export async function startFaultProxy(upstream: string, plan: FaultPlan): Promise<FaultProxy> {
  const target = new URL(upstream);
  const server: Server = createServer((request, response) => {
    void forward(request, response, target, plan).catch(() => {
      if (!response.headersSent) response.writeHead(502).end();
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function forward(request: IncomingMessage, response: ServerResponse, upstream: URL, plan: FaultPlan): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const fault = plan.take(operationOf(request), body.toString('utf8'));
  if (fault) {
    const answer =
      typeof fault.answer === 'function'
        ? (({ status, body: json }) => ({ status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(json) }))(fault.answer(body.toString('utf8')))
        : errorAnswer(fault.answer);
    response.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
    response.end(answer.body);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const outgoing = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', resolve);
        answer.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export interface FaultyTwin extends TestTwin {
  faults: FaultPlan;
}

/**
 * A test twin whose functions reach DynamoDB and the emulated AWS services through fault proxies.
 * The functions create their AWS clients on first use from the endpoints in the environment, so
 * pointing those at the proxies after the twin starts, and before its first request, is enough.
 */
export async function startFaultyTwin(options: Parameters<typeof startTestTwin>[0] = {}): Promise<FaultyTwin> {
  const twin = await startTestTwin(options);
  const faults = new FaultPlan();
  const dynamo = await startFaultProxy(process.env.DYNAMODB_ENDPOINT!, faults);
  const aws = await startFaultProxy(twin.aws.endpoint, faults);
  const proxied = {
    DYNAMODB_ENDPOINT: dynamo.url,
    EVENTBRIDGE_ENDPOINT: aws.url,
    SCHEDULER_ENDPOINT: aws.url,
    SMS_ENDPOINT: aws.url,
    MAIL_ENDPOINT: aws.url,
    COGNITO_ENDPOINT: aws.url,
  };
  const direct = Object.fromEntries(Object.keys(proxied).map((name) => [name, process.env[name]]));
  Object.assign(process.env, proxied);
  return {
    ...twin,
    faults,
    close: async () => {
      await twin.close();
      await Promise.all([dynamo.close(), aws.close()]);
      Object.assign(process.env, direct);
    },
  };
}

export { advanceClock, eventually } from './waiting';
export { type SurveyTenant, surveyTenant } from './surveys';

/** A customer with a mobile number who granted SMS consent. */
export async function smsCustomer(twin: Pick<TestTwin, 'url'>, tenant: SurveyTenant, phone = `+8869${uniqueDigits()}`) {
  const created = await api(twin.url, 'POST', '/v1/customers', {
    key: tenant.key,
    body: { displayName: 'Ms Lin', phone, language: 'en', consent: { sms: { status: 'granted', source: 'web-form' } } },
  });
  if (created.status !== 201) throw new Error(`POST /v1/customers answered ${created.status}: ${JSON.stringify(created.body)}`);
  return { customerId: created.body.customerId as string, phone };
}

/** Opens and closes a voice contact of the customer; answers its id. */
export async function closedContact(twin: Pick<TestTwin, 'url'>, tenant: SurveyTenant, customerId: string): Promise<string> {
  const opened = await api(twin.url, 'POST', '/v1/contacts', {
    key: tenant.key,
    body: { channel: 'voice', direction: 'inbound', purpose: 'service', customerId, agentId: 'agent-7', queue: 'billing' },
  });
  if (opened.status !== 201) throw new Error(`POST /v1/contacts answered ${opened.status}: ${JSON.stringify(opened.body)}`);
  const contactId = opened.body.contactId as string;
  const closed = await api(twin.url, 'POST', `/v1/contacts/${contactId}/close`, { key: tenant.key, body: { outcome: 'resolved' } });
  if (closed.status !== 200) throw new Error(`close answered ${closed.status}: ${JSON.stringify(closed.body)}`);
  return contactId;
}

/** The tenant's surveys (first page of 100). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function surveysOf(twin: Pick<TestTwin, 'url'>, tenant: Pick<SurveyTenant, 'key'>): Promise<any[]> {
  const page = await api(twin.url, 'GET', '/v1/surveys?limit=100', { key: tenant.key });
  if (page.status !== 200) throw new Error(`GET /v1/surveys answered ${page.status}`);
  return page.body.items;
}
