import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { eventRelay } from '../../shared/events/outbox-stream';
import { matchesPattern } from '../../shared/events/pattern';
import type { InvokeFunction } from './event-bus';

export interface StreamPollerOptions {
  dynamoEndpoint: string;
  tableName: string;
  invoke: InvokeFunction;
  /** LATEST: only what is written from now on (tests, a fresh in-memory table); TRIM_HORIZON: all the stream still holds. */
  startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  intervalMs?: number;
  /** Backoff between retries of a failed batch, in real time. */
  retryDelayMs?: number;
}

export interface StreamFailure {
  records: DynamoDBRecord[];
  attempts: number;
  error: string;
  failedAt: string;
}

interface ShardState {
  shardId: string;
  iterator: string | undefined;
  lastSequenceNumber?: string;
}

/**
 * The twin's event source mapping from the table's stream to the event relay, as Lambda runs
 * one: polls DynamoDB Local's stream (following shards as they close and split), applies the
 * relay's filter criteria, invokes the relay with DynamoDBStreamEvent batches, and on a partial
 * batch failure retries from the first failed record, in order, before the shard moves on.
 *
 * DynamoDB Local speaks the DynamoDB Streams API on the same endpoint; it is called here as JSON
 * 1.0 directly, and its records already have the shape Lambda delivers.
 */
export class StreamPoller {
  /** Batches given up on after the relay's retry attempts (Lambda's on-failure destination). */
  readonly failures: StreamFailure[] = [];
  /** Records handed to the relay (each retry counts again), for observation. */
  invocations = 0;
  private streamArn: string | undefined;
  private readonly shards = new Map<string, ShardState>();
  private readonly finishedShards = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private cycle: Promise<void> = Promise.resolve();
  private closed = false;
  private lastDiscovery = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly abort = new AbortController();

  constructor(private readonly options: StreamPollerOptions) {}

  async start(): Promise<void> {
    const table = await this.call<{ Table: { LatestStreamArn?: string; StreamSpecification?: { StreamEnabled?: boolean } } }>(
      'DynamoDB_20120810.DescribeTable',
      { TableName: this.options.tableName },
    );
    if (!table.Table.StreamSpecification?.StreamEnabled || !table.Table.LatestStreamArn) {
      throw new Error(`Table ${this.options.tableName} has no stream: create it with ensureTable (infra/local/dynamodb.ts)`);
    }
    this.streamArn = table.Table.LatestStreamArn;
    await this.discoverShards(this.options.startingPosition ?? 'LATEST');
    this.schedule();
  }

