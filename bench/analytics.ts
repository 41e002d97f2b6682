import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Agent, request as httpRequest } from 'node:http';
import { aggregationOf } from '../shared/domain/analytics/aggregation';
import { localClientConfig } from '../infra/local/dynamodb';
import { analyticsKeys, readCounterRows, readOpenCaseCount, shardOf } from '../shared/data/analytics-repo';
import { db } from '../shared/data/client';
import { getSettings } from '../shared/data/tenants-repo';
import { type Dimension } from '../shared/domain/analytics/counters';
import { addDays, localDateOf, resolvePeriod } from '../shared/domain/analytics/intervals';
import { type ServiceLevelGoal, summarize, sumCounters } from '../shared/domain/analytics/metrics';
import { rowsStartingIn } from '../shared/domain/analytics/series';
import { resolveAnalyticsSettings } from '../shared/domain/settings';
import { requestWeightOf } from '../shared/http/rate-limit';
import { configureFunctionEnvironment } from '../infra/local/twin';
import { contactItem } from '../shared/data/contacts-repo';
import { keys } from '../shared/data/keys';
import { overviewLimits } from '../shared/schemas/customer-overview';
import { projectionSortKey } from '../shared/data/customer-overview-repo';
import { closeContact, contactSummary, newContact } from '../shared/domain/contact';
import { contactClosed } from '../shared/events/contact-events';
import { newEvent } from '../shared/events/events';
import { newId } from '../shared/ids';
import { slotStartOf } from '../shared/domain/analytics/counters';
import { percentile, timeEach } from './stats';
import { startTwinProcess, twinTableName } from './latency';
import { mulberry32 } from './seeded-random';

const day = 86_400_000;
const recentDays = 7;
const recentContacts = 1_000;
const largeHistoryContacts = 99_000;
const historyDays = 730;
const overviewRecentContacts = 10;
const overviewHistoryContacts = 990;

export interface AnalyticsLatencyResult {
  samples: number;
  endpoints: { name: string; small: { p50: number; p99: number }; large: { p50: number; p99: number } }[];
  seedSeconds: number;
}

/**
 * The dashboard and overview reads for two tenants on one twin: one with 1,000 stored contacts,
 * the other with the same last week plus 99,000 older ones (two years of history), so the
 * only difference between them is history. Both ask for the same last week. The data is
 * written in bulk as the API and the aggregation consumer would have stored it (contact items
 * with their index keys; counter items summed per slot), because 100,000 contacts through the
 * API would take the benchmark an hour.
 */
