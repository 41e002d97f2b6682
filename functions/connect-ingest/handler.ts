import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { type ConnectContactEvent, parseConnectEvent } from '../../shared/domain/connect/contact-event';
import { connectEventChange } from '../../shared/domain/connect/contact-mapping';
import { type ContactDecision, upsertContactByExternalId } from '../../shared/data/contacts-repo';
import { findTenantIdByConnectInstance } from '../../shared/data/tenants-repo';
import { InvalidContact } from '../../shared/domain/contact';
import { newId } from '../../shared/ids';
import { MetricUnit, logger, metrics, withLambdaContext } from '../../shared/observability';

/**
 * Amazon Connect contact events (rule `amazon-connect`) → the tenant's contacts. The instance
 * names the tenant (its routing item, set through PATCH /v1/settings); the event updates the
 * contact Connect's ContactId names, through a pure fold that tolerates duplicates and any order.
 *
 * Only a failure to read or write the table throws (EventBridge retries, then dead-letters).
 * An event that can never be applied (an unknown instance, an event type or channel that is not
 * ingested, contradicting times) is logged and dropped: retrying it would change nothing.
 */
async function ingest(event: EventBridgeEvent<string, unknown>): Promise<void> {
  logger.appendKeys({ busEventId: event.id });
  const parsed = parseConnectEvent(event);
  if (parsed.kind === 'unreadable') {
    logger.warn('Amazon Connect event not readable; dropped', { issues: parsed.issues });
    metrics.addMetric('ConnectEventsUnreadable', MetricUnit.Count, 1);
    return;
  }
  if (parsed.kind === 'ignored') {
    logger.info('Amazon Connect event not ingested', { reason: parsed.reason, eventType: parsed.eventType, instanceArn: parsed.instanceArn });
    metrics.addMetric('ConnectEventsIgnored', MetricUnit.Count, 1);
    return;
  }
  const connectEvent = parsed.event;
  logger.appendKeys({ eventType: connectEvent.eventType, instanceArn: connectEvent.instanceArn, connectContactId: connectEvent.contactId });

  const tenantId = await findTenantIdByConnectInstance(connectEvent.instanceArn);
  if (!tenantId) {
    logger.warn('Amazon Connect event from an instance no tenant has connected; dropped');
    metrics.addMetric('ConnectEventsFromUnknownInstance', MetricUnit.Count, 1);
    return;
  }
  logger.appendKeys({ tenantId });

  try {
    const result = await upsertContactByExternalId(tenantId, connectEvent.contactId, decision(tenantId, connectEvent));
    logger.info('Amazon Connect event applied', { outcome: result.outcome, contactId: result.contact?.contactId });
    metrics.addMetric('ConnectEventsApplied', MetricUnit.Count, 1);
  } catch (error) {
    if (!(error instanceof InvalidContact)) throw error;
    logger.warn('Amazon Connect event contradicts the contact; dropped', { errors: error.errors });
    metrics.addMetric('ConnectEventsRejected', MetricUnit.Count, 1);
  }
}

/** The repo's decide: the pure fold, plus the catalogued events of what it did. */
function decision(tenantId: string, connectEvent: ConnectContactEvent): ContactDecision {
  return (stored) => {
    const now = new Date().toISOString();
    const change = connectEventChange(stored?.contact, connectEvent, { tenantId, now, newContactId: newId('con') });
    return change && { contact: change.next, events: change.events };
  };
}

export const handler = middy<EventBridgeEvent<string, unknown>, void, Error, Context>()
  .use(withLambdaContext())
  .use(logMetrics(metrics))
  .handler(ingest);
