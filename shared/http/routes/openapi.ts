import * as z from '../../zod';
import { defineRoutes } from '../route-types';

/** The OpenAPI document of this API. */
export const openApiRoutes = defineRoutes([
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    function: 'openapi',
    access: { kind: 'public' },
    tag: 'Meta',
    summary: 'This API described in OpenAPI 3.1',
    responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
  },
]);
