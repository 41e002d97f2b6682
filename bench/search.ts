import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Agent, request as httpRequest } from 'node:http';
import { ensureTable, localClientConfig, startDynamoDbLocal } from '../infra/local/dynamodb';
import { searchTokenKey } from '../shared/data/customers-repo';
import { keys } from '../shared/data/keys';
import { newCustomer } from '../shared/domain/customer';
import { customerSearchTokens } from '../shared/domain/customer-search';
import { newId } from '../shared/ids';
import { writeAll } from './analytics';
import { operatorKey, startTwinProcess, twinTableName } from './latency';
import { mulberry32 } from './seeded-random';
import { percentile, timeEach } from './stats';

const givenNames = ['Mei-Ling', 'José', 'Maria', 'Wei', 'Hsiao-ming', 'Anna', 'Chia-hui', 'John', 'Yu-ting', 'Chloé', '美玲', '志明', '淑芬', '家豪', '怡君', '俊傑'];
const familyNames = ['Chen', 'Lin', 'Huang', 'Chang', 'Li', 'Wang', 'Wu', 'Liu', 'Tsai', 'Yang', 'Álvarez', 'García', '陳', '林', '黃', '張', '李', '王', '歐陽'];

export interface SearchLatencyResult {
  samples: number;
  sizes: [number, number];
  queries: { name: string; small: number; large: number }[];
  overall: { small: number; large: number; ratio: number };
  seedSeconds: number;
}

/**
 * `GET /v1/customers/search` for two tenants on one twin, 1,000 and 100,000 customers with names
 * drawn alike (so a prefix matches 100 times as many in the larger), the same searches on both:
 * a common Latin prefix, two words, a Chinese name by its start and by its given name, a phone
 * number. The customers and their tokens are written in bulk as the API writes them (profile
 * with its listing keys, one token item per name token), because 100,000 creates through the API
 * would take the benchmark an hour.
 */
export async function measureSearchLatency(samples = 200): Promise<SearchLatencyResult> {
  const twin = await startTwinProcess();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint: twin.dynamoEndpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  try {
    const seedStarted = Date.now();
    const small = await seedTenant(twin.url, client, 'Search 1k', 1_000);
    const large = await seedTenant(twin.url, client, 'Search 100k', 100_000);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const queries = ['chen', 'mei chen', '林美', '美玲', '0912 000 007'];
    const agent = new Agent({ keepAlive: true });
    const get = (apiKey: string, q: string) =>
      new Promise<void>((resolve, reject) => {
        const request = httpRequest(`${twin.url}/v1/customers/search?q=${encodeURIComponent(q)}`, { agent, headers: { authorization: `Bearer ${apiKey}` } }, (response) => {
          response.resume();
          response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`search ${q} answered ${response.statusCode}`))));
        });
        request.on('error', reject);
        request.end();
      });
    const perQuery = Math.ceil(samples / queries.length);
    const all = { small: [] as number[], large: [] as number[] };
    const results: SearchLatencyResult['queries'] = [];
    for (const q of queries) {
      // Warm both, then alternate rounds so that the machine's noise falls on both alike.
      await timeEach(10, () => get(small.apiKey, q));
      await timeEach(10, () => get(large.apiKey, q));
      const times = { small: [] as number[], large: [] as number[] };
      for (let round = 0; round < 4; round++) {
        times.small.push(...(await timeEach(perQuery / 4, () => get(small.apiKey, q))));
        times.large.push(...(await timeEach(perQuery / 4, () => get(large.apiKey, q))));
      }
      all.small.push(...times.small);
      all.large.push(...times.large);
      const p50 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
      results.push({ name: q, small: p50(times.small), large: p50(times.large) });
    }
    agent.destroy();
    const smallP50 = percentile(all.small.sort((a, b) => a - b), 50);
    const largeP50 = percentile(all.large.sort((a, b) => a - b), 50);
    return { samples: all.small.length, sizes: [1_000, 100_000], queries: results, overall: { small: smallP50, large: largeP50, ratio: largeP50 / smallP50 }, seedSeconds };
  } finally {
    client.destroy();
    await twin.stop();
  }
}

