import { randomUUID } from 'node:crypto';
import { claimDelivery, createDelivery, getDelivery, getWebhook, saveDelivery } from '../data/webhooks-repo';
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tenantSendingRefusal } from './sending-rights';
import {
  type AttemptOutcome,
  afterAttempt,
  bareHost,
  endpointPort,
  endpointProblem,
  isDeliverableAddress,
  newDelivery,
  attemptLeaseMs,
  attemptTimeoutMs,
  deliveryHeaders,
  retryTimerName,
  sealedSigningSecrets,
  secretContext,
  stoppedDelivery,
  type StoredDelivery,
  webhookTestEvent,
} from '../domain/webhook';
import { newId } from '../ids';
import { ipFamily } from '../domain/network-address';
import { logger } from '../observability';
import { setTimer } from '../ports/scheduler';
import { openSecret } from '../ports/secret-box';

/** Sends one signed request to an endpoint; never throws for what the endpoint or the network does. */
export type WebhookSender = (request: { url: string; headers: Record<string, string>; body: string; timeoutMs: number }) => Promise<AttemptOutcome>;

/**
 * What a delivery records when no HTTP answer came back, whatever the reason: the name resolved
 * to an address that is not public, the connection was refused or reset, TLS failed, or nothing
 * answered in time. One text for all, so that a tenant cannot use deliveries to map which
 * addresses and ports answer from inside AWS. The reason is logged for operators.
 */
export const unreachableEndpoint = `No answer: the endpoint could not be reached or did not answer within ${attemptTimeoutMs / 1000} s`;

/**
 * The twin-only allowance for its loopback test receivers (docs/webhooks.md, "On the local twin"):
 * the ports listed in SWITCHBOARD_TWIN_WEBHOOK_RECEIVER_PORTS. Never set on a deployed function
 * (tests/infra/api-stack.test.ts), and ignored inside Lambda even if it were.
 */
export const twinReceiverPortsVariable = 'SWITCHBOARD_TWIN_WEBHOOK_RECEIVER_PORTS';

export function twinReceiverPorts(env: NodeJS.ProcessEnv = process.env): number[] {
  if (env.AWS_LAMBDA_FUNCTION_NAME) return [];
  return (env[twinReceiverPortsVariable] ?? '')
    .split(',')
    .map((port) => Number(port.trim()))
    .filter((port) => Number.isInteger(port) && port > 0 && port < 65536);
}

/** Every address a name resolves to, as the operating system's resolver gives them. */
export type Resolver = (hostname: string) => Promise<string[]>;

const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * POSTs to an endpoint only at an address checked just before: the name is resolved once, every
 * address it resolves to must be deliverable (isDeliverableAddress: global unicast, port 443 or
 * 8443), and the connection goes to the first of them through a `lookup` that returns that very
 * address, so nothing can re-resolve the name between the check and the connection (DNS
 * rebinding). TLS still verifies the certificate for the name (SNI and Host are the name). A
 * redirect is an answer like any other non-2xx, never followed.
 */
export function pinnedSender(network: { resolve?: Resolver; twinReceiverPorts?: readonly number[] } = {}): WebhookSender {
  const resolve = network.resolve ?? systemResolver;
  return async ({ url, headers, body, timeoutMs }) => {
    const twinPorts = network.twinReceiverPorts ?? twinReceiverPorts();
    const problem = endpointProblem(url, twinPorts);
    // A URL stored under older rules: the tenant sees why, and nothing is sent.
    if (problem) return { error: `The endpoint URL is not accepted: ${problem}` };
    const endpoint = new URL(url);
    const deadline = AbortSignal.timeout(timeoutMs);
    const host = bareHost(endpoint);
    let addresses: string[];
    try {
      addresses = ipFamily(host) ? [host] : await untilAborted(resolve(host), deadline);
    } catch (error) {
      return unreachable('resolution-failed', error);
    }
    if (addresses.length === 0 || !addresses.every((address) => isDeliverableAddress(address, endpoint, twinPorts))) {
      return unreachable('address-not-deliverable');
    }
    return post(endpoint, addresses[0]!, headers, body, deadline);
  };
}

/** The sender deliveries use unless a test passes its own. */
export const httpSender: WebhookSender = (request) => pinnedSender()(request);

function unreachable(reason: string, error?: unknown): AttemptOutcome {
  const code = (error as { code?: string } | undefined)?.code;
  logger.info('Webhook endpoint not reached', { reason, ...(code && { code }) });
  return { error: unreachableEndpoint };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), { once: true });
    work.then(resolve, reject);
  });
}

function post(endpoint: URL, address: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<AttemptOutcome> {
  const family = ipFamily(address)!;
  // net calls lookup with { all: true } when it tries families in turn (autoSelectFamily).
  const pinned = (_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
    options.all ? callback(null, [{ address, family }]) : callback(null, address, family);
  const send = endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<AttemptOutcome>((settle) => {
    const request = send(
      {
        host: bareHost(endpoint),
        port: endpointPort(endpoint),
        path: `${endpoint.pathname}${endpoint.search}`,
        method: 'POST',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        agent: false,
        signal,
        lookup: pinned as never,
      },
      (response) => {
        settle({ responseStatus: response.statusCode ?? 0 });
        response.destroy();
      },
    );
    request.on('error', (error) => settle(unreachable(signal.aborted ? 'timeout' : 'connection-failed', error)));
    request.end(body);
  });
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

/**
 * Queues a test event for one webhook: its delivery is recorded (pending, no attempt yet) and its
 * first attempt is a timer on the retries' own target (webhook-deliver), so it is signed, sent,
 * retried and listed exactly as an event's delivery is, and the API's function never opens a
 * signing secret nor waits for the endpoint.
 */
export async function queueTestDelivery(tenantId: string, webhookId: string, now: Date): Promise<StoredDelivery> {
  const at = now.toISOString();
  const event = webhookTestEvent({ tenantId, webhookId, eventId: randomUUID(), now: at });
  const delivery = newDelivery(event, { deliveryId: newId('dlv'), webhookId, now: at });
  await createDelivery(tenantId, delivery);
  const first = { tenantId, webhookId, deliveryId: delivery.deliveryId, attempt: 1 };
  await setTimer({ name: retryTimerName(delivery.deliveryId, 1), at: now, target: 'webhook-deliver', payload: first });
  return delivery;
}
