import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiDocFile, roleMay, rolesTable } from '../../infra/tools/roles-doc';
import { hasScope } from '../../shared/http/caller';
import { routeKey, routes } from '../../shared/http/routes';
import { Role, roleScopes } from '../../shared/schemas/person';

const tenantRoutes = routes.filter((route) => route.access.kind === 'tenant');
const mayCall = (role: Role) => tenantRoutes.filter((route) => roleMay(role, route.access)).map(routeKey);

describe('roles', () => {
  it('docs/api.md shows the roles table the route declarations make (npx tsx infra/tools/roles-doc.ts)', () => {
    expect(readFileSync(apiDocFile, 'utf8')).toContain(rolesTable());
  });

  it('the table names every route once', () => {
    const table = rolesTable();
    for (const route of routes) expect(table.split(`| \`${routeKey(route)}\` |`).length - 1, routeKey(route)).toBe(1);
  });

  it('scopes rank admin > supervisor > agent > readonly', () => {
    expect(hasScope(['supervisor'], 'agent')).toBe(true);
    expect(hasScope(['supervisor'], 'readonly')).toBe(true);
    expect(hasScope(['supervisor'], 'admin')).toBe(false);
    expect(hasScope(['agent'], 'supervisor')).toBe(false);
    expect(hasScope(['admin'], 'supervisor')).toBe(true);
  });

  it('each role is one scope, and a role reaches what a key of that scope reaches', () => {
    expect(roleScopes).toEqual({ admin: ['admin'], supervisor: ['supervisor'], agent: ['agent'], viewer: ['readonly'] });
    expect(mayCall('admin')).toEqual(tenantRoutes.map(routeKey));
  });

  it('a supervisor reaches everything an agent does, but no keys, settings changes, webhooks, audit log or people', () => {
    const supervisor = mayCall('supervisor');
    for (const key of mayCall('agent')) expect(supervisor).toContain(key);
    const adminOnly = tenantRoutes.map(routeKey).filter((key) => !supervisor.includes(key));
    for (const key of adminOnly) expect(key).toMatch(/\/v1\/(api-keys|settings|webhooks|audit-log|people|survey-templates|analytics\/segments\/refresh)/);
    for (const key of ['GET /v1/api-keys', 'PATCH /v1/settings', 'GET /v1/webhooks', 'GET /v1/audit-log', 'GET /v1/people', 'POST /v1/people']) expect(adminOnly).toContain(key);
    expect(supervisor).toContain('PATCH /v1/cases/{caseId}');
  });

  it('a viewer only reads, and every person may ask who they are', () => {
    for (const key of mayCall('viewer')) expect(key.startsWith('GET ') || key === 'POST /v1/analytics/staffing' || key === 'POST /v1/me/sign-out-everywhere', key).toBe(true);
    for (const role of Role.options) expect(mayCall(role)).toContain('GET /v1/me');
  });
});
