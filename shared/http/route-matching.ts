import type { HttpMethod, RouteDeclaration } from './route-types';

export const routeKey = (route: Pick<RouteDeclaration, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** Matches a concrete path against declared routes: the route, its path parameters, or which methods the path allows. */
export function matchRoute(
  declared: readonly RouteDeclaration[],
  method: string,
  path: string,
): { route: RouteDeclaration; params: Record<string, string> } | { allowed: HttpMethod[] } | undefined {
  const allowed: HttpMethod[] = [];
  for (const route of declared) {
    const params = matchTemplate(route.path, path);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    const value = got[i]!;
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (value === '') return undefined;
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (segment !== value) {
      return undefined;
    }
  }
  return params;
}

