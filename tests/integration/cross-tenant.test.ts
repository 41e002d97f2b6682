import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteDeclaration, routeKey, routes } from '../../shared/http/routes';
import type { CrossTenantArea } from '../support/cross-tenant/area';
import { missingTwin } from '../support/cross-tenant/area';
import { discoverAreas } from '../support/fuzz/route-requests';
import { api, createTenant, startTestTwin, type TestTwin } from '../support/twin';

/**
 * Tenant B, holding a valid admin key of its own, aims every tenant route at tenant A's data.
 * A route with an id answers exactly as it would for an id that does not exist; no answer
 * carries anything of tenant A; A's data is unchanged afterwards. Every declared tenant route
 * must have a probe in one of the areas: a new route fails this test until it is given one.
 */
/** Every area of tests/support/cross-tenant, found by the same discovery as the matrix and the fuzzing. */
const areas: CrossTenantArea[] = await discoverAreas();

let twin: TestTwin;
let aKey: string;
let bKey: string;
let aTenantId: string;
const seeded = new Map<CrossTenantArea, { secrets: string[] }>();

beforeAll(async () => {
  twin = await startTestTwin();
  const tenantA = await createTenant(twin, { name: 'Tenant A' });
  aKey = tenantA.apiKey;
  aTenantId = tenantA.tenant.tenantId;
  bKey = (await createTenant(twin, { name: 'Tenant B' })).apiKey;
  for (const area of areas) seeded.set(area, await area.seed(twin, aKey));
});
afterAll(() => twin.close());

const tenantRoutes = routes.filter((route) => route.access.kind === 'tenant');
const areaOf = (operationId: string) => areas.find((area) => area.probes[operationId]);

describe('cross-tenant isolation', () => {
  it('has a probe for every tenant route', () => {
    expect(tenantRoutes.map((route) => route.operationId).filter((id) => !areaOf(id))).toEqual([]);
  });

  it.each(tenantRoutes.map((route) => [routeKey(route), route] as [string, RouteDeclaration]))(
    "%s with tenant B's key reveals and changes nothing of tenant A",
    async (_name, route) => {
      const area = areaOf(route.operationId)!;
      const a = seeded.get(area)!;
      const probe = area.probes[route.operationId]!(a);
      const send = (path: string) => api(twin.url, route.method, path, { key: bKey, body: probe.body, headers: probe.headers });
      const answer = await send(probe.path);
      // `instance` echoes the caller's own request path; what must not appear is anything else of A's.
      const { instance: _echo, ...answerBody } = (typeof answer.body === 'object' ? answer.body : {}) as Record<string, unknown>;
      const text = JSON.stringify(answerBody) + (typeof answer.body === 'string' ? answer.body : '');
      for (const secret of [aTenantId, ...a.secrets]) expect(text).not.toContain(secret);
      if (route.path.includes('{')) {
        const missing = await send(missingTwin(probe.path));
        expect(answer.status).toBe(404);
        expect(answer.body.detail).toBe(missing.body.detail);
      }
    },
  );

  it("leaves tenant A's data as it was", async () => {
    for (const area of areas) await area.verifyUnchanged(twin, aKey, seeded.get(area)!);
  });

  it("makes tenant A's cursors useless to tenant B", async () => {
    const cursors = areas.flatMap((area) => area.cursors?.(seeded.get(area)!) ?? []);
    expect(cursors.length).toBeGreaterThan(0);
    for (const { path, cursor } of cursors) {
      expect(cursor, path).toBeTruthy();
      const answer = await api(twin.url, 'GET', `${path}?cursor=${encodeURIComponent(cursor)}`, { key: bKey });
      expect(answer.status, path).toBe(400);
    }
  });
});