export async function measureAnalyticsLatency(samples = 300): Promise<AnalyticsLatencyResult> {
  const twin = await startTwinProcess();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint: twin.dynamoEndpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  try {
    const now = Date.now();
    const windowStart = now - recentDays * day;
    const seedStarted = Date.now();
    const small = await seedTenant(twin.url, client, 'Small history', windowStart, now, 0);
    const large = await seedTenant(twin.url, client, 'Large history', windowStart, now, largeHistoryContacts);
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    const from = new Date(windowStart).toISOString().slice(0, 10);
    const to = new Date(now).toISOString().slice(0, 10);
    const endpoints = [
      { name: `GET /v1/analytics/summary (${recentDays} days)`, path: () => `/v1/analytics/summary?from=${from}&to=${to}` },
      { name: `GET /v1/analytics/summary?groupBy=agent (${recentDays} days)`, path: () => `/v1/analytics/summary?from=${from}&to=${to}&groupBy=agent` },
      { name: `GET /v1/analytics/timeseries (offered by hour, ${recentDays} days)`, path: () => `/v1/analytics/timeseries?metric=offered&interval=hour&from=${from}&to=${to}` },
      { name: 'GET /v1/customers/{id}/overview', path: (tenant: SeededTenant) => `/v1/customers/${tenant.customerId}/overview` },
    ];

    const agent = new Agent({ keepAlive: true });
    const get = (tenant: SeededTenant, path: string) => () =>
      new Promise<void>((resolve, reject) => {
        const request = httpRequest(`${twin.url}${path}`, { agent, headers: { authorization: `Bearer ${tenant.apiKey}` } }, (response) => {
          if (response.statusCode !== 200) reject(new Error(`GET ${path} answered ${response.statusCode}`));
          response.resume().on('end', resolve);
        });
        request.on('error', reject).end();
      });

    const results: AnalyticsLatencyResult['endpoints'] = [];
    for (const endpoint of endpoints) {
      const runs = { small: get(small, endpoint.path(small)), large: get(large, endpoint.path(large)) };
      const times = { small: [] as number[], large: [] as number[] };
      await timeEach(30, runs.small);
      await timeEach(30, runs.large);
      const rounds = 10;
      for (let round = 0; round < rounds; round++) {
        times.small.push(...(await timeEach(samples / rounds, runs.small)));
        times.large.push(...(await timeEach(samples / rounds, runs.large)));
      }
      const summary = (values: number[]) => {
        const sorted = values.sort((a, b) => a - b);
        return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
      };
      results.push({ name: endpoint.name, small: summary(times.small), large: summary(times.large) });
    }
    agent.destroy();
    return { samples, endpoints: results, seedSeconds };
  } finally {
    client.destroy();
    await twin.stop();
  }
}

interface SeededTenant {
  apiKey: string;
  tenantId: string;
  customerId: string;
}

async function seedTenant(
  url: string,
  client: DynamoDBDocumentClient,
  name: string,
  windowStart: number,
  now: number,
  historyContacts: number,
): Promise<SeededTenant> {
  const post = async (path: string, key: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const signup = await post('/v1/tenants', 'op_bench', { name, timezone: 'America/New_York', locale: 'en', defaultCountry: 'US' });
  const apiKey = (signup.apiKey as { secret: string }).secret;
  const tenantId = (signup.tenant as { tenantId: string }).tenantId;
  const customer = await post('/v1/customers', apiKey, { displayName: 'Overview customer', phone: '+12025550123' });
  const customerId = customer.customerId as string;

  // The same pseudo-random last week for both tenants; only the history differs.
  const recent = contactsBetween(tenantId, customerId, windowStart, now, recentContacts, overviewRecentContacts, 1);
  const history = contactsBetween(tenantId, customerId, windowStart - historyDays * day, windowStart, historyContacts, historyContacts > 0 ? overviewHistoryContacts : 0, 2);
  // The overview projection (functions/customer-overview-projection) keeps the customer's latest contacts only.
  const latestOfCustomer = [...recent.events, ...history.events]
    .map((event) => event.detail.data)
    .filter((contact) => contact.customerId === customerId)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, overviewLimits.recentContacts)
    .map((contact) => ({ pk: keys.customer(tenantId, customerId).pk, sk: projectionSortKey.contact(contact.startedAt, contact.contactId), type: 'OverviewContact', contact }));
  await writeAll(client, [...recent.items, ...history.items, ...latestOfCustomer]);
  const counters = new Map<string, Record<string, unknown>>();
  for (const event of [...recent.events, ...history.events]) addCounters(counters, tenantId, event);
  await writeAll(client, [...counters.values()]);
  return { apiKey, tenantId, customerId };
}

