import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { ensureTable, localClientConfig } from '../../infra/local/dynamodb';
import { type Twin, type TwinOptions, startTwin } from '../../infra/local/twin';

/** The operator key every test twin accepts. */
export const testOperatorKey = 'op_test-operator-key-not-a-secret';

export interface TestTwin extends Pick<Twin, 'bus' | 'clock' | 'scheduler' | 'sms' | 'aws' | 'mail' | 'identity' | 'issuer' | 'oidc' | 'consoleUrl'> {
  url: string;
  operatorKey: string;
  close(): Promise<void>;
}

/**
 * Each test file (this module is loaded once per file) has a table of its own on the run's
 * DynamoDB Local. A twin relays its table's stream to its consumers, so with one shared table
 * every file's consumers would act on every other file's events, and a clock moved in one file
 * would fire another file's timers.
 */
const fileTableName = `switchboard-test-${randomBytes(6).toString('hex')}`;
let fileTableReady: Promise<void> | undefined;

/** The run's DynamoDB Local (started by tests/global-setup.ts) and this file's table. */
export const testDatabase = () => ({ endpoint: inject('dynamoEndpoint'), tableName: fileTableName });

/** A document client on this file's table, for tests that look at stored items directly; destroy it after. */
export function testTableClient(): { client: DynamoDBDocumentClient; tableName: string } {
  const { endpoint, tableName } = testDatabase();
  return { client: DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint })), tableName };
}

/** Creates this file's table from the shared definition, once. */
export function ensureTestTable(): Promise<void> {
  fileTableReady ??= (async () => {
    const client = new DynamoDBClient({ ...localClientConfig, endpoint: inject('dynamoEndpoint') });
    try {
      await ensureTable(client, fileTableName);
    } finally {
      client.destroy();
    }
  })();
  return fileTableReady;
}

/**
 * An in-process local twin on a free port, against the run's DynamoDB Local. It checks every
 * successful answer against its route's declared response, so each test that goes through it
 * also proves the OpenAPI document right about what it was answered.
 */
export async function startTestTwin(
  options: Pick<TwinOptions, 'loadFunction' | 'authorizerCacheSeconds' | 'events' | 'functionsFollowClock' | 'checkAnswers' | 'host' | 'webhookReceiverPorts'> = {},
): Promise<TestTwin> {
  const { endpoint, tableName } = testDatabase();
  await ensureTestTable();
  // No authorizer cache unless a test asks for it, so that a revoked key is refused at once.
  const twin = await startTwin({
    port: 0,
    dynamoEndpoint: endpoint,
    tableName,
    operatorKey: testOperatorKey,
    authorizerCacheSeconds: 0,
    checkAnswers: true,
    ...options,
  });
  return {
    url: twin.url,
    operatorKey: testOperatorKey,
    bus: twin.bus,
    clock: twin.clock,
    scheduler: twin.scheduler,
    sms: twin.sms,
    aws: twin.aws,
    mail: twin.mail,
    identity: twin.identity,
    issuer: twin.issuer,
    oidc: twin.oidc,
    consoleUrl: twin.consoleUrl,
    close: twin.close,
  };
}

// Tests read answers by the contract they check, not by a declared type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<Body = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer says it is JSON, otherwise the text ('' when there is none). */
  body: Body;
}

export interface ApiRequestOptions {
  /** Sent as `Authorization: Bearer <key>`; none when undefined. */
  key?: string;
  /** A string is sent as it is; anything else as JSON with content-type application/json. */
  body?: unknown;
  headers?: Record<string, string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function api<Body = any>(
  url: string,
  method: string,
  path: string,
  { key, body, headers = {} }: ApiRequestOptions = {},
): Promise<ApiResponse<Body>> {
  const requestHeaders: Record<string, string> = {};
  if (key !== undefined) requestHeaders.authorization = `Bearer ${key}`;
  let payload: string | undefined;
  if (typeof body === 'string') {
    payload = body;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    requestHeaders['content-type'] = 'application/json';
  }
  const response = await fetch(`${url}${path}`, { method, headers: { ...requestHeaders, ...headers }, body: payload });
  const text = await response.text();
  const isJson = /^application\/([a-z0-9.+-]+\+)?json\b/i.test(response.headers.get('content-type') ?? '');
  return { status: response.status, headers: response.headers, body: (isJson && text ? JSON.parse(text) : text) as Body };
}

export const acmeSupport = {
  name: 'Acme Support',
  timezone: 'Asia/Taipei',
  locale: 'zh-TW',
  defaultCountry: 'TW',
  plan: 'trial',
} as const;

export interface CreatedTenant {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  tenant: any;
  /** The admin API key's secret, ready for `Authorization: Bearer`. */
  apiKey: string;
  adminKeyId: string;
}

/** Signs up a tenant with the operator key; fails the test with the answer if that does not give 201. */
export async function createTenant(
  twin: Pick<TestTwin, 'url' | 'operatorKey'>,
  overrides: Record<string, unknown> = {},
): Promise<CreatedTenant> {
  const created = await api(twin.url, 'POST', '/v1/tenants', {
    key: twin.operatorKey,
    body: { ...acmeSupport, ...overrides },
  });
  if (created.status !== 201) {
    throw new Error(`POST /v1/tenants answered ${created.status}: ${JSON.stringify(created.body)}`);
  }
  return { tenant: created.body.tenant, apiKey: created.body.apiKey.secret, adminKeyId: created.body.apiKey.keyId };
}
