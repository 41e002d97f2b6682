import { createHmac, randomBytes } from 'node:crypto';
import type { FieldError } from './errors';
import { ipFamily, isGlobalUnicast, isLoopbackAddress } from './network-address';
import type { CreateWebhookBody, UpdateWebhookBody, Webhook, WebhookDelivery } from '../schemas/webhook';

/**
 * A webhook as stored: the public view plus its signing secrets, sealed (shared/ports/secret-box.ts):
 * only the delivery functions open them, and no answer but create and rotate shows one.
 */
export interface StoredWebhook extends Webhook {
  sealedSecret: string;
  /** The secret before the last rotation, still signed with until `previousSecretExpiresAt`. */
  sealedPreviousSecret?: string;
  previousSecretExpiresAt?: string;
}

/** A delivery as stored: the public view plus the exact body every attempt sends. */
export interface StoredDelivery extends WebhookDelivery {
  body: string;
  version: number;
  /** While an attempt is under way, until when it holds the delivery. */
  attemptLeaseUntil?: string;
}

export class InvalidWebhook extends Error {
  constructor(readonly errors: FieldError[]) {
    super('Invalid webhook');
  }
}

export const maxWebhooksPerTenant = 20;
export const secretPrefix = 'whsec_';
/** How long the previous secret still signs after a rotation, so receivers can switch without losing events. */
export const previousSecretGraceMs = 24 * 60 * 60 * 1000;

/** Waits after the 1st … 5th failed attempt; after the 6th the delivery has failed. */
export const retryDelaysMs = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000] as const;
export const maxAttempts = retryDelaysMs.length + 1;
export const attemptTimeoutMs = 5_000;
/** Longer than the event functions' 30 s timeout, so a lease only lapses when its holder died. */
export const attemptLeaseMs = 45_000;

export const signatureHeader = 'Switchboard-Signature';
export const userAgent = 'Switchboard-Webhooks/1';

/** 32 random bytes, base64url, prefixed so a leaked secret is recognisable. */
export const newWebhookSecret = () => `${secretPrefix}${randomBytes(32).toString('base64url')}`;

export interface WebhookContext {
  webhookId: string;
  sealedSecret: string;
  now: string;
  /** The local twin's loopback test receivers (ports); empty in AWS. */
  twinReceiverPorts: readonly number[];
}

export function newWebhook(input: CreateWebhookBody, context: WebhookContext): StoredWebhook {
  endpointOrThrow(input.url, context.twinReceiverPorts);
  return withoutUndefined({
    webhookId: context.webhookId,
    url: input.url,
    eventTypes: dedupe(input.eventTypes),
    description: input.description,
    enabled: input.enabled,
    sealedSecret: context.sealedSecret,
    version: 1,
    createdAt: context.now,
    updatedAt: context.now,
  });
}

/** Applies a patch; a patch that asks for a rotation comes with the new secret, sealed. */
export function patchWebhook(
  current: StoredWebhook,
  patch: UpdateWebhookBody,
  context: { now: string; newSealedSecret?: string; twinReceiverPorts: readonly number[] },
): StoredWebhook {
  const next: StoredWebhook = { ...current };
  if (patch.url !== undefined) next.url = endpointOrThrow(patch.url, context.twinReceiverPorts);
  if (patch.eventTypes !== undefined) next.eventTypes = dedupe(patch.eventTypes);
  if (patch.description === null) delete next.description;
  else if (patch.description !== undefined) next.description = patch.description;
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  if (patch.rotateSecret) {
    if (context.newSealedSecret === undefined) throw new Error('A rotation needs the new sealed secret');
    next.sealedPreviousSecret = current.sealedSecret;
    next.previousSecretExpiresAt = new Date(Date.parse(context.now) + previousSecretGraceMs).toISOString();
    next.sealedSecret = context.newSealedSecret;
    next.secretRotatedAt = context.now;
  }
  next.version = current.version + 1;
  next.updatedAt = context.now;
  return withoutUndefined(next);
}

export function publicWebhook(webhook: StoredWebhook): Webhook {
  const { sealedSecret: _secret, sealedPreviousSecret: _previous, previousSecretExpiresAt: _expires, ...visible } = webhook;
  return visible;
}

export const subscribesTo = (webhook: Pick<Webhook, 'enabled' | 'eventTypes'>, detailType: string) =>
  webhook.enabled && (webhook.eventTypes.includes('*') || webhook.eventTypes.includes(detailType));

/** The ports a webhook may name: HTTPS's own, and the usual alternative. Nothing else is ever called. */
export const webhookPorts: readonly number[] = [443, 8443];

