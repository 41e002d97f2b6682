import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient} from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { auditLogKeys } from '../../shared/data/audit-log-repo';
import { type CreatedTenant, api, createTenant, startTestTwin, testTableClient, type TestTwin } from '../support/twin';

/**
 * Issue 11 §7, the audit log for tenants: every audited change writes exactly one entry (who,
 * when, what, from where), atomically with the change; replays and refusals write none; the log
 * pages newest first and filters by action and actor; only admin keys read it.
 */

let twin: TestTwin;
let client: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  twin = await startTestTwin();
  ({ client, tableName } = testTableClient());
});
afterAll(async () => {
  client.destroy();
  await twin.close();
});

const userAgent = 'audit-log-test/1.0 (+integration)';
const headers = { 'user-agent': userAgent };

interface Entry {
  entryId: string;
  at: string;
  action: string;
  actor: { type: string; keyId?: string };
  target: { type: string; id?: string };
  summary: Record<string, unknown>;
  source: { ip: string; userAgent: string };
}

/** Every entry of the tenant's log, newest first, following the cursors. */
async function auditLog(adminKey: string, query = ''): Promise<Entry[]> {
  const entries: Entry[] = [];
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams(query);
    params.set('limit', '100');
    if (cursor) params.set('cursor', cursor);
    const page = await api(twin.url, 'GET', `/v1/audit-log?${params}`, { key: adminKey });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    entries.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return entries;
}

const ofAction = (entries: Entry[], action: string) => entries.filter((entry) => entry.action === action);

async function newKey(tenant: CreatedTenant, scopes: string[], name = 'key') {
  const created = await api(twin.url, 'POST', '/v1/api-keys', { key: tenant.apiKey, body: { name, scopes }, headers });
  expect(created.status).toBe(201);
  return created.body as { keyId: string; secret: string };
}

/** Asserts the who, when and from where every entry written by these tests' requests carries. */
function expectMadeBy(entry: Entry | undefined, keyId: string, before: number) {
  expect(entry).toBeDefined();
  expect(entry!.actor).toEqual({ type: 'api-key', keyId });
  expect(entry!.entryId).toMatch(/^aud_[0-9A-Z]{26}$/);
  expect(Date.parse(entry!.at)).toBeGreaterThanOrEqual(before - 1000);
  expect(Date.parse(entry!.at)).toBeLessThanOrEqual(Date.now() + 1000);
  expect(entry!.source).toEqual({ ip: '127.0.0.1', userAgent });
}

