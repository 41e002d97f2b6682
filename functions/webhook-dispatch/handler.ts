import { allWebhooks, createDelivery } from '../../shared/data/webhooks-repo';
import { type StoredWebhook, type WebhookEvent, newDelivery, subscribesTo } from '../../shared/domain/webhook';
import { allEvents } from '../../shared/events/all-events';
import { createEventConsumer } from '../../shared/events/consumer';
import { newId } from '../../shared/ids';
import { attemptDelivery } from '../../shared/services/webhook-delivery';

/**
 * Every Switchboard event, to each of the tenant's enabled webhooks subscribed to its type: one
 * delivery per (webhook, event), however often the bus delivers the event, then its first attempt.
 * A failure on any webhook fails the invocation, so the bus retries it; the webhooks already done
 * find their delivery made and are left alone.
 */
export const handler = createEventConsumer('webhook-dispatch', allEvents, async ({ detailType, detail }) => {
  const event: WebhookEvent = { ...detail, detailType };
  const subscribed = (await allWebhooks(detail.tenantId)).filter((webhook) => subscribesTo(webhook, detailType));
  const results = await Promise.allSettled(subscribed.map((webhook) => deliverTo(webhook, event)));
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failures.length > 0) {
    throw new AggregateError(failures.map((failure) => failure.reason), `${failures.length} of ${subscribed.length} webhook deliveries failed to start`);
  }
});

async function deliverTo(webhook: StoredWebhook, event: WebhookEvent): Promise<void> {
  const delivery = newDelivery(event, { deliveryId: newId('dlv'), webhookId: webhook.webhookId, now: new Date().toISOString() });
  const recorded = await createDelivery(event.tenantId, delivery);
  const deliveryId = recorded.created ? delivery.deliveryId : recorded.existingDeliveryId;
  await attemptDelivery({ tenantId: event.tenantId, webhookId: webhook.webhookId, deliveryId, attempt: 1 });
}
