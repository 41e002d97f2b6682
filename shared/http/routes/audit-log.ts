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
    description:
      'Who changed what, when and from where: API keys, settings, webhooks, exports, erasures and the operator\'s changes, newest first, filtered by action or actor ' +
      '(an API key id or operator). A summary holds no secret and no personal data beyond ids. Entries are kept one year and no route changes or deletes one. ' +
      'Paged by `limit` (1–100, default 25) and `cursor`',
    examples: {
      request: { query: { action: 'settings.changed', limit: '25' } },
      responses: {
        200: {
          items: [
            {
              entryId: 'aud_01JFH7J8K9M0N1P2Q3R4S5T6V7',
              at: '2026-03-12T03:20:00.000Z',
              action: 'settings.changed',
              actor: { type: 'api-key', keyId: 'key_01JF8Z4Q7V9K2M3N4P5Q6R7S8T' },
              target: { type: 'settings' },
              source: { ip: '203.0.113.24', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15' },
              summary: { changedFields: ['businessHours.sat', 'surveys.samplingPercent'] },
            },
          ],
        },
      },
    },
    responses: { 200: { description: 'A page of entries, newest first', schema: Page(AuditEntry) } },
  },
]);
