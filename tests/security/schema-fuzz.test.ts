import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteDeclaration, routeKey, routes } from '../../shared/http/routes';
import type { CrossTenantArea } from '../support/cross-tenant/area';
import { hostileJson, hostileString, malformedBodies, mutatedField, withPollutionKeys } from '../support/fuzz/hostile';
import { discoverAreas, idsByName, requestFromDeclaration } from '../support/fuzz/route-requests';
import { difference, tableKeys } from '../support/fuzz/table-snapshot';
import { type ApiResponse, type TestTwin, api, createTenant, startTestTwin } from '../support/twin';
import { settle as settleTwin } from '../support/waiting';
import { signInPerson } from '../support/people-sign-in';

/**
 * Property-based fuzzing of every declared request schema through the local twin. For each route
 * with a body, query or path schema, fast-check sends hostile input (wrong types, huge and odd
 * strings, prototype-pollution keys, deep nesting, malformed JSON, edge numbers) and valid
 * requests with one field made hostile. Whatever comes in: never a 5xx; every refusal is
 * problem+json (HTML for pages) with the status it says; a refused request leaves the table
 * exactly as it was; Object.prototype stays clean. The seed is fixed and printed.
 */

const seed = Number(process.env.FUZZ_SEED ?? 20261122);
const numRuns = Number(process.env.FUZZ_RUNS ?? 20);
const fuzzed = routes.filter((route) => route.request?.body || route.request?.query || route.request?.params);

let twin: TestTwin;
let adminKey: string;
/** An access token of the tenant's admin person: the authorizer takes people's tokens too. */
let adminPersonToken: string;
let ids: Record<string, string>;
let snapshot: () => Promise<Set<string>>;

beforeAll(async () => {
  twin = await startTestTwin();
  const tenant = await createTenant(twin, { name: 'Fuzzed Co', plan: 'enterprise' });
  adminKey = tenant.apiKey;
  const adminEmail = `fuzz.admin.${Math.random().toString(36).slice(2, 8)}@fuzzed.example`;
  expect((await api(twin.url, 'POST', '/v1/people', { key: adminKey, body: { email: adminEmail, role: 'admin' } })).status).toBe(201);
  adminPersonToken = (await signInPerson(twin, adminEmail)).accessToken;
  // The authorizer records a sign-in on a person's first request: let that write happen before any snapshot.
  expect((await api(twin.url, 'GET', '/v1/me', { key: adminPersonToken })).status).toBe(200);
  // The hand-written areas' data gives the fuzzer real ids to aim valid-shaped requests at.
  const areas: CrossTenantArea[] = await discoverAreas();
  const seeded = [];
  for (const area of areas) seeded.push(await area.seed(twin, adminKey));
  // The operator routes aim at a tenant of their own, so that a suspension they make leaves the fuzzed tenant's routes open.
  const operated = await createTenant(twin, { name: 'Operated Co' });
  ids = { ...idsByName(seeded), tenantId: operated.tenant.tenantId };
  snapshot = tableKeys();
  console.info(`schema fuzz: seed ${seed}, ${numRuns} runs for each of ${fuzzed.length} routes (FUZZ_SEED / FUZZ_RUNS to change)`);
}, 180_000);
afterAll(() => twin?.close());

interface FuzzRequest {
  label: string;
  path: string;
  body?: string;
  contentType?: string;
  headers: Record<string, string>;
}

/** Tenant routes alternate between the admin's API key and the admin person's access token, so both credentials are fuzzed. */
const keyFor = (route: RouteDeclaration) =>
  route.access.kind === 'tenant'
    ? fuzzed.indexOf(route) % 2 === 0
      ? adminKey
      : adminPersonToken
    : route.access.kind === 'operator'
      ? twin.operatorKey
      : undefined;

