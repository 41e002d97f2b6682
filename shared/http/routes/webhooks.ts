import { Page, PaginationQuery } from '../../schemas/common';
import {
  CreateWebhookBody,
  ListDeliveriesQuery,
  UpdateWebhookBody,
  UpdatedWebhook,
  Webhook,
  WebhookDelivery,
  WebhookIdParams,
  WebhookWithSecret,
} from '../../schemas/webhook';
import { defineRoutes, adminAccess } from '../route-types';

const webhookExample = {
  webhookId: 'whk_01JFE4F5G6H7J8K9M0N1P2Q3R4',
  url: 'https://hooks.example.com/switchboard',
  eventTypes: ['Contact Closed', 'Case SLA Breached'],
  description: 'CRM sync',
  enabled: true,
  version: 1,
  createdAt: '2026-03-10T08:00:00.000Z',
  updatedAt: '2026-03-10T08:00:00.000Z',
} as const;

const webhookIdExample = { webhookId: 'whk_01JFE4F5G6H7J8K9M0N1P2Q3R4' } as const;

/** Webhook endpoints a tenant's admins register, and the deliveries made to them. */
export const webhookRoutes = defineRoutes([
  {
    operationId: 'createWebhook',
    method: 'POST',
    path: '/v1/webhooks',
    function: 'webhooks',
    access: adminAccess,
    tag: 'Webhooks',
    summary: 'Register an HTTPS endpoint for event types; the signing secret is shown only in this answer',
    idempotent: true,
    request: { body: CreateWebhookBody },
    description:
      'Registers an HTTPS endpoint for event types from the event catalog (or ["*"] for every one); each delivery is signed with the webhook\'s secret ' +
      'and retried with backoff until a 2xx answer. The signing secret is in this answer only: a retry with the same Idempotency-Key answers 409 secret-shown-once',
    examples: {
      request: { body: { url: 'https://hooks.example.com/switchboard', eventTypes: ['Contact Closed', 'Case SLA Breached'], description: 'CRM sync' } },
      responses: { 201: { ...webhookExample, secret: 'whsec_4kQ9mZ2pL7xR1vN8sT3bY6cW0dF5gH2j' } },
    },
    problems: ['too-many-webhooks', 'secret-shown-once'],
    responses: { 201: { description: 'Created, with its signing secret', schema: WebhookWithSecret, headers: ['Location', 'ETag'] } },
  },
  {
    operationId: 'listWebhooks',
    method: 'GET',
    path: '/v1/webhooks',
    function: 'webhooks',
    access: adminAccess,
    tag: 'Webhooks',
    summary: 'List webhooks (never their secrets)',
    request: { query: PaginationQuery },
    description:
      'Lists the tenant\'s webhooks, without their secrets. Paged by `limit` (1–100, default 25) and `cursor`',
    examples: { request: { query: { limit: '25' } }, responses: { 200: { items: [webhookExample] } } },
    responses: { 200: { description: 'A page of webhooks', schema: Page(Webhook) } },
  },
  {
    operationId: 'getWebhook',
    method: 'GET',
    path: '/v1/webhooks/{webhookId}',
    function: 'webhooks',
    access: adminAccess,
    tag: 'Webhooks',
    summary: 'Read a webhook; the ETag header carries its version',
    request: { params: WebhookIdParams },
    description:
      'Reads a webhook (never its secret). The ETag header carries its version: send it as If-Match to update',
    examples: { request: { params: webhookIdExample }, responses: { 200: webhookExample } },
    responses: { 200: { description: 'The webhook', schema: Webhook, headers: ['ETag'] } },
  },
  {
    operationId: 'updateWebhook',
    method: 'PATCH',
    path: '/v1/webhooks/{webhookId}',
    function: 'webhooks',
    access: adminAccess,
    tag: 'Webhooks',
    summary: 'Change a webhook or rotate its secret; requires If-Match with the ETag last read',
    requiresIfMatch: true,
    request: { params: WebhookIdParams, body: UpdateWebhookBody },
    description:
      'Changes url, eventTypes, description (null removes it) or enabled, or rotates the secret with rotateSecret: true: the new secret is in this answer only, ' +
      'and the one before stays valid for 24 hours. Requires If-Match with the ETag last read (428 without it, 412 when the webhook changed since)',
    examples: {
      request: { params: webhookIdExample, body: { rotateSecret: true } },
      responses: {
        200: {
          ...webhookExample,
          secretRotatedAt: '2026-03-15T09:00:00.000Z',
          version: 2,
          updatedAt: '2026-03-15T09:00:00.000Z',
          secret: 'whsec_9tW2xB7nQ4kM1rP6vZ3cL8dH5fJ0gS2a',
        },
      },
    },
    responses: { 200: { description: 'The updated webhook; with `secret` when it was rotated', schema: UpdatedWebhook, headers: ['ETag'] } },
  },
  {
    operationId: 'deleteWebhook',
    method: 'DELETE',
    path: '/v1/webhooks/{webhookId}',
    function: 'webhooks',
    access: adminAccess,
    tag: 'Webhooks',
    summary: 'Delete a webhook; its pending retries stop',
    request: { params: WebhookIdParams },
    description:
      'Deletes a webhook: no new deliveries are made to it and its pending retries stop',
    examples: { request: { params: webhookIdExample } },
    responses: { 204: { description: 'Deleted' } },
  },
  {
    operationId: 'listWebhookDeliveries',
    method: 'GET',
    path: '/v1/webhooks/{webhookId}/deliveries',
    function: 'webhooks',
    access: adminAccess,
    tag: 'Webhooks',
    summary: "The webhook's deliveries, newest first, with their status",
    request: { params: WebhookIdParams, query: ListDeliveriesQuery },
    description:
      'The webhook\'s deliveries, newest first: pending until a 2xx answer (succeeded) or the last retry failed (failed), with the attempts made, ' +
      'the last response status and error (never the body) and the next attempt. Paged by `limit` (1–100, default 25) and `cursor`',
    examples: {
      request: { params: webhookIdExample, query: { limit: '10' } },
      responses: {
        200: {
          items: [
            {
              deliveryId: 'dlv_01JFE9A0B1C2D3E4F5G6H7J8K9',
              webhookId: 'whk_01JFE4F5G6H7J8K9M0N1P2Q3R4',
              eventId: '7d3f6b1e-2c4a-4e8b-9f10-5a6b7c8d9e0f',
              detailType: 'Contact Closed',
              status: 'pending',
              attempts: 2,
              lastResponseStatus: 503,
              lastError: 'HTTP 503',
              lastAttemptAt: '2026-03-10T08:05:00.000Z',
              nextAttemptAt: '2026-03-10T08:09:00.000Z',
              createdAt: '2026-03-10T08:04:59.000Z',
              updatedAt: '2026-03-10T08:05:00.000Z',
            },
          ],
          nextCursor: 'eyJzayI6IkRMViMwMUpGRTlBMEIxQzJEM0U0RjVHNkg3SjhLOSJ9',
        },
      },
    },
    responses: { 200: { description: 'A page of deliveries', schema: Page(WebhookDelivery) } },
  },
  {
    operationId: 'testWebhook',
    method: 'POST',
    path: '/v1/webhooks/{webhookId}/test',
    function: 'webhooks',
    access: adminAccess,
    tag: 'Webhooks',
    summary: 'Send a test event to a webhook; its delivery is listed with the others',
    idempotent: true,
    request: { params: WebhookIdParams },
    description:
      'Queues one delivery of a `Webhook Test` event to this webhook, whatever event types it subscribes to: signed, sent, retried and listed in its ' +
      'deliveries exactly as an event\'s delivery is, so the endpoint and its signature check can be tried before real events flow. The answer is ' +
      'the delivery, pending; its first attempt follows within seconds (poll the deliveries). A disabled webhook is refused (409 webhook-disabled). ' +
      'Each request queues a new test; a retry with the same Idempotency-Key answers the first delivery again',
    examples: {
      request: { params: webhookIdExample },
      responses: {
        202: {
          deliveryId: 'dlv_01JFEB7C8D9E0F1G2H3J4K5M6N',
          webhookId: 'whk_01JFE4F5G6H7J8K9M0N1P2Q3R4',
          eventId: '0f4c2a9e-8b7d-4e61-a3c5-9d2b1e7f6a80',
          detailType: 'Webhook Test',
          status: 'pending',
          attempts: 0,
          createdAt: '2026-03-10T08:10:00.000Z',
          updatedAt: '2026-03-10T08:10:00.000Z',
        },
      },
    },
    problems: ['webhook-disabled'],
    responses: { 202: { description: 'Queued: the test delivery, pending', schema: WebhookDelivery } },
  },
]);
