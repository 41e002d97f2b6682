import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { setTimeout as sleep } from 'node:timers/promises';
import { logger } from '../observability';
import { type DomainEvent, eventSource } from './catalog';

/** PutEvents takes at most 10 entries and 256 KiB per request. */
export const maxEntriesPerRequest = 10;
export const maxRequestBytes = 256 * 1024;

export interface PublishOptions {
  /** Attempts per entry, the first included; a failed entry is tried again until then. */
  maxAttempts?: number;
  /** Backoff before retry n is between half and all of min(maxDelayMs, baseDelayMs * 2^(n-1)). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const defaults: Required<PublishOptions> = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

/** Some events could not be published; the relay uses `failedEventIds` to have just those retried. */
export class PublishError extends Error {
  constructor(
    readonly failedEventIds: string[],
    readonly reasons: string[],
  ) {
    super(`Could not publish ${failedEventIds.length} event(s): ${failedEventIds.join(', ')} (${distinct(reasons).join('; ')})`);
    this.name = 'PublishError';
  }
}

let client: EventBridgeClient | undefined;
function eventBridge(): EventBridgeClient {
  const endpoint = process.env.EVENTBRIDGE_ENDPOINT;
  client ??= new EventBridgeClient(endpoint ? { endpoint } : {});
  return client;
}

function busName(): string {
  const name = process.env.EVENT_BUS_NAME;
  if (!name) throw new Error('EVENT_BUS_NAME is not set');
  return name;
}

interface Pending {
  event: DomainEvent;
  entry: PutEventsRequestEntry;
  size: number;
}

/**
 * Publishes events to the stage's bus: as few PutEvents requests as the limits allow, and on a
 * partial failure (or a failed request) only the entries that failed are sent again, with
 * exponential backoff and jitter, a bounded number of times. Throws a PublishError naming the
 * events that still failed; the others are out.
 */
export async function publishEvents(events: readonly DomainEvent[], options: PublishOptions = {}): Promise<void> {
  const settings = { ...defaults, ...options };
  const bus = busName();
  const unpublishable: { eventId: string; reason: string }[] = [];
  let pending: Pending[] = [];
  for (const event of events) {
    const entry: PutEventsRequestEntry = {
      EventBusName: bus,
      Source: eventSource,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Time: new Date(event.detail.occurredAt),
    };
    const size = entrySize(entry);
    // Too large to ever go out: retrying cannot help, so it is reported at once.
    if (size > maxRequestBytes) unpublishable.push({ eventId: event.detail.eventId, reason: `entry of ${size} bytes exceeds ${maxRequestBytes}` });
    else pending.push({ event, entry, size });
  }

  let failed: Failed[] = [];
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) await sleep(backoffMs(attempt - 1, settings));
    failed = (await Promise.all(batches(pending).map(putBatch))).flat();
    if (failed.length > 0) {
      logger.warn('PutEvents left entries unpublished', { attempt, failed: failed.length, reasons: distinct(failed.map((f) => f.reason)) });
    }
    pending = failed;
    if (attempt >= settings.maxAttempts) break;
  }

  const failures = [...unpublishable, ...failed.map((f) => ({ eventId: f.event.detail.eventId, reason: f.reason }))];
  if (failures.length > 0) {
    throw new PublishError(
      failures.map((f) => f.eventId),
      failures.map((f) => f.reason),
    );
  }
}

type Failed = Pending & { reason: string };

const distinct = (values: string[]) => [...new Set(values)];

/** Sends one request; answers the entries that failed, each with why. */
async function putBatch(batch: Pending[]): Promise<Failed[]> {
  try {
    const answer = await eventBridge().send(new PutEventsCommand({ Entries: batch.map((p) => p.entry) }));
    if (!answer.FailedEntryCount) return [];
    // Entries answer in request order; a failed one has an ErrorCode instead of an EventId.
    return batch.flatMap((pending, index) => {
      const result = answer.Entries?.[index];
      return result?.EventId && !result.ErrorCode ? [] : [{ ...pending, reason: result?.ErrorCode ?? 'no result entry' }];
    });
  } catch (error) {
    return batch.map((pending) => ({ ...pending, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
  }
}

/** Greedy split in order: at most 10 entries and 256 KiB per request. */
function batches(pending: Pending[]): Pending[][] {
  const result: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const item of pending) {
    if (current.length === maxEntriesPerRequest || bytes + item.size > maxRequestBytes) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** How EventBridge counts an entry against the 256 KiB limit (its "Calculating PutEvents event entry size"). */
export function entrySize(entry: PutEventsRequestEntry): number {
  const utf8 = (text: string | undefined) => (text ? Buffer.byteLength(text, 'utf8') : 0);
  return (
    (entry.Time ? 14 : 0) +
    utf8(entry.Source) +
    utf8(entry.DetailType) +
    utf8(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, resource) => sum + utf8(resource), 0)
  );
}

function backoffMs(retry: number, settings: Required<PublishOptions>): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
