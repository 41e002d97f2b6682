import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { localClientConfig } from '../../infra/local/dynamodb';
import { type LambdaModule, type TwinFunctionName, loadFunctionModule } from '../../infra/local/twin';
import type { DomainEvent } from '../../shared/events/catalog';
import { contactOpened } from '../../shared/events/contact-events';
import { newEvent } from '../../shared/events/events';
import { matchesPattern } from '../../shared/events/pattern';
import { eventFunctions, subscriptions } from '../../shared/events/subscriptions';
import { outboxPut } from '../../shared/data/outbox';
import { newId } from '../../shared/ids';
import { api, startTestTwin, testDatabase, type TestTwin } from '../support/twin';
import { eventually } from '../support/waiting';

/**
 * The path every event takes, on the twin and DynamoDB Local: a state change and its outbox
 * record written in one transaction → the table's stream → the relay (the real handler) →
 * PutEvents on the emulated bus → each subscribed consumer. The consumers here are stand-ins
 * that record what they receive; everything before them is the deployed code.
 */

// Before the imports below construct Powertools: the twin would set these, but only once it starts.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
});

type Received = { consumer: string; event: EventBridgeEvent<string, DomainEvent['detail']> };
const received: Received[] = [];
/** Event ids whose delivery the stand-in consumers fail, to see retries and dead letters. */
const failingEventIds = new Set<string>();
const consumerNames = new Set<string>(Object.keys(eventFunctions));

async function loadFunction(name: TwinFunctionName): Promise<LambdaModule> {
  if (!consumerNames.has(name)) return loadFunctionModule(name);
  return {
    handler: async (event: EventBridgeEvent<string, DomainEvent['detail']>) => {
      if (failingEventIds.has(event.detail.eventId)) throw new Error('consumer down');
      received.push({ consumer: name, event });
    },
  };
}

let twin: TestTwin;
let db: DynamoDBDocumentClient;
beforeAll(async () => {
  twin = await startTestTwin({ loadFunction, events: { busRetryBaseDelayMs: 5 } });
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...localClientConfig, endpoint: testDatabase().endpoint }));
});
afterAll(async () => {
  db.destroy();
  await twin.close();
});
afterEach(() => {
  failingEventIds.clear();
  twin.bus.setDeliverTwice(false);
  twin.bus.failPutEvents(0);
});

function contactOpenedEvent(): DomainEvent {
  return newEvent(contactOpened, newId('ten'), {
    contactId: newId('con'),
    status: 'open',
    channel: 'voice',
    direction: 'inbound',
    purpose: 'service',
    startedAt: new Date().toISOString(),
  });
}

/** The consumers whose declared pattern takes this event, as EventBridge would match it. */
function subscribedConsumers(event: DomainEvent): string[] {
  const busEvent = { source: 'switchboard', 'detail-type': event.detailType, detail: event.detail };
  return subscriptions.filter((s) => matchesPattern(s.pattern, busEvent)).map((s) => s.consumer);
}

/** A state change and its event, committed together, as the repositories do. */
async function commitWithEvent(event: DomainEvent): Promise<void> {
  await db.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: testDatabase().tableName, Item: { pk: `T#${event.detail.tenantId}#PROBE`, sk: 'STATE', type: 'Probe' } } },
        outboxPut(event),
      ],
    }),
  );
}

const receivedFor = (event: DomainEvent) => received.filter((r) => r.event.detail.eventId === event.detail.eventId);

