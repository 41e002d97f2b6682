import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localClientConfig, startDynamoDbLocal } from '../infra/local/dynamodb';
import { type LambdaModule, type Twin, type TwinFunctionName, loadFunctionModule, startTwin } from '../infra/local/twin';
import { db } from '../shared/data/client';
import { tableDefinition } from '../shared/data/table';
import { deployedLogLevel } from '../shared/observability';

/** What one phase of a contact's life cost, summed over every function it set off. */
export interface PhaseUsage {
  phase: string;
  /** Lambda invocations per function (API handlers, the authorizer, the relay, consumers, timer targets). */
  invocations: Record<string, number>;
  /** Σ handler milliseconds per function, as measured around each invocation in the twin. */
  durationMs: Record<string, number>;
  /** DynamoDB capacity units as DynamoDB Local reports them (ReturnConsumedCapacity TOTAL), per function. */
  readUnits: Record<string, number>;
  writeUnits: Record<string, number>;
  /** Bytes each function wrote to stdout and stderr (its log lines and metrics), at the level the stack deploys. */
  logBytes: Record<string, number>;
  apiRequests: number;
  /** Entries the relay put on the bus. */
  busEvents: number;
  /** EventBridge Scheduler CreateSchedule / UpdateSchedule / DeleteSchedule calls. */
  schedulerCalls: number;
  /** SMS messages sent (each may be several carrier segments). */
  smsSent: number;
  smsSegments: number;
}

const writeCommands = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);
const runningFunction = new AsyncLocalStorage<string>();

function emptyUsage(phase: string): PhaseUsage {
  return { phase, invocations: {}, durationMs: {}, readUnits: {}, writeUnits: {}, logBytes: {}, apiRequests: 0, busEvents: 0, schedulerCalls: 0, smsSent: 0, smsSegments: 0 };
}

const add = (record: Record<string, number>, key: string, amount: number) => {
  record[key] = (record[key] ?? 0) + amount;
};

/**
 * Runs one contact's whole life on an in-process twin — logged, closed, surveyed by SMS,
 * answered, counted in analytics — and records, per phase, every Lambda invocation, its duration,
 * the DynamoDB capacity each function consumed, the bus events, Scheduler calls and SMS. The
 * capacity units are DynamoDB Local's own ConsumedCapacity answers, which follow DynamoDB's
 * rules (1 KB write units, 4 KB read units, transactions doubled).
 */
