import { Page } from '../../schemas/common';
import { AuditEntry, AuditLogQuery } from '../../schemas/audit-log';
import { defineRoutes, adminAccess } from '../route-types';

/**
 * The tenant's audit log: read only. No route changes or deletes an entry (append-only; a test
 * walks the declarations to keep it so).
 */
export const auditLogRoutes = defineRoutes([
  {
    operationId: 'listAuditLog',
    method: 'GET',
    path: '/v1/audit-log',
    function: 'audit-log',
    access: adminAccess,
    tag: 'Audit log',
    summary: 'Who changed what, when and from where: newest first, filterable by action and by actor, kept one year',
    request: { query: AuditLogQuery },
    responses: { 200: { description: 'A page of entries, newest first', schema: Page(AuditEntry) } },
  },
]);
