import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { type ConnectContactEvent, type ConnectRefusal, connectEventTenant, parseConnectEvent } from '../../shared/domain/connect/contact-event';
import { connectEventChange } from '../../shared/domain/connect/contact-mapping';
import { type ContactDecision, upsertContactByExternalId } from '../../shared/data/contacts-repo';
import { getConnectRegistration } from '../../shared/data/tenants-repo';
import { InvalidContact } from '../../shared/domain/contact';
import { newId } from '../../shared/ids';
import { MetricUnit, logger, metrics, withLambdaContext } from '../../shared/observability';

/**
 * Amazon Connect contact events (rule `amazon-connect`) → the tenant's contacts. The operator's
 * registration names the tenant: the instance and the event's AWS account must both be registered
 * to it (POST /v1/operator/tenants/{id}/allocations), and its settings list the instance; the event updates the
 * contact Connect's ContactId names, through a pure fold that tolerates duplicates and any order.
 *
 * Only a failure to read or write the table throws (EventBridge retries, then dead-letters).
 * An event that can never be applied (an unregistered instance or account, an event type or channel that is not
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

  const owner = connectEventTenant(connectEvent, await getConnectRegistration(connectEvent.instanceArn, connectEvent.account ?? ''));
  if ('refused' in owner) {
    logger.warn('Amazon Connect event not registered to a tenant; dropped', { reason: owner.refused, account: connectEvent.account });
    metrics.addMetric(refusalMetric[owner.refused], MetricUnit.Count, 1);
    return;
  }
  const tenantId = owner.tenantId;
  logger.appendKeys({ tenantId });
  if (connectEvent.agentArn !== undefined && connectEvent.agentId === undefined) {
    logger.warn('Amazon Connect agent ARN names no agent id; the contact is stored without its agent', { agentArn: connectEvent.agentArn });
  }

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

/** One metric per reason an event is refused, so an alarm can tell a missing registration from a forged account. */
const refusalMetric: Record<ConnectRefusal, string> = {
  'instance-not-registered': 'ConnectEventsFromUnregisteredInstance',
  'account-not-registered': 'ConnectEventsFromUnregisteredAccount',
  'account-mismatch': 'ConnectEventsFromOtherAccount',
  'instance-not-listed': 'ConnectEventsFromUnlistedInstance',
};

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