/**
 * Host names that never name a public host: this machine, multicast DNS, private-use and
 * reverse-lookup names (RFC 6761, RFC 6762 appendix G, ICANN's `.internal`).
 */
const localNameSuffixes = ['localhost', 'local', 'internal', 'arpa', 'invalid', 'onion', 'home', 'lan', 'corp', 'intranet', 'private'];

const notPublic = 'Must be a public host, not a loopback, private, shared, reserved or documentation address';

/** The port a URL names, its scheme's default when it names none (the URL parser drops a default port). */
export const endpointPort = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443);

/** The host of a URL without the brackets of an IPv6 literal: what DNS and sockets take. */
export const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Whether a URL names one of the local twin's loopback test receivers: a loopback host on a port
 * the twin was told to allow (`twinReceiverPorts`, empty in AWS), plain HTTP allowed.
 */
function isTwinReceiver(url: URL, twinReceiverPorts: readonly number[]): boolean {
  if (twinReceiverPorts.length === 0 || !url.port) return false;
  const host = url.hostname.toLowerCase();
  const loopback = host === 'localhost' || isLoopbackAddress(host);
  return loopback && (url.protocol === 'http:' || url.protocol === 'https:') && twinReceiverPorts.includes(Number(url.port));
}

/**
 * Why an endpoint URL is refused, or undefined when it is acceptable: `https://` on port 443 or
 * 8443, without credentials or fragment, to a fully qualified public name or a global unicast
 * address (every notation the URL parser accepts is normalised first: `0x7f.1`, `2130706433`,
 * `[::127.0.0.1]`). What a name resolves to is checked at each delivery (shared/services/webhook-delivery.ts).
 * The local twin may allow its loopback test receivers by port; a deployed stage allows none.
 */
export function endpointProblem(url: string, twinReceiverPorts: readonly number[] = []): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Must be an absolute https:// URL';
  }
  if (parsed.username || parsed.password) return 'Must not carry credentials; verify the signature instead';
  if (parsed.hash) return 'Must not have a #fragment';
  if (isTwinReceiver(parsed, twinReceiverPorts)) return undefined;
  if (parsed.protocol !== 'https:') {
    return twinReceiverPorts.length > 0 ? `Must be https://, or a loopback receiver on a port the twin allows (${twinReceiverPorts.join(', ')})` : 'Must be https://';
  }
  if (!webhookPorts.includes(endpointPort(parsed))) return 'Must use port 443 or 8443';
  const host = parsed.hostname.toLowerCase();
  if (host.endsWith('.')) return 'Must not end the host name with a dot';
  if (ipFamily(host) !== undefined) return isGlobalUnicast(host) ? undefined : notPublic;
  if (!host.includes('.')) return 'Must be a fully qualified host name';
  const topLevel = host.slice(host.lastIndexOf('.') + 1);
  if (localNameSuffixes.includes(topLevel) || host.endsWith('.home.arpa')) return notPublic;
  return undefined;
}

/**
 * Whether a delivery may connect to `address`, one of the addresses the endpoint's name resolved
 * to: a global unicast address over HTTPS on an allowed port, or, on the twin only, one of its
 * loopback receivers. Every resolved address must pass, not just the one connected to.
 */
export function isDeliverableAddress(address: string, endpoint: URL, twinReceiverPorts: readonly number[] = []): boolean {
  const port = endpointPort(endpoint);
  if (endpoint.port && twinReceiverPorts.includes(port) && isLoopbackAddress(address)) return true;
  return endpoint.protocol === 'https:' && webhookPorts.includes(port) && isGlobalUnicast(address);
}

function endpointOrThrow(url: string, twinReceiverPorts: readonly number[]): string {
  const problem = endpointProblem(url, twinReceiverPorts);
  if (problem) throw new InvalidWebhook([{ path: '$.url', message: problem }]);
  return url;
}

/** What an event looks like to a receiver: the body of every delivery of it. */
export interface WebhookEvent {
  eventId: string;
  detailType: string;
  tenantId: string;
  occurredAt: string;
  schemaVersion: number;
  data: unknown;
}

export const deliveryBody = (event: WebhookEvent) =>
  JSON.stringify({
    id: event.eventId,
    type: event.detailType,
    tenantId: event.tenantId,
    occurredAt: event.occurredAt,
    schemaVersion: event.schemaVersion,
    data: event.data,
  });

/** Hex HMAC-SHA256 of `<timestamp>.<body>` under the secret. */
export const signature = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** The secrets (sealed) a delivery is signed with at `now`: the current one, and the previous one during its grace period. */
export function sealedSigningSecrets(webhook: StoredWebhook, now: Date): string[] {
  const previousValid =
    webhook.sealedPreviousSecret && webhook.previousSecretExpiresAt && Date.parse(webhook.previousSecretExpiresAt) > now.getTime();
  return previousValid ? [webhook.sealedSecret, webhook.sealedPreviousSecret!] : [webhook.sealedSecret];
}

