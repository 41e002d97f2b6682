import type { RouteDeclaration } from '../route-types';

/** The OpenAPI document of this API. */
export const openApiRoutes: readonly RouteDeclaration[] = [
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    function: 'openapi',
    access: { kind: 'public' },
    tag: 'Meta',
    summary: 'This API described in OpenAPI 3.1',
    responses: { 200: { description: 'The OpenAPI document' } },
  },
];
