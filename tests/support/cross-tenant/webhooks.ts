import { expect } from 'vitest';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  webhookId: string;
  /** Subscribed to every event and never disabled by a probe: the test event's target. */
  everythingWebhookId: string;
  url: string;
  listCursor: string;
}

export const webhooksArea: CrossTenantArea<Seeded> = {
  name: 'webhooks',

  async seed(twin, aKey) {
    const url = 'https://hooks.tenant-a-secret.example/switchboard';
    const created = await api(twin.url, 'POST', '/v1/webhooks', {
      key: aKey,
      body: { url, eventTypes: ['Case Opened'], description: 'Secret A hook' },
    });
    const second = await api(twin.url, 'POST', '/v1/webhooks', { key: aKey, body: { url: `${url}/2`, eventTypes: ['*'] } });
    const page = await api(twin.url, 'GET', '/v1/webhooks?limit=1', { key: aKey });
    return {
      webhookId: created.body.webhookId,
      everythingWebhookId: second.body.webhookId,
      url,
      listCursor: page.body.nextCursor,
      secrets: [created.body.webhookId, second.body.webhookId, created.body.secret, second.body.secret, 'tenant-a-secret', 'Secret A hook'],
    };
  },

  probes: {
    createWebhook: () => ({ path: '/v1/webhooks', body: { url: 'https://hooks.tenant-b.example/in', eventTypes: ['*'] } }),
    listWebhooks: () => ({ path: '/v1/webhooks' }),
    getWebhook: (a) => ({ path: `/v1/webhooks/${a.webhookId}` }),
    updateWebhook: (a) => ({
      path: `/v1/webhooks/${a.webhookId}`,
      body: { url: 'https://hooks.tenant-b.example/stolen', enabled: false, rotateSecret: true },
      headers: { 'if-match': '*' },
    }),
    deleteWebhook: (a) => ({ path: `/v1/webhooks/${a.webhookId}` }),
    listWebhookDeliveries: (a) => ({ path: `/v1/webhooks/${a.webhookId}/deliveries` }),
    testWebhook: (a) => ({ path: `/v1/webhooks/${a.everythingWebhookId}/test` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const webhook = await api(twin.url, 'GET', `/v1/webhooks/${a.webhookId}`, { key: aKey });
    expect(webhook.status).toBe(200);
    expect(webhook.body).toMatchObject({ url: a.url, enabled: true, version: 1 });
    expect(webhook.body).not.toHaveProperty('secretRotatedAt');
    const list = await api(twin.url, 'GET', '/v1/webhooks', { key: aKey });
    expect(list.body.items).toHaveLength(2);
    const deliveries = await api(twin.url, 'GET', `/v1/webhooks/${a.everythingWebhookId}/deliveries?limit=100`, { key: aKey });
    expect(deliveries.body.items.filter((delivery: { detailType: string }) => delivery.detailType === 'Webhook Test')).toEqual([]);
  },

  cursors: (a) => [{ path: '/v1/webhooks', cursor: a.listCursor }],
};
