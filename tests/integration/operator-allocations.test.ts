import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatedTenant, type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { allocate, allocateSmsSender } from '../support/operator';
import { uniqueDigits } from '../support/waiting';

/**
 * Issue 11 §1 "Tenants use only what the operator gave them": SMS senders, configuration sets,
 * opt-out lists and Amazon Connect registrations are the operator's to allocate; a tenant's
 * settings choose among them; one resource belongs to one tenant.
 */
let twin: TestTwin;
let acme: CreatedTenant;
let globex: CreatedTenant;
const acmeNumber = `+8862${uniqueDigits()}`;

beforeAll(async () => {
  twin = await startTestTwin();
  acme = await createTenant(twin, { name: 'Acme Support' });
  globex = await createTenant(twin, { name: 'Globex', locale: 'en' });
});
afterAll(() => twin.close());

const operator = (method: string, path: string, body?: unknown) => api(twin.url, method, `/v1/operator${path}`, { key: twin.operatorKey, body });
const patchSettings = (tenant: CreatedTenant, body: unknown) => api(twin.url, 'PATCH', '/v1/settings', { key: tenant.apiKey, body });
const phoneId = () => `phone-${uniqueDigits().padEnd(32, '0').slice(0, 32)}`;

describe('§1 tenant settings choose only among what the operator allocated', () => {
  it("refuses with 422 not-allocated, naming each field, a sender, configuration set or opt-out list the tenant was not given (another tenant's phone-… id included), and changes nothing", async () => {
    const globexId = phoneId();
    await allocateSmsSender(twin, globex.tenant.tenantId, globexId);
    const before = await api(twin.url, 'GET', '/v1/settings', { key: acme.apiKey });
    const refused = await patchSettings(acme, { sms: { originationIdentity: globexId, configurationSetName: 'globex-set', optOutListName: 'globex-list' } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.body.type).toBe('/problems/not-allocated');
    expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual(['$.sms.originationIdentity', '$.sms.configurationSetName', '$.sms.optOutListName']);
    expect(JSON.stringify(refused.body)).not.toContain(globex.tenant.tenantId);
    expect((await api(twin.url, 'GET', '/v1/settings', { key: acme.apiKey })).body).toEqual(before.body);
  });

  it('accepts an allocated sender under any of its names (its ARN is the same pool as its id)', async () => {
    const pool = `pool-${'a'.repeat(32)}`;
    await allocate(twin, acme.tenant.tenantId, 'sms-origination-identity', `arn:aws:sms-voice:ap-northeast-1:123456789012:pool/${pool}`);
    await allocate(twin, acme.tenant.tenantId, 'sms-configuration-set', 'acme-set');
    const accepted = await patchSettings(acme, { sms: { originationIdentity: pool, configurationSetName: 'arn:aws:sms-voice:ap-northeast-1:123456789012:configuration-set/acme-set' } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    // The tenant reads what it was given on its own record (the console's Settings show it).
    const own = await api(twin.url, 'GET', '/v1/tenant', { key: acme.apiKey });
    expect(own.body.allocations.smsOriginationIdentities).toContain(pool);
    expect(own.body.allocations.smsConfigurationSets).toContain('acme-set');
    expect((await patchSettings(acme, { sms: { originationIdentity: null, configurationSetName: null } })).status).toBe(200);
  });

  it('refuses to turn SMS surveys on without an allocated sender (422 naming $.surveys.enabled), rather than recording not_sent sms-not-configured later', async () => {
    const tenant = await createTenant(twin, { name: 'No Sender Co', locale: 'en' });
    const refused = await patchSettings(tenant, { surveys: { enabled: true, deliveryChannel: 'sms' } });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toBe('/problems/not-allocated');
    expect(refused.body.errors).toEqual([{ path: '$.surveys.enabled', message: expect.stringContaining('SMS surveys need an SMS sender') }]);
    expect((await api(twin.url, 'GET', '/v1/settings', { key: tenant.apiKey })).body.surveys.enabled).toBe(false);
    // Links need no sender; with an allocated sender, SMS surveys turn on.
    expect((await patchSettings(tenant, { surveys: { enabled: true, deliveryChannel: 'link' } })).status).toBe(200);
    const number = `+8862${uniqueDigits()}`;
    await allocateSmsSender(twin, tenant.tenant.tenantId, number);
    expect((await patchSettings(tenant, { sms: { originationIdentity: number }, surveys: { deliveryChannel: 'sms' } })).status).toBe(200);
    // …and the sender cannot be removed from under them.
    const removed = await patchSettings(tenant, { sms: { originationIdentity: null } });
    expect(removed.status).toBe(422);
    expect(removed.body.errors[0].path).toBe('$.sms.originationIdentity');
  });
});

describe('§1 one resource, one tenant: the operator allocates and releases', () => {
  it('gives the number to the first tenant; a second allocation to another tenant is 409 resource-taken naming the field, and allocating again to the holder changes nothing', async () => {
    const first = await operator('POST', `/tenants/${acme.tenant.tenantId}/allocations`, { resource: { kind: 'sms-origination-identity', id: acmeNumber } });
    expect(first.status).toBe(200);
    expect(first.body.allocations.smsOriginationIdentities).toContain(acmeNumber);
    const again = await operator('POST', `/tenants/${acme.tenant.tenantId}/allocations`, { resource: { kind: 'sms-origination-identity', id: acmeNumber } });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(first.body.version);

    const taken = await operator('POST', `/tenants/${globex.tenant.tenantId}/allocations`, { resource: { kind: 'sms-origination-identity', id: acmeNumber } });
    expect(taken.status).toBe(409);
    expect(taken.body.type).toBe('/problems/resource-taken');
    expect(taken.body.errors).toEqual([{ path: '$.resource.id', message: 'Allocated to another tenant' }]);
    expect(JSON.stringify(taken.body)).not.toContain(acme.tenant.tenantId);
    expect((await operator('GET', `/tenants/${globex.tenant.tenantId}`)).body.allocations.smsOriginationIdentities).not.toContain(acmeNumber);
  });

  it('lets exactly one of two tenants claiming the same number at once win; the other gets 409', async () => {
    const contested = `+8862${uniqueDigits()}`;
    const [a, b] = await Promise.all(
      [acme, globex].map((tenant) => operator('POST', `/tenants/${tenant.tenant.tenantId}/allocations`, { resource: { kind: 'sms-origination-identity', id: contested } })),
    );
    expect([a!.status, b!.status].sort()).toEqual([200, 409]);
    const holders = await Promise.all([acme, globex].map(async (tenant) => (await operator('GET', `/tenants/${tenant.tenant.tenantId}`)).body.allocations.smsOriginationIdentities.includes(contested)));
    expect(holders.filter(Boolean)).toHaveLength(1);
  });

  it("refuses to release what the tenant's settings still use (409 resource-in-use naming the setting); released once unused, another tenant may take it", async () => {
    const number = `+8862${uniqueDigits()}`;
    await allocateSmsSender(twin, acme.tenant.tenantId, number);
    expect((await patchSettings(acme, { sms: { originationIdentity: number } })).status).toBe(200);
    const release = () => operator('POST', `/tenants/${acme.tenant.tenantId}/allocations/release`, { resource: { kind: 'sms-origination-identity', id: number } });
    const inUse = await release();
    expect(inUse.status).toBe(409);
    expect(inUse.body.type).toBe('/problems/resource-in-use');
    expect(inUse.body.errors).toEqual([{ path: '$.resource.id', message: "Used by the tenant's setting $.sms.originationIdentity" }]);

    expect((await patchSettings(acme, { sms: { originationIdentity: null } })).status).toBe(200);
    const released = await release();
    expect(released.status).toBe(200);
    expect(released.body.allocations.smsOriginationIdentities).not.toContain(number);
    expect((await release()).status).toBe(200);
    expect((await patchSettings(acme, { sms: { originationIdentity: number } })).status).toBe(422);
    await allocateSmsSender(twin, globex.tenant.tenantId, number);
  });

  it('refuses an Amazon Connect instance whose account is not registered to the tenant, and what is not a resource of its kind', async () => {
    const instance = 'arn:aws:connect:us-west-2:210987654321:instance/12345678-1234-1234-1234-1234567890ab';
    const refused = await operator('POST', `/tenants/${acme.tenant.tenantId}/allocations`, { resource: { kind: 'connect-instance', id: instance } });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toBe('/problems/connect-account-not-registered');
    const invalid = await operator('POST', `/tenants/${acme.tenant.tenantId}/allocations`, { resource: { kind: 'sms-origination-identity', id: '0912345678' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].path).toBe('$.resource.id');
    expect((await operator('POST', '/tenants/ten_01ARZ3NDEKTSV4RRFFQ69G5FAV/allocations', { resource: { kind: 'connect-account', id: '210987654321' } })).status).toBe(404);
  });
});

describe('§1 the operator lists tenants with plan, state and allocations', () => {
  it('pages through every tenant with an opaque cursor (no Scan: the _operator directory), and refuses an edited cursor', async () => {
    const seen = new Map<string, { plan: string; state: string; allocations: { smsOriginationIdentities: string[] } }>();
    let cursor: string | undefined;
    do {
      const page = await operator('GET', `/tenants?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      for (const item of page.body.items) seen.set(item.tenantId, item);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.get(acme.tenant.tenantId)).toMatchObject({ plan: 'trial', state: 'active', allocations: { smsOriginationIdentities: expect.arrayContaining([acmeNumber]) } });
    expect(seen.has(globex.tenant.tenantId)).toBe(true);
    const edited = await operator('GET', `/tenants?cursor=${Buffer.from('{"after":"T#x"}').toString('base64url')}`);
    expect(edited.status).toBe(400);
  });

  it('is for the operator only: a tenant admin key gets 401 on every operator route', async () => {
    for (const [method, path] of [
      ['GET', '/v1/operator/tenants'],
      ['GET', `/v1/operator/tenants/${acme.tenant.tenantId}`],
      ['POST', `/v1/operator/tenants/${acme.tenant.tenantId}/allocations`],
      ['POST', `/v1/operator/tenants/${acme.tenant.tenantId}/suspend`],
      ['POST', `/v1/operator/tenants/${acme.tenant.tenantId}/admin-keys`],
    ] as const) {
      const refused = await api(twin.url, method, path, { key: acme.apiKey, body: method === 'POST' ? {} : undefined });
      expect(refused.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe('§1 a locked-out tenant gets a new admin key from the operator', () => {
  it('issues an admin key whose secret is shown once and works at once; an unknown tenant is 404', async () => {
    const issued = await operator('POST', `/tenants/${globex.tenant.tenantId}/admin-keys`, {});
    expect(issued.status).toBe(201);
    expect(issued.body.apiKey).toMatchObject({ scopes: ['admin'], name: 'Admin key issued by the operator', secret: expect.stringMatching(/^sb\./) });
    const own = await api(twin.url, 'GET', '/v1/tenant', { key: issued.body.apiKey.secret });
    expect(own.status).toBe(200);
    expect(own.body.tenantId).toBe(globex.tenant.tenantId);
    const keys = await api(twin.url, 'GET', '/v1/api-keys', { key: issued.body.apiKey.secret });
    expect(JSON.stringify(keys.body)).not.toContain(issued.body.apiKey.secret);
    expect((await operator('POST', '/tenants/ten_01ARZ3NDEKTSV4RRFFQ69G5FAV/admin-keys', {})).status).toBe(404);
  });
});
