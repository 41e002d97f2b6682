import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { outboxEventOf } from '../../shared/data/outbox';
import type { DomainEvent } from '../../shared/events/catalog';
import { PublishError, publishEvents } from '../../shared/events/publisher';
import { MetricUnit, logger, metrics, withLambdaContext } from '../../shared/observability';

/**
 * The outbox relay: the table's stream brings new outbox records (filtered by the event source
 * mapping to inserted outbox items, see shared/events/outbox-stream.ts) and each is published to
 * the bus. Records that could not be published are answered as batchItemFailures, so Lambda
 * retries from the first of them (the ones after it go again too: consumers dedupe on eventId).
 */
export async function relay(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const unreadable: DynamoDBRecord[] = [];
  const publishable: { record: DynamoDBRecord; event: DomainEvent }[] = [];
  for (const record of event.Records) {
    const domainEvent = outboxEventOf(record.dynamodb?.NewImage);
    if (domainEvent) publishable.push({ record, event: domainEvent });
    else unreadable.push(record);
  }
  if (unreadable.length > 0) {
    // Reported as failures so that, once retries are spent, the batch's position reaches the DLQ and its alarm.
    logger.error('Outbox records without a readable event', { sequenceNumbers: unreadable.map(sequenceNumberOf) });
  }

  let failedIds = new Set<string>();
  try {
    await publishEvents(publishable.map((p) => p.event));
  } catch (error) {
    if (error instanceof PublishError) {
      failedIds = new Set(error.failedEventIds);
      logger.warn('Events not published; the stream will retry them', { eventIds: error.failedEventIds, reasons: error.reasons });
    } else {
      logger.error('Publishing failed', { error });
      failedIds = new Set(publishable.map((p) => p.event.detail.eventId));
    }
  }

  const notPublished = publishable.filter((p) => failedIds.has(p.event.detail.eventId)).map((p) => p.record);
  const failedRecords = [...unreadable, ...notPublished];
  metrics.addMetric('EventsRelayed', MetricUnit.Count, publishable.length - notPublished.length);
  if (failedRecords.length > 0) metrics.addMetric('EventsNotRelayed', MetricUnit.Count, failedRecords.length);
  return { batchItemFailures: failedRecords.map((record) => ({ itemIdentifier: sequenceNumberOf(record) })) };
}

const sequenceNumberOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
  .use(withLambdaContext())
  .use(logMetrics(metrics))
  .handler(relay);
