import { expect } from 'vitest';
import { api } from '../twin';
import type { CrossTenantArea } from './area';

interface Seeded {
  secrets: string[];
  auditAdminKeyId: string;
  auditedKeyId: string;
  auditEntryIds: string[];
  auditCursor: string;
}

/**
 * Tenant A's audit log (issue 11 §7): B reads its own log only, whatever actor it filters by, and
 * A's cursor is useless to it.
 */
export const auditLogArea: CrossTenantArea<Seeded> = {
  name: 'audit-log',

  async seed(twin, aKey) {
    const audited = await api(twin.url, 'POST', '/v1/api-keys', { key: aKey, body: { name: 'A audited key', scopes: ['readonly'] } });
    expect(audited.status).toBe(201);
    const keys = await api(twin.url, 'GET', '/v1/api-keys?limit=100', { key: aKey });
    const admin = keys.body.items.find((key: { name: string }) => key.name === 'Initial admin key');
    const log = await api(twin.url, 'GET', '/v1/audit-log?limit=100', { key: aKey });
    expect(log.body.items.length).toBeGreaterThanOrEqual(2);
    const firstPage = await api(twin.url, 'GET', '/v1/audit-log?limit=1', { key: aKey });
    return {
      auditAdminKeyId: admin.keyId,
      auditedKeyId: audited.body.keyId,
      auditEntryIds: log.body.items.map((entry: { entryId: string }) => entry.entryId),
      auditCursor: firstPage.body.nextCursor,
      secrets: [audited.body.keyId, ...log.body.items.map((entry: { entryId: string }) => entry.entryId)],
    };
  },

  probes: {
    listAuditLog: (a) => ({ path: `/v1/audit-log?actor=${a.auditAdminKeyId}&action=api-key.created` }),
  },

  async verifyUnchanged(twin, aKey, a) {
    const log = await api(twin.url, 'GET', '/v1/audit-log?limit=100', { key: aKey });
    const ids = log.body.items.map((entry: { entryId: string }) => entry.entryId);
    for (const id of a.auditEntryIds) expect(ids).toContain(id);
    const created = await api(twin.url, 'GET', `/v1/audit-log?actor=${a.auditAdminKeyId}&action=api-key.created&limit=100`, { key: aKey });
    expect(created.body.items.map((entry: { target: { id: string } }) => entry.target.id)).toContain(a.auditedKeyId);
  },

  cursors: (a) => [{ path: '/v1/audit-log', cursor: a.auditCursor }],
};