  /** Resolves after a complete poll found no new records and nothing is being retried. */
  drained(): Promise<void> {
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    clearTimeout(this.timer);
    await this.cycle.catch(() => undefined);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.cycle = this.poll()
        .catch((error: unknown) => {
          if (!this.closed) console.error('[twin] stream poll failed:', error);
        })
        .finally(() => this.schedule());
    }, this.options.intervalMs ?? 150);
  }

  private async poll(): Promise<void> {
    if (Date.now() - this.lastDiscovery > 2_000) await this.discoverShards('TRIM_HORIZON');
    let sawRecords = false;
    for (const shard of [...this.shards.values()]) {
      if (this.closed) return;
      if (!shard.iterator) continue;
      let page: { Records?: DynamoDBRecord[]; NextShardIterator?: string };
      try {
        page = await this.call('DynamoDBStreams_20120810.GetRecords', { ShardIterator: shard.iterator, Limit: 1000 });
      } catch (error) {
        if (!/ExpiredIterator|TrimmedDataAccess/.test(String(error))) throw error;
        shard.iterator = await this.iterator(shard.shardId, shard.lastSequenceNumber ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON', shard.lastSequenceNumber);
        continue;
      }
      const records = page.Records ?? [];
      if (records.length > 0) sawRecords = true;
      const passing = records.filter((record) => matchesPattern(eventRelay.filter, record));
      for (let i = 0; i < passing.length && !this.closed; i += eventRelay.batchSize) {
        await this.deliver(passing.slice(i, i + eventRelay.batchSize));
      }
      if (this.closed) return;
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) shard.lastSequenceNumber = last;
      shard.iterator = page.NextShardIterator;
      if (!shard.iterator) {
        // Closed and read to its end: its children take over from here.
        this.shards.delete(shard.shardId);
        this.finishedShards.add(shard.shardId);
        this.lastDiscovery = 0;
      }
    }
    if (!sawRecords) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Invokes the relay until the batch is out; a partial failure retries from its first failed record. */
  private async deliver(batch: DynamoDBRecord[]): Promise<void> {
    let remaining = batch;
    for (let attempt = 1; remaining.length > 0 && !this.closed; attempt++) {
      let error: string;
      try {
        this.invocations += remaining.length;
        const event: DynamoDBStreamEvent = { Records: remaining.map((record) => ({ ...record, eventSourceARN: this.streamArn })) };
        const answer = (await this.options.invoke(eventRelay.name, event)) as DynamoDBBatchResponse | undefined;
        const failed = new Set((answer?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        if (failed.size === 0) return;
        const first = remaining.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
        // An identifier that names no record of the batch fails the whole batch, as Lambda treats it.
        remaining = first === -1 ? remaining : remaining.slice(first);
        error = `batchItemFailures: ${[...failed].join(', ')}`;
      } catch (thrown) {
        error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
      }
      if (attempt > eventRelay.retryAttempts) {
        this.failures.unshift({ records: remaining, attempts: attempt, error, failedAt: new Date().toISOString() });
        console.error(`[twin] the event relay gave up on ${remaining.length} stream record(s): ${error}`);
        return;
      }
      await this.sleep(this.options.retryDelayMs ?? 200);
    }
  }

  private async discoverShards(position: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    this.lastDiscovery = Date.now();
    const shards: { ShardId: string; ParentShardId?: string; SequenceNumberRange?: { EndingSequenceNumber?: string } }[] = [];
    let exclusiveStart: string | undefined;
    do {
      const page = await this.call<{
        StreamDescription: { Shards?: typeof shards; LastEvaluatedShardId?: string };
      }>('DynamoDBStreams_20120810.DescribeStream', { StreamArn: this.streamArn, ...(exclusiveStart ? { ExclusiveStartShardId: exclusiveStart } : {}) });
      shards.push(...(page.StreamDescription.Shards ?? []));
      exclusiveStart = page.StreamDescription.LastEvaluatedShardId;
    } while (exclusiveStart);

    const known = (id: string | undefined) => id !== undefined && (this.shards.has(id) || this.finishedShards.has(id));
    const firstDiscovery = this.shards.size === 0 && this.finishedShards.size === 0;
    for (const shard of shards) {
      if (known(shard.ShardId)) continue;
      const closed = Boolean(shard.SequenceNumberRange?.EndingSequenceNumber);
      if (firstDiscovery && position === 'LATEST') {
        // From now on: closed shards hold only the past.
        if (closed) this.finishedShards.add(shard.ShardId);
        else this.shards.set(shard.ShardId, { shardId: shard.ShardId, iterator: await this.iterator(shard.ShardId, 'LATEST') });
        continue;
      }
      // A child waits until its parent is read to the end, so that records stay in order.
      if (shard.ParentShardId && this.shards.has(shard.ParentShardId)) continue;
      this.shards.set(shard.ShardId, { shardId: shard.ShardId, iterator: await this.iterator(shard.ShardId, 'TRIM_HORIZON') });
    }
  }

  private async iterator(shardId: string, type: 'LATEST' | 'TRIM_HORIZON' | 'AFTER_SEQUENCE_NUMBER', sequenceNumber?: string): Promise<string | undefined> {
    const answer = await this.call<{ ShardIterator?: string }>('DynamoDBStreams_20120810.GetShardIterator', {
      StreamArn: this.streamArn,
      ShardId: shardId,
      ShardIteratorType: type,
      ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}),
    });
    return answer.ShardIterator;
  }

  private async call<T>(target: string, body: unknown): Promise<T> {
    const response = await fetch(this.options.dynamoEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': target,
        // DynamoDB Local wants a SigV4-shaped Authorization header; it checks no signature.
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(body),
      signal: this.abort.signal,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${target} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.abort.signal.addEventListener('abort', wake, { once: true });
    });
  }
}
