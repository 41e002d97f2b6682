import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RouteDeclaration } from '../../../shared/http/route-types';
import type { CrossTenantArea } from '../cross-tenant/area';
import { asStrings, validSample } from './sample';

/**
 * Every cross-tenant area under tests/support/cross-tenant, found by looking rather than by a
 * list, so an area added there is used here too.
 */
export async function discoverAreas(): Promise<CrossTenantArea[]> {
  const folder = new URL('../cross-tenant/', import.meta.url);
  const files = readdirSync(fileURLToPath(folder)).filter((file) => file.endsWith('.ts')).sort();
  const modules = await Promise.all(files.map((file) => import(new URL(file, folder).href) as Promise<unknown>));
  const isArea = (value: unknown): value is CrossTenantArea =>
    typeof value === 'object' && value !== null && 'probes' in value && 'seed' in value && typeof (value as CrossTenantArea).seed === 'function';
  return Object.values(modules).flatMap((module) => Object.values(module as Record<string, unknown>).filter(isArea));
}

/** Tenant A's ids by name (customerId, caseId, …), gathered from what the areas seeded. */
export function idsByName(seeded: object[]): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const data of seeded) {
    for (const [name, value] of Object.entries(data)) if (typeof value === 'string' && !(name in ids)) ids[name] = value;
  }
  return ids;
}

export interface GeneratedRequest {
  path: string;
  body?: unknown;
  headers: Record<string, string>;
  /** What could not be generated; the request is still sent, but cannot prove a 404. */
  gaps: string[];
}

/**
 * A request for a route built only from its declaration: path parameters filled from `ids` by
 * name, a valid query and body sampled from its zod schemas (with the same ids where a field
 * has a parameter's name), If-Match `*` where the route needs it and a fresh Idempotency-Key.
 */
export function requestFromDeclaration(route: RouteDeclaration, ids: Record<string, string>): GeneratedRequest {
  const gaps: string[] = [];
  const path = route.path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    if (ids[name] !== undefined) return encodeURIComponent(ids[name]);
    gaps.push(`no id for {${name}}`);
    return 'unknown';
  });
  let query = '';
  if (route.request?.query) {
    const sample = validSample(route.request.query, ids);
    if (sample === undefined) gaps.push('no valid query');
    const params = new URLSearchParams(asStrings(sample));
    query = params.size > 0 ? `?${params}` : '';
  }
  let body: unknown;
  if (route.request?.body) {
    body = validSample(route.request.body, ids);
    if (body === undefined) {
      gaps.push('no valid body');
      body = {};
    }
  }
  const headers: Record<string, string> = {};
  if (route.requiresIfMatch) headers['if-match'] = '*';
  if (route.idempotent) headers['idempotency-key'] = randomUUID();
  return { path: `${path}${query}`, body, headers, gaps };
}
