import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { repositoryRoot } from '../infra/config';
import { findFreePort, localClientConfig } from '../infra/local/dynamodb';
import { configureFunctionEnvironment } from '../infra/local/twin';
import { keys } from '../shared/data/keys';
import { ms, percentile, timeEach } from './stats';

/** The table `npm start` creates. */
export const twinTableName = 'switchboard-local';
export const operatorKey = 'op_bench';

export interface LatencyResult {
  samples: number;
  api: { p50: number; p99: number };
  handler: { p50: number; p99: number };
  bare: { p50: number; p99: number };
  /** Resident memory of the twin process after the run. */
  twinRssMiB: number;
}

/**
 * GET /v1/customers/{id} through the local twin, and the same handler invoked directly, against
 * a bare GetItem of the same item on the same DynamoDB Local; measured in one run, in
 * alternating rounds so that drift hits all alike.
 */
export async function measureCustomerReadLatency(samples = 1000): Promise<LatencyResult> {
  const twin = await startTwinProcess();
  const client = new DynamoDBClient({ ...localClientConfig, endpoint: twin.dynamoEndpoint });
  try {
    const post = (path: string, key: string, body: unknown) =>
      fetch(`${twin.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(
        (response) =>
          response.json() as Promise<{ apiKey: { secret: string }; tenant: { tenantId: string }; customerId: string }>,
      );
    const signup = await post('/v1/tenants', operatorKey, {
      name: 'Bench',
      timezone: 'Asia/Taipei',
      locale: 'en',
      defaultCountry: 'TW',
    });
    const apiKey = signup.apiKey.secret;
    const customer = await post('/v1/customers', apiKey, { displayName: 'Bench customer', phone: '0912345678' });
    const path = `${twin.url}/v1/customers/${customer.customerId}`;
    const documentClient = DynamoDBDocumentClient.from(client);
    const key = keys.customer(signup.tenant.tenantId, customer.customerId);

    // node:http with a keep-alive agent, as the AWS SDK's own handler talks to DynamoDB, so that
    // both sides pay for the same kind of HTTP client.
    const agent = new Agent({ keepAlive: true });
    const viaApi = () =>
      new Promise<void>((resolve, reject) => {
        const request = httpRequest(path, { agent, headers: { authorization: `Bearer ${apiKey}` } }, (response) => {
          if (response.statusCode !== 200) reject(new Error(`GET customer answered ${response.statusCode}`));
          response.resume().on('end', resolve);
        });
        request.on('error', reject).end();
      });
    const bare = () => documentClient.send(new GetCommand({ TableName: twinTableName, Key: key, ConsistentRead: true }));

    // The function's own work: the same handler module invoked in this process with the event
    // API Gateway would send, as Lambda invokes it, without the HTTP hop in front.
    configureFunctionEnvironment({ dynamoEndpoint: twin.dynamoEndpoint, tableName: twinTableName, operatorKey });
    const { handler } = (await import('../functions/customers/handler')) as unknown as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
    };
    const event = customerReadEvent(signup.tenant.tenantId, customer.customerId);
    const context = { functionName: 'switchboard-customers', awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 };
    const viaHandler = async () => {
      const result = await handler(event, context);
      if (result.statusCode !== 200) throw new Error(`The handler answered ${result.statusCode}`);
    };

    const paths = { api: viaApi, handler: viaHandler, bare };
    const times: Record<keyof typeof paths, number[]> = { api: [], handler: [], bare: [] };
    for (const run of Object.values(paths)) await timeEach(200, run);
    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(paths) as [keyof typeof paths, () => Promise<unknown>][]) {
        times[name].push(...(await timeEach(samples / rounds, run)));
      }
    }
    agent.destroy();
    const summary = (values: number[]) => {
      const sorted = values.sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    };
    return {
      samples,
      api: summary(times.api),
      handler: summary(times.handler),
      bare: summary(times.bare),
      twinRssMiB: await twin.rssMiB(),
    };
  } finally {
    client.destroy();
    await twin.stop();
  }
}

function customerReadEvent(tenantId: string, customerId: string) {
  return {
    version: '2.0',
    routeKey: 'GET /v1/customers/{customerId}',
    rawPath: `/v1/customers/${customerId}`,
    rawQueryString: '',
    headers: { host: 'bench' },
    pathParameters: { customerId },
    isBase64Encoded: false,
    requestContext: {
      requestId: 'bench',
      routeKey: 'GET /v1/customers/{customerId}',
      http: { method: 'GET', path: `/v1/customers/${customerId}`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      authorizer: { lambda: { tenantId, keyId: 'key_bench', scopes: 'readonly' } },
    },
  };
}

/**
 * The twin as `npm start` runs it, in its own process, so that this process's HTTP client does
 * not share the server's event loop (in AWS they are different machines).
 */
export async function startTwinProcess() {
  const port = await findFreePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: String(port), SWITCHBOARD_OPERATOR_KEY: operatorKey, POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const dynamoEndpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The twin did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const endpoint = /DynamoDB Local is up at (\S+)/.exec(output)?.[1];
      if (endpoint && output.includes('Switchboard local twin ready')) {
        clearTimeout(timer);
        resolve(endpoint);
      }
    });
    child.once('exit', (code) => reject(new Error(`The twin exited with ${code}:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    dynamoEndpoint,
    rssMiB: async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

export function formatLatency(result: LatencyResult): string {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return [
    `| path (${result.samples} sequential reads each) | p50 | p99 |`,
    '| --- | --- | --- |',
    `| GET /v1/customers/{id} through the local twin | ${ms(result.api.p50)} | ${ms(result.api.p99)} |`,
    `| the customers handler invoked in-process with the same API Gateway event | ${ms(result.handler.p50)} | ${ms(result.handler.p99)} |`,
    `| bare GetItem, same item, same DynamoDB Local | ${ms(result.bare.p50)} | ${ms(result.bare.p99)} |`,
    `| through the twin ÷ bare GetItem | ${ratio(result.api.p50, result.bare.p50)} | ${ratio(result.api.p99, result.bare.p99)} |`,
    `| handler ÷ bare GetItem | ${ratio(result.handler.p50, result.bare.p50)} | ${ratio(result.handler.p99, result.bare.p99)} |`,
    '',
    `The twin process (all functions in one Node process) used ${result.twinRssMiB.toFixed(0)} MiB resident after the run.`,
  ].join('\n');
}