function contactsBetween(tenantId: string, customerId: string, from: number, to: number, count: number, ofCustomer: number, seed: number) {
  const random = mulberry32(seed);
  const items: Record<string, unknown>[] = [];
  const events: ReturnType<typeof newEvent<typeof contactClosed.data>>[] = [];
  const queues = ['billing', 'support', 'sales', 'retention'];
  for (let i = 0; i < count; i++) {
    const startedAt = from + Math.floor(random() * (to - from - 3_600_000));
    const waitSeconds = Math.floor(random() * 60);
    const abandoned = random() < 0.05;
    const talkSeconds = 60 + Math.floor(random() * 600);
    const at = (offsetSeconds: number) => new Date(startedAt + offsetSeconds * 1000).toISOString();
    const context = { now: at(0), reasonCodes: [], contactId: newId('con', startedAt) };
    const open = newContact(
      { channel: random() < 0.8 ? 'voice' : 'chat', direction: 'inbound', purpose: 'service', queue: queues[i % queues.length], agentId: `agent-${i % 10}`, queuedAt: at(0), ...(abandoned ? {} : { answeredAt: at(waitSeconds) }) },
      i < ofCustomer ? { customerId } : {},
      context,
    );
    const outcome = abandoned ? 'abandoned' : random() < 0.1 ? 'transferred' : 'resolved';
    const closed = closeContact(
      open,
      { outcome, firstContactResolution: outcome === 'resolved' && random() < 0.8, endedAt: at(abandoned ? waitSeconds : waitSeconds + talkSeconds) },
      { ...context, now: at(waitSeconds + talkSeconds + 30), requireOutcome: true },
    );
    items.push(contactItem(tenantId, closed, {}));
    events.push(newEvent(contactClosed, tenantId, contactSummary(closed) as never, closed.closedAt));
  }
  return { items, events };
}

/** Sums what the aggregation consumer would have added for each event, per stored counter item. */
function addCounters(items: Map<string, Record<string, unknown>>, tenantId: string, event: ReturnType<typeof newEvent>, only?: Dimension) {
  const aggregation = aggregationOf({ detailType: 'Contact Closed', detail: event.detail } as never);
  if (!aggregation) return;
  const slotStart = slotStartOf(aggregation.at);
  const iso = slotStart.toISOString();
  for (const increment of aggregation.increments) {
    if (only && increment.dimension !== only) continue;
    const key = analyticsKeys.counters(tenantId, increment.dimension, iso.slice(0, 10), shardOf(event.detail.eventId), iso.slice(11, 16), increment.value);
    const item = items.get(`${key.pk}|${key.sk}`) ?? { ...key, type: 'AnalyticsCounters', slotStart: iso, dimension: increment.dimension, value: increment.value };
    for (const [counter, amount] of Object.entries(increment.counters)) {
      if (typeof amount === 'number') item[counter] = ((item[counter] as number | undefined) ?? 0) + amount;
    }
    items.set(`${key.pk}|${key.sk}`, item);
  }
}

export async function writeAll(client: DynamoDBDocumentClient, items: Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const concurrency = 8;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        let requests: { PutRequest: { Item: Record<string, unknown> } }[] = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (requests.length > 0) {
          const result = await client.send(new BatchWriteCommand({ RequestItems: { [twinTableName]: requests } }));
          requests = (result.UnprocessedItems?.[twinTableName] ?? []) as typeof requests;
        }
      }
    }),
  );
}

export function formatAnalyticsLatency(result: AnalyticsLatencyResult): string {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  return [
    `| endpoint (${result.samples} reads per tenant, alternating rounds) | 1k contacts p50 / p99 | 100k contacts p50 / p99 | 100k ÷ 1k p50 | p99 |`,
    '| --- | --- | --- | --- | --- |',
    ...result.endpoints.map(
      (endpoint) =>
        `| ${endpoint.name} | ${ms(endpoint.small.p50)} / ${ms(endpoint.small.p99)} | ${ms(endpoint.large.p50)} / ${ms(endpoint.large.p99)} | ${(endpoint.large.p50 / endpoint.small.p50).toFixed(2)}× | ${(endpoint.large.p99 / endpoint.small.p99).toFixed(2)}× |`,
    ),
    '',
    `Seeding both tenants (${recentContacts + recentContacts + largeHistoryContacts} contact items and their counter items, written in bulk) took ${result.seedSeconds.toFixed(0)} s.`,
  ].join('\n');
}

