import type { FunctionDeclaration, HttpMethod, RouteDeclaration } from './route-types';
import { foundationRoutes } from './routes/foundation';
import { contactRoutes } from './routes/contacts';
import { webhookRoutes } from './routes/webhooks';
import { caseRoutes } from './routes/cases';
import { surveyTemplateRoutes } from './routes/survey-templates';
import { surveyRoutes } from './routes/surveys';
import { surveyWebRoutes } from './routes/survey-web';

export type * from './route-types';

/**
 * The one declaration of the HTTP API. The CDK API stack builds its routes, functions and
 * authorizer attachment from this, the local twin serves exactly these routes, and the OpenAPI
 * document is generated from it.
 *
 * Each value is one Lambda function, at `functions/<name>/handler.ts`; it serves every route
 * that names it. `tableAccess` is what its role is granted on the table.
 */
export const apiFunctions = {
  tenants: { tableAccess: 'readwrite', operatorKey: true, description: 'Tenant sign-up and profile' },
  'api-keys': { tableAccess: 'readwrite', operatorKey: false, description: 'API key management' },
  settings: { tableAccess: 'readwrite', operatorKey: false, description: 'Tenant settings' },
  customers: { tableAccess: 'readwrite', operatorKey: false, description: 'Customers' },
  contacts: { tableAccess: 'readwrite', operatorKey: false, description: 'Contacts and referrals' },
  webhooks: { tableAccess: 'readwrite', operatorKey: false, description: 'Webhook endpoints and their deliveries' },
  cases: { tableAccess: 'readwrite', operatorKey: false, description: 'Cases and their timelines' },
  'survey-templates': { tableAccess: 'readwrite', operatorKey: false, description: 'Survey templates and their versions' },
  // Sets the timer that sends an ad hoc survey: survey-send, not the API, talks to SMS.
  surveys: { tableAccess: 'readwrite', operatorKey: false, schedules: true, description: 'Surveys: ad hoc sending and reading' },
  'survey-web': { tableAccess: 'readwrite', operatorKey: false, description: 'The survey web page behind the one-time link (public HTML)' },
  openapi: { tableAccess: 'none', operatorKey: false, description: 'The OpenAPI document' },
} as const satisfies Record<string, FunctionDeclaration>;
export type ApiFunctionName = keyof typeof apiFunctions;

/** Functions outside the route table: the Lambda authorizer and the `$default` route (404/405). */
export const edgeFunctions = {
  authorizer: { tableAccess: 'read', operatorKey: false, description: 'Verifies tenant API keys' },
  fallback: { tableAccess: 'none', operatorKey: false, description: 'Answers undeclared routes with 404 or 405' },
} as const satisfies Record<string, FunctionDeclaration>;

/**
 * The tenant-key Lambda authorizer as API Gateway runs it and the local twin copies it: its
 * identity source, and how long an answer is cached per identity. A revoked key can keep
 * passing for up to `cacheSeconds`.
 */
export const tenantAuthorizer = { identitySourceHeader: 'Authorization', cacheSeconds: 60 } as const;

/** Every route of the API; each area declares its own in `./routes/`. */
export const routes: readonly RouteDeclaration[] = [...foundationRoutes, ...contactRoutes, ...webhookRoutes, ...caseRoutes, ...surveyTemplateRoutes, ...surveyRoutes, ...surveyWebRoutes];

export const routeKey = (route: Pick<RouteDeclaration, 'method' | 'path'>) => `${route.method} ${route.path}`;

export const routesOf = (fn: ApiFunctionName) => routes.filter((route) => route.function === fn);

export const findRoute = (key: string) => routes.find((route) => routeKey(route) === key);

/** Matches a concrete path against the declarations: the route, its path parameters, or which methods the path allows. */
export function matchPath(
  method: string,
  path: string,
): { route: RouteDeclaration; params: Record<string, string> } | { allowed: HttpMethod[] } | undefined {
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
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

