import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { matchesPattern } from '../../shared/events/pattern';
import { type Subscription, defaultRetry, subscriptions as declaredSubscriptions } from '../../shared/events/subscriptions';
import { BackgroundWork } from './background-work';

/** Invokes a declared function of the twin (`functions/<name>/handler.ts`) with an event. */
export type InvokeFunction = (name: string, event: unknown) => Promise<unknown>;

export type BusEvent = EventBridgeEvent<string, unknown>;

export interface PutEventsEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  /** Epoch seconds, as the SDK sends a timestamp in AWS JSON 1.1. */
  Time?: number | string;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface Delivery {
  subscription: string;
  consumer: string;
  status: 'pending' | 'delivered' | 'dead-lettered';
  attempts: number;
  lastError?: string;
  deliveredAt?: string;
}

export interface BusRecord {
  event: BusEvent;
  receivedAt: string;
  deliveries: Delivery[];
}

export interface DeadLetter {
  event: BusEvent;
  subscription: string;
  consumer: string;
  attempts: number;
  error: string;
  deadLetteredAt: string;
}

export interface LocalEventBusOptions {
  name: string;
  invoke: InvokeFunction;
  subscriptions?: readonly Subscription[];
  /** Backoff before retry n: retryBaseDelayMs * 2^(n-1), capped at retryMaxDelayMs. Much shorter than AWS's, so tests see retries. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Deliver every event twice to each matching consumer, as at-least-once delivery may: proves consumers are idempotent. */
  deliverTwice?: boolean;
  /** How many events `recent` keeps. */
  keep?: number;
}

const accountId = '000000000000';

/**
 * The twin's EventBridge bus: PutEvents records the events and answers at once; each event is
 * then matched against every declared subscription's pattern and delivered to its consumer
 * asynchronously, with retries and backoff up to the subscription's retry policy, and finally to
 * a dead-letter list, as EventBridge does with a rule target's retry policy and DLQ.
 */
export class LocalEventBus {
  readonly name: string;
  /** Most recent first. */
  readonly recent: BusRecord[] = [];
  /** Most recent first. */
  readonly deadLetters: DeadLetter[] = [];
  private readonly subscriptions: readonly Subscription[];
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly keep: number;
  private deliverTwice: boolean;
  private readonly work = new BackgroundWork();
  private failures: { remaining: number; mode: 'entries' | 'outage' } = { remaining: 0, mode: 'entries' };
  private closed = false;

  constructor(private readonly options: LocalEventBusOptions) {
    this.name = options.name;
    this.subscriptions = options.subscriptions ?? declaredSubscriptions;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 100;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 2_000;
    this.keep = options.keep ?? 200;
    this.deliverTwice = options.deliverTwice ?? false;
  }

  /**
   * Makes the next `count` PutEvents requests fail: 'entries' answers every entry with
   * ErrorCode InternalFailure (a partial failure of everything), 'outage' answers HTTP 500.
   */
  failPutEvents(count: number, mode: 'entries' | 'outage' = 'entries'): void {
    this.failures = { remaining: count, mode };
  }

  setDeliverTwice(on: boolean): void {
    this.deliverTwice = on;
  }

  /** For the emulator: whether this request fails, and how. */
  takeFailure(): 'entries' | 'outage' | undefined {
    if (this.failures.remaining <= 0) return undefined;
    this.failures.remaining--;
    return this.failures.mode;
  }

