import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { MetricUnit, logger, metrics, withLambdaContext } from '../observability';
import type { CatalogDefinition, ConsumedEvent } from './all-events';
import { eventSource } from './catalog';

export type { CatalogEvent, ConsumedEvent } from './all-events';

/** The event cannot be consumed as it is: EventBridge retries it and then dead-letters it, where an alarm fires. */
export class UnconsumableEvent extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnconsumableEvent';
  }
}

const versionKey = (detailType: string, schemaVersion: number) => `${detailType}@${schemaVersion}`;

/**
 * The Lambda handler of an event consumer (`functions/<name>/handler.ts` of an `eventFunctions`
 * entry): checks the event's source, finds its detail-type and schema version among the
 * catalogued definitions this consumer `accepts` and validates the detail against that version's
 * schema before `handle` sees it. Whatever fails, an event it does not accept included, throws, so
 * that EventBridge retries the delivery and finally sends it to the rule's dead-letter queue.
 *
 * Only the schemas of `accepts` are bundled and built at cold start, not the whole catalog's.
 * The rule delivering to this consumer should match exactly their detail-types
 * (tests/unit/event-consumer.test.ts checks it against shared/events/subscriptions.ts).
 *
 * Deliveries are at least once: `handle` must be idempotent (write through applyOnce, keyed on
 * `detail.eventId`).
 */
export function createEventConsumer<const Accepted extends readonly CatalogDefinition[]>(
  name: string,
  accepts: Accepted,
  handle: (event: ConsumedEvent<Accepted[number]>, context: Context) => Promise<void>,
) {
  const acceptedByVersion = new Map<string, CatalogDefinition>();
  for (const definition of accepts) acceptedByVersion.set(versionKey(definition.detailType, definition.schemaVersion), definition);

  const consume = async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<void> => {
    const detailType = event['detail-type'];
    logger.appendKeys({ consumer: name, detailType, busEventId: event.id });
    if (event.source !== eventSource) throw new UnconsumableEvent(`Unexpected source ${event.source}`);
    const schemaVersion = (event.detail as { schemaVersion?: unknown } | null)?.schemaVersion;
    const definition = typeof schemaVersion === 'number' ? acceptedByVersion.get(versionKey(detailType, schemaVersion)) : undefined;
    if (!definition) throw new UnconsumableEvent(`${name} accepts no event "${detailType}" version ${String(schemaVersion)}`);
    const parsed = definition.detail.safeParse(event.detail);
    if (!parsed.success) {
      // Paths and codes only: the values may be personal data.
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
      logger.error('Event detail does not match its catalogued schema', { issues });
      metrics.addMetric('EventsRejected', MetricUnit.Count, 1);
      throw new UnconsumableEvent(`The detail of "${detailType}" does not match its schema: ${issues.map((i) => `${i.path || '$'} ${i.code}`).join(', ')}`);
    }
    logger.appendKeys({ tenantId: parsed.data.tenantId, eventId: parsed.data.eventId });
    await handle({ detailType, detail: parsed.data, busEventId: event.id } as ConsumedEvent<Accepted[number]>, context);
    metrics.addMetric('EventsConsumed', MetricUnit.Count, 1);
  };

  const lambdaHandler = middy<EventBridgeEvent<string, unknown>, void, Error, Context>()
    .use(withLambdaContext())
    .use(logMetrics(metrics))
    .handler(consume);
  return Object.assign(lambdaHandler, { accepts });
}
