import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasScope } from '../../shared/http/caller';
import { routeKey, routes } from '../../shared/http/routes';
import { Role, roleScopes } from '../../shared/schemas/person';

/**
 * The roles table of docs/api.md ("Roles"), generated from the route declarations and
 * `roleScopes`: `npx tsx infra/tools/roles-doc.ts` writes it between its markers;
 * tests/unit/roles.test.ts fails when it is out of date.
 */
export const apiDocFile = fileURLToPath(new URL('../../docs/api.md', import.meta.url));
export const rolesTableMarkers = { start: '<!-- roles-table:start -->', end: '<!-- roles-table:end -->' } as const;

const roles = Role.options;

/** Whether `role` may call a route of this access, as the authorizer and handler decide it. */
export function roleMay(role: Role, access: (typeof routes)[number]['access']): boolean {
  return access.kind === 'tenant' && hasScope(roleScopes[role], access.scope);
}

export function rolesTable(): string {
  const rows = routes.map((route) => {
    const access = route.access;
    const scope = access.kind === 'tenant' ? `\`${access.scope}\`` : access.kind;
    const cells = roles.map((role) => (access.kind === 'public' ? 'yes' : access.kind === 'operator' ? '–' : roleMay(role, access) ? 'yes' : '–'));
    return `| \`${routeKey(route)}\` | ${scope} | ${cells.join(' | ')} |`;
  });
  return [
    rolesTableMarkers.start,
    '<!-- Generated from the route declarations and roleScopes by `npx tsx infra/tools/roles-doc.ts`; do not edit by hand. -->',
    '',
    `| route | scope | ${roles.join(' | ')} |`,
    `| --- | --- | ${roles.map(() => '---').join(' | ')} |`,
    ...rows,
    rolesTableMarkers.end,
  ].join('\n');
}

/** docs/api.md with its roles table replaced by the current one. */
export function withCurrentRolesTable(doc: string): string {
  const start = doc.indexOf(rolesTableMarkers.start);
  const end = doc.indexOf(rolesTableMarkers.end);
  if (start < 0 || end < start) throw new Error(`docs/api.md has no ${rolesTableMarkers.start} … ${rolesTableMarkers.end}`);
  return doc.slice(0, start) + rolesTable() + doc.slice(end + rolesTableMarkers.end.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(apiDocFile, withCurrentRolesTable(readFileSync(apiDocFile, 'utf8')));
}
