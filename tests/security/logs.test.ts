import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RouteDeclaration, routeKey, routes } from '../../shared/http/routes';
import type * as RouteRequests from '../support/fuzz/route-requests';
import { captureLogLines } from '../support/log-capture';
import type * as TwinSupport from '../support/twin';
import type { TestTwin } from '../support/twin';
import { settle } from '../support/waiting';

/**
 * Personal data stays out of the logs on every declared tenant route, not only the customer
 * routes tests/integration/logging.test.ts walks through: each route gets a request built from
 * its declaration with personal-looking values in every field whose name suggests them (names,
 * phone, e-mail, free text), valid or not, and no log line may carry any of them, on stdout or
 * stderr (where WARN and ERROR go; tests/integration/logging.test.ts drives those paths).
 */

const personal = {
  name: 'Xiuyingzhangmarker',
  phone: '+886 912 345 678',
  phoneDigits: '912345678',
  email: 'pii.marker.zhang@example.org',
  text: 'Confidential-marker-text about my divorce',
};
const leaks = [personal.name, personal.phoneDigits, personal.email, 'Confidential-marker-text', 'pii.marker'];

function personalValueFor(field: string): string | undefined {
  if (/phone|msisdn/i.test(field)) return personal.phone;
  if (/e-?mail/i.test(field)) return personal.email;
  if (/name/i.test(field)) return personal.name;
  if (/note|text|description|subject|comment|reason|message/i.test(field)) return personal.text;
  return undefined;
}

/** The body with every field whose name suggests personal data (at any depth) set to such data. */
function withPersonalData(value: unknown, field = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => withPersonalData(item, field));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withPersonalData(inner, key)]));
  }
  return typeof value === 'string' ? (personalValueFor(field) ?? value) : value;
}

let twin: TestTwin;
let support: typeof TwinSupport;
let requests: typeof RouteRequests;
let key: string;
let ids: Record<string, string>;
const captured = captureLogLines();
const tenantRoutes = routes.filter((route) => route.access.kind === 'tenant');

beforeAll(async () => {
  // As deployed (POWERTOOLS_LOG_LEVEL=INFO); Powertools reads it when its module loads.
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  support = await import('../support/twin');
  requests = await import('../support/fuzz/route-requests');
  twin = await support.startTestTwin();
  const tenant = await support.createTenant(twin, { name: 'Private Co', plan: 'enterprise' });
  key = tenant.apiKey;
  const seeded = [];
  for (const area of await requests.discoverAreas()) seeded.push(await area.seed(twin, key));
  ids = requests.idsByName(seeded);
}, 180_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await twin?.close();
});

describe('logs on every tenant route', () => {
  it.each(tenantRoutes.map((route) => [routeKey(route), route] as [string, RouteDeclaration]))('%s logs none of the personal data it was sent', async (_name, route) => {
    const before = captured.length;
    const generated = requests.requestFromDeclaration(route, ids);
    const [path, query] = generated.path.split('?');
    const params = new URLSearchParams(query ?? '');
    for (const field of [...params.keys()]) params.set(field, personalValueFor(field) ?? params.get(field)!);
    for (const field of ['phone', 'email']) if (!params.has(field) && route.method === 'GET' && route.request?.query) params.set(field, personalValueFor(field)!);
    const target = params.size > 0 ? `${path}?${params}` : path!;
    const answer = await support.api(twin.url, route.method, target, { key, body: withPersonalData(generated.body), headers: generated.headers });
    expect(answer.status, `${routeKey(route)}: ${JSON.stringify(answer.body).slice(0, 200)}`).toBeLessThan(500);
    await settle(twin);
    const logged = captured.slice(before).map((entry) => entry.line);
    expect(logged.some((line) => line.includes('"Request handled"')), `${routeKey(route)} logged its answer`).toBe(true);
    for (const line of logged) for (const leak of leaks) expect(line, `${routeKey(route)} logged ${leak}`).not.toContain(leak);
  });
});
