import type { Context, EventBridgeEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { allEvents } from '../../shared/events/all-events';
import { type CatalogEvent, UnconsumableEvent, createEventConsumer } from '../../shared/events/consumer';
import { contactClosed, contactOpened } from '../../shared/events/contact-events';
import { newEvent } from '../../shared/events/events';
import { subscriptions } from '../../shared/events/subscriptions';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const context = {
  functionName: 'switchboard-test-consumer',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:switchboard-test-consumer',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const opened = newEvent(contactOpened, 'ten_1', {
  contactId: 'con_1',
  status: 'open',
  channel: 'chat',
  direction: 'inbound',
  purpose: 'service',
  startedAt: '2026-03-01T10:00:00.000Z',
});

const busEvent = (overrides: Partial<EventBridgeEvent<string, unknown>> = {}): EventBridgeEvent<string, unknown> => ({
  version: '0',
  id: 'bus-1',
  source: 'switchboard',
  'detail-type': opened.detailType,
  account: '000000000000',
  time: '2026-03-01T10:00:00Z',
  region: 'local',
  resources: [],
  detail: structuredClone(opened.detail),
  ...overrides,
});

describe('createEventConsumer', () => {
  it('hands the consumer the validated, typed event', async () => {
    const seen: CatalogEvent<'Contact Opened'>[] = [];
    const handler = createEventConsumer('test', [contactOpened], async (event) => {
      seen.push(event);
    });
    await handler(busEvent(), context);
    expect(seen).toEqual([{ detailType: 'Contact Opened', detail: opened.detail, busEventId: 'bus-1' }]);
    expect(seen[0]!.detail.data.channel).toBe('chat');
  });

  it('throws, so EventBridge retries and dead-letters it, on a detail that breaks its schema', async () => {
    const handle = vi.fn(async () => undefined);
    const handler = createEventConsumer('test', [contactOpened], handle);
    const broken = { ...opened.detail, data: { ...opened.detail.data, channel: 'carrier-pigeon' } };
    const failure = await handler(busEvent({ detail: broken }), context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnconsumableEvent);
    expect((failure as Error).message).toContain('data.channel');
    expect(handle).not.toHaveBeenCalled();
  });

  it('throws on an uncatalogued detail-type or version, and on a foreign source', async () => {
    const handle = vi.fn(async () => undefined);
    const handler = createEventConsumer('test', [contactOpened], handle);
    await expect(handler(busEvent({ 'detail-type': 'Contact Teleported' }), context)).rejects.toThrow(UnconsumableEvent);
    await expect(handler(busEvent({ detail: { ...opened.detail, schemaVersion: 99 } }), context)).rejects.toThrow(UnconsumableEvent);
    await expect(handler(busEvent({ source: 'aws.connect' }), context)).rejects.toThrow(UnconsumableEvent);
    expect(handle).not.toHaveBeenCalled();
  });

  it('throws on a catalogued event it does not accept, without handling it', async () => {
    const handle = vi.fn(async () => undefined);
    const handler = createEventConsumer('closed-contacts-only', [contactClosed], handle);
    const failure = await handler(busEvent(), context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnconsumableEvent);
    expect((failure as Error).message).toContain('"Contact Opened" version 1');
    expect(handle).not.toHaveBeenCalled();
  });

  it('lets the consumer’s own failure through, so the delivery is retried', async () => {
    const handler = createEventConsumer('test', [contactOpened], async () => {
      throw new Error('table unavailable');
    });
    await expect(handler(busEvent(), context)).rejects.toThrow('table unavailable');
  });
});

describe('each rule on Switchboard events', () => {
  const catalogDetailTypes = [...new Set(allEvents.map((definition) => definition.detailType))].sort();
  const switchboardRules = subscriptions.filter((subscription) => subscription.pattern.source.includes('switchboard'));

  it.each(switchboardRules.map((rule) => [rule.name, rule] as const))(
    '%s delivers exactly the detail-types its consumer accepts',
    async (_name, rule) => {
      const { handler } = (await import(`../../functions/${rule.consumer}/handler.ts`)) as {
        handler: { accepts?: readonly { detailType: string }[] };
      };
      expect(handler.accepts, `${rule.consumer} is not a createEventConsumer handler`).toBeDefined();
      const accepted = [...new Set(handler.accepts!.map((definition) => definition.detailType))].sort();
      const delivered = [...(rule.pattern['detail-type'] ?? catalogDetailTypes)].sort();
      expect(accepted).toEqual(delivered);
    },
    60_000,
  );
});
