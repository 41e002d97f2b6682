import type { ApiFunctionName } from './functions';
import { matchRoute, routeKey } from './route-matching';
import type { RouteDeclaration } from './route-types';
import { tenantRoutes } from './routes/tenants';
import { apiKeyRoutes } from './routes/api-keys';
import { settingsRoutes } from './routes/settings';
import { customerRoutes } from './routes/customers';
import { openApiRoutes } from './routes/openapi';
import { contactRoutes } from './routes/contacts';
import { webhookRoutes } from './routes/webhooks';
import { caseRoutes } from './routes/cases';
import { surveyTemplateRoutes } from './routes/survey-templates';
import { surveyRoutes } from './routes/surveys';
import { surveyWebRoutes } from './routes/survey-web';
import { customerValueRoutes } from './routes/customer-value';
import { analyticsRoutes } from './routes/analytics';
import { customerOverviewRoutes } from './routes/customer-overview';
import { exportRoutes } from './routes/exports';
import { staffingRoutes } from './routes/staffing';
import { auditLogRoutes } from './routes/audit-log';
import { usageRoutes } from './routes/usage';
import { operatorRoutes } from './routes/operator';
import { peopleRoutes } from './routes/people';
import { signupRoutes } from './routes/signups';
import { caseReplyRoutes } from './routes/case-replies';
import { caseAttachmentRoutes } from './routes/case-attachments';

export type * from './route-types';
export { routeKey } from './route-matching';

export { apiFunctions, type ApiFunctionName, edgeFunctions, edgeOrigin, type FunctionDeclaration, tenantAuthorizer } from './functions';

/**
 * The one declaration of the HTTP API: the CDK API stack builds its routes and authorizer
 * attachment from it, the local twin serves exactly these routes, and the OpenAPI document is
 * generated from it. A function's handler is given only its own area's array (see
 * shared/http/handler.ts), so that its bundle does not carry every area's schemas.
 */
export const routes: readonly RouteDeclaration[] = [...tenantRoutes, ...apiKeyRoutes, ...settingsRoutes, ...customerRoutes, ...openApiRoutes, ...contactRoutes, ...webhookRoutes, ...caseRoutes, ...surveyTemplateRoutes, ...surveyRoutes, ...surveyWebRoutes, ...customerValueRoutes, ...analyticsRoutes, ...customerOverviewRoutes, ...exportRoutes, ...staffingRoutes, ...auditLogRoutes, ...usageRoutes, ...operatorRoutes, ...peopleRoutes, ...signupRoutes, ...caseReplyRoutes, ...caseAttachmentRoutes];

export const routesOf = (fn: ApiFunctionName) => routes.filter((route) => route.function === fn);

export const findRoute = (key: string) => routes.find((route) => routeKey(route) === key);

/** Matches a concrete path against every declared route (see matchRoute). */
export const matchPath = (method: string, path: string) => matchRoute(routes, method, path);
