import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DomainEvent } from '../../shared/events/catalog';
import { PublishError, entrySize, maxRequestBytes, publishEvents } from '../../shared/events/publisher';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
});

const eventBridge = mockClient(EventBridgeClient);
const fast = { baseDelayMs: 1, maxDelayMs: 2 };

function event(n: number, dataBytes = 10): DomainEvent {
  return {
    detailType: 'Contact Closed',
    detail: {
      eventId: `evt_${n}`,
      tenantId: 'ten_1',
      occurredAt: '2026-03-01T10:00:00.000Z',
      schemaVersion: 1,
      data: { note: 'x'.repeat(dataBytes) },
    },
  };
}

const sentEntries = () => eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
const sentIds = () => sentEntries().map((entries) => entries.map((entry) => (JSON.parse(entry.Detail!) as { eventId: string }).eventId));
const allSucceed = (input: PutEventsCommandInput) => ({
  FailedEntryCount: 0,
  Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `bus-${i}` })),
});

beforeAll(() => {
  process.env.EVENT_BUS_NAME = 'switchboard-test';
});
afterAll(() => eventBridge.restore());
beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).callsFake(allSucceed);
});

describe('publishEvents', () => {
  it('puts each event on the stage bus with source switchboard, its detail-type, detail and time', async () => {
    await publishEvents([event(1)]);
    const [[entry]] = sentEntries() as [[NonNullable<PutEventsCommandInput['Entries']>[number]]];
    expect(entry).toMatchObject({ EventBusName: 'switchboard-test', Source: 'switchboard', DetailType: 'Contact Closed' });
    expect(JSON.parse(entry.Detail!)).toEqual(event(1).detail);
    expect(entry.Time).toEqual(new Date('2026-03-01T10:00:00.000Z'));
  });

  it('sends at most 10 entries per request', async () => {
    await publishEvents(Array.from({ length: 23 }, (_, i) => event(i)));
    expect(sentEntries().map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(sentIds().flat()).toEqual(Array.from({ length: 23 }, (_, i) => `evt_${i}`));
  });

  it('keeps each request within 256 KiB', async () => {
    // Each entry about 100 KiB: two fit in a request, a third does not.
    const events = Array.from({ length: 5 }, (_, i) => event(i, 100 * 1024));
    await publishEvents(events);
    expect(sentEntries().map((entries) => entries.length)).toEqual([2, 2, 1]);
    for (const entries of sentEntries()) {
      expect(entries.reduce((sum, entry) => sum + entrySize(entry), 0)).toBeLessThanOrEqual(maxRequestBytes);
    }
  });

  it('retries only the entries that failed in a partial failure', async () => {
    eventBridge
      .on(PutEventsCommand)
      .callsFakeOnce((input: PutEventsCommandInput) => ({
        FailedEntryCount: 2,
        Entries: (input.Entries ?? []).map((_, i) =>
          i === 1 || i === 3 ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : { EventId: `bus-${i}` },
        ),
      }))
      .callsFake(allSucceed);

    await publishEvents([event(0), event(1), event(2), event(3)], fast);
    expect(sentIds()).toEqual([['evt_0', 'evt_1', 'evt_2', 'evt_3'], ['evt_1', 'evt_3']]);
  });

  it('retries a request that failed as a whole', async () => {
    eventBridge.on(PutEventsCommand).rejectsOnce(new Error('socket hang up')).callsFake(allSucceed);
    await publishEvents([event(0), event(1)], fast);
    expect(sentIds()).toEqual([['evt_0', 'evt_1'], ['evt_0', 'evt_1']]);
  });

  it('gives up after the bounded attempts and names the events that did not go out', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 1,
      Entries: (input.Entries ?? []).map((entry) =>
        entry.Detail?.includes('evt_2') ? { ErrorCode: 'InternalFailure', ErrorMessage: 'down' } : { EventId: 'ok' },
      ),
    }));

    const failure = await publishEvents([event(1), event(2), event(3)], { ...fast, maxAttempts: 4 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PublishError);
    expect((failure as PublishError).failedEventIds).toEqual(['evt_2']);
    expect((failure as PublishError).message).toContain('evt_2');
    expect((failure as PublishError).message).toContain('InternalFailure');
    expect(sentIds()).toEqual([['evt_1', 'evt_2', 'evt_3'], ['evt_2'], ['evt_2'], ['evt_2']]);
  });

  it('waits longer before each retry (exponential backoff)', async () => {
    const times: number[] = [];
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
      times.push(Date.now());
      return { FailedEntryCount: 1, Entries: (input.Entries ?? []).map(() => ({ ErrorCode: 'InternalFailure' })) };
    });
    await expect(publishEvents([event(1)], { baseDelayMs: 40, maxDelayMs: 10_000, maxAttempts: 4 })).rejects.toThrow(PublishError);
    const gaps = times.slice(1).map((time, i) => time - times[i]!);
    // Between half and all of 40, 80, 160 ms.
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
    expect(gaps[2]).toBeLessThan(400);
  });

  it('reports an event too large for EventBridge without sending it, and sends the others', async () => {
    const failure = await publishEvents([event(1), event(2, 300 * 1024)], fast).catch((error: unknown) => error);
    expect((failure as PublishError).failedEventIds).toEqual(['evt_2']);
    expect(sentIds()).toEqual([['evt_1']]);
  });

  it('sends nothing for no events', async () => {
    await publishEvents([]);
    expect(sentEntries()).toEqual([]);
  });
});
