import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import type * as z from 'zod';
import { MetricUnit, logger, metrics } from '../observability';
import { type CatalogDefinition, type DetailType, findEventDefinition } from './all-events';
import { eventSource } from './catalog';

/** A catalogued event as a consumer receives it: validated, typed by its detail-type. */
export type CatalogEvent<T extends DetailType = DetailType> = T extends DetailType
  ? {
      detailType: T;
      detail: z.infer<Extract<CatalogDefinition, { detailType: T }>['detail']>;
      /** EventBridge's id of this delivery's event; the same event published twice has two. Dedupe on detail.eventId. */
      busEventId: string;
    }
  : never;

/** The event cannot be consumed as it is: EventBridge retries it and then dead-letters it, where an alarm fires. */
export class UnconsumableEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnconsumableEvent';
  }
}

/**
 * The Lambda handler of an event consumer (`functions/<name>/handler.ts` of an `eventFunctions`
 * entry): checks the event's source, finds its detail-type in the catalog and validates the
 * detail against that version's schema before `handle` sees it. Whatever fails throws, so that
 * EventBridge retries the delivery and finally sends it to the rule's dead-letter queue.
 *
 * Deliveries are at least once: `handle` must be idempotent (write through applyOnce, keyed on
 * `detail.eventId`).
 */
export function createEventConsumer<T extends DetailType = DetailType>(
  name: string,
  handle: (event: CatalogEvent<T>, context: Context) => Promise<void>,
) {
  const consume = async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<void> => {
    const detailType = event['detail-type'];
    logger.appendKeys({ consumer: name, detailType, busEventId: event.id });
    if (event.source !== eventSource) throw new UnconsumableEvent(`Unexpected source ${event.source}`);
    const schemaVersion = (event.detail as { schemaVersion?: unknown } | null)?.schemaVersion;
    const definition = typeof schemaVersion === 'number' ? findEventDefinition(detailType, schemaVersion) : undefined;
    if (!definition) throw new UnconsumableEvent(`No catalogued event is "${detailType}" version ${String(schemaVersion)}`);
    const parsed = definition.detail.safeParse(event.detail);
    if (!parsed.success) {
      // Paths and codes only: the values may be personal data.
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
      logger.error('Event detail does not match its catalogued schema', { issues });
      metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
      throw new UnconsumableEvent(`The detail of "${detailType}" does not match its schema: ${issues.map((i) => `${i.path || '$'} ${i.code}`).join(', ')}`);
    }
    logger.appendKeys({ tenantId: parsed.data.tenantId, eventId: parsed.data.eventId });
    await handle({ detailType, detail: parsed.data, busEventId: event.id } as CatalogEvent<T>, context);
    metrics.addMetric('EventsConsumed', MetricUnit.Count, 1);
  };

  return middy<EventBridgeEvent<string, unknown>, void, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(consume);
}
