import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

const newKey = async (admin: string, scopes: string[], name = 'key') => {
  const created = await api(twin.url, 'POST', '/v1/api-keys', { key: admin, body: { name, scopes } });
  expect(created.status).toBe(201);
  return created.body as { keyId: string; secret: string; scopes: string[] };
};

describe('API keys', () => {
  it('are created with scopes, listed without secrets, and stop working when revoked', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const agent = await newKey(admin, ['agent'], 'Front desk');
    expect((await api(twin.url, 'GET', '/v1/tenant', { key: agent.secret })).status).toBe(200);

    const listed = await api(twin.url, 'GET', '/v1/api-keys', { key: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((k: { name: string }) => k.name).sort()).toEqual(['Front desk', 'Initial admin key']);
    for (const item of listed.body.items) {
      expect(item).not.toHaveProperty('secret');
      expect(item).not.toHaveProperty('secretHash');
    }

    expect((await api(twin.url, 'DELETE', `/v1/api-keys/${agent.keyId}`, { key: admin })).status).toBe(204);
    const revoked = await api(twin.url, 'GET', '/v1/tenant', { key: agent.secret });
    expect(revoked.status).toBe(401);
    expect((await api(twin.url, 'DELETE', `/v1/api-keys/${agent.keyId}`, { key: admin })).status).toBe(404);
  });

  it('are told apart by their key id only: no answer shows a character of a secret but the one that issues it', async () => {
    const { apiKey: admin, adminKeyId } = await createTenant(twin);
    const agent = await newKey(admin, ['agent'], 'Shown once');
    const secretParts = [admin, agent.secret].map((secret) => secret.split('.').at(-1)!);
    const listed = await api(twin.url, 'GET', '/v1/api-keys', { key: admin });
    expect(listed.body.items.map((item: Record<string, unknown>) => Object.keys(item).sort())).toEqual([
      ['createdAt', 'keyId', 'name', 'scopes'],
      ['createdAt', 'keyId', 'name', 'scopes'],
    ]);
    expect(listed.body.items.map((item: { keyId: string }) => item.keyId).sort()).toEqual([adminKeyId, agent.keyId].sort());
    const created = await api(twin.url, 'POST', '/v1/api-keys', { key: admin, body: { name: 'Another', scopes: ['readonly'] } });
    expect(created.body).not.toHaveProperty('prefix');
    for (const part of secretParts) expect(JSON.stringify(listed.body)).not.toContain(part.slice(0, 5));
  });

  it('answer 401 for unknown or malformed keys and 403 for a missing scope', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const tampered = admin.slice(0, -2) + (admin.endsWith('AA') ? 'BB' : 'AA');
    for (const key of [undefined, 'nonsense', tampered]) {
      expect((await api(twin.url, 'GET', '/v1/tenant', { key })).status).toBe(401);
    }
    const readonly = await newKey(admin, ['readonly']);
    const agent = await newKey(admin, ['agent']);
    const forbidden = await api(twin.url, 'POST', '/v1/customers', { key: readonly.secret, body: { displayName: 'X' } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail).toContain('agent');
    expect((await api(twin.url, 'GET', '/v1/api-keys', { key: agent.secret })).status).toBe(403);
    expect((await api(twin.url, 'PATCH', '/v1/settings', { key: agent.secret, body: { locale: 'en' } })).status).toBe(403);
    expect((await api(twin.url, 'GET', '/v1/customers', { key: readonly.secret })).status).toBe(200);
  });

  it('keep the last admin key from being revoked', async () => {
    const { apiKey: admin, adminKeyId } = await createTenant(twin);
    const refused = await api(twin.url, 'DELETE', `/v1/api-keys/${adminKeyId}`, { key: admin });
    expect(refused.status).toBe(409);
    const second = await newKey(admin, ['admin']);
    expect((await api(twin.url, 'DELETE', `/v1/api-keys/${adminKeyId}`, { key: second.secret })).status).toBe(204);
  });

  it('keep one admin key when the only two admins revoke each other at once', async () => {
    for (let round = 0; round < 3; round++) {
      const { apiKey: first, adminKeyId: firstId } = await createTenant(twin);
      const second = await newKey(first, ['admin']);
      const answers = await Promise.all([
        api(twin.url, 'DELETE', `/v1/api-keys/${second.keyId}`, { key: first }),
        api(twin.url, 'DELETE', `/v1/api-keys/${firstId}`, { key: second.secret }),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([204, 409]);
      const refused = answers.find((answer) => answer.status === 409)!;
      expect(refused.body.type).toMatch(/last-admin-key$/);
      const survivor = answers[0]!.status === 409 ? second.secret : first; // answers[0] revoked the second key
      const left = await api(twin.url, 'GET', '/v1/api-keys', { key: survivor });
      expect(left.body.items.filter((item: { scopes: string[] }) => item.scopes.includes('admin'))).toHaveLength(1);
    }
  });

  it('refuse unknown scopes and fields', async () => {
    const { apiKey: admin } = await createTenant(twin);
    const refused = await api(twin.url, 'POST', '/v1/api-keys', { key: admin, body: { name: 'x', scopes: ['root'], extra: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['$', '$.scopes[0]']);
  });

  it('page through keys with a cursor', async () => {
    const { apiKey: admin } = await createTenant(twin);
    for (let i = 0; i < 4; i++) await newKey(admin, ['readonly'], `k${i}`);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api(twin.url, 'GET', `/v1/api-keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: admin });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((k: { keyId: string }) => k.keyId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
  });

  it('may pass the gateway cache for a while after revocation, as in AWS, and are refused once it expires', async () => {
    // The cache's time is the twin's clock: the test moves it, so no step races the real time.
    const cached = await startTestTwin({ authorizerCacheSeconds: 300 });
    try {
      const { apiKey: admin } = await createTenant(cached);
      const agent = await newKey(admin, ['agent']);
      expect((await api(cached.url, 'GET', '/v1/tenant', { key: agent.secret })).status).toBe(200);
      expect((await api(cached.url, 'DELETE', `/v1/api-keys/${agent.keyId}`, { key: admin })).status).toBe(204);
      cached.clock.advance(299_000);
      expect((await api(cached.url, 'GET', '/v1/tenant', { key: agent.secret })).status).toBe(200);
      cached.clock.advance(1_000);
      expect((await api(cached.url, 'GET', '/v1/tenant', { key: agent.secret })).status).toBe(401);
    } finally {
      await cached.close();
    }
  });
});
