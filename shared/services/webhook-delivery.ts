import { claimDelivery, getDelivery, getWebhook, saveDelivery } from '../data/webhooks-repo';
import { tenantSendingRefusal } from './sending-rights';
import {
  type AttemptOutcome,
  afterAttempt,
  attemptLeaseMs,
  attemptTimeoutMs,
  deliveryHeaders,
  retryTimerName,
  sealedSigningSecrets,
  secretContext,
  stoppedDelivery,
} from '../domain/webhook';
import { logger } from '../observability';
import { setTimer } from '../ports/scheduler';
import { openSecret } from '../ports/secret-box';

/** Sends one signed request to an endpoint; never throws for what the endpoint or the network does. */
export type WebhookSender = (request: { url: string; headers: Record<string, string>; body: string; timeoutMs: number }) => Promise<AttemptOutcome>;

/** POST with a time limit; a redirect is an answer like any other non-2xx, never followed. */
export const httpSender: WebhookSender = async ({ url, headers, body, timeoutMs }) => {
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel().catch(() => undefined);
    return { responseStatus: response.status };
  } catch (error) {
    return { error: networkFailure(error, timeoutMs) };
  }
};

function networkFailure(error: unknown, timeoutMs: number): string {
  const failure = error as { name?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return `No answer within ${timeoutMs / 1000} s`;
  const code = failure.cause?.code;
  if (code) return `Could not reach the endpoint (${code})`;
  // fetch refuses the ports browsers block (25, 6000, …) before connecting.
  if (failure.cause?.message === 'bad port') return 'The endpoint port is one that HTTP clients refuse to call';
  return 'Could not reach the endpoint';
}

/** The delivery is being attempted by another invocation right now; try again once its lease has run out. */
export class DeliveryInFlight extends Error {}

export interface DeliveryTarget {
  tenantId: string;
  webhookId: string;
  deliveryId: string;
  /** The attempt to make, counting from 1; a delivery that already made it is left alone. */
  attempt: number;
}

export type AttemptResult = 'succeeded' | 'retry-scheduled' | 'failed' | 'stopped' | 'already-done' | 'missing' | 'superseded';

/**
 * Makes one attempt of a pending delivery, at most once per attempt number: the attempt is taken
 * with a version-conditioned lease before the request goes out, and its outcome is saved on the
 * leased version. A failure schedules the next attempt's timer before the outcome is saved, so a
 * crash in between repeats an attempt (receivers dedupe by event id) but never loses the retry.
 */
export async function attemptDelivery(
  target: DeliveryTarget,
  options: { sender?: WebhookSender; now?: () => Date } = {},
): Promise<AttemptResult> {
  const { tenantId, webhookId, deliveryId, attempt } = target;
  const sender = options.sender ?? httpSender;
  const now = options.now ?? (() => new Date());
  const log = { webhookId, deliveryId, attempt };

  const delivery = await getDelivery(tenantId, webhookId, deliveryId);
  if (!delivery) {
    logger.warn('Webhook delivery not found; nothing to attempt', log);
    return 'missing';
  }
  if (delivery.status !== 'pending' || delivery.attempts >= attempt) return 'already-done';

  const webhook = await getWebhook(tenantId, webhookId);
  if (!webhook?.enabled) {
    const reason = webhook ? 'The webhook was disabled; no further attempts' : 'The webhook was deleted; no further attempts';
    await saveDelivery(tenantId, stoppedDelivery(delivery, reason, now()), delivery.version);
    logger.info('Webhook delivery stopped', { ...log, reason: webhook ? 'disabled' : 'deleted' });
    return 'stopped';
  }

  if (await tenantSendingRefusal(tenantId, 'webhook delivery')) {
    await saveDelivery(tenantId, stoppedDelivery(delivery, 'tenant-suspended: the operator suspended the tenant; not delivered', now()), delivery.version);
    return 'stopped';
  }

  const claimed = await claimDelivery(tenantId, delivery, new Date(now().getTime() + attemptLeaseMs), now());
  if (!claimed) throw new DeliveryInFlight(`Delivery ${deliveryId} is being attempted elsewhere`);

  const sentAt = now();
  const context = secretContext(tenantId, webhookId);
  const secrets = await Promise.all(sealedSigningSecrets(webhook, sentAt).map((sealed) => openSecret(sealed, context)));
  const outcome = await sender({
    url: webhook.url,
    headers: deliveryHeaders(claimed, secrets, sentAt),
    body: claimed.body,
    timeoutMs: attemptTimeoutMs,
  });
  const next = afterAttempt(claimed, outcome, now());
  if (next.status === 'pending') {
    const retry = { tenantId, webhookId, deliveryId, attempt: next.attempts + 1 };
    await setTimer({ name: retryTimerName(deliveryId, retry.attempt), at: new Date(next.nextAttemptAt!), target: 'webhook-deliver', payload: retry });
  }
  if (!(await saveDelivery(tenantId, next, claimed.version))) {
    logger.warn('Webhook delivery moved on while this attempt ran; its outcome is not recorded', log);
    return 'superseded';
  }
  logger.info('Webhook delivery attempted', {
    ...log,
    eventId: next.eventId,
    status: next.status,
    ...(next.lastResponseStatus !== undefined && { responseStatus: next.lastResponseStatus }),
  });
  return next.status === 'succeeded' ? 'succeeded' : next.status === 'pending' ? 'retry-scheduled' : 'failed';
}
