import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type StoredDelivery,
  type StoredWebhook,
  afterAttempt,
  deliveryBody,
  deliveryHeaders,
  endpointProblem,
  maxAttempts,
  newDelivery,
  newWebhookSecret,
  patchWebhook,
  publicDelivery,
  publicWebhook,
  retryTimerName,
  secretPrefix,
  signatureHeaderValue,
  sealedSigningSecrets,
  subscribesTo,
} from '../../shared/domain/webhook';
import { localMasterKey, openSecret, sealSecret } from '../../shared/ports/secret-box';
import { CreateWebhookBody, UpdateWebhookBody } from '../../shared/schemas/webhook';

const event = {
  eventId: 'evt_01JABCDEFGHJKMNPQRSTVWXYZ0',
  detailType: 'Case Opened',
  tenantId: 'ten_01JABCDEFGHJKMNPQRSTVWXYZ0',
  occurredAt: '2026-11-02T03:04:05.000Z',
  schemaVersion: 1,
  data: { caseId: 'cas_1' },
};

const webhook: StoredWebhook = {
  webhookId: 'whk_01JABCDEFGHJKMNPQRSTVWXYZ0',
  url: 'https://hooks.example.com/switchboard',
  eventTypes: ['Case Opened'],
  enabled: true,
  sealedSecret: 'sealed:whsec_current',
  version: 1,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

describe('webhook signatures', () => {
  it('are hex HMAC-SHA256 of "<t>.<body>", as Stripe-style receivers compute them', () => {
    const body = deliveryBody(event);
    const expected = createHmac('sha256', 'whsec_current').update(`1700000000.${body}`).digest('hex');
    expect(signatureHeaderValue(['whsec_current'], 1700000000, body)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('carry a second v1 with the previous secret for a day after a rotation, then not', () => {
    const rotated = patchWebhook(webhook, { rotateSecret: true }, { now: '2026-11-02T00:00:00.000Z', newSealedSecret: 'sealed:whsec_next', twinReceiverPorts: [] });
    expect(rotated.sealedSecret).toBe('sealed:whsec_next');
    expect(sealedSigningSecrets(rotated, new Date('2026-11-02T23:59:00Z'))).toEqual(['sealed:whsec_next', 'sealed:whsec_current']);
    expect(sealedSigningSecrets(rotated, new Date('2026-11-03T00:00:01Z'))).toEqual(['sealed:whsec_next']);
  });

  it('go out with the event id, type and delivery id headers, signed over the exact body', () => {
    const delivery = newDelivery(event, { deliveryId: 'dlv_1', webhookId: webhook.webhookId, now: event.occurredAt });
    const headers = deliveryHeaders(delivery, ['s'], new Date(1_700_000_000_500));
    expect(headers).toMatchObject({
      'Content-Type': 'application/json',
      'User-Agent': 'Switchboard-Webhooks/1',
      'Switchboard-Event-Id': event.eventId,
      'Switchboard-Event-Type': 'Case Opened',
      'Switchboard-Delivery-Id': 'dlv_1',
    });
    const v1 = createHmac('sha256', 's').update(`1700000000.${delivery.body}`).digest('hex');
    expect(headers['Switchboard-Signature']).toBe(`t=1700000000,v1=${v1}`);
    expect(JSON.parse(delivery.body)).toEqual({
      id: event.eventId,
      type: 'Case Opened',
      tenantId: event.tenantId,
      occurredAt: event.occurredAt,
      schemaVersion: 1,
      data: { caseId: 'cas_1' },
    });
  });

  it('use secrets of 32 random bytes, base64url, prefixed whsec_', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice(6), 'base64url')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe('webhook retries', () => {
  const start = newDelivery(event, { deliveryId: 'dlv_1', webhookId: webhook.webhookId, now: event.occurredAt });
  const failAll = (count: number) => {
    let delivery: StoredDelivery = start;
    const waits: number[] = [];
    for (let i = 0; i < count; i++) {
      const at = new Date(Date.UTC(2026, 10, 2, 0, 0, 0));
      delivery = afterAttempt(delivery, { responseStatus: 503 }, at);
      if (delivery.nextAttemptAt) waits.push(Date.parse(delivery.nextAttemptAt) - at.getTime());
    }
    return { delivery, waits };
  };

  it('back off 30 s, 2 min, 10 min, 1 h, 6 h, then give up after the sixth attempt', () => {
    const { delivery, waits } = failAll(maxAttempts);
    expect(waits).toEqual([30_000, 120_000, 600_000, 3_600_000, 21_600_000]);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 6, lastResponseStatus: 503, lastError: 'The endpoint answered HTTP 503' });
    expect(delivery).not.toHaveProperty('nextAttemptAt');
  });

  it('succeed on any 2xx and forget the previous error', () => {
    const failed = failAll(2).delivery;
    const done = afterAttempt(failed, { responseStatus: 204 }, new Date());
    expect(done).toMatchObject({ status: 'succeeded', attempts: 3, lastResponseStatus: 204 });
    expect(done).not.toHaveProperty('lastError');
    expect(done).not.toHaveProperty('nextAttemptAt');
  });

  it('count redirects and network failures as failures', () => {
    expect(afterAttempt(start, { responseStatus: 301 }, new Date())).toMatchObject({ status: 'pending', attempts: 1 });
    const unreachable = afterAttempt(start, { error: 'Could not reach the endpoint (ECONNREFUSED)' }, new Date());
    expect(unreachable).toMatchObject({ status: 'pending', lastError: 'Could not reach the endpoint (ECONNREFUSED)' });
    expect(unreachable).not.toHaveProperty('lastResponseStatus');
  });

  it('name their timers within EventBridge Scheduler limits', () => {
    const name = retryTimerName('dlv_01JABCDEFGHJKMNPQRSTVWXYZ0', 6);
    expect(name).toBe('wh-dlv_01JABCDEFGHJKMNPQRSTVWXYZ0-6');
    expect(name).toMatch(/^[0-9a-zA-Z_.-]{1,64}$/);
  });
});

describe('webhook endpoints', () => {
  it.each([
    ['https://hooks.example.com/in?x=1', [], undefined],
    ['http://hooks.example.com/in', [], 'Must be https://'],
    ['http://hooks.example.com/in', [8080], 'Must be https://, or a loopback receiver on a port the twin allows (8080)'],
    ['http://127.0.0.1:8080/in', [8080], undefined],
    ['http://localhost:8080/in', [8080], undefined],
    ['http://127.0.0.1:8081/in', [8080], 'Must be https://, or a loopback receiver on a port the twin allows (8080)'],
    ['http://127.0.0.1:8080/in', [], 'Must be https://'],
    ['https://127.0.0.1/in', [], 'Must be a public host, not a loopback, private, shared, reserved or documentation address'],
    ['https://10.1.2.3/in', [8080], 'Must be a public host, not a loopback, private, shared, reserved or documentation address'],
    ['https://169.254.169.254/latest', [], 'Must be a public host, not a loopback, private, shared, reserved or documentation address'],
    ['https://[::1]/in', [], 'Must be a public host, not a loopback, private, shared, reserved or documentation address'],
    ['https://user:pw@hooks.example.com/in', [], 'Must not carry credentials; verify the signature instead'],
    ['https://hooks.example.com/in#frag', [], 'Must not have a #fragment'],
    ['ftp://hooks.example.com/in', [], 'Must be https://'],
  ] as const)('%s (twin receiver ports: %j) → %s', (url, twinReceiverPorts, problem) => {
    expect(endpointProblem(url, twinReceiverPorts)).toBe(problem);
  });

  it('accept only catalogued event types, or * alone, and no unknown fields', () => {
    const ok = CreateWebhookBody.safeParse({ url: 'https://h.example.com', eventTypes: ['Case Opened', 'Contact Closed'] });
    expect(ok.success && ok.data.enabled).toBe(true);
    expect(CreateWebhookBody.safeParse({ url: 'https://h.example.com', eventTypes: ['*'] }).success).toBe(true);
    expect(CreateWebhookBody.safeParse({ url: 'https://h.example.com', eventTypes: ['Case Deleted'] }).success).toBe(false);
    expect(CreateWebhookBody.safeParse({ url: 'https://h.example.com', eventTypes: ['*', 'Case Opened'] }).success).toBe(false);
    expect(CreateWebhookBody.safeParse({ url: 'https://h.example.com', eventTypes: [] }).success).toBe(false);
    expect(CreateWebhookBody.safeParse({ url: 'https://h.example.com', eventTypes: ['*'], secret: 'mine' }).success).toBe(false);
    expect(UpdateWebhookBody.safeParse({}).success).toBe(false);
    expect(UpdateWebhookBody.safeParse({ rotateSecret: false }).success).toBe(false);
  });

  it('are delivered only what they subscribe to, and nothing while disabled', () => {
    expect(subscribesTo(webhook, 'Case Opened')).toBe(true);
    expect(subscribesTo(webhook, 'Case Resolved')).toBe(false);
    expect(subscribesTo({ enabled: true, eventTypes: ['*'] }, 'Case Resolved')).toBe(true);
    expect(subscribesTo({ enabled: false, eventTypes: ['*'] }, 'Case Resolved')).toBe(false);
  });

  it('never show their secrets, nor deliveries their bodies', () => {
    const rotated = patchWebhook(webhook, { rotateSecret: true }, { now: '2026-11-02T00:00:00.000Z', newSealedSecret: 'sealed:whsec_next', twinReceiverPorts: [] });
    expect(JSON.stringify(publicWebhook(rotated))).not.toMatch(/whsec_/);
    const delivery = newDelivery(event, { deliveryId: 'dlv_1', webhookId: webhook.webhookId, now: event.occurredAt });
    expect(publicDelivery(delivery)).not.toHaveProperty('body');
    expect(JSON.stringify(publicDelivery(delivery))).not.toContain('cas_1');
  });
});

describe('sealed secrets', () => {
  const master = localMasterKey(randomBytes(32));
  const context = { tenantId: event.tenantId, webhookId: webhook.webhookId };

  it('open to the secret under the same master key and context, and hold nothing of it in plain', async () => {
    const secret = newWebhookSecret();
    const sealed = await sealSecret(secret, context, master);
    expect(sealed).not.toContain(secret.slice(secretPrefix.length, secretPrefix.length + 8));
    expect(sealed).not.toContain(secretPrefix);
    expect(await openSecret(sealed, { webhookId: webhook.webhookId, tenantId: event.tenantId }, master)).toBe(secret);
    expect(await sealSecret(secret, context, master)).not.toBe(sealed);
  });

  it('do not open on another webhook, under another master key, or once tampered with', async () => {
    const sealed = await sealSecret('whsec_x', context, master);
    await expect(openSecret(sealed, { ...context, webhookId: 'whk_other' }, master)).rejects.toThrow();
    await expect(openSecret(sealed, context, localMasterKey(randomBytes(32)))).rejects.toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('whsec_y').toString('base64url');
    await expect(openSecret(parts.join('.'), context, master)).rejects.toThrow();
  });
});