  /**
   * PutEvents: validates and records each entry, answers in entry order; deliveries start after the
   * answer. Each event names the account that put it (`account`: the caller's, else the twin's own).
   */
  putEvents(entries: readonly PutEventsEntry[], account: string = accountId): PutEventsResultEntry[] {
    return entries.map((entry) => {
      const problem = this.entryProblem(entry);
      if (problem) return problem;
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType!,
        source: entry.Source!,
        account,
        time: eventTime(entry.Time),
        region: process.env.AWS_REGION ?? 'local',
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail!) as unknown,
      };
      this.accept(event);
      return { EventId: event.id };
    });
  }

  /**
   * Redrives dead letters (those `select` picks, all by default): each leaves the list and its
   * event is delivered again to the subscription that failed it only, with that subscription's
   * retries, as invoking the target with the DLQ message does in AWS. Answers how many.
   */
  redriveDeadLetters(select: (letter: DeadLetter) => boolean = () => true): number {
    const chosen = this.deadLetters.filter(select);
    for (const letter of chosen) {
      this.deadLetters.splice(this.deadLetters.indexOf(letter), 1);
      const subscription = this.subscriptions.find((s) => s.name === letter.subscription);
      if (!subscription) continue;
      let record = this.recent.find((r) => r.event.id === letter.event.id);
      if (!record) {
        record = { event: letter.event, receivedAt: new Date().toISOString(), deliveries: [] };
        this.recent.unshift(record);
        this.recent.length = Math.min(this.recent.length, this.keep);
      }
      const delivery: Delivery = { subscription: subscription.name, consumer: subscription.consumer, status: 'pending', attempts: 0 };
      record.deliveries.push(delivery);
      this.work.start(() => this.attempt(letter.event, subscription, delivery, Date.now()));
    }
    return chosen.length;
  }

  /** Resolves once no delivery is pending or being retried. */
  settled(): Promise<void> {
    return this.work.settled();
  }

  get deliveries(): (Delivery & { event: BusEvent })[] {
    return this.recent.flatMap((record) => record.deliveries.map((delivery) => ({ ...delivery, event: record.event })));
  }

  close(): void {
    this.closed = true;
    this.work.cancelAll();
  }

  private entryProblem(entry: PutEventsEntry): PutEventsResultEntry | undefined {
    const bus = entry.EventBusName ?? 'default';
    if (bus !== this.name && !bus.endsWith(`:event-bus/${this.name}`)) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: `Event bus ${bus} does not exist.` };
    }
    if (!entry.Source || !entry.DetailType || !entry.Detail) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source, DetailType and Detail are required.' };
    }
    try {
      const detail: unknown = JSON.parse(entry.Detail);
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new Error('not an object');
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    return undefined;
  }

  private accept(event: BusEvent): void {
    const record: BusRecord = { event, receivedAt: new Date().toISOString(), deliveries: [] };
    this.recent.unshift(record);
    this.recent.length = Math.min(this.recent.length, this.keep);
    for (const subscription of this.subscriptions) {
      if (!matchesPattern(subscription.pattern, event)) continue;
      const copies = this.deliverTwice ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) {
        const delivery: Delivery = { subscription: subscription.name, consumer: subscription.consumer, status: 'pending', attempts: 0 };
        record.deliveries.push(delivery);
        // Never inside the PutEvents request: EventBridge answers the publisher before any target runs.
        this.work.start(() => this.attempt(event, subscription, delivery, Date.now()));
      }
    }
  }

  private async attempt(event: BusEvent, subscription: Subscription, delivery: Delivery, firstTriedAt: number): Promise<void> {
    if (this.closed) return;
    const retry = subscription.retry ?? defaultRetry;
    delivery.attempts++;
    try {
      await this.options.invoke(subscription.consumer, structuredClone(event));
      delivery.status = 'delivered';
      delivery.deliveredAt = new Date().toISOString();
      this.work.finish();
    } catch (error) {
      if (this.closed) return;
      delivery.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const retries = delivery.attempts - 1;
      const tooOld = Date.now() - firstTriedAt > retry.maximumEventAgeSeconds * 1000;
      if (retries >= retry.maximumRetryAttempts || tooOld) {
        delivery.status = 'dead-lettered';
        this.deadLetters.unshift({
          event,
          subscription: subscription.name,
          consumer: subscription.consumer,
          attempts: delivery.attempts,
          error: delivery.lastError,
          deadLetteredAt: new Date().toISOString(),
        });
        this.deadLetters.length = Math.min(this.deadLetters.length, this.keep);
        console.error(`[twin] ${subscription.name}: ${event['detail-type']} ${event.id} dead-lettered after ${delivery.attempts} attempts: ${delivery.lastError}`);
        this.work.finish();
        return;
      }
      const delay = Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** retries);
      this.work.later(delay / 2 + Math.random() * (delay / 2), () => this.attempt(event, subscription, delivery, firstTriedAt));
    }
  }
}

/** EventBridge's event time: to the second, `Z`. A missing Time is the time of the PutEvents call. */
function eventTime(time: number | string | undefined): string {
  const date = time === undefined ? new Date() : typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return (Number.isNaN(date.getTime()) ? new Date() : date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