/** What a webhook's secrets are sealed with: opening them on another webhook's item fails. */
export const secretContext = (tenantId: string, webhookId: string) => ({ tenantId, webhookId, purpose: 'webhook-signing-secret' });

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>]`: one v1 per valid secret, so a rotation breaks no receiver. */
export function signatureHeaderValue(secrets: string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${signature(secret, timestamp, body)}`)].join(',');
}

export function deliveryHeaders(
  delivery: Pick<StoredDelivery, 'deliveryId' | 'eventId' | 'detailType' | 'body'>,
  secrets: string[],
  now: Date,
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': userAgent,
    [signatureHeader]: signatureHeaderValue(secrets, Math.floor(now.getTime() / 1000), delivery.body),
    'Switchboard-Event-Id': delivery.eventId,
    'Switchboard-Event-Type': delivery.detailType,
    'Switchboard-Delivery-Id': delivery.deliveryId,
  };
}

/**
 * The detail-type of the event `POST /v1/webhooks/{webhookId}/test` delivers. It is not in the
 * event catalog: nothing publishes it on the bus and no webhook subscribes to it; it goes to the
 * one webhook asked, whatever its event types.
 */
export const testEventType = 'Webhook Test';

/** The event a test delivery carries: its own id, so each test is one delivery, and data naming the webhook. */
export function webhookTestEvent(context: { tenantId: string; webhookId: string; eventId: string; now: string }): WebhookEvent {
  return {
    eventId: context.eventId,
    detailType: testEventType,
    tenantId: context.tenantId,
    occurredAt: context.now,
    schemaVersion: 1,
    data: { webhookId: context.webhookId, test: true },
  };
}

export function newDelivery(
  event: WebhookEvent,
  context: { deliveryId: string; webhookId: string; now: string },
): StoredDelivery {
  return {
    deliveryId: context.deliveryId,
    webhookId: context.webhookId,
    eventId: event.eventId,
    detailType: event.detailType,
    status: 'pending',
    attempts: 0,
    body: deliveryBody(event),
    version: 1,
    createdAt: context.now,
    updatedAt: context.now,
  };
}

/** What one attempt came to: the endpoint's status code, or why there was none. */
export type AttemptOutcome = { responseStatus: number } | { error: string };

export const isSuccess = (outcome: AttemptOutcome) =>
  'responseStatus' in outcome && outcome.responseStatus >= 200 && outcome.responseStatus < 300;

/** The delivery after an attempt: succeeded on 2xx, else pending with the next retry due, or failed after the last. */
export function afterAttempt(delivery: StoredDelivery, outcome: AttemptOutcome, now: Date): StoredDelivery {
  const attempts = delivery.attempts + 1;
  const at = now.toISOString();
  const { lastError: _error, lastResponseStatus: _status, nextAttemptAt: _next, attemptLeaseUntil: _lease, ...rest } = delivery;
  const next: StoredDelivery = { ...rest, attempts, lastAttemptAt: at, updatedAt: at, version: delivery.version + 1 };
  if ('responseStatus' in outcome) next.lastResponseStatus = outcome.responseStatus;
  if (isSuccess(outcome)) return { ...next, status: 'succeeded' };
  next.lastError = 'error' in outcome ? outcome.error : `The endpoint answered HTTP ${outcome.responseStatus}`;
  const delay = retryDelaysMs[attempts - 1];
  if (delay === undefined) return { ...next, status: 'failed' };
  return { ...next, status: 'pending', nextAttemptAt: new Date(now.getTime() + delay).toISOString() };
}

/** A delivery that will not be retried because its webhook was disabled or deleted. */
export function stoppedDelivery(delivery: StoredDelivery, reason: string, now: Date): StoredDelivery {
  const { nextAttemptAt: _next, attemptLeaseUntil: _lease, ...rest } = delivery;
  return { ...rest, status: 'failed', lastError: reason, updatedAt: now.toISOString(), version: delivery.version + 1 };
}

export function publicDelivery(delivery: StoredDelivery): WebhookDelivery {
  const { body: _body, version: _version, attemptLeaseUntil: _lease, ...visible } = delivery;
  return visible;
}

/** The one-time timer of a retry: named per delivery and attempt, so setting it twice is harmless. */
export const retryTimerName = (deliveryId: string, attempt: number) => `wh-${deliveryId}-${attempt}`;

const dedupe = <T>(values: T[]) => [...new Set(values)];

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
