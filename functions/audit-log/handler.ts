import { auditLogPartition, listAuditLog } from '../../shared/data/audit-log-repo';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor';
import { createApiHandler } from '../../shared/http/handler';
import { auditLogRoutes } from '../../shared/http/routes/audit-log';
import { tenantRequestLimit } from '../../shared/http/tenant-request-limit';

export const handler = createApiHandler('audit-log', auditLogRoutes, {
  async listAuditLog(request) {
    const { tenantId, query } = request;
    const filter = { action: query.action, actorId: query.actor };
    const startKey = decodeCursor(query.cursor, tenantId, auditLogPartition(tenantId, filter).key);
    const page = await listAuditLog(tenantId, filter, query.limit, startKey);
    return { status: 200, body: { items: page.items, nextCursor: encodeCursor(page.lastKey) } };
  },
}, { requestLimit: tenantRequestLimit });
