import { deleteApiKey, getApiKey, listApiKeys, publicApiKey, putApiKey } from '../../shared/data/api-keys-repo';
import { keys } from '../../shared/data/keys';
import { issueApiKey } from '../../shared/domain/api-key';
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
    await putApiKey(key);
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
    if (key.scopes.includes('admin') && !(await hasAnotherAdminKey(request.tenantId, keyId))) {
      throw conflict('This is the last admin key; create another admin key before revoking it', 'last-admin-key');
    }
    if (!(await deleteApiKey(request.tenantId, keyId))) throw notFound('No such API key');
    logger.info('API key revoked', { revokedKeyId: keyId });
    return { status: 204 };
  },
}, { idempotency: withIdempotency, requestLimit: tenantRequestLimit });

async function hasAnotherAdminKey(tenantId: string, keyId: string): Promise<boolean> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await listApiKeys(tenantId, 100, startKey);
    if (page.items.some((key) => key.keyId !== keyId && key.scopes.includes('admin'))) return true;
    startKey = page.lastKey;
  } while (startKey);
  return false;
}
