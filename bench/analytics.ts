import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Agent, request as httpRequest } from 'node:http';
import { aggregationOf } from '../shared/domain/analytics/aggregation';
import { localClientConfig } from '../infra/local/dynamodb';
import { analyticsKeys, shardOf } from '../shared/data/analytics-repo';
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
function addCounters(items: Map<string, Record<string, unknown>>, tenantId: string, event: ReturnType<typeof newEvent>) {
  const aggregation = aggregationOf({ detailType: 'Contact Closed', detail: event.detail } as never);
  if (!aggregation) return;
  const slotStart = slotStartOf(aggregation.at);
  const iso = slotStart.toISOString();
  for (const increment of aggregation.increments) {
    const key = analyticsKeys.counters(tenantId, increment.dimension, iso.slice(0, 10), shardOf(event.detail.eventId), iso.slice(11, 16), increment.value);
    const item = items.get(`${key.pk}|${key.sk}`) ?? { ...key, type: 'AnalyticsCounters', slotStart: iso, dimension: increment.dimension, value: increment.value };
    for (const [counter, amount] of Object.entries(increment.counters)) {
      if (typeof amount === 'number') item[counter] = ((item[counter] as number | undefined) ?? 0) + amount;
    }
    items.set(`${key.pk}|${key.sk}`, item);
  }
}

async function writeAll(client: DynamoDBDocumentClient, items: Record<string, unknown>[]) {
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

function mulberry32(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
