import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { connectEventTenant, parseConnectEvent } from '../../shared/domain/connect/contact-event';
import { connectCallerNumber, screenPop, screenPopEventTypes } from '../../shared/domain/live';
import { findContactIdByExternalId, getContact } from '../../shared/data/contacts-repo';
import { findCustomerIdBy } from '../../shared/data/customers-repo';
import { applyOnce, isProcessed } from '../../shared/data/processed-events';
import { getConnectRegistration } from '../../shared/data/tenants-repo';
import { MetricUnit, logger, metrics, withLambdaContext } from '../../shared/observability';
import { pushToAudience } from '../../shared/services/live-fanout';

/** The contact is not logged yet (connect-ingest takes the same event in parallel): EventBridge retries. */
export class ContactNotYetLogged extends Error {
  override name = 'ContactNotYetLogged';
}

/** connect-ingest logs the contact from the same event at about the same time: worth a short wait before a retry. */
const loggedContactWaits = [100, 200, 400, 800];

async function loggedContactId(tenantId: string, connectContactId: string): Promise<string | undefined> {
  for (const wait of [0, ...loggedContactWaits]) {
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const contactId = await findContactIdByExternalId(tenantId, connectContactId);
    if (contactId) return contactId;
  }
  return undefined;
}

export type ScreenPopOutcome = 'pushed' | 'ignored' | 'duplicate';

/**
 * Amazon Connect contact events (rule `live-screen-pop`) → a screen pop on the agent's open desk.
 * When a contact is connected to an agent (or an agent initiates one), the agent's consoles get
 * `screen-pop` with Switchboard's contact id, the caller's number and the customer holding it.
 * The tenant is found as connect-ingest finds it (the instance and account registered to it);
 * the agent is the Connect user id that is the person's agent id. Once per (contact, agent).
 */
export async function popScreen(event: EventBridgeEvent<string, unknown>): Promise<ScreenPopOutcome> {
  const parsed = parseConnectEvent(event);
  if (parsed.kind !== 'contact' || !screenPopEventTypes.includes(parsed.event.eventType) || !parsed.event.agentId) return 'ignored';
  const connectEvent = parsed.event;
  const agentId = parsed.event.agentId;
  const owner = connectEventTenant(connectEvent, await getConnectRegistration(connectEvent.instanceArn, connectEvent.account ?? ''));
  if ('refused' in owner) {
    logger.info('Amazon Connect event not registered to a tenant; no screen pop', { reason: owner.refused });
    return 'ignored';
  }
  const tenantId = owner.tenantId;
  logger.appendKeys({ tenantId, connectContactId: connectEvent.contactId });
  const once = `pop#${connectEvent.contactId}#${agentId}`;
  if (await isProcessed('live-pop', tenantId, once)) return 'duplicate';

  const contactId = await loggedContactId(tenantId, connectEvent.contactId);
  if (!contactId) throw new ContactNotYetLogged(`Contact ${connectEvent.contactId} is not logged yet`);
  const contact = (await getContact(tenantId, contactId))?.contact;
  const phone = connectCallerNumber((event.detail as Record<string, unknown> | null) ?? undefined);
  const customerId = contact?.customerId ?? (phone ? await findCustomerIdBy(tenantId, 'PHONE', phone) : undefined);

  await pushToAudience(tenantId, { agentIds: [agentId], roles: [] }, screenPop({ contactId, phone, customerId }));
  metrics.addMetric('ScreenPops', MetricUnit.Count, 1);
  await applyOnce('live-pop', tenantId, once, []);
  return 'pushed';
}

export const handler = middy<EventBridgeEvent<string, unknown>, ScreenPopOutcome, Error, Context>()
  .use(withLambdaContext())
  .use(logMetrics(metrics))
  .handler(popScreen);
