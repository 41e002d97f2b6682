import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mulberry32 } from './seeded-random';

/**
 * What a per-tenant `dynamodb:LeadingKeys` session would cost the tenant API functions
 * (docs/developers/security.md, "Per-tenant data confinement: decided against"). STS cannot be called here,
 * so two parts are measured and one is modelled:
 *
 * - measured: building one tenant's DynamoDB client from session credentials and signing its first
 *   request (a stub handler answers, no network), and the heap each cached client holds;
 * - modelled: how many AssumeRole calls a container makes, and what share of requests waits for
 *   one, for a tenant mix whose request shares follow Zipf's law (a few large tenants, a long tail),
 *   with credentials cached per tenant and container for 55 minutes (a Lambda role assuming another
 *   role is role chaining, which AWS caps at one hour per session).
 */

interface ClientCost {
  clients: number;
  buildAndFirstSignMs: number;
  heapPerClientKiB: number;
}

const stubHandler = {
  handle: async () => ({
    response: Object.assign(
      { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: undefined as unknown },
      { body: new (await import('node:stream')).Readable({ read() { this.push('{}'); this.push(null); } }) },
    ),
  }),
};

export async function measureTenantClientCost(clients = 200): Promise<ClientCost> {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const kept: DynamoDBDocumentClient[] = [];
  const started = performance.now();
  for (let i = 0; i < clients; i++) {
    const client = new DynamoDBClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: `ASIA${i}`, secretAccessKey: 'secret', sessionToken: `token-${i}` },
      requestHandler: stubHandler as never,
    });
    const documentClient = DynamoDBDocumentClient.from(client);
    await documentClient.send(new GetCommand({ TableName: 't', Key: { pk: `T#ten_${i}`, sk: 'TENANT' } }));
    kept.push(documentClient);
  }
  const elapsed = performance.now() - started;
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const result = { clients, buildAndFirstSignMs: elapsed / clients, heapPerClientKiB: Math.max(0, heapAfter - heapBefore) / 1024 / clients };
  kept.length = 0;
  return result;
}

interface Mix {
  tenants: number;
  requestsPerSecond: number;
  containers: number;
}

interface SessionModel extends Mix {
  assumeRolePerContainerHour: number;
  requestsWaitingForSts: number;
  /** Share of the requests of tenants in the smallest half that wait for STS. */
  smallTenantsWaiting: number;
}

/**
 * One simulated hour after warm-up: requests arrive at `requestsPerSecond`, each from a tenant
 * drawn by Zipf (s = 1), each served by one of `containers` warm containers at random (Lambda
 * gives no tenant affinity). A container holds a tenant's credentials 55 minutes.
 */
export function modelTenantSessions(mix: Mix, seed = 11): SessionModel {
  const next = mulberry32(seed);
  const weights = Array.from({ length: mix.tenants }, (_, rank) => 1 / (rank + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, weight, index) => (cumulative[index] = sum + weight / total), 0);
  const drawTenant = () => {
    const x = next();
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < x) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  const cacheSeconds = 55 * 60;
  const warmUpSeconds = 3600;
  const measuredSeconds = 3600;
  const cached = Array.from({ length: mix.containers }, () => new Map<number, number>());
  let requests = 0;
  let waited = 0;
  let assumeRoles = 0;
  let smallRequests = 0;
  let smallWaited = 0;
  const steps = (warmUpSeconds + measuredSeconds) * mix.requestsPerSecond;
  for (let step = 0; step < steps; step++) {
    const now = step / mix.requestsPerSecond;
    const tenant = drawTenant();
    const container = cached[Math.floor(next() * mix.containers)]!;
    const expires = container.get(tenant);
    const cold = expires === undefined || expires <= now;
    if (cold) container.set(tenant, now + cacheSeconds);
    if (now < warmUpSeconds) continue;
    requests++;
    const small = tenant >= mix.tenants / 2;
    if (small) smallRequests++;
    if (cold) {
      waited++;
      assumeRoles++;
      if (small) smallWaited++;
    }
  }
  return {
    ...mix,
    assumeRolePerContainerHour: assumeRoles / mix.containers,
    requestsWaitingForSts: waited / requests,
    smallTenantsWaiting: smallRequests === 0 ? 0 : smallWaited / smallRequests,
  };
}

/** Tenant mixes for one tenant API function: a small, a growing and a large service. */
export const tenantMixes: Mix[] = [
  { tenants: 50, requestsPerSecond: 5, containers: 2 },
  { tenants: 500, requestsPerSecond: 20, containers: 5 },
  { tenants: 5000, requestsPerSecond: 100, containers: 20 },
];

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

export function formatTenantSessions(cost: ClientCost, models: SessionModel[]): string {
  return [
    `Per-tenant client, measured: ${cost.buildAndFirstSignMs.toFixed(2)} ms to build and sign its first request, ~${cost.heapPerClientKiB.toFixed(0)} KiB heap each (${cost.clients} clients).`,
    '',
    '| tenants | requests/s | warm containers | AssumeRole per container-hour | requests waiting for STS | of the smaller half of tenants |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...models.map(
      (model) =>
        `| ${model.tenants} | ${model.requestsPerSecond} | ${model.containers} | ${model.assumeRolePerContainerHour.toFixed(0)} | ${percent(model.requestsWaitingForSts)} | ${percent(model.smallTenantsWaiting)} |`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cost = await measureTenantClientCost();
  console.log(formatTenantSessions(cost, tenantMixes.map((mix) => modelTenantSessions(mix))));
}