describe('audit log: each audited action writes exactly one entry with actor, time, action, target and source', () => {
  it('tenant.created: the operator signing a tenant up, with its plan and first admin key', async () => {
    const before = Date.now();
    const created = await api(twin.url, 'POST', '/v1/tenants', {
      key: twin.operatorKey,
      body: { name: 'Audited sign-up', timezone: 'Asia/Taipei', locale: 'en', defaultCountry: 'TW', plan: 'starter' },
      headers,
    });
    expect(created.status).toBe(201);
    const entries = await auditLog(created.body.apiKey.secret);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'tenant.created',
      actor: { type: 'operator' },
      target: { type: 'tenant', id: created.body.tenant.tenantId },
      summary: { plan: 'starter', adminKeyId: created.body.apiKey.keyId },
      source: { ip: '127.0.0.1', userAgent },
    });
    expect(Date.parse(entries[0]!.at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("allocation.granted, allocation.released, api-key.created by the operator, tenant.suspended and tenant.resumed: the operator's changes, one entry each", async () => {
    const tenant = await createTenant(twin);
    const tenantId = tenant.tenant.tenantId as string;
    const operator = (method: string, path: string, body?: unknown) =>
      api(twin.url, method, `/v1/operator/tenants/${tenantId}${path}`, { key: twin.operatorKey, body, headers });
    const sender = `+1555${String(Date.now()).slice(-7)}`;
    expect((await operator('POST', '/allocations', { resource: { kind: 'sms-origination-identity', id: sender } })).status).toBe(200);
    // Doing it again changes nothing and records nothing.
    expect((await operator('POST', '/allocations', { resource: { kind: 'sms-origination-identity', id: sender } })).status).toBe(200);
    expect((await operator('POST', '/allocations/release', { resource: { kind: 'sms-origination-identity', id: sender } })).status).toBe(200);
    const issued = await operator('POST', '/admin-keys', { name: 'Recovered admin' });
    expect(issued.status).toBe(201);
    expect((await operator('POST', '/suspend', { reason: 'Unpaid invoice' })).status).toBe(200);
    expect((await operator('POST', '/suspend', { reason: 'Unpaid invoice' })).status).toBe(200);
    expect((await operator('POST', '/resume', {})).status).toBe(200);

    const entries = await auditLog(tenant.apiKey, 'actor=operator');
    expect(entries.map((entry) => entry.action)).toEqual([
      'tenant.resumed',
      'tenant.suspended',
      'api-key.created',
      'allocation.released',
      'allocation.granted',
      'tenant.created',
    ]);
    for (const entry of entries) {
      expect(entry.actor).toEqual({ type: 'operator' });
      expect(entry.source).toEqual({ ip: '127.0.0.1', userAgent: entry.action === 'tenant.created' ? expect.any(String) : userAgent });
    }
    expect(ofAction(entries, 'allocation.granted')[0]).toMatchObject({ target: { type: 'allocation', id: sender }, summary: { kind: 'sms-origination-identity', resourceId: sender } });
    expect(ofAction(entries, 'api-key.created')[0]).toMatchObject({ target: { type: 'api-key', id: issued.body.apiKey.keyId }, summary: { scopes: ['admin'] } });
    expect(ofAction(entries, 'tenant.suspended')[0]).toMatchObject({ target: { type: 'tenant', id: tenantId }, summary: { reason: 'Unpaid invoice' } });
    expect(JSON.stringify(entries)).not.toContain(issued.body.apiKey.secret);
  });

  it('api-key.created and api-key.revoked: one entry each, with the scopes and never the secret', async () => {
    const tenant = await createTenant(twin);
    const before = Date.now();
    const agent = await newKey(tenant, ['agent'], 'Front desk');
    expect((await api(twin.url, 'DELETE', `/v1/api-keys/${agent.keyId}`, { key: tenant.apiKey, headers })).status).toBe(204);
    // The retry of a revocation finds no key: refused, and recorded nothing.
    expect((await api(twin.url, 'DELETE', `/v1/api-keys/${agent.keyId}`, { key: tenant.apiKey, headers })).status).toBe(404);

    const entries = await auditLog(tenant.apiKey);
    const [created] = ofAction(entries, 'api-key.created');
    const revoked = ofAction(entries, 'api-key.revoked');
    expect(ofAction(entries, 'api-key.created')).toHaveLength(1);
    expect(revoked).toHaveLength(1);
    expectMadeBy(created, tenant.adminKeyId, before);
    expectMadeBy(revoked[0], tenant.adminKeyId, before);
    expect(created).toMatchObject({ target: { type: 'api-key', id: agent.keyId }, summary: { scopes: ['agent'] } });
    expect(revoked[0]).toMatchObject({ target: { type: 'api-key', id: agent.keyId }, summary: { scopes: ['agent'] } });
    expect(JSON.stringify(entries)).not.toContain(agent.secret.split('.').at(-1)!);
    expect(JSON.stringify(entries)).not.toContain('Front desk');
  });

  it('api-key.revoked for an admin key (the transactional last-admin path); the refused last admin records nothing', async () => {
    const tenant = await createTenant(twin);
    const second = await newKey(tenant, ['admin'], 'Second admin');
    expect((await api(twin.url, 'DELETE', `/v1/api-keys/${tenant.adminKeyId}`, { key: second.secret, headers })).status).toBe(204);
    expect((await api(twin.url, 'DELETE', `/v1/api-keys/${second.keyId}`, { key: second.secret, headers })).status).toBe(409);
    const revoked = ofAction(await auditLog(second.secret), 'api-key.revoked');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ actor: { type: 'api-key', keyId: second.keyId }, target: { id: tenant.adminKeyId }, summary: { scopes: ['admin'] } });
  });

  it('settings.changed: the changed field paths only, never their values; a patch that changes nothing and a refused patch record nothing', async () => {
    const tenant = await createTenant(twin);
    const before = Date.now();
    const patch = { locale: 'en', businessHours: { mon: [{ open: '08:00', close: '17:00' }] } };
    const changed = await api(twin.url, 'PATCH', '/v1/settings', { key: tenant.apiKey, body: patch, headers });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await api(twin.url, 'PATCH', '/v1/settings', { key: tenant.apiKey, body: { locale: 'en' }, headers })).status).toBe(200);
    expect((await api(twin.url, 'PATCH', '/v1/settings', { key: tenant.apiKey, body: { locale: 'xx' }, headers })).status).toBe(400);

    const entries = ofAction(await auditLog(tenant.apiKey), 'settings.changed');
    expect(entries).toHaveLength(1);
    expectMadeBy(entries[0], tenant.adminKeyId, before);
    expect(entries[0]).toMatchObject({ target: { type: 'settings' } });
    expect(entries[0]!.summary).toEqual({ changedFields: ['businessHours.mon', 'locale'] });
    expect(JSON.stringify(entries[0])).not.toContain('08:00');
  });

  it('webhook.created, webhook.changed, webhook.secret-rotated and webhook.deleted: one entry each, no URL or secret', async () => {
    const tenant = await createTenant(twin);
    const before = Date.now();
    const url = 'https://hooks.example.com/audit-hook?token=not-for-the-log';
    const created = await api(twin.url, 'POST', '/v1/webhooks', {
      key: tenant.apiKey,
      body: { url, eventTypes: ['Case Status Changed'] },
      headers,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const webhookId = created.body.webhookId as string;
    const path = `/v1/webhooks/${webhookId}`;
    const changed = await api(twin.url, 'PATCH', path, {
      key: tenant.apiKey,
      body: { enabled: false, description: 'Paused' },
      headers: { ...headers, 'if-match': created.headers.get('etag')! },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const rotated = await api(twin.url, 'PATCH', path, {
      key: tenant.apiKey,
      body: { rotateSecret: true },
      headers: { ...headers, 'if-match': changed.headers.get('etag')! },
    });
    expect(rotated.status).toBe(200);
    // A stale If-Match changes nothing and records nothing.
    expect((await api(twin.url, 'PATCH', path, { key: tenant.apiKey, body: { enabled: true }, headers: { ...headers, 'if-match': changed.headers.get('etag')! } })).status).toBe(412);
    expect((await api(twin.url, 'DELETE', path, { key: tenant.apiKey, headers })).status).toBe(204);
    expect((await api(twin.url, 'DELETE', path, { key: tenant.apiKey, headers })).status).toBe(404);

    const entries = await auditLog(tenant.apiKey);
    const target = { type: 'webhook', id: webhookId };
    for (const action of ['webhook.created', 'webhook.changed', 'webhook.secret-rotated', 'webhook.deleted']) {
      const found = ofAction(entries, action);
      expect(found, action).toHaveLength(1);
      expectMadeBy(found[0], tenant.adminKeyId, before);
      expect(found[0]!.target, action).toEqual(target);
    }
    expect(ofAction(entries, 'webhook.created')[0]!.summary).toEqual({ eventTypes: ['Case Status Changed'], enabled: true });
    expect(ofAction(entries, 'webhook.changed')[0]!.summary).toEqual({ changedFields: ['description', 'enabled'] });
    const text = JSON.stringify(entries);
    for (const secret of [created.body.secret, rotated.body.secret, 'not-for-the-log', 'Paused']) expect(text).not.toContain(secret);
  });

  it('export.downloaded: each download, by the key that read it, with the range and the row count', async () => {
    const tenant = await createTenant(twin);
    const reader = await newKey(tenant, ['readonly'], 'BI tool');
    const before = Date.now();
    const download = await api(twin.url, 'GET', '/v1/exports/contacts?from=2026-01-01&to=2026-01-07&include=notes', { key: reader.secret, headers });
    expect(download.status).toBe(200);
    const surveys = await api(twin.url, 'GET', '/v1/exports/survey-responses?from=2026-01-01&to=2026-01-07', { key: reader.secret, headers });
    expect(surveys.status).toBe(200);
    // A refused export read nothing and records nothing.
    expect((await api(twin.url, 'GET', '/v1/exports/contacts?from=2026-01-07&to=2026-01-01', { key: reader.secret, headers })).status).toBe(400);

    const entries = ofAction(await auditLog(tenant.apiKey), 'export.downloaded');
    expect(entries).toHaveLength(2);
    for (const entry of entries) expectMadeBy(entry, reader.keyId, before);
    const contacts = entries.find((entry) => entry.target.id === 'contacts');
    expect(contacts).toMatchObject({
      target: { type: 'export', id: 'contacts' },
      summary: { export: 'contacts', from: '2026-01-01', to: '2026-01-07', rows: 0, withNotes: true, continued: false },
    });
    expect(entries.find((entry) => entry.target.id === 'survey-responses')?.summary).toMatchObject({ export: 'survey-responses', withNotes: false });
  });

  it('customer.erased: once, by the agent that erased; erasing again records nothing', async () => {
    const tenant = await createTenant(twin);
    const agent = await newKey(tenant, ['agent'], 'Agent');
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: agent.secret, body: { displayName: 'To Be Erased', phone: '0912345678' } });
    expect(customer.status).toBe(201);
    const before = Date.now();
    const path = `/v1/customers/${customer.body.customerId}`;
    expect((await api(twin.url, 'DELETE', path, { key: agent.secret, headers })).status).toBe(204);
    expect((await api(twin.url, 'DELETE', path, { key: agent.secret, headers })).status).toBe(204);

    const entries = ofAction(await auditLog(tenant.apiKey), 'customer.erased');
    expect(entries).toHaveLength(1);
    expectMadeBy(entries[0], agent.keyId, before);
    expect(entries[0]).toMatchObject({ target: { type: 'customer', id: customer.body.customerId }, summary: {} });
    expect(JSON.stringify(entries)).not.toContain('To Be Erased');
    expect(JSON.stringify(entries)).not.toContain('912345678');
  });
});

