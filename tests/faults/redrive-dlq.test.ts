import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { DeleteMessageBatchCommand, type DeleteMessageBatchCommandInput, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type DeadLetterMessage, type DeadLetterQueue, busOfRule, redriveDeadLetters, sqsQueue } from '../../infra/tools/redrive-dlq';

/**
 * infra/tools/redrive-dlq.ts against a mocked EventBridge and an in-memory queue that behaves as
 * SQS does for a redrive: a received message is hidden until deleted (or the next run).
 */

const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);
afterAll(() => {
  eventBridge.restore();
  sqs.restore();
});
beforeEach(() => {
  eventBridge.reset();
  sqs.reset();
});

const ruleArn = 'arn:aws:events:ap-northeast-1:123456789012:rule/switchboard-prod/prod-survey-dispatch';

class MemoryQueue implements DeadLetterQueue {
  readonly messages: DeadLetterMessage[] = [];
  private readonly hidden = new Set<string>();
  readonly undeletable = new Set<string>();

  add(body: string, attributes: Record<string, string> = { RULE_ARN: ruleArn, ERROR_CODE: 'Lambda.Unknown', ERROR_MESSAGE: 'consumer down' }): string {
    const messageId = `msg-${this.messages.length + 1}`;
    this.messages.push({ messageId, receiptHandle: `rh-${messageId}`, body, attributes });
    return messageId;
  }

  async receive(max: number): Promise<DeadLetterMessage[]> {
    const visible = this.messages.filter((m) => !this.hidden.has(m.messageId)).slice(0, max);
    for (const m of visible) this.hidden.add(m.messageId);
    return visible;
  }

  async delete(messages: readonly DeadLetterMessage[]): Promise<string[]> {
    const failed = messages.filter((m) => this.undeletable.has(m.messageId)).map((m) => m.messageId);
    for (const m of messages) {
      if (failed.includes(m.messageId)) continue;
      this.messages.splice(this.messages.findIndex((kept) => kept.messageId === m.messageId), 1);
    }
    return failed;
  }

  /** The visibility timeout passes. */
  reappear(): void {
    this.hidden.clear();
  }

  ids(): string[] {
    return this.messages.map((m) => m.messageId);
  }
}

const deadEvent = (n: number, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    version: '0',
    id: `bus-${n}`,
    'detail-type': 'Contact Closed',
    source: 'switchboard',
    account: '123456789012',
    time: '2026-11-20T01:02:03Z',
    region: 'ap-northeast-1',
    resources: [],
    detail: { eventId: `evt_${n}`, tenantId: 'ten_1', occurredAt: '2026-11-20T01:02:03.000Z', schemaVersion: 1, data: { contactId: `con_${n}` } },
    ...overrides,
  });

const putEntries = () => eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);
const accepted = (input: PutEventsCommandInput) => ({ FailedEntryCount: 0, Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `new-${i}` })) });

