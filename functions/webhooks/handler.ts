import {
  StaleWebhook,
  countWebhooks,
  deleteWebhook,
  getWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  replaceWebhook,
  webhookKeys,
} from '../../shared/data/webhooks-repo';
import {
  InvalidWebhook,
  maxWebhooksPerTenant,
  newWebhook,
  newWebhookSecret,
  patchWebhook,
  publicDelivery,
  publicWebhook,
  secretContext,
  type StoredWebhook,
} from '../../shared/domain/webhook';
import { type AuditContext, type StoredAuditEntry, changedFieldPaths, newAuditEntry } from '../../shared/domain/audit';
import { auditContextOf } from '../../shared/http/audit';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { etagOf, requireIfMatch } from '../../shared/http/etag';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { withIdempotency } from '../../shared/http/idempotency';
import { conflict, notFound, preconditionFailed, validationFailed } from '../../shared/http/problem';
import { looksLikeId, newId } from '../../shared/ids';
import { logger } from '../../shared/observability';
import { sealSecret } from '../../shared/ports/secret-box';
import { queueTestDelivery, twinReceiverPorts } from '../../shared/services/webhook-delivery';
import { webhookRoutes } from '../../shared/http/routes/webhooks';


export const handler = createApiHandler('webhooks', webhookRoutes, {
  async createWebhook(request) {
    const { tenantId } = request;
    const webhookId = newId('whk');
    const secret = newWebhookSecret();
    const sealedSecret = await sealSecret(secret, secretContext(tenantId, webhookId));
    const webhook = domainRule(() =>
      newWebhook(request.body, { webhookId, sealedSecret, now: new Date().toISOString(), twinReceiverPorts: twinReceiverPorts() }),
    );
    if ((await countWebhooks(tenantId)) >= maxWebhooksPerTenant) {
      throw conflict(`A tenant can have at most ${maxWebhooksPerTenant} webhooks; delete one first`, 'too-many-webhooks');
    }
    const audit = newAuditEntry(tenantId, auditContextOf(request), {
      action: 'webhook.created',
      target: { type: 'webhook', id: webhook.webhookId },
      summary: { eventTypes: webhook.eventTypes, enabled: webhook.enabled },
      at: webhook.createdAt,
    });
    await insertWebhook(tenantId, webhook, audit);
    logger.info('Webhook created', { webhookId: webhook.webhookId, eventTypes: webhook.eventTypes });
    return {
      status: 201,
      headers: { location: `/v1/webhooks/${webhook.webhookId}`, etag: etagOf(webhook.version) },
      body: { ...publicWebhook(webhook), secret },
    };
  },

  async listWebhooks(request) {
    const { tenantId, query } = request;
    const startKey = decodeCursor(query.cursor, tenantId, webhookKeys.webhookList(tenantId));
    const page = await listWebhooks(tenantId, query.limit, startKey);
    return { status: 200, body: { items: page.items.map(publicWebhook), nextCursor: encodeCursor(page.lastKey) } };
  },

  async getWebhook(request) {
    const webhook = await existingWebhook(request.tenantId, request.params.webhookId);
    return { status: 200, headers: { etag: etagOf(webhook.version) }, body: publicWebhook(webhook) };
  },

  async updateWebhook(request) {
    const { tenantId } = request;
    const current = await existingWebhook(tenantId, request.params.webhookId);
    requireIfMatch(request.headers['if-match'], current.version);
    const rotated = request.body.rotateSecret === true;
    const newSecret = rotated ? newWebhookSecret() : undefined;
    const newSealedSecret = newSecret === undefined ? undefined : await sealSecret(newSecret, secretContext(tenantId, current.webhookId));
    const next = domainRule(() =>
      patchWebhook(current, request.body, { now: new Date().toISOString(), newSealedSecret, twinReceiverPorts: twinReceiverPorts() }),
    );
    try {
      await replaceWebhook(tenantId, current, next, webhookChangeAudit(tenantId, current, next, auditContextOf(request)));
    } catch (error) {
      if (error instanceof StaleWebhook) throw preconditionFailed('The webhook changed while this request ran; read it again');
      throw error;
    }
    logger.info('Webhook updated', { webhookId: next.webhookId, enabled: next.enabled, secretRotated: rotated });
    return {
      status: 200,
      headers: { etag: etagOf(next.version) },
      body: rotated ? { ...publicWebhook(next), secret: newSecret } : publicWebhook(next),
    };
  },

  async deleteWebhook(request) {
    const { webhookId } = request.params;
    if (!looksLikeId('whk', webhookId)) throw noSuchWebhook();
    const audit = newAuditEntry(request.tenantId, auditContextOf(request), {
      action: 'webhook.deleted',
      target: { type: 'webhook', id: webhookId },
      summary: {},
      at: new Date().toISOString(),
    });
    if (!(await deleteWebhook(request.tenantId, webhookId, audit))) throw noSuchWebhook();
    logger.info('Webhook deleted', { webhookId });
    return { status: 204 };
  },

  async listWebhookDeliveries(request) {
    const { tenantId, query } = request;
    const webhook = await existingWebhook(tenantId, request.params.webhookId);
    const startKey = decodeCursor(query.cursor, tenantId, webhookKeys.deliveryList(tenantId, webhook.webhookId));
    const page = await listDeliveries(tenantId, webhook.webhookId, query.limit, startKey);
    return { status: 200, body: { items: page.items.map(publicDelivery), nextCursor: encodeCursor(page.lastKey) } };
  },

  async testWebhook(request) {
    const { tenantId } = request;
    const webhook = await existingWebhook(tenantId, request.params.webhookId);
    if (!webhook.enabled) throw conflict('The webhook is disabled, so nothing is delivered to it; enable it first', 'webhook-disabled');
    const delivery = await queueTestDelivery(tenantId, webhook.webhookId, new Date());
    logger.info('Webhook test queued', { webhookId: webhook.webhookId, deliveryId: delivery.deliveryId });
    return { status: 202, body: publicDelivery(delivery) };
  },
}, { idempotency: withIdempotency, requestLimit: tenantRequestLimit });

const noSuchWebhook = () => notFound('No such webhook');

/** Fields of a stored webhook that hold or date its secrets: a rotation is its own entry, and no entry names them. */
const secretFields = ['sealedSecret', 'sealedPreviousSecret', 'previousSecretExpiresAt', 'secretRotatedAt'];

/** The audit entries of an update: the changed fields (if any) and the secret's rotation (if asked), one entry each. */
function webhookChangeAudit(tenantId: string, current: StoredWebhook, next: StoredWebhook, context: AuditContext): StoredAuditEntry[] {
  const target = { type: 'webhook' as const, id: next.webhookId };
  const changedFields = changedFieldPaths(current, next, ['version', 'updatedAt', ...secretFields]);
  return [
    ...(changedFields.length > 0
      ? [newAuditEntry(tenantId, context, { action: 'webhook.changed', target, summary: { changedFields }, at: next.updatedAt })]
      : []),
    ...(next.secretRotatedAt !== current.secretRotatedAt
      ? [newAuditEntry(tenantId, context, { action: 'webhook.secret-rotated', target, summary: {}, at: next.updatedAt })]
      : []),
  ];
}

async function existingWebhook(tenantId: string, webhookId: string): Promise<StoredWebhook> {
  const webhook = looksLikeId('whk', webhookId) ? await getWebhook(tenantId, webhookId) : undefined;
  if (!webhook) throw noSuchWebhook();
  return webhook;
}

function domainRule<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof InvalidWebhook) throw validationFailed(error.errors);
    throw error;
  }
}
