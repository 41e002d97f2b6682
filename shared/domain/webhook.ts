import { createHmac, randomBytes } from 'node:crypto';
import type { FieldError } from './errors';
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
  allowLoopbackHttp: boolean;
}

export function newWebhook(input: CreateWebhookBody, context: WebhookContext): StoredWebhook {
  endpointOrThrow(input.url, context.allowLoopbackHttp);
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
  context: { now: string; newSealedSecret?: string; allowLoopbackHttp: boolean },
): StoredWebhook {
  const next: StoredWebhook = { ...current };
  if (patch.url !== undefined) next.url = endpointOrThrow(patch.url, context.allowLoopbackHttp);
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

/**
 * Why an endpoint URL is refused, or undefined when it is acceptable: HTTPS only, without
 * credentials or fragment, and never at this machine or a private network unless the local twin
 * allows plain HTTP to loopback (its receivers run on 127.0.0.1).
 */
export function endpointProblem(url: string, allowLoopbackHttp: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Must be an absolute https:// URL';
  }
  if (parsed.username || parsed.password) return 'Must not carry credentials; verify the signature instead';
  if (parsed.hash) return 'Must not have a #fragment';
  const loopback = isLoopbackHost(parsed.hostname);
  if (parsed.protocol === 'http:') {
    if (allowLoopbackHttp && loopback) return undefined;
    return allowLoopbackHttp ? 'Must be https://, or http:// to a loopback host' : 'Must be https://';
  }
  if (parsed.protocol !== 'https:') return 'Must be https://';
  if ((loopback && !allowLoopbackHttp) || isPrivateAddress(parsed.hostname)) {
    return 'Must be a public host, not a loopback or private network address';
  }
  return undefined;
}

function endpointOrThrow(url: string, allowLoopbackHttp: boolean): string {
  const problem = endpointProblem(url, allowLoopbackHttp);
  if (problem) throw new InvalidWebhook([{ path: '$.url', message: problem }]);
  return url;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function isPrivateAddress(hostname: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(hostname);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  const v6 = hostname.toLowerCase();
  return v6.startsWith('[') && (v6 === '[::]' || /^\[f[cd]/.test(v6) || /^\[fe[89ab]/.test(v6) || v6.startsWith('[::ffff:'));
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
