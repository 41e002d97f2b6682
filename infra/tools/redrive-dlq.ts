import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { entrySize, maxEntriesPerRequest, maxRequestBytes } from '../../shared/events/publisher';

/**
 * Redrives a dead-letter queue of events: an EventBridge rule's DLQ, whose message body is the
 * event the rule could not deliver (attributes RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE say
 * where and why), a Lambda function's DLQ (the body is the event it failed on), or a Lambda
 * on-failure destination (the body is an invocation record whose requestPayload is the event).
 * Each event is put on the bus again and its message deleted only once PutEvents accepted that
 * entry. A message that cannot be redriven, or whose entry failed, stays in the queue (it
 * becomes visible again after the visibility timeout) and is reported.
 *
 * Putting the event back on the bus delivers it to every rule that matches it, not only to the
 * one that failed; that is safe because every consumer dedupes on detail.eventId (applyOnce).
 * Events of an AWS source (aws.connect) cannot be put by anyone but AWS: those are kept and
 * reported, to be redriven by invoking the target (docs/developers/events.md, "Redriving a rule's
 * dead-letter queue").
 *
 *   npm run redrive -- --queue-url https://sqs.<region>.amazonaws.com/<account>/<queue> [--dry-run] [--max 100] [--bus-name <bus>]
 *
 */

export interface DeadLetterMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** The SQS message attributes' string values: RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, … */
  attributes: Record<string, string>;
}

/** The queue, as far as a redrive needs it. */
export interface DeadLetterQueue {
  /** Up to `max` (≤ 10) messages, hidden from other readers for a while; none when the queue is empty. */
  receive(max: number): Promise<DeadLetterMessage[]>;
  /** Deletes the messages; answers the ids of those it could not delete. */
  delete(messages: readonly DeadLetterMessage[]): Promise<string[]>;
}

/** An EventBridge event as a rule's target receives it (and its DLQ keeps it). */
export interface DeadEvent {
  id?: string;
  source: string;
  'detail-type': string;
  detail: unknown;
  time?: string;
  resources?: string[];
}

export interface RedriveOptions {
  queue: DeadLetterQueue;
  eventBridge: Pick<EventBridgeClient, 'send'>;
  /** The bus to put the events on; by default the bus named in each message's RULE_ARN. */
  busName?: string;
  /** Read and report, change nothing. */
  dryRun?: boolean;
  /** At most this many messages are read. */
  max?: number;
}

export interface RedriveReport {
  /** Messages read. */
  received: number;
  /** Events put on the bus again whose messages were deleted (or, in a dry run, that would be). */
  redriven: { messageId: string; eventId?: string; detailType: string; busName: string }[];
  /** Messages left in the queue, and why. */
  kept: { messageId: string; reason: string }[];
  dryRun: boolean;
}

interface Redrivable {
  message: DeadLetterMessage;
  event: DeadEvent;
  entry: PutEventsRequestEntry;
}

export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveReport> {
  const max = options.max ?? 100;
  const report: RedriveReport = { received: 0, redriven: [], kept: [], dryRun: options.dryRun ?? false };
  while (report.received < max) {
    const messages = await options.queue.receive(Math.min(10, max - report.received));
    if (messages.length === 0) break;
    report.received += messages.length;
    const redrivable: Redrivable[] = [];
    for (const message of messages) {
      const planned = plan(message, options.busName);
      if ('reason' in planned) report.kept.push({ messageId: message.messageId, reason: planned.reason });
      else redrivable.push(planned);
    }
    if (report.dryRun) {
      report.redriven.push(...redrivable.map(described));
      continue;
    }
    const accepted: Redrivable[] = [];
    for (const batch of batches(redrivable)) {
      const failures = await put(options.eventBridge, batch);
      batch.forEach((item, index) => {
        const failure = failures[index];
        if (failure) report.kept.push({ messageId: item.message.messageId, reason: failure });
        else accepted.push(item);
      });
    }
    const undeleted = new Set(accepted.length > 0 ? await options.queue.delete(accepted.map((item) => item.message)) : []);
    for (const item of accepted) {
      if (undeleted.has(item.message.messageId)) {
        // Put again but not deleted: it comes back and is put once more, which consumers absorb.
        report.kept.push({ messageId: item.message.messageId, reason: 'redriven, but the message could not be deleted' });
      } else {
        report.redriven.push(described(item));
      }
    }
  }
  return report;
}

function described({ message, event, entry }: Redrivable): RedriveReport['redriven'][number] {
  const eventId = (event.detail as { eventId?: unknown } | null)?.eventId;
  return { messageId: message.messageId, ...(typeof eventId === 'string' && { eventId }), detailType: event['detail-type'], busName: entry.EventBusName! };
}