describe('audit log: idempotent replays write no second entry', () => {
  it('replaying POST /v1/api-keys and POST /v1/webhooks with the same Idempotency-Key records one entry each', async () => {
    const tenant = await createTenant(twin);
    const keyBody = { name: 'Replayed', scopes: ['readonly'] };
    const hookBody = { url: 'https://hooks.example.com/replayed', eventTypes: ['*'] };
    for (let attempt = 0; attempt < 3; attempt++) {
      const key = await api(twin.url, 'POST', '/v1/api-keys', { key: tenant.apiKey, body: keyBody, headers: { 'idempotency-key': 'audit-replay-key' } });
      expect(key.status).toBe(attempt === 0 ? 201 : 409);
      const hook = await api(twin.url, 'POST', '/v1/webhooks', { key: tenant.apiKey, body: hookBody, headers: { 'idempotency-key': 'audit-replay-hook' } });
      expect(hook.status).toBe(attempt === 0 ? 201 : 409);
    }
    const entries = await auditLog(tenant.apiKey);
    expect(ofAction(entries, 'api-key.created')).toHaveLength(1);
    expect(ofAction(entries, 'webhook.created')).toHaveLength(1);
  });
});

describe('audit log: paging and filters', () => {
  it('pages newest first with the cursor, and filters by action, by actor and by both without mixing in other entries', async () => {
    const tenant = await createTenant(twin);
    const agent = await newKey(tenant, ['agent'], 'Agent');
    const made: string[] = [];
    for (let i = 0; i < 4; i++) made.push((await newKey(tenant, ['readonly'], `k${i}`)).keyId);
    for (let i = 0; i < 3; i++) {
      const customer = await api(twin.url, 'POST', '/v1/customers', { key: agent.secret, body: { displayName: `C${i}` } });
      expect((await api(twin.url, 'DELETE', `/v1/customers/${customer.body.customerId}`, { key: agent.secret })).status).toBe(204);
    }
    expect((await api(twin.url, 'GET', '/v1/exports/contacts?from=2026-01-01&to=2026-01-02', { key: agent.secret })).status).toBe(200);

    // 1 sign-up + 5 keys + 3 erasures + 1 export.
    const pages: Entry[][] = [];
    let cursor: string | undefined;
    do {
      const page = await api(twin.url, 'GET', `/v1/audit-log?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { key: tenant.apiKey });
      expect(page.status).toBe(200);
      pages.push(page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = pages.flat();
    expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
    expect(all).toHaveLength(10);
    expect(new Set(all.map((entry) => entry.entryId)).size).toBe(10);
    expect(all.map((entry) => entry.entryId)).toEqual([...all.map((entry) => entry.entryId)].sort().reverse());
    expect(all.at(-1)!.action).toBe('tenant.created');
    expect(all[0]!.action).toBe('export.downloaded');

    const created = await auditLog(tenant.apiKey, 'action=api-key.created');
    expect(created.map((entry) => entry.target.id)).toEqual([...made].reverse().concat(agent.keyId));

    const byAgent = await auditLog(tenant.apiKey, `actor=${agent.keyId}`);
    expect(byAgent.map((entry) => entry.action)).toEqual(['export.downloaded', 'customer.erased', 'customer.erased', 'customer.erased']);

    const agentErasures = await auditLog(tenant.apiKey, `actor=${agent.keyId}&action=customer.erased`);
    expect(agentErasures).toHaveLength(3);
    expect(await auditLog(tenant.apiKey, `actor=${tenant.adminKeyId}&action=customer.erased`)).toEqual([]);
    expect((await auditLog(tenant.apiKey, 'actor=operator')).map((entry) => entry.action)).toEqual(['tenant.created']);

    // A filtered list's cursor pages that list, and is refused by another.
    const firstByAction = await api(twin.url, 'GET', '/v1/audit-log?action=api-key.created&limit=2', { key: tenant.apiKey });
    const next = await api(twin.url, 'GET', `/v1/audit-log?action=api-key.created&limit=2&cursor=${firstByAction.body.nextCursor}`, { key: tenant.apiKey });
    expect(next.body.items.map((entry: Entry) => entry.target.id)).toEqual([made[1], made[0]]);
    const crossed = await api(twin.url, 'GET', `/v1/audit-log?actor=${agent.keyId}&cursor=${firstByAction.body.nextCursor}`, { key: tenant.apiKey });
    expect(crossed.status).toBe(400);
  });

  it('refuses an unknown action or a malformed actor with 400 naming the query field', async () => {
    const tenant = await createTenant(twin);
    for (const [query, field] of [
      ['action=api-key.deleted', 'query.action'],
      ['actor=T%23x%23AUDIT', 'query.actor'],
      ['actor=key_123', 'query.actor'],
    ]) {
      const answer = await api(twin.url, 'GET', `/v1/audit-log?${query}`, { key: tenant.apiKey });
      expect(answer.status, query).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
      expect(answer.body.errors.map((error: { path: string }) => error.path), query).toContain(field);
    }
  });
});

describe('audit log: access, retention and append-only', () => {
  it('answers 403 to agent and readonly keys: the log is for admins', async () => {
    const tenant = await createTenant(twin);
    for (const scopes of [['agent'], ['readonly']]) {
      const key = await newKey(tenant, scopes);
      const answer = await api(twin.url, 'GET', '/v1/audit-log', { key: key.secret });
      expect(answer.status, scopes.join()).toBe(403);
      expect(answer.body.type).toMatch(/forbidden$/);
    }
  });

  it('keeps each entry one year: its TTL attribute is one calendar year after it was made', async () => {
    const tenant = await createTenant(twin);
    const [entry] = await auditLog(tenant.apiKey);
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: auditLogKeys.entry(tenant.tenant.tenantId, entry!.entryId), ConsistentRead: true }),
    );
    const oneYearLater = new Date(entry!.at);
    oneYearLater.setUTCFullYear(oneYearLater.getUTCFullYear() + 1);
    expect(Item?.expiresAt).toBe(Math.floor(oneYearLater.getTime() / 1000));
  });

  it('no route changes or deletes an entry: every other method on the log and on an entry is refused and the entry stays', async () => {
    const tenant = await createTenant(twin);
    const [entry] = await auditLog(tenant.apiKey);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const path of ['/v1/audit-log', `/v1/audit-log/${entry!.entryId}`]) {
        const answer = await api(twin.url, method, path, { key: tenant.apiKey, body: { action: 'settings.changed' } });
        expect([404, 405], `${method} ${path}`).toContain(answer.status);
      }
    }
    expect(await auditLog(tenant.apiKey)).toEqual([entry]);
  });
});
