import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapConcurrently } from '../../shared/concurrency';
import * as z from '../../shared/zod';
import { type RouteDeclaration, routeKey, routes } from '../../shared/http/routes';
import type { CrossTenantArea } from '../support/cross-tenant/area';
import { hostileStrings } from '../support/fuzz/hostile';
import { discoverAreas, idsByName, requestFromDeclaration } from '../support/fuzz/route-requests';
import { type ApiResponse, type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { signInPerson } from '../support/people-sign-in';

/**
 * Injection into list filters and cursors, on every declared GET route with a query: tenant B
 * sends forged, tampered and other-tenant cursors, and filter values carrying DynamoDB key and
 * expression syntax, quotes and tenant prefixes. Each answer is a 400 or a page of B's own
 * data: never a 5xx, never anything of tenant A's.
 */

const areas: CrossTenantArea[] = await discoverAreas();
const queryRoutes = routes.filter((route) => route.method === 'GET' && route.access.kind === 'tenant' && route.request?.query);
const queryFields = (route: RouteDeclaration) =>
  Object.keys((z.toJSONSchema(route.request!.query!, { io: 'input', unrepresentable: 'any' }) as { properties?: object }).properties ?? {});
const cursorRoutes = queryRoutes.filter((route) => queryFields(route).includes('cursor'));
/** Requests of one route in flight at once: the twin answers them while others wait on DynamoDB Local. */
const inFlight = 6;

let twin: TestTwin;
let bKey: string;
/** A person of B: routes of the person signed in (My work) refuse an API key before they read a cursor. */
let bPersonToken: string;
let aTenantId: string;
let bTenantId: string;
let ids: Record<string, string>;
let bIds: Record<string, string>;
let secrets: string[];
let aCursors: string[];

beforeAll(async () => {
  twin = await startTestTwin();
  const a = await createTenant(twin, { name: 'Injected A', plan: 'enterprise' });
  const b = await createTenant(twin, { name: 'Injecting B', plan: 'enterprise' });
  aTenantId = a.tenant.tenantId;
  bTenantId = b.tenant.tenantId;
  bKey = b.apiKey;
  const bAgentEmail = `b.agent.${Math.random().toString(36).slice(2, 8)}@injecting-b.example`;
  expect((await api(twin.url, 'POST', '/v1/people', { key: bKey, body: { email: bAgentEmail, role: 'agent' } })).status).toBe(201);
  bPersonToken = (await signInPerson(twin, bAgentEmail)).accessToken;
  // B holds data of the same kinds, so that routes with an id in the path list something of B's.
  // Each tenant's areas in order; the two tenants side by side.
  const seedAll = async (key: string) => {
    const data = [];
    for (const area of areas) data.push(await area.seed(twin, key));
    return data;
  };
  const [seeded, bSeeded] = await Promise.all([seedAll(a.apiKey), seedAll(bKey)]);
  aCursors = areas.flatMap((area, index) => (area.cursors?.(seeded[index]!) ?? []).map((entry) => entry.cursor).filter(Boolean));
  ids = idsByName(seeded);
  bIds = idsByName(bSeeded);
  // The areas seed fixed texts; what both tenants hold is no sign of a leak, A's ids and unique values are.
  const bTexts = new Set(bSeeded.flatMap((data) => data.secrets));
  secrets = [aTenantId, ...seeded.flatMap((data) => data.secrets).filter((secret) => !bTexts.has(secret))];
}, 180_000);
afterAll(() => twin?.close());

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Cursors B might craft: A's own, A's rewritten to B's prefix, keys naming A's partitions, and junk. */
function forgedCursors(): string[] {
  const a = `T#${aTenantId}`;
  const b = `T#${bTenantId}`;
  const decodedA = aCursors.map((cursor) => Buffer.from(cursor, 'base64url').toString('utf8'));
  return [
    ...aCursors,
    ...decodedA.map((text) => b64(text.replaceAll(aTenantId, bTenantId))),
    b64({ pk: a, sk: 'TENANT' }),
    b64({ pk: `${a}#CUS#${ids.customerId}`, sk: 'PROFILE', gsi1pk: `${a}#CUSTOMERS`, gsi1sk: ids.customerId }),
    b64({ pk: `${b}#x`, sk: 'x', gsi1pk: `${a}#CUSTOMERS`, gsi1sk: '' }),
    b64({ pk: b, sk: { S: 'x' } }),
    b64({ pk: b, sk: 'x', extra1: 'x', extra2: 'x', extra3: 'x', extra4: 'x' }),
    b64({ pk: `${b}#${'x'.repeat(600)}` }),
    b64({ ['__proto__']: { polluted: true }, pk: b }),
    b64('{"__proto__":{"polluted":"yes"},"pk":"T#x"}'),
    b64([`${a}`]),
    b64('null'),
    b64('"T#"'),
    b64({}),
    b64({ pk: `T#${aTenantId.slice(0, -1)}*` }),
    'not base64 !!',
    '%00',
    '',
    'A'.repeat(2_000),
    b64({ pk: b, sk: "' OR 1=1 --" }),
  ];
}

function expectNothingOfA(answer: ApiResponse, where: string) {
  expect(answer.status, `${where} → ${JSON.stringify(answer.body).slice(0, 300)}`).toBeLessThan(500);
  // 404: a filter naming something B does not have (a template version, say).
  expect([200, 400, 404], `${where} → ${JSON.stringify(answer.body).slice(0, 300)}`).toContain(answer.status);
  const { instance: _echo, ...rest } = (typeof answer.body === 'object' && answer.body ? answer.body : { text: answer.body }) as Record<string, unknown>;
  const text = JSON.stringify(rest);
  for (const secret of secrets) expect(text, `${where} leaks ${secret}`).not.toContain(secret);
  expect(Object.keys(Object.prototype)).toEqual([]);
}

describe('forged and other-tenant cursors', () => {
  it('covers the list routes', () => expect(cursorRoutes.length).toBeGreaterThan(3));

  it.each(cursorRoutes.map((route) => [routeKey(route), route] as [string, RouteDeclaration]))('%s refuses them or pages B’s own data', async (_name, route) => {
    const base = requestFromDeclaration(route, bIds).path;
    // Routes of the person signed in (their own work) answer an API key 403 person-required before any cursor is read.
    const key = route.problems?.includes('person-required') ? bPersonToken : bKey;
    const join = base.includes('?') ? '&' : '?';
    await mapConcurrently(forgedCursors(), inFlight, async (cursor) => {
      const answer = await api(twin.url, 'GET', `${base}${join}cursor=${encodeURIComponent(cursor)}`, { key });
      expectNothingOfA(answer, `${routeKey(route)} cursor ${cursor.slice(0, 60)}`);
    });
    await mapConcurrently(aCursors, inFlight, async (cursor) => {
      const answer = await api(twin.url, 'GET', `${base}${join}cursor=${encodeURIComponent(cursor)}`, { key });
      expect(answer.status, `${routeKey(route)} took A's cursor`).toBe(400);
    });
  }, 60_000);
});

describe('filter values with key and expression syntax', () => {
  const values = () => [
    ...hostileStrings.filter((value) => value !== ''),
    `T#${aTenantId}`,
    `T#${aTenantId}#CUSTOMERS`,
    `${ids.customerId}#`,
    ...Object.values(ids),
    'x'.repeat(5_000),
  ];

  it.each(queryRoutes.map((route) => [routeKey(route), route] as [string, RouteDeclaration]))('%s answers 400 or B’s own data', async (_name, route) => {
    const [path, validQuery] = requestFromDeclaration(route, bIds).path.split('?');
    const valid = new URLSearchParams(validQuery ?? '');
    const fields = queryFields(route).filter((name) => name !== 'limit' && name !== 'cursor');
    const requests = fields.flatMap((field) => values().map((value) => ({ field, value })));
    await mapConcurrently(requests, inFlight, async ({ field, value }) => {
      const query = new URLSearchParams(valid);
      query.set(field, value);
      const answer = await api(twin.url, 'GET', `${path}?${query}`, { key: bKey });
      expectNothingOfA(answer, `${routeKey(route)} ${field}=${value.slice(0, 40)}`);
    });
  }, 120_000);
});
