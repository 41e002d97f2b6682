import { setTimeout as sleep } from 'node:timers/promises';
import { aggregationOf, countedEvents } from '../../shared/domain/analytics/aggregation';
import { isLateCount } from '../../shared/domain/analytics/rollups';
import { counterUpdates, lateCountUpdate, openCasesUpdate } from '../../shared/data/analytics-repo';
import { applyOnce } from '../../shared/data/processed-events';
import { cancellationCodes } from '../../shared/data/transaction-errors';
import { createEventConsumer } from '../../shared/events/consumer';
import { functionClock } from '../../shared/ports/clock';
import { MetricUnit, logger, metrics } from '../../shared/observability';

const consumerName = 'analytics-aggregate';

/**
 * Busy slots put many events on the same few counter items at once, and DynamoDB cancels a
 * transaction that meets another one on the same item (TransactionConflict). Retrying here with
 * jitter is far cheaper than failing the invocation into EventBridge's retry.
 */
export const conflictAttempts = 6;
const conflictBackoffMs = (attempt: number) => (10 * 2 ** attempt) / 2 + Math.random() * ((10 * 2 ** attempt) / 2);

const isTransactionConflict = (error: unknown) => (cancellationCodes(error) ?? []).includes('TransactionConflict');

/**
 * Adds each counted event to its tenant's analytics counters and open-case backlog, in one
 * transaction with the event's processed marker: exactly once, however often it is delivered.
 * An event counted long after its slot (isLateCount) also records a late count on the slot's
 * UTC day, in the same transaction, so the rollups of that day are made again when next read.
 */
export const handler = createEventConsumer(consumerName, countedEvents, async (event) => {
  const { tenantId, eventId } = event.detail;
  const aggregation = aggregationOf(event);
  const counters = aggregation ? counterUpdates(tenantId, eventId, aggregation.at, aggregation.increments) : [];
  const late = aggregation && counters.length > 0 && isLateCount(aggregation.at, functionClock.now().getTime());
  const writes = aggregation
    ? [
        ...counters,
        ...(late ? [lateCountUpdate(tenantId, aggregation.at)] : []),
        ...(aggregation.openCasesDelta !== 0 ? [openCasesUpdate(tenantId, aggregation.openCasesDelta)] : []),
      ]
    : [];
  if (writes.length === 0) {
    logger.debug('Event counts nothing');
    return;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await applyOnce(consumerName, tenantId, eventId, writes);
      if (outcome === 'applied') metrics.addMetric('AnalyticsEventsCounted', MetricUnit.Count, 1);
      logger.info('Event counted', { outcome, items: writes.length, attempt });
      return;
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= conflictAttempts) throw error;
      metrics.addMetric('AnalyticsTransactionConflicts', MetricUnit.Count, 1);
      await sleep(conflictBackoffMs(attempt));
    }
  }
});