const summaryHistoryDays = 400;
const summaryContactsPerDay = 40;
const summaryTimeZone = 'America/New_York';

export interface SummaryPeriodRow {
  name: string;
  /** Reads of the first request, which makes the period's rollups. */
  first: ReadTally;
  /** Reads of one request once the rollups are made. */
  steady: ReadTally;
  p50: number;
  p99: number;
}

interface ReadTally {
  requests: number;
  items: number;
  readUnits: number;
  /** What the per-tenant request limit counts the request as (requestWeightOf). */
  weight: number;
}

export interface SummaryPeriodsResult {
  samples: number;
  everySlotSamples: number;
  rows: SummaryPeriodRow[];
  seedSeconds: number;
}

/**
 * GET /v1/analytics/summary for 7, 31 and 366 days of a New York tenant with 400 days of
 * history (40 contacts a day, their `all` counters written in bulk as the consumer sums them),
 * through the analytics handler invoked in this process with the event API Gateway would send,
 * so that every DynamoDB read it makes is counted here (items, and read units as DynamoDB
 * Local reports them with ReturnConsumedCapacity). Each period ends today (its last day is read
 * from slots, not settled yet) or yesterday (every day settled). "Every slot" is the summary as
 * it was before rollups: the period's slot rows summed (readCounterRows), read the same way.
 */