describe('outbox → stream → relay → bus → consumers', () => {
  it('delivers a committed event once to each subscribed consumer, detail intact', async () => {
    const event = contactOpenedEvent();
    const consumers = subscribedConsumers(event);
    expect(consumers.length, 'some subscription takes Contact Opened').toBeGreaterThan(0);

    await commitWithEvent(event);
    await eventually(() => receivedFor(event).length >= consumers.length, 'a delivery to each subscribed consumer');
    await twin.bus.settled();

    const deliveries = receivedFor(event);
    expect(deliveries.map((d) => d.consumer).sort()).toEqual([...consumers].sort());
    for (const { event: delivered } of deliveries) {
      expect(delivered).toMatchObject({ source: 'switchboard', 'detail-type': 'Contact Opened', version: '0' });
      expect(delivered.detail).toEqual(event.detail);
      expect(delivered.time).toBe(event.detail.occurredAt.replace(/\.\d{3}Z$/, 'Z'));
    }
  });

  it('does not relay other writes: only inserted outbox records reach the bus', async () => {
    const tenantId = newId('ten');
    await db.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: testDatabase().tableName, Item: { pk: `T#${tenantId}#PROBE`, sk: 'STATE', type: 'Probe' } } }],
      }),
    );
    const marker = contactOpenedEvent();
    await commitWithEvent(marker);
    await eventually(() => receivedFor(marker).length > 0, 'the marker event');
    expect(twin.bus.recent.some((record) => JSON.stringify(record.event.detail).includes(tenantId))).toBe(false);
  });

  it('an EventBridge outage delays the event but does not lose it', async () => {
    // More failures than one relay invocation's own retries: the stream must retry the record.
    twin.bus.failPutEvents(7);
    const invocationsBefore = twin.aws.stream!.invocations;
    const event = contactOpenedEvent();
    await commitWithEvent(event);

    await eventually(() => receivedFor(event).length > 0, 'the event delivered', 25_000);
    await twin.bus.settled();
    expect(twin.bus.takeFailure()).toBeUndefined();
    expect(twin.aws.stream!.invocations - invocationsBefore).toBeGreaterThan(1);
    expect(receivedFor(event)).toHaveLength(subscribedConsumers(event).length);
    expect(receivedFor(event)[0]!.event.detail).toEqual(event.detail);
  }, 40_000);

  it('survives PutEvents failing as a whole (HTTP 500) too', async () => {
    twin.bus.failPutEvents(4, 'outage');
    const event = contactOpenedEvent();
    await commitWithEvent(event);
    await eventually(() => receivedFor(event).length > 0, 'the event delivered', 25_000);
    expect(receivedFor(event)[0]!.event.detail).toEqual(event.detail);
  }, 40_000);

  it('retries a failing consumer, then dead-letters the event, visible over HTTP', async () => {
    const event = contactOpenedEvent();
    failingEventIds.add(event.detail.eventId);
    await commitWithEvent(event);
    await eventually(() => twin.bus.recent.find((record) => record.event.detail && (record.event.detail as DomainEvent['detail']).eventId === event.detail.eventId), 'the event on the bus');
    await twin.bus.settled();

    expect(receivedFor(event)).toEqual([]);
    const deadLetters = await api(twin.url, 'GET', '/local/events/dead-letters');
    expect(deadLetters.status).toBe(200);
    const mine = (deadLetters.body.items as { event: { detail: { eventId: string } }; attempts: number; error: string }[]).filter(
      (letter) => letter.event.detail.eventId === event.detail.eventId,
    );
    expect(mine).toHaveLength(subscribedConsumers(event).length);
    // Every declared retry, plus the first attempt.
    expect(mine[0]!.attempts).toBe(1 + (subscriptions.find((s) => s.consumer === subscribedConsumers(event)[0])!.retry?.maximumRetryAttempts ?? 8));
    expect(mine[0]!.error).toContain('consumer down');
  }, 40_000);

  it('can deliver every event twice, as at-least-once delivery may', async () => {
    twin.bus.setDeliverTwice(true);
    const event = contactOpenedEvent();
    await commitWithEvent(event);
    await eventually(() => receivedFor(event).length >= 2 * subscribedConsumers(event).length, 'two deliveries to each subscribed consumer');
    await twin.bus.settled();
    expect(receivedFor(event)).toHaveLength(2 * subscribedConsumers(event).length);
  });

  it('lists recent events newest first at GET /local/events', async () => {
    const first = contactOpenedEvent();
    const second = contactOpenedEvent();
    await commitWithEvent(first);
    await eventually(() => receivedFor(first).length > 0, 'the first event');
    await commitWithEvent(second);
    await eventually(() => receivedFor(second).length > 0, 'the second event');

    const listed = await api(twin.url, 'GET', '/local/events');
    expect(listed.status).toBe(200);
    const ids = (listed.body.items as { event: { detail: { eventId?: string } } }[]).map((item) => item.event.detail.eventId);
    expect(ids.indexOf(second.detail.eventId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(second.detail.eventId)).toBeLessThan(ids.indexOf(first.detail.eventId));
  });

  it('moves the timers clock over HTTP', async () => {
    const before = twin.clock.now().getTime();
    const moved = await api(twin.url, 'POST', '/local/clock', { body: { advanceSeconds: 3600 } });
    expect(moved.status).toBe(200);
    expect(new Date(moved.body.now).getTime() - before).toBeGreaterThanOrEqual(3600_000);
    const refused = await api(twin.url, 'POST', '/local/clock', { body: { advanceSeconds: -5 } });
    expect(refused.status).toBe(400);
  });
});