function plan(message: DeadLetterMessage, busName: string | undefined): Redrivable | { reason: string } {
  let event: DeadEvent;
  try {
    event = JSON.parse(message.body) as DeadEvent;
  } catch {
    return { reason: 'the body is not JSON' };
  }
  // A Lambda on-failure destination's record wraps the event it was invoked with.
  const wrapped = (event as { requestPayload?: unknown } | null)?.requestPayload;
  if (typeof wrapped === 'object' && wrapped !== null) event = wrapped as DeadEvent;
  if (typeof event !== 'object' || event === null || typeof event.source !== 'string' || typeof event['detail-type'] !== 'string' || typeof event.detail !== 'object' || event.detail === null) {
    return { reason: 'the body is not an EventBridge event (source, detail-type, detail)' };
  }
  if (event.source.startsWith('aws.')) return { reason: `events of ${event.source} can only be redriven by invoking the target` };
  const bus = busName ?? busOfRule(message.attributes.RULE_ARN);
  if (!bus) return { reason: 'no RULE_ARN attribute to name the bus; pass --bus-name' };
  const time = event.time ? new Date(event.time) : undefined;
  return {
    message,
    event,
    entry: {
      EventBusName: bus,
      Source: event.source,
      DetailType: event['detail-type'],
      Detail: JSON.stringify(event.detail),
      ...(time && !Number.isNaN(time.getTime()) && { Time: time }),
      ...(event.resources?.length && { Resources: event.resources }),
    },
  };
}

/** `arn:aws:events:<region>:<account>:rule/<bus>/<rule>`, or `rule/<rule>` on the default bus. */
export function busOfRule(ruleArn: string | undefined): string | undefined {
  const path = /^arn:[^:]+:events:[^:]*:\d*:rule\/(.+)$/.exec(ruleArn ?? '')?.[1];
  if (!path) return undefined;
  const parts = path.split('/');
  return parts.length > 1 ? parts.slice(0, -1).join('/') : 'default';
}

function batches(items: Redrivable[]): Redrivable[][] {
  const result: Redrivable[][] = [];
  let current: Redrivable[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = entrySize(item.entry);
    if (current.length === maxEntriesPerRequest || (current.length > 0 && bytes + size > maxRequestBytes)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** One PutEvents; answers, per entry, why it failed (undefined: accepted). */
async function put(eventBridge: Pick<EventBridgeClient, 'send'>, batch: Redrivable[]): Promise<(string | undefined)[]> {
  try {
    const answer = await eventBridge.send(new PutEventsCommand({ Entries: batch.map((item) => item.entry) }));
    return batch.map((_, index) => {
      const result = answer.Entries?.[index];
      return result?.EventId && !result.ErrorCode ? undefined : `PutEvents: ${result?.ErrorCode ?? 'no result'} ${result?.ErrorMessage ?? ''}`.trim();
    });
  } catch (error) {
    const reason = `PutEvents failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    return batch.map(() => reason);
  }
}

/** The SQS side of a redrive. */
export function sqsQueue(queueUrl: string): DeadLetterQueue {
  const client = new SQSClient({});
  return {
    async receive(max) {
      const answer = await client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: 1, VisibilityTimeout: 120, MessageAttributeNames: ['All'] }),
      );
      return (answer.Messages ?? []).map((message) => ({
        messageId: message.MessageId!,
        receiptHandle: message.ReceiptHandle!,
        body: message.Body ?? '',
        attributes: Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue ?? ''])),
      }));
    },
    async delete(messages) {
      const answer = await client.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((message) => ({ Id: message.messageId, ReceiptHandle: message.receiptHandle })) }),
      );
      return (answer.Failed ?? []).map((failed) => failed.Id!);
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'queue-url': { type: 'string' },
      'bus-name': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      max: { type: 'string', default: '100' },
      help: { type: 'boolean', default: false },
    },
  });
  const max = Number(values.max);
  if (values.help || !values['queue-url'] || !Number.isInteger(max) || max < 1) {
    process.stderr.write('Usage: npm run redrive -- --queue-url <dead-letter queue URL> [--dry-run] [--max <n, default 100>] [--bus-name <bus>]\n');
    return values.help ? 0 : 2;
  }
  const report = await redriveDeadLetters({
    queue: sqsQueue(values['queue-url']),
    eventBridge: new EventBridgeClient({}),
    busName: values['bus-name'],
    dryRun: values['dry-run'],
    max,
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.kept.length > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
