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
    description:
      'This API described in OpenAPI 3.1, generated from the same route declarations and schemas that the API itself checks requests with. Public; cached for five minutes',
    examples: { responses: { 200: { openapi: '3.1.0', info: { title: 'Switchboard API', version: '1.0.0' }, paths: {} } } },
    responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
  },
]);
