import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { relay } from '../../functions/event-relay/handler';
import { outboxItemType } from '../../shared/data/outbox';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const eventBridge = mockClient(EventBridgeClient);
const publishedIds = () =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => (JSON.parse(entry.Detail!) as { eventId: string }).eventId));

function outboxRecord(sequenceNumber: string, eventId: string): DynamoDBRecord {
  const detail = { eventId, tenantId: 'ten_1', occurredAt: '2026-03-01T10:00:00.000Z', schemaVersion: 1, data: { contactId: 'con_1', n: 1 } };
  return {
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequenceNumber,
      NewImage: marshall({ pk: `T#ten_1#OUTBOX#${eventId}`, sk: 'EVENT', type: outboxItemType, detailType: 'Contact Closed', detail }) as never,
    },
  };
}

beforeAll(() => {
  process.env.EVENT_BUS_NAME = 'switchboard-test';
});
afterAll(() => eventBridge.restore());
beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
    FailedEntryCount: 0,
    Entries: (input.Entries ?? []).map(() => ({ EventId: 'ok' })),
  }));
});

describe('the event relay', () => {
  it('publishes each outbox record as its event and reports no failure', async () => {
    const answer = await relay({ Records: [outboxRecord('100', 'evt_a'), outboxRecord('101', 'evt_b')] });
    expect(answer).toEqual({ batchItemFailures: [] });
    const [entry] = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entry).toMatchObject({ EventBusName: 'switchboard-test', Source: 'switchboard', DetailType: 'Contact Closed' });
    expect(JSON.parse(entry!.Detail!)).toMatchObject({ eventId: 'evt_a', tenantId: 'ten_1', data: { contactId: 'con_1', n: 1 } });
    expect(publishedIds()).toEqual(['evt_a', 'evt_b']);
  });

  it('answers the records it could not publish as batch item failures, by sequence number', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 1,
      Entries: (input.Entries ?? []).map((entry) =>
        entry.Detail!.includes('evt_b') ? { ErrorCode: 'InternalFailure' } : { EventId: 'ok' },
      ),
    }));
    const event: DynamoDBStreamEvent = { Records: [outboxRecord('100', 'evt_a'), outboxRecord('101', 'evt_b'), outboxRecord('102', 'evt_c')] };
    const answer = await relay(event);
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '101' }]);
  }, 15_000);

  it('reports a record without a readable event instead of dropping it silently', async () => {
    const broken: DynamoDBRecord = { eventName: 'INSERT', dynamodb: { SequenceNumber: '7', NewImage: marshall({ type: outboxItemType }) as never } };
    const answer = await relay({ Records: [broken, outboxRecord('8', 'evt_ok')] });
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '7' }]);
    expect(publishedIds()).toEqual(['evt_ok']);
  });
});