export async function measureContactLifecycle(): Promise<PhaseUsage[]> {
  const dynamo = await startDynamoDbLocal();
  const tableName = 'switchboard-bench-lifecycle';
  const admin = new DynamoDBClient({ ...localClientConfig, endpoint: dynamo.endpoint });
  await ensureTable(admin, tableName);
  admin.destroy();

  let usage = emptyUsage('setup');
  const loadFunction = async (name: TwinFunctionName): Promise<LambdaModule> => {
    const module = await loadFunctionModule(name);
    return {
      handler: (event, context) =>
        runningFunction.run(name, async () => {
          const started = performance.now();
          try {
            return await module.handler(event, context);
          } finally {
            add(usage.invocations, name, 1);
            add(usage.durationMs, name, performance.now() - started);
          }
        }),
    };
  };
  captureFunctionLogs(() => usage);
  const twin = await startTwin({ port: 0, dynamoEndpoint: dynamo.endpoint, tableName, operatorKey: 'op_bench', authorizerCacheSeconds: 60, loadFunction });
  countSideEffects(twin, () => usage);
  const uncounted = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint: dynamo.endpoint }));
  db().middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const transaction = context.commandName === 'TransactWriteItemsCommand' ? (args.input as TransactWriteCommandInput) : undefined;
      const before = transaction ? await Promise.all((transaction.TransactItems ?? []).map((action) => storedItem(action, uncounted))) : [];
      const result = await next(args);
      const who = runningFunction.getStore() ?? 'twin';
      const units = transaction
        ? await transactionWriteUnits(transaction, before, uncounted)
        : [(result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity ?? []]
              .flat()
              .reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      add(writeCommands.has(context.commandName ?? '') ? usage.writeUnits : usage.readUnits, who, units);
      traceWrite(who, context.commandName ?? '', args.input, units);
      return result;
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );

  const phases: PhaseUsage[] = [];
  const phase = async (name: string, run: () => Promise<void>) => {
    usage = emptyUsage(name);
    await run();
    await settle(twin);
    phases.push(usage);
  };
  try {
    const call = async (method: string, path: string, key: string, body?: unknown) => {
      usage.apiRequests++;
      const response = await fetch(`${twin.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    };
    const number = '+886223456789';
    const phone = '+886912345678';
    let key = '';
    let customerId = '';
    let contactId = '';
    await phase('setup', async () => {
      const signup = await call('POST', '/v1/tenants', 'op_bench', { name: 'Lifecycle', timezone: 'Asia/Taipei', locale: 'en', defaultCountry: 'TW' });
      key = (signup.apiKey as { secret: string }).secret;
      const tenantId = (signup.tenant as { tenantId: string }).tenantId;
      // The operator allocates the sender before the tenant's settings may name it.
      await call('POST', `/v1/operator/tenants/${tenantId}/allocations`, 'op_bench', { resource: { kind: 'sms-origination-identity', id: number } });
      await call('PATCH', '/v1/settings', key, { sms: { originationIdentity: number }, surveys: { enabled: true, delayMinutes: 5, quietHours: null } });
      const customer = await call('POST', '/v1/customers', key, { displayName: 'Lifecycle customer', phone, language: 'en', consent: { sms: { status: 'granted', source: 'web-form' } } });
      customerId = customer.customerId as string;
    });
    await phase('contact logged', async () => {
      const contact = await call('POST', '/v1/contacts', key, { channel: 'voice', direction: 'inbound', purpose: 'service', customerId, agentId: 'agent-1', queue: 'billing' });
      contactId = contact.contactId as string;
    });
    await phase('contact closed (survey decided, contact counted)', async () => {
      await call('POST', `/v1/contacts/${contactId}/close`, key, { outcome: 'resolved', firstContactResolution: true });
    });
    await phase('survey sent by SMS', async () => {
      twin.clock.advance(6 * 60_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await twin.scheduler.settled();
    });
    await phase('survey answered by SMS (answers counted)', async () => {
      // The default template (issue 15): a CSAT of 5 completes the survey, no thanks by SMS.
      for (const body of ['5']) {
        const latest = twin.sms.sentTo(phone, 1)[0];
        twin.sms.inject({
          originationNumber: phone,
          destinationNumber: number,
          messageKeyword: 'KEYWORD_NONE',
          messageBody: body,
          inboundMessageId: `bench-${body}-${Math.random()}`,
          previousPublishedMessageId: latest?.messageId,
        });
        await settle(twin);
      }
    });
    return phases.filter((entry) => entry.phase !== 'setup');
  } finally {
    uncounted.destroy();
    await twin.close();
    await dynamo.stop();
  }
}

/** With LIFECYCLE_TRACE=<file>, every write's function, command, items (pk sk) and units, a line each, to see where the units go. */
function traceWrite(who: string, command: string, input: object, units: number) {
  const file = process.env.LIFECYCLE_TRACE;
  if (!file || !writeCommands.has(command)) return;
  const named = (key: StoredItem | undefined) => (key ? `${String(key.pk)} ${String(key.sk)}` : '?');
  const request = input as { Item?: StoredItem; Key?: StoredItem; TransactItems?: TransactAction[] };
  const items = request.TransactItems
    ? request.TransactItems.map(
        (action) => `${Object.keys(action)[0]}:${named(action.Put?.Item ?? (action.Update ?? action.Delete ?? action.ConditionCheck)?.Key)}${action.Put ? ` (${itemBytes(action.Put.Item ?? {})} B)` : ''}`,
      )
    : [`${named(request.Item ?? request.Key)}${request.Item ? ` (${itemBytes(request.Item)} B)` : ''}`];
  appendFileSync(file, `${who}\t${command}\t${units}\t${items.join(' | ')}\n`);
}

type TransactAction = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type StoredItem = Record<string, unknown>;

/**
 * A transaction's write units by DynamoDB's rules: 2 per KB of each item it writes or checks,
 * and 2 per KB of each index entry the write puts, changes or removes. An index entry is written
 * when the item enters or leaves the index (once), when its index key changes (twice: out and in),
 * and when an attribute the index projects changes (once); it is the projected part of the item
 * (KEYS_ONLY: the table's and the index's keys). DynamoDB Local's own answer for a transaction
 * counts each distinct item size once (three 1 KB items report 2 units, not 6), so it is not used.
 * `before` holds each target item as it was, read before the transaction by a client this does not
 * count; the items after are sized from a Put's request or read again after the transaction.
 */
async function transactionWriteUnits(input: TransactWriteCommandInput, before: (StoredItem | undefined)[], reader: DynamoDBDocumentClient): Promise<number> {
  let units = 0;
  for (const [position, action] of (input.TransactItems ?? []).entries()) {
    const old = before[position];
    const now = action.Delete ? undefined : (action.Put?.Item ?? (await storedItem(action, reader)));
    units += 2 * kilobytesOf(now ?? old ?? {});
    // A condition check writes nothing, so no index either.
    if (!action.ConditionCheck) units += 2 * indexWrites(old, now).reduce((sum, item) => sum + kilobytesOf(item), 0);
  }
  return units;
}

const kilobytesOf = (item: StoredItem) => Math.max(1, Math.ceil(itemBytes(item) / 1024));

/** The index entries (as projected) that replacing `old` by `now` writes, in every index of the table. */
export function indexWrites(old: StoredItem | undefined, now: StoredItem | undefined): StoredItem[] {
  const written: StoredItem[] = [];
  for (const index of tableDefinition.globalSecondaryIndexes) {
    const projected = (item: StoredItem | undefined): StoredItem | undefined => {
      if (item?.[index.partitionKey] === undefined || item[index.sortKey] === undefined) return undefined;
      if ((index.projection as string) === 'ALL') return item;
      const names = [tableDefinition.partitionKey, tableDefinition.sortKey, index.partitionKey, index.sortKey];
      return Object.fromEntries(names.map((name) => [name, item[name]]));
    };
    const was = projected(old);
    const is = projected(now);
    if (!was && !is) continue;
    if (!was || !is) {
      written.push((is ?? was)!);
    } else if (was[index.partitionKey] !== is[index.partitionKey] || was[index.sortKey] !== is[index.sortKey]) {
      written.push(was, is);
    } else if (JSON.stringify(sortedEntries(was)) !== JSON.stringify(sortedEntries(is))) {
      written.push(is);
    }
  }
  return written;
}

const sortedEntries = (value: unknown): unknown =>
  value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Set)
    ? Object.entries(value as StoredItem)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, member]) => [name, sortedEntries(member)])
    : Array.isArray(value)
      ? value.map(sortedEntries)
      : value instanceof Set
        ? [...value].sort()
        : value;

async function storedItem(action: TransactAction, reader: DynamoDBDocumentClient): Promise<StoredItem | undefined> {
  const target = action.Update ?? action.ConditionCheck ?? action.Delete ?? (action.Put && { TableName: action.Put.TableName, Key: keyOf(action.Put.Item) });
  if (!target?.Key || !target.TableName) return undefined;
  return (await reader.send(new GetCommand({ TableName: target.TableName, Key: target.Key, ConsistentRead: true }))).Item;
}

const keyOf = (item: StoredItem | undefined) => item && { [tableDefinition.partitionKey]: item[tableDefinition.partitionKey], [tableDefinition.sortKey]: item[tableDefinition.sortKey] };

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits, 3 bytes and 1 per element for lists and maps). */
function itemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...(value as Set<unknown>)].reduce<number>((sum, member) => sum + valueBytes(member), 0);
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, member) => sum + 1 + valueBytes(member), 0);
  return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [name, member]) => sum + 1 + Buffer.byteLength(name) + valueBytes(member), 0);
}

async function settle(twin: Twin) {
  for (let i = 0; i < 5; i++) {
    await twin.sms.settled();
    await twin.scheduler.settled();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await twin.bus.settled();
  }
}

/**
 * Counts what each function writes to stdout and stderr — what CloudWatch Logs would ingest from
 * it, metrics (EMF) included — and keeps it off this process's output.
 */
function captureFunctionLogs(current: () => PhaseUsage) {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const who = runningFunction.getStore();
      if (who === undefined) return write(chunk, ...rest);
      add(current().logBytes, who, typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength);
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
}

/** Wraps the emulated AWS services' entry points to count what each phase asked of them. */
function countSideEffects(twin: Twin, current: () => PhaseUsage) {
  const putEvents = twin.bus.putEvents.bind(twin.bus);
  twin.bus.putEvents = (entries) => {
    current().busEvents += entries.length;
    return putEvents(entries);
  };
  for (const method of ['create', 'update', 'delete'] as const) {
    const original = twin.scheduler[method].bind(twin.scheduler) as (...args: unknown[]) => unknown;
    (twin.scheduler as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      current().schedulerCalls++;
      return original(...args);
    };
  }
  const send = twin.sms.sendTextMessage.bind(twin.sms);
  twin.sms.sendTextMessage = (input) => {
    const answer = send(input);
    const sent = twin.sms.outbox[0] as { segments?: number } | undefined;
    current().smsSent++;
    current().smsSegments += sent?.segments ?? 1;
    return answer;
  };
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((total, value) => total + value, 0);

export function formatLifecycle(phases: PhaseUsage[]): string {
  const rows = phases.map((entry) => {
    const functions = Object.keys(entry.invocations).sort();
    const detail = functions
      .map((name) => `${name} ×${entry.invocations[name]} (${(entry.readUnits[name] ?? 0).toFixed(1)} R / ${(entry.writeUnits[name] ?? 0).toFixed(1)} W)`)
      .join('; ');
    return `| ${entry.phase} | ${sum(entry.readUnits).toFixed(1)} | ${sum(entry.writeUnits).toFixed(1)} | ${sum(entry.invocations)} | ${sum(entry.durationMs).toFixed(0)} | ${(sum(entry.logBytes) / 1024).toFixed(1)} | ${entry.apiRequests} | ${entry.busEvents} | ${entry.schedulerCalls} | ${entry.smsSent} (${entry.smsSegments}) | ${detail} |`;
  });
  const total = (pick: (entry: PhaseUsage) => number) => phases.reduce((acc, entry) => acc + pick(entry), 0);
  return [
    '| phase | read units | write units | Lambda invocations | Σ handler ms | log KB | API requests | bus events | Scheduler calls | SMS (segments) | per function (invocations, read / write units) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| **whole lifecycle** | ${total((e) => sum(e.readUnits)).toFixed(1)} | ${total((e) => sum(e.writeUnits)).toFixed(1)} | ${total((e) => sum(e.invocations))} | ${total((e) => sum(e.durationMs)).toFixed(0)} | ${(total((e) => sum(e.logBytes)) / 1024).toFixed(1)} | ${total((e) => e.apiRequests)} | ${total((e) => e.busEvents)} | ${total((e) => e.schedulerCalls)} | ${total((e) => e.smsSent)} (${total((e) => e.smsSegments)}) | |`,
  ].join('\n');
}

/**
 * Runs the measurement in a Node process of its own: the twin's functions keep one DynamoDB
 * client per process, which must not be one another benchmark of the run created.
 */
export async function measureContactLifecycleInChildProcess(): Promise<PhaseUsage[]> {
  const { execFile } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const output = await new Promise<string>((resolve, reject) => {
    // Logs and metrics as a deployed function writes them (the twin's own default is WARN, metrics off).
    const env = { ...process.env, POWERTOOLS_LOG_LEVEL: deployedLogLevel, POWERTOOLS_METRICS_DISABLED: 'false' };
    execFile(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { maxBuffer: 16 * 1024 * 1024, env }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
  const line = output.split('\n').find((candidate) => candidate.startsWith('LIFECYCLE '));
  if (!line) throw new Error(`The lifecycle measurement printed no result:\n${output}`);
  return JSON.parse(line.slice('LIFECYCLE '.length)) as PhaseUsage[];
}

if (process.argv[1] && (await import('node:url')).pathToFileURL(process.argv[1]).href === import.meta.url) {
  console.log(`LIFECYCLE ${JSON.stringify(await measureContactLifecycle())}`);
}
