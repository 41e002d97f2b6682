import * as z from '../../zod';
import { defineRoutes } from '../route-types';

export const ProblemTypeParams = z.object({ slug: z.string().check(z.maxLength(100)) });

/** The OpenAPI document of this API, and the pages its problem types name. */
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
  {
    operationId: 'getProblemType',
    method: 'GET',
    path: '/problems/{slug}',
    function: 'openapi',
    access: { kind: 'public' },
    tag: 'Meta',
    summary: "The page a problem's `type` names: what the problem type means, its status, title and members",
    request: { params: ProblemTypeParams },
    description:
      "The page a problem's `type` names (RFC 9457): what the problem type means for an integrator, its status and title, and the members it adds " +
      'to the problem details, as static HTML. Public, as the document is; cached for five minutes. A slug the API never answers is 404',
    examples: {
      request: { params: { slug: 'precondition-failed' } },
      responses: {
        200: '<!doctype html><html lang="en"><head><title>Precondition failed (precondition-failed) · Switchboard API problem</title></head><body><h1>precondition-failed</h1>…</body></html>',
      },
    },
    responses: { 200: { description: 'The problem type explained, as an HTML page', mediaType: 'text/html' } },
  },
]);
