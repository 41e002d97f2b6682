import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable, localClientConfig, startDynamoDbLocal } from '../infra/local/dynamodb';
import { type LambdaModule, type Twin, type TwinFunctionName, loadFunctionModule, startTwin } from '../infra/local/twin';
import { db } from '../shared/data/client';

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
  return { phase, invocations: {}, durationMs: {}, readUnits: {}, writeUnits: {}, apiRequests: 0, busEvents: 0, schedulerCalls: 0, smsSent: 0, smsSegments: 0 };
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
  const twin = await startTwin({ port: 0, dynamoEndpoint: dynamo.endpoint, tableName, operatorKey: 'op_bench', authorizerCacheSeconds: 60, loadFunction });
  countSideEffects(twin, () => usage);
  db().middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      const units = [consumed ?? []].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      const who = runningFunction.getStore() ?? 'twin';
      add(writeCommands.has(context.commandName ?? '') ? usage.writeUnits : usage.readUnits, who, units);
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
    await twin.close();
    await dynamo.stop();
  }
}

async function settle(twin: Twin) {
  for (let i = 0; i < 5; i++) {
    await twin.sms.settled();
    await twin.scheduler.settled();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await twin.bus.settled();
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
    return `| ${entry.phase} | ${sum(entry.readUnits).toFixed(1)} | ${sum(entry.writeUnits).toFixed(1)} | ${sum(entry.invocations)} | ${sum(entry.durationMs).toFixed(0)} | ${entry.apiRequests} | ${entry.busEvents} | ${entry.schedulerCalls} | ${entry.smsSent} (${entry.smsSegments}) | ${detail} |`;
  });
  const total = (pick: (entry: PhaseUsage) => number) => phases.reduce((acc, entry) => acc + pick(entry), 0);
  return [
    '| phase | read units | write units | Lambda invocations | Σ handler ms | API requests | bus events | Scheduler calls | SMS (segments) | per function (invocations, read / write units) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| **whole lifecycle** | ${total((e) => sum(e.readUnits)).toFixed(1)} | ${total((e) => sum(e.writeUnits)).toFixed(1)} | ${total((e) => sum(e.invocations))} | ${total((e) => sum(e.durationMs)).toFixed(0)} | ${total((e) => e.apiRequests)} | ${total((e) => e.busEvents)} | ${total((e) => e.schedulerCalls)} | ${total((e) => e.smsSent)} (${total((e) => e.smsSegments)}) | |`,
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
    execFile(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
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
