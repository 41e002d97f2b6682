import { outboxItemType } from '../data/outbox';
import type { FunctionDeclaration } from '../http/functions';
import type { PatternNode } from './subscriptions';

/**
 * The event relay: the function the table's stream invokes with new outbox records, which it
 * publishes to the bus. Declared once: the CDK stack builds the function and its event source
 * mapping from this, and the local twin's stream poller applies the same filter and settings.
 */
export const eventRelay = {
  name: 'event-relay',
  declaration: {
    tableAccess: 'none',
    operatorKey: false,
    description: 'Publishes outbox records from the table stream to the event bus',
  } satisfies FunctionDeclaration,
  /**
   * Lambda's filter criteria (the EventBridge pattern language) on each stream record: only
   * inserted outbox records reach the relay; every other write is dropped before it costs an invocation.
   */
  filter: {
    eventName: ['INSERT'],
    dynamodb: { NewImage: { type: { S: [outboxItemType] } } },
  } satisfies PatternNode,
  batchSize: 10,
  /**
   * A failed batch is retried this often before its position goes to the dead-letter queue. Each
   * attempt already retries failed entries with backoff inside the publisher (several seconds),
   * so this covers an EventBridge outage of well over an hour; records stay in the stream 24 h.
   */
  retryAttempts: 1000,
  maximumRecordAgeSeconds: 24 * 60 * 60,
} as const;
