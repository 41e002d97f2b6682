import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditEntryPut, listAuditLog } from '../../shared/data/audit-log-repo';
import { deleteAdminKeyKeeping, deleteApiKey, putApiKey } from '../../shared/data/api-keys-repo';
import { eraseCustomer } from '../../shared/data/customers-repo';
import { replaceSettings } from '../../shared/data/tenants-repo';
import { deleteWebhook, insertWebhook, replaceWebhook } from '../../shared/data/webhooks-repo';
import { type StoredAuditEntry, auditExpiresAt, changedFieldPaths, newAuditEntry } from '../../shared/domain/audit';
import type { Customer } from '../../shared/schemas/customer';
import type { Settings } from '../../shared/schemas/settings';
import { apiFunctions, routeKey, routes } from '../../shared/http/routes';
import { AuditEntry, auditActions } from '../../shared/schemas/audit-log';

/** Issue 11 §7: retention, what an entry may carry, the keys that serve the filters, append-only. */

const tenantId = 'ten_01JAUDITAUDITAUDITAUDITAU';
const context = { actor: { type: 'api-key' as const, keyId: 'key_01JAUDITAUDITAUDITAUDITAU' }, source: { ip: '203.0.113.9', userAgent: 'x'.repeat(1000) } };

describe('audit log retention: entries are kept one year (TTL)', () => {
  it('expires an entry one calendar year after it was made, in epoch seconds', () => {
    expect(auditExpiresAt('2026-12-05T07:00:00.000Z')).toBe(Date.parse('2027-12-05T07:00:00.000Z') / 1000);
    // 29 February has no anniversary: kept until 1 March.
    expect(auditExpiresAt('2028-02-29T12:00:00.000Z')).toBe(Date.parse('2029-03-01T12:00:00.000Z') / 1000);
  });

  it('puts the TTL attribute on every new entry and its Put', () => {
    const entry = newAuditEntry(tenantId, context, { action: 'settings.changed', target: { type: 'settings' }, summary: { changedFields: ['locale'] }, at: '2026-12-05T07:00:00.000Z' });
    expect(entry.expiresAt).toBe(auditExpiresAt(entry.at));
    process.env.TABLE_NAME = 'switchboard-unit';
    expect(auditEntryPut(entry).Put?.Item?.expiresAt).toBe(entry.expiresAt);
  });
});

describe('audit entries hold no values, only which fields changed', () => {
  it('lists the dotted paths whose value changed, an array as one field, ignored fields left out', () => {
    const before = { locale: 'zh-TW', version: 3, sms: { sender: 'a', quiet: { start: '21:00' } }, reasonCodes: [{ code: 'x' }], branding: {} };
    const after = { locale: 'zh-TW', version: 4, sms: { sender: 'b', quiet: { start: '21:00' } }, reasonCodes: [{ code: 'y' }], branding: { colour: '#fff' } };
    expect(changedFieldPaths(before, after, ['version'])).toEqual(['branding.colour', 'reasonCodes', 'sms.sender']);
    expect(changedFieldPaths(before, before)).toEqual([]);
  });

  it('cuts the User-Agent to 256 characters and keeps the actor as the verified caller gave it', () => {
    const entry = newAuditEntry(tenantId, context, { action: 'webhook.deleted', target: { type: 'webhook', id: 'whk_1' }, summary: {}, at: new Date().toISOString() });
    expect(entry.source.userAgent).toHaveLength(256);
    expect(entry.actor).toEqual(context.actor);
    expect(entry.entryId).toMatch(/^aud_[0-9A-Z]{26}$/);
    expect(AuditEntry.safeParse(entry).success).toBe(true);
  });
});

describe('audit log filters read only what they return (no Scan, no FilterExpression)', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  beforeAll(() => {
    process.env.TABLE_NAME = 'switchboard-unit';
  });
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });
  afterAll(() => dynamo.restore());

  const keyId = 'key_01JAUDITAUDITAUDITAUDITAU';
  it.each([
    ['no filter', {}, undefined, `T#${tenantId}#AUDIT`],
    ['action', { action: 'api-key.created' as const }, 'gsi1-keys', `T#${tenantId}#AUDIT#ACTION#api-key.created`],
    ['actor', { actorId: keyId }, 'gsi2-keys', `T#${tenantId}#AUDIT#ACTOR#${keyId}`],
    ['actor and action', { actorId: keyId, action: 'customer.erased' as const }, 'gsi3-keys', `T#${tenantId}#AUDIT#ACTOR#${keyId}#ACTION#customer.erased`],
  ])('%s: one Query of one partition, newest first, limited to the page', async (_name, filter, index, partition) => {
    await listAuditLog(tenantId, filter, 7);
    const calls = dynamo.commandCalls(QueryCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input as QueryCommandInput;
    expect(input.IndexName).toBe(index);
    expect(input.FilterExpression).toBeUndefined();
    expect(input.KeyConditionExpression).toBe('#pk = :pk');
    expect(Object.values(input.ExpressionAttributeValues!)).toEqual([partition]);
    expect(input.ScanIndexForward).toBe(false);
    expect(input.Limit).toBe(7);
  });

  it('writes each entry under every filter partition, all in the tenant prefix', () => {
    const entry = newAuditEntry(tenantId, context, { action: 'customer.erased', target: { type: 'customer', id: 'cus_1' }, summary: {}, at: new Date().toISOString() });
    const item = auditEntryPut(entry).Put!.Item!;
    expect(item).toMatchObject({
      pk: `T#${tenantId}#AUDIT`,
      sk: entry.entryId,
      gsi1pk: `T#${tenantId}#AUDIT#ACTION#customer.erased`,
      gsi2pk: `T#${tenantId}#AUDIT#ACTOR#${keyId}`,
      gsi3pk: `T#${tenantId}#AUDIT#ACTOR#${keyId}#ACTION#customer.erased`,
      gsi1sk: entry.entryId,
      gsi2sk: entry.entryId,
      gsi3sk: entry.entryId,
    });
  });
});