export async function measureSummaryPeriods(samples = 40, everySlotSamples = 4): Promise<SummaryPeriodsResult> {
  const twin = await startTwinProcess();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint: twin.dynamoEndpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  try {
    const seedStarted = Date.now();
    const signup = await fetch(`${twin.url}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: 'Bearer op_bench', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Summary periods', timezone: summaryTimeZone, locale: 'en', defaultCountry: 'US' }),
    }).then((response) => response.json() as Promise<{ tenant: { tenantId: string } }>);
    const tenantId = signup.tenant.tenantId;
    const now = Date.now();
    const { events } = contactsBetween(tenantId, 'cus_none', now - summaryHistoryDays * day, now, summaryHistoryDays * summaryContactsPerDay, 0, 3);
    const counters = new Map<string, Record<string, unknown>>();
    for (const event of events) addCounters(counters, tenantId, event, 'all');
    await writeAll(client, [...counters.values()]);
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    configureFunctionEnvironment({ dynamoEndpoint: twin.dynamoEndpoint, tableName: twinTableName, operatorKey: 'op_bench' });
    const tally = { requests: 0, items: 0, readUnits: 0 };
    db().middlewareStack.add(
      (next, context) => async (args) => {
        const reads = ['QueryCommand', 'GetItemCommand', 'BatchGetItemCommand'].includes(context.commandName ?? '');
        if (reads) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        if (reads) {
          const output = result.output as { Items?: unknown[]; Item?: unknown; ConsumedCapacity?: { CapacityUnits?: number } };
          tally.requests += 1;
          tally.items += (output.Items?.length ?? 0) + (output.Item ? 1 : 0);
          tally.readUnits += output.ConsumedCapacity?.CapacityUnits ?? 0;
        }
        return result;
      },
      { step: 'initialize', name: 'benchSummaryReads' },
    );
    const { handler } = (await import('../functions/analytics/handler')) as unknown as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    // Lambda's longest timeout: the first read of a year makes its rollups from 1,468 partitions.
    const context = { functionName: 'switchboard-analytics', awsRequestId: 'bench', getRemainingTimeInMillis: () => 900_000 };
    const today = localDateOf(now, summaryTimeZone);
    const summaryRequest = (from: string, to: string) => async () => {
      const result = await handler(summaryEvent(tenantId, from, to), context);
      if (result.statusCode !== 200) throw new Error(`The summary answered ${result.statusCode}: ${result.body}`);
    };
    // The summary as it was: every slot row of the period summed, with the settings and backlog reads it made.
    const everySlot = (from: string, to: string) => async () => {
      const settings = await getSettings(tenantId);
      const period = resolvePeriod(from, to, summaryTimeZone);
      const rows = rowsStartingIn(await readCounterRows(tenantId, 'all', new Date(period.start), new Date(period.end)), period);
      summarize(sumCounters(rows), resolveAnalyticsSettings(settings!).serviceLevel as ServiceLevelGoal, 'all', await readOpenCaseCount(tenantId));
    };
    const reads = async (run: () => Promise<void>): Promise<ReadTally> => {
      Object.assign(tally, { requests: 0, items: 0, readUnits: 0 });
      await run();
      return { ...tally, weight: requestWeightOf(tally) };
    };
    const periods = [7, 31, 366].flatMap((days) => [
      { name: `${days} days ending today`, from: addDays(today, -(days - 1)), to: today },
      { name: `${days} days ending yesterday`, from: addDays(today, -days), to: addDays(today, -1) },
    ]);
    const paths = [
      ...periods.map((period) => ({ name: `summary, ${period.name}`, run: summaryRequest(period.from, period.to), samples })),
      ...periods
        .filter((period) => period.name.endsWith('today'))
        .map((period) => ({ name: `every slot (before rollups), ${period.name}`, run: everySlot(period.from, period.to), samples: everySlotSamples })),
    ];
    const results = new Map<string, { first: ReadTally; steady: ReadTally; times: number[] }>();
    for (const path of paths) {
      const first = await reads(path.run);
      const steady = await reads(path.run);
      results.set(path.name, { first, steady, times: [] });
    }
    const rounds = 2;
    for (let round = 0; round < rounds; round++) {
      for (const path of paths) results.get(path.name)!.times.push(...(await timeEach(Math.ceil(path.samples / rounds), path.run)));
    }
    db().middlewareStack.remove('benchSummaryReads');
    return {
      samples,
      everySlotSamples,
      seedSeconds,
      rows: paths.map((path) => {
        const { first, steady, times } = results.get(path.name)!;
        const sorted = times.sort((a, b) => a - b);
        return { name: path.name, first, steady, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
      }),
    };
  } finally {
    client.destroy();
    await twin.stop();
  }
}

function summaryEvent(tenantId: string, from: string, to: string) {
  const rawQueryString = `from=${from}&to=${to}`;
  return {
    version: '2.0',
    routeKey: 'GET /v1/analytics/summary',
    rawPath: '/v1/analytics/summary',
    rawQueryString,
    queryStringParameters: { from, to },
    headers: { host: 'bench' },
    isBase64Encoded: false,
    requestContext: {
      requestId: 'bench',
      routeKey: 'GET /v1/analytics/summary',
      http: { method: 'GET', path: '/v1/analytics/summary', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      authorizer: { lambda: { tenantId, keyId: 'key_bench', scopes: 'readonly' } },
    },
  };
}

export function formatSummaryPeriods(result: SummaryPeriodsResult): string {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const tally = (t: ReadTally) => `${t.requests} / ${t.items} / ${t.readUnits.toFixed(1)} / ${t.weight}`;
  const week = result.rows.find((row) => row.name === 'summary, 7 days ending today')!;
  return [
    `| request (${result.samples} reads each, every slot ${result.everySlotSamples}; alternating rounds) | first read: requests / items / read units / counted as | later reads: requests / items / read units / counted as | p50 | p99 | p50 ÷ 7 days ending today |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...result.rows.map((row) => `| ${row.name} | ${tally(row.first)} | ${tally(row.steady)} | ${ms(row.p50)} | ${ms(row.p99)} | ${(row.p50 / week.p50).toFixed(2)}× |`),
    '',
    `Seeding ${summaryHistoryDays} days × ${summaryContactsPerDay} contacts of counters (the \`all\` dimension) took ${result.seedSeconds.toFixed(0)} s.`,
  ].join('\n');
}