function requests(route: RouteDeclaration): fc.Arbitrary<FuzzRequest> {
  const valid = requestFromDeclaration(route, ids);
  const [validPath, validQuery = ''] = valid.path.split('?');
  const page = route.page === true;
  const contentType = page ? 'application/x-www-form-urlencoded' : 'application/json';
  const sendsBody = route.method !== 'GET' && route.method !== 'DELETE';
  const validBody = !sendsBody ? undefined : page ? 'q1=5' : valid.body === undefined ? undefined : JSON.stringify(valid.body);
  const base = { headers: valid.headers, contentType };
  const withQuery = (query: string) => (query ? `${validPath}?${query}` : validPath!);
  const options: fc.Arbitrary<FuzzRequest>[] = [];

  const queryKeys = [...new URLSearchParams(validQuery).keys(), 'limit', 'cursor', 'from', 'to', 'groupBy', 'status', 'phone'];
  if (route.request?.query) {
    options.push(
      fc
        .dictionary(fc.constantFrom(...queryKeys, '__proto__', 'constructor'), hostileString(4_000), { minKeys: 1, maxKeys: 3 })
        .map((query) => ({ ...base, label: 'hostile query', path: withQuery(new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(validQuery)), ...query }).toString()), body: validBody })),
    );
  }
  if (route.path.includes('{')) {
    options.push(
      hostileString(2_000).map((segment) => ({
        ...base,
        label: 'hostile path parameter',
        path: `${route.path.replace(/\{\w+\}/, encodeURIComponent(segment) || '%20').replace(/\{(\w+)\}/g, (_w, name: string) => encodeURIComponent(ids[name] ?? 'x'))}${validQuery ? `?${validQuery}` : ''}`,
        body: validBody,
      })),
    );
  }
  if (route.request?.body && !page) {
    const validObject = (valid.body ?? {}) as Record<string, unknown>;
    options.push(
      hostileJson.map((body) => ({ ...base, label: 'arbitrary JSON body', path: withQuery(validQuery), body: JSON.stringify(body) })),
      mutatedField(validObject).map((body) => ({ ...base, label: 'one hostile field', path: withQuery(validQuery), body: JSON.stringify(body) })),
      fc.constantFrom(...malformedBodies).map((body) => ({ ...base, label: 'malformed body', path: withQuery(validQuery), body })),
      fc.constant({ ...base, label: 'prototype-pollution keys', path: withQuery(validQuery), body: withPollutionKeys(validObject) }),
      fc.constant({ ...base, label: 'oversized body', path: withQuery(validQuery), body: JSON.stringify({ ...validObject, padding: 'x'.repeat(70_000) }) }),
      fc.constant({ ...base, contentType: 'text/plain', label: 'wrong content type', path: withQuery(validQuery), body: validBody ?? '{}' }),
    );
  }
  if (route.request?.body && page) {
    options.push(
      fc
        .dictionary(fc.constantFrom('q1', 'nps', 'csat', '__proto__', 'constructor'), hostileString(4_000), { maxKeys: 4 })
        .map((form) => ({ ...base, label: 'hostile form', path: validPath!, body: new URLSearchParams(form).toString() })),
      fc.constant({ ...base, contentType: 'application/json', label: 'JSON to a form', path: validPath!, body: '{"q1":5}' }),
    );
  }
  return fc.oneof(...options);
}

const settle = () => settleTwin(twin);

function checkAnswer(route: RouteDeclaration, request: FuzzRequest, answer: ApiResponse) {
  const where = `${routeKey(route)} (${request.label}) → ${answer.status} ${typeof answer.body === 'string' ? answer.body.slice(0, 200) : JSON.stringify(answer.body).slice(0, 300)}`;
  expect(answer.status, where).toBeLessThan(500);
  expect(answer.status, where).toBeGreaterThanOrEqual(200);
  if (answer.status < 400) return;
  if (route.page) {
    expect(answer.headers.get('content-type'), where).toBe('text/html; charset=utf-8');
    return;
  }
  expect(answer.headers.get('content-type'), where).toBe('application/problem+json');
  expect(answer.body, where).toMatchObject({ type: expect.stringMatching(/^\/problems\/[a-z-]+$/), title: expect.any(String), status: answer.status });
}

describe('schema fuzzing: no 5xx, problem+json refusals, nothing half-written', () => {
  it('has routes to fuzz', () => expect(fuzzed.length).toBeGreaterThan(10));

  it('would notice a stray write (the snapshot sees a new item and a changed version)', async () => {
    const before = await snapshot();
    const customer = await api(twin.url, 'POST', '/v1/customers', { key: adminKey, body: { displayName: 'Canary' } });
    expect(customer.status).toBe(201);
    const afterCreate = await snapshot();
    expect(difference(afterCreate, before).some((key) => key.includes(customer.body.customerId))).toBe(true);
    const patched = await api(twin.url, 'PATCH', `/v1/customers/${customer.body.customerId}`, { key: adminKey, body: { givenName: 'Changed' }, headers: { 'if-match': '"1"' } });
    expect(patched.status).toBe(200);
    expect(difference(await snapshot(), afterCreate).some((key) => key.includes(customer.body.customerId) && key.endsWith('|2'))).toBe(true);
  });

  it.each(fuzzed.map((route) => [routeKey(route), route] as [string, RouteDeclaration]))(
    '%s',
    async (_name, route) => {
      // The twin's background work (the seed's webhook deliveries, timers of earlier requests)
      // must not pass for a write of a refused request: let it finish, and snapshot right before each request.
      await settle();
      await twin.scheduler.settled();
      await fc.assert(
        fc.asyncProperty(requests(route), async (request) => {
          await twin.bus.settled();
          await twin.scheduler.settled();
          const before = await snapshot();
          const answer = await api(twin.url, route.method, request.path, {
            key: keyFor(route),
            body: request.body,
            headers: { ...request.headers, ...(request.body !== undefined && request.contentType ? { 'content-type': request.contentType } : {}) },
          });
          checkAnswer(route, request, answer);
          expect(Object.keys(Object.prototype), 'Object.prototype was polluted').toEqual([]);
          if (answer.status >= 400) {
            const stray = difference(await snapshot(), before);
            expect(stray, `${routeKey(route)} (${request.label}) answered ${answer.status} but wrote`).toEqual([]);
          } else if (route.method !== 'GET') {
            await settle();
          }
        }),
        { seed, numRuns, endOnFailure: true },
      );
    },
    120_000,
  );
});