describe('audit log is append-only: no route changes or deletes an entry', () => {
  const auditRoutes = routes.filter((route) => route.path.startsWith('/v1/audit-log') || route.function === 'audit-log');

  it('declares the log as one GET and nothing else', () => {
    expect(auditRoutes.map(routeKey)).toEqual(['GET /v1/audit-log']);
  });

  it('no declared route other than the GET reaches the audit-log function, and that function may only read the table', () => {
    expect(routes.filter((route) => route.function === 'audit-log').every((route) => route.method === 'GET')).toBe(true);
    // tests/infra/iam.test.ts holds every function's grant to its tableAccess: read means no write action.
    expect(apiFunctions['audit-log'].tableAccess).toBe('read');
  });

  it('the repo builds only conditional Puts of new entries, never an update or a delete', () => {
    const source = readFileSync('shared/data/audit-log-repo.ts', 'utf8');
    expect(source).not.toMatch(/UpdateCommand|DeleteCommand|BatchWriteCommand|Update:|Delete:|UpdateExpression/);
    expect(source.match(/Put: \{[^}]*\}/g)).toEqual([expect.stringContaining("ConditionExpression: 'attribute_not_exists(pk)'")]);
  });

  it('only the audit-log repo knows the entries\' key layout', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts') && file !== path.join('shared', 'data', 'audit-log-repo.ts') && readFileSync(file, 'utf8').includes('#AUDIT')) {
          offenders.push(file);
        }
      }
    };
    walk('shared');
    walk('functions');
    expect(offenders).toEqual([]);
  });

  it('the action catalogue is what docs/api.md lists', () => {
    const doc = readFileSync('docs/api.md', 'utf8');
    for (const action of auditActions) expect(doc, action).toContain(`\`${action}\``);
  });
});

describe('audit entries are written atomically with the change they record', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  beforeAll(() => {
    process.env.TABLE_NAME = 'switchboard-unit';
  });
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(TransactWriteCommand).resolves({});
  });
  afterAll(() => dynamo.restore());

  const at = '2026-12-05T07:00:00.000Z';
  const entry = () => newAuditEntry(tenantId, context, { action: 'webhook.deleted', target: { type: 'webhook', id: 'whk_1' }, summary: {}, at });
  const webhook = { webhookId: 'whk_1', url: 'https://hooks.example/in', eventTypes: ['*'], enabled: true, version: 1, createdAt: at, updatedAt: at, sealedSecret: 's' };

  it.each([
    ['api key created', (audit: StoredAuditEntry) => putApiKey({ tenantId, keyId: 'key_1', name: 'n', scopes: ['agent'], secretHash: 'h', createdAt: at }, audit)],
    ['api key revoked', (audit: StoredAuditEntry) => deleteApiKey(tenantId, 'key_1', audit)],
    ['admin key revoked', (audit: StoredAuditEntry) => deleteAdminKeyKeeping(tenantId, 'key_1', 'key_2', audit)],
    ['settings changed', (audit: StoredAuditEntry) => replaceSettings(tenantId, { version: 2 } as unknown as Settings, 1, 1, undefined, audit)],
    ['webhook created', (audit: StoredAuditEntry) => insertWebhook(tenantId, webhook, audit)],
    ['webhook changed', (audit: StoredAuditEntry) => replaceWebhook(tenantId, webhook, { ...webhook, enabled: false, version: 2 }, [audit])],
    ['webhook deleted', (audit: StoredAuditEntry) => deleteWebhook(tenantId, 'whk_1', audit)],
    ['customer erased', (audit: StoredAuditEntry) => eraseCustomer(tenantId, { customerId: 'cus_1', version: 1, createdAt: at } as unknown as Customer, { next: { customerId: 'cus_1', erasedAt: at, version: 2, createdAt: at }, events: [] }, audit)],
  ])('%s: one TransactWriteItems holds the change and its entry', async (_name, write) => {
    const audit = entry();
    await write(audit);
    const calls = dynamo.calls();
    expect(calls).toHaveLength(1);
    const input = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input;
    const puts = input.TransactItems!.filter((item) => item.Put?.Item?.type === 'AuditEntry');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.Put!.Item!.entryId).toBe(audit.entryId);
    expect(input.TransactItems!.length).toBeGreaterThan(1);
  });
});