async function seedTenant(url: string, client: DynamoDBDocumentClient, name: string, customers: number) {
  const response = await fetch(`${url}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW' }),
  });
  if (response.status !== 201) throw new Error(`POST /v1/tenants answered ${response.status}: ${await response.text()}`);
  const signup = (await response.json()) as { apiKey: { secret: string }; tenant: { tenantId: string } };
  const tenantId = signup.tenant.tenantId;
  const random = mulberry32(7);
  const now = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < customers; i++) {
    const givenName = givenNames[Math.floor(random() * givenNames.length)]!;
    const familyName = familyNames[Math.floor(random() * familyNames.length)]!;
    const customer = newCustomer(
      { givenName, familyName, displayName: /\p{Script=Han}/u.test(givenName) ? `${familyName}${givenName}` : `${givenName} ${familyName}`, phone: `09120${String(i).padStart(5, '0')}` },
      { customerId: newId('cus'), defaultCountry: 'TW', now },
    );
    items.push({ ...keys.customer(tenantId, customer.customerId), ...keys.customerListing(tenantId, customer.customerId), type: 'Customer', tenantId, ...customer });
    items.push({ ...keys.uniqueValue(tenantId, 'PHONE', customer.phone!), type: 'UniqueValue', customerId: customer.customerId });
    for (const { token, fields } of customerSearchTokens(customer)) {
      items.push({ ...searchTokenKey(tenantId, token, customer.customerId), type: 'CustomerSearchToken', customerId: customer.customerId, fields });
    }
  }
  await writeAll(client, items);
  return { apiKey: signup.apiKey.secret, tenantId };
}

export function formatSearchLatency(result: SearchLatencyResult): string {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  return [
    `| search \`q\` | p50, ${result.sizes[0].toLocaleString('en')} customers | p50, ${result.sizes[1].toLocaleString('en')} customers | ratio |`,
    '| --- | --- | --- | --- |',
    ...result.queries.map((query) => `| \`${query.name}\` | ${ms(query.small)} | ${ms(query.large)} | ${(query.large / query.small).toFixed(2)} |`),
    `| **all** (${result.samples} each) | **${ms(result.overall.small)}** | **${ms(result.overall.large)}** | **${result.overall.ratio.toFixed(2)}** |`,
    '',
    `Seeded in ${result.seedSeconds.toFixed(0)} s.`,
  ].join('\n');
}

export interface PartitionProbeResult {
  sizes: [number, number];
  cases: { name: string; small: number; large: number }[];
}

/**
 * Is DynamoDB Local's Query cost the partition's size? The same Query (`begins_with`, `Limit` 33,
 * as a one-word search makes) against a partition of 300 token items and one of 30,000 in the
 * same proportions, on a DynamoDB Local of its own: a prefix with a tenth of the items, one with a
 * single item, one with none.
 */
export async function measureQueryByPartitionSize(): Promise<PartitionProbeResult> {
  const dynamo = await startDynamoDbLocal();
  const raw = new DynamoDBClient({ ...localClientConfig, endpoint: dynamo.endpoint });
  const client = DynamoDBDocumentClient.from(raw);
  try {
    await ensureTable(raw, twinTableName);
    const words = ['alpha', 'bravo', 'chen', 'delta', 'echo', 'golf', 'hotel', 'india', 'kilo', 'lima'];
    const partition = (pk: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({ pk, sk: `${words[i % words.length]}#cus_${String(i).padStart(8, '0')}`, customerId: `cus_${i}`, fields: ['familyName'] }));
    await writeAll(client, [...partition('SMALL', 300), ...partition('LARGE', 30_000)]);
    const cases = [
      ['a tenth of the items (`chen`)', 'chen'],
      ['one item', 'alpha#cus_00000000'],
      ['no item', 'zulu'],
    ] as const;
    const query = (pk: string, prefix: string) => () =>
      client.send(new QueryCommand({ TableName: twinTableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix }, Limit: 33 }));
    const times: Record<string, { small: number[]; large: number[] }> = {};
    for (let round = 0; round < 5; round++) {
      for (const [name, prefix] of cases) {
        if (round === 0) await timeEach(10, query('SMALL', prefix)).then(() => timeEach(10, query('LARGE', prefix)));
        const entry = (times[name] ??= { small: [], large: [] });
        entry.small.push(...(await timeEach(30, query('SMALL', prefix))));
        entry.large.push(...(await timeEach(30, query('LARGE', prefix))));
      }
    }
    const p50 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
    return { sizes: [300, 30_000], cases: cases.map(([name]) => ({ name, small: p50(times[name]!.small), large: p50(times[name]!.large) })) };
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

export function formatQueryByPartitionSize(result: PartitionProbeResult): string {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  return [
    `| Query \`begins_with\`, \`Limit\` 33, matching | p50, partition of ${result.sizes[0].toLocaleString('en')} | p50, partition of ${result.sizes[1].toLocaleString('en')} | ratio |`,
    '| --- | --- | --- | --- |',
    ...result.cases.map((entry) => `| ${entry.name} | ${ms(entry.small)} | ${ms(entry.large)} | ${(entry.large / entry.small).toFixed(2)} |`),
  ].join('\n');
}
