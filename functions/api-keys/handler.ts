import { deleteAdminKeyKeeping, deleteApiKey, getApiKey, listApiKeys, publicApiKey, putApiKey } from '../../shared/data/api-keys-repo';
import { temporarilyUnavailable } from '../../shared/http/aws-errors';
import { keys } from '../../shared/data/keys';
import { issueApiKey } from '../../shared/domain/api-key';
import { type StoredAuditEntry, newAuditEntry } from '../../shared/domain/audit';
import { auditContextOf } from '../../shared/http/audit';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { withIdempotency } from '../../shared/http/idempotency';
import { createApiHandler } from '../../shared/http/handler';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';
import { conflict, notFound } from '../../shared/http/problem';
import { logger } from '../../shared/observability';
import { looksLikeId } from '../../shared/ids';
import { apiKeyRoutes } from '../../shared/http/routes/api-keys';

export const handler = createApiHandler('api-keys', apiKeyRoutes, {
  async createApiKey(request) {
    const issued = issueApiKey(request.tenantId);
    const key = {
      tenantId: request.tenantId,
      keyId: issued.keyId,
      name: request.body.name,
      scopes: [...new Set(request.body.scopes)],
      secretHash: issued.secretHash,
      createdAt: new Date().toISOString(),
    };
    const audit = newAuditEntry(request.tenantId, auditContextOf(request), {
      action: 'api-key.created',
      target: { type: 'api-key', id: key.keyId },
      summary: { scopes: key.scopes },
      at: key.createdAt,
    });
    await putApiKey(key, audit);
    logger.info('API key created', { newKeyId: key.keyId, scopes: key.scopes });
    return {
      status: 201,
      headers: { location: `/v1/api-keys/${key.keyId}` },
      body: { ...publicApiKey(key), secret: issued.secret },
    };
  },

  async listApiKeys(request) {
    const startKey = decodeCursor(request.query.cursor, request.tenantId, { pk: keys.tenant(request.tenantId).pk });
    const page = await listApiKeys(request.tenantId, request.query.limit, startKey);
    return { status: 200, body: { items: page.items.map(publicApiKey), nextCursor: encodeCursor(page.lastKey) } };
  },

  async revokeApiKey(request) {
    const { keyId } = request.params;
    if (!looksLikeId('key', keyId)) throw notFound('No such API key');
    const key = await getApiKey(request.tenantId, keyId);
    if (!key) throw notFound('No such API key');
    const audit = newAuditEntry(request.tenantId, auditContextOf(request), {
      action: 'api-key.revoked',
      target: { type: 'api-key', id: keyId },
      summary: { scopes: key.scopes },
      at: new Date().toISOString(),
    });
    if (key.scopes.includes('admin')) await revokeAdminKey(request.tenantId, keyId, audit);
    else if (!(await deleteApiKey(request.tenantId, keyId, audit))) throw notFound('No such API key');
    logger.info('API key revoked', { revokedKeyId: keyId });
    return { status: 204 };
  },
}, { idempotency: withIdempotency, requestLimit: tenantRequestLimit });

/** Revokes an admin key only while another admin key exists, checked in the same transaction as the delete. */
async function revokeAdminKey(tenantId: string, keyId: string, audit: StoredAuditEntry): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const kept = await anotherAdminKey(tenantId, keyId);
    if (!kept) throw conflict('This is the last admin key; create another admin key before revoking it', 'last-admin-key');
    const outcome = await deleteAdminKeyKeeping(tenantId, keyId, kept, audit);
    if (outcome === 'deleted') return;
    if (outcome === 'gone') throw notFound('No such API key');
  }
  throw temporarilyUnavailable();
}

async function anotherAdminKey(tenantId: string, keyId: string): Promise<string | undefined> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await listApiKeys(tenantId, 100, startKey);
    const other = page.items.find((key) => key.keyId !== keyId && key.scopes.includes('admin'));
    if (other) return other.keyId;
    startKey = page.lastKey;
  } while (startKey);
  return undefined;
}