describe('redriveDeadLetters', () => {
  it('puts each dead event back on the bus of its rule, as it was, and deletes its message', async () => {
    const queue = new MemoryQueue();
    queue.add(deadEvent(1));
    queue.add(deadEvent(2));
    eventBridge.on(PutEventsCommand).callsFake(accepted);

    const report = await redriveDeadLetters({ queue, eventBridge: new EventBridgeClient({}) });

    expect(report).toMatchObject({ received: 2, kept: [], dryRun: false });
    expect(report.redriven.map((r) => r.eventId)).toEqual(['evt_1', 'evt_2']);
    expect(queue.ids()).toEqual([]);
    const [first] = putEntries();
    expect(first).toMatchObject({ EventBusName: 'switchboard-prod', Source: 'switchboard', DetailType: 'Contact Closed', Time: new Date('2026-11-20T01:02:03Z') });
    expect(JSON.parse(first!.Detail!)).toEqual(JSON.parse(deadEvent(1)).detail);
  });

  it('keeps the message of an entry PutEvents refused, and deletes the others', async () => {
    const queue = new MemoryQueue();
    for (let n = 1; n <= 3; n++) queue.add(deadEvent(n));
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 1,
      Entries: (input.Entries ?? []).map((entry, i) =>
        entry.Detail!.includes('evt_2') ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' } : { EventId: `new-${i}` },
      ),
    }));

    const report = await redriveDeadLetters({ queue, eventBridge: new EventBridgeClient({}) });

    expect(report.redriven.map((r) => r.eventId)).toEqual(['evt_1', 'evt_3']);
    expect(report.kept).toEqual([{ messageId: 'msg-2', reason: 'PutEvents: ThrottlingException Rate exceeded' }]);
    expect(queue.ids()).toEqual(['msg-2']);

    // The next run, once the message is visible again and EventBridge is well, redrives it alone.
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).callsFake(accepted);
    queue.reappear();
    const again = await redriveDeadLetters({ queue, eventBridge: new EventBridgeClient({}) });
    expect(again.redriven.map((r) => r.eventId)).toEqual(['evt_2']);
    expect(putEntries().map((entry) => JSON.parse(entry.Detail!).eventId)).toEqual(['evt_2']);
    expect(queue.ids()).toEqual([]);
  });

  it('unwraps a Lambda on-failure destination record and puts its event on the bus named by --bus-name', async () => {
    const queue = new MemoryQueue();
    const record = {
      version: '1.0',
      requestContext: { requestId: 'req-1', functionArn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:switchboard-prod-survey-dispatch:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: JSON.parse(deadEvent(7)),
      responsePayload: { errorType: 'Error', errorMessage: 'consumer down' },
    };
    queue.add(JSON.stringify(record), {});
    eventBridge.on(PutEventsCommand).callsFake(accepted);

    const report = await redriveDeadLetters({ queue, eventBridge: new EventBridgeClient({}), busName: 'switchboard-prod' });

    expect(report.redriven).toEqual([{ messageId: 'msg-1', eventId: 'evt_7', detailType: 'Contact Closed', busName: 'switchboard-prod' }]);
    expect(JSON.parse(putEntries()[0]!.Detail!)).toEqual(record.requestPayload.detail);
    expect(queue.ids()).toEqual([]);
  });

  it('deletes nothing when PutEvents fails as a whole', async () => {
    const queue = new MemoryQueue();
    queue.add(deadEvent(1));
    queue.add(deadEvent(2));
    eventBridge.on(PutEventsCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalException' }));

    const report = await redriveDeadLetters({ queue, eventBridge: new EventBridgeClient({}) });

    expect(report.redriven).toEqual([]);
    expect(report.kept.map((k) => k.reason)).toEqual(Array(2).fill('PutEvents failed: InternalException: Service unavailable'));
    expect(queue.ids()).toEqual(['msg-1', 'msg-2']);
  });

  it('in a dry run, reports what it would redrive and changes nothing', async () => {
    const queue = new MemoryQueue();
    queue.add(deadEvent(1));
    const report = await redriveDeadLetters({ queue, eventBridge: new EventBridgeClient({}), dryRun: true });
    expect(report).toMatchObject({ received: 1, dryRun: true, redriven: [{ messageId: 'msg-1', eventId: 'evt_1', busName: 'switchboard-prod' }], kept: [] });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(queue.ids()).toEqual(['msg-1']);
  });

  it('keeps, with the reason, what is not an event it may put: not JSON, no event, an aws.* source, no rule to name the bus', async () => {
    const queue = new MemoryQueue();
    queue.add('not json');
    queue.add(JSON.stringify({ hello: 'world' }));
    queue.add(deadEvent(3, { source: 'aws.connect', 'detail-type': 'Amazon Connect Contact Event' }));
    queue.add(deadEvent(4), {});
    eventBridge.on(PutEventsCommand).callsFake(accepted);

    const report = await redriveDeadLetters({ queue, eventBridge: new EventBridgeClient({}) });

    expect(report.redriven).toEqual([]);
    expect(report.kept).toEqual([
      { messageId: 'msg-1', reason: 'the body is not JSON' },
      { messageId: 'msg-2', reason: 'the body is not an EventBridge event (source, detail-type, detail)' },
      { messageId: 'msg-3', reason: 'events of aws.connect can only be redriven by invoking the target' },
      { messageId: 'msg-4', reason: 'no RULE_ARN attribute to name the bus; pass --bus-name' },
    ]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(queue.ids()).toHaveLength(4);
  });

  it('reads at most --max messages, ten at a time, putting at most ten entries a request', async () => {
    const queue = new MemoryQueue();
    for (let n = 1; n <= 25; n++) queue.add(deadEvent(n));
    eventBridge.on(PutEventsCommand).callsFake(accepted);

    const report = await redriveDeadLetters({ queue, eventBridge: new EventBridgeClient({}), max: 23, busName: 'other-bus' });

    expect(report.received).toBe(23);
    expect(report.redriven).toHaveLength(23);
    expect(eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
    expect(new Set(putEntries().map((entry) => entry.EventBusName))).toEqual(new Set(['other-bus']));
    expect(queue.ids()).toEqual(['msg-24', 'msg-25']);
  });

  it('reports a message it put but could not delete, which a later run puts again (consumers dedupe on eventId)', async () => {
    const queue = new MemoryQueue();
    queue.add(deadEvent(1));
    queue.undeletable.add('msg-1');
    eventBridge.on(PutEventsCommand).callsFake(accepted);
    const report = await redriveDeadLetters({ queue, eventBridge: new EventBridgeClient({}) });
    expect(report.kept).toEqual([{ messageId: 'msg-1', reason: 'redriven, but the message could not be deleted' }]);
    expect(queue.ids()).toEqual(['msg-1']);
  });
});

describe('the SQS adapter (sqsQueue), against the SQS API', () => {
  const queueUrl = 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/switchboard-prod-survey-dispatch-dlq';
  /** A message as ReceiveMessage answers it: attributes as typed MessageAttributes, an opaque receipt handle. */
  const sqsMessage = (n: number): Message => ({
    MessageId: `0f1e2d3c-0000-4000-8000-${String(n).padStart(12, '0')}`,
    ReceiptHandle: `AQEB-receipt-${n}`,
    Body: deadEvent(n),
    MD5OfBody: 'ignored',
    MessageAttributes: {
      RULE_ARN: { DataType: 'String', StringValue: ruleArn },
      ERROR_CODE: { DataType: 'String', StringValue: 'Lambda.Unknown' },
    },
  });
  const messageId = (n: number) => sqsMessage(n).MessageId!;
  const deletedEntries = () => sqs.commandCalls(DeleteMessageBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);

  it('reads pages until an empty one, deletes by receipt handle only what PutEvents accepted and SQS deleted, and reports the rest', async () => {
    const firstPage = Array.from({ length: 10 }, (_, i) => sqsMessage(i + 1));
    const secondPage = [sqsMessage(11), sqsMessage(12), sqsMessage(13)];
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: firstPage }).resolvesOnce({ Messages: secondPage }).resolves({});
    // PutEvents refuses evt_2; SQS fails to delete the messages of evt_5 and evt_12.
    eventBridge.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({
      FailedEntryCount: 1,
      Entries: (input.Entries ?? []).map((entry, i) =>
        JSON.parse(entry.Detail!).eventId === 'evt_2' ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `new-${i}` },
      ),
    }));
    const undeletable = new Set([messageId(5), messageId(12)]);
    sqs.on(DeleteMessageBatchCommand).callsFake((input: DeleteMessageBatchCommandInput) => ({
      Successful: (input.Entries ?? []).filter((entry) => !undeletable.has(entry.Id!)).map((entry) => ({ Id: entry.Id! })),
      Failed: (input.Entries ?? [])
        .filter((entry) => undeletable.has(entry.Id!))
        .map((entry) => ({ Id: entry.Id!, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The receipt handle has expired' })),
    }));

    const report = await redriveDeadLetters({ queue: sqsQueue(queueUrl), eventBridge: new EventBridgeClient({}) });

    // Three ReceiveMessage calls: two pages and the empty answer that ends the run.
    expect(sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input)).toEqual(
      Array(3).fill(expect.objectContaining({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] })),
    );
    expect(report.received).toBe(13);
    // The bus came from the RULE_ARN message attribute.
    expect(new Set(putEntries().map((entry) => entry.EventBusName))).toEqual(new Set(['switchboard-prod']));

    // Deleted: every message whose event was accepted, with its own receipt handle, at most ten a batch; never evt_2's.
    expect(sqs.commandCalls(DeleteMessageBatchCommand).every((call) => call.args[0].input.QueueUrl === queueUrl && call.args[0].input.Entries!.length <= 10)).toBe(true);
    const accepted = [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
    expect(deletedEntries()).toEqual(accepted.map((n) => ({ Id: messageId(n), ReceiptHandle: `AQEB-receipt-${n}` })));

    // Reported: redriven only what was deleted; the refused entry and both failed deletions kept, each with its reason.
    expect(report.redriven.map((r) => r.eventId)).toEqual([1, 3, 4, 6, 7, 8, 9, 10, 11, 13].map((n) => `evt_${n}`));
    expect(report.kept).toEqual([
      { messageId: messageId(2), reason: 'PutEvents: InternalFailure try again' },
      { messageId: messageId(5), reason: 'redriven, but the message could not be deleted' },
      { messageId: messageId(12), reason: 'redriven, but the message could not be deleted' },
    ]);
    expect(report.received).toBe(report.redriven.length + report.kept.length);
  });

  it('turns SQS message attributes into the strings a redrive reads, and a message with none into none', async () => {
    const bare: Message = { MessageId: 'm-bare', ReceiptHandle: 'rh-bare', Body: deadEvent(1) };
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [sqsMessage(1), bare] }).resolves({});
    const queue = sqsQueue(queueUrl);
    expect(await queue.receive(10)).toEqual([
      { messageId: messageId(1), receiptHandle: 'AQEB-receipt-1', body: deadEvent(1), attributes: { RULE_ARN: ruleArn, ERROR_CODE: 'Lambda.Unknown' } },
      { messageId: 'm-bare', receiptHandle: 'rh-bare', body: deadEvent(1), attributes: {} },
    ]);
    expect(await queue.receive(10)).toEqual([]);
  });

  it('fails the run, rather than reporting success, when DeleteMessageBatch fails as a whole', async () => {
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [sqsMessage(1)] }).resolves({});
    eventBridge.on(PutEventsCommand).callsFake(accepted);
    sqs.on(DeleteMessageBatchCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDenied' }));

    await expect(redriveDeadLetters({ queue: sqsQueue(queueUrl), eventBridge: new EventBridgeClient({}) })).rejects.toThrow('Access denied');
  });
});

describe('busOfRule', () => {
  it('reads the bus from a rule ARN, the default bus included', () => {
    expect(busOfRule(ruleArn)).toBe('switchboard-prod');
    expect(busOfRule('arn:aws:events:us-east-1:123456789012:rule/my-rule')).toBe('default');
    expect(busOfRule('not an arn')).toBeUndefined();
  });
});
