import * as z from '../zod';
import { Problem } from '../schemas/common';
import { type RouteDeclaration, routes } from './routes';

type JsonSchema = Record<string, unknown>;

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** A problem answer for `status`; a status the route declares too keeps its own meaning first. */
function addProblem(responses: Record<string, unknown>, status: string, description: string) {
  const declared = responses[status] as { description: string } | undefined;
  responses[status] = problemResponse(declared ? `${declared.description}; or ${description.charAt(0).toLowerCase()}${description.slice(1)}` : description);
}

/**
 * The OpenAPI 3.1 document, generated from the route declarations and their zod schemas. Schemas
 * carrying a zod `id` become named components.
 */
export function buildOpenApiDocument(serverUrl = '/') {
  const components: Record<string, JsonSchema> = {};
  const toSchema = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      reused: 'inline',
    }) as JsonSchema;
    return lift(stripSchema(json), components);
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, toSchema);
  }
  toSchema(Problem, 'output');

  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: '1.0.0',
      description:
        'Multi-tenant contact-center API. Authenticate with `Authorization: Bearer <api key>`. Errors are RFC 9457 problem details.',
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (sb.…)' },
        operatorKey: { type: 'http', scheme: 'bearer', description: 'The operator key (creates and operates tenants)' },
      },
    },
  };
}

function operation(route: RouteDeclaration, toSchema: (schema: z.ZodMiniType, io: 'input' | 'output') => JsonSchema) {
  const parameters: unknown[] = [];
  for (const [location, schema] of [
    ['path', route.request?.params],
    ['query', route.request?.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, 'input');
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      parameters.push({ name, in: location, required: location === 'path' || required.has(name), schema: property });
    }
  }
  if (route.requiresIfMatch) {
    parameters.push({ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, description: 'The ETag last read' });
  }
  if (route.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', maxLength: 255 },
      description:
        'Retries with the same key by the same API key return the first answer, except an answer that showed a secret ' +
        '(409 secret-shown-once) or named a customer since erased (409 replay-erased); a different body with the same key, ' +
        'or the same key from another API key, answers 422',
    });
  }
  if (route.page) return pageOperation(route, parameters, toSchema);
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = response.schema
      ? { description: response.description, content: { 'application/json': { schema: toSchema(response.schema, 'output') } } }
      : response.mediaType
        ? { description: response.description, content: { [response.mediaType]: { schema: { type: 'string' } } } }
        : { description: response.description };
  }
  if (route.idempotent) {
    addProblem(responses, '409', 'A request with this Idempotency-Key is still running, or its first answer is not kept (secret-shown-once, replay-erased)');
    addProblem(responses, '422', 'This Idempotency-Key was used with a different request, or by another API key');
  }
  if (route.request?.body || route.request?.query || route.request?.params) responses['400'] = problemResponse('Invalid request');
  if (route.access.kind !== 'public') responses['401'] = problemResponse('Missing or invalid credential');
  if (route.access.kind === 'tenant') responses['403'] = problemResponse('The key lacks the required scope');
  if (route.request?.params) responses['404'] = problemResponse('Not found');
  if (route.request?.body) {
    responses['413'] = problemResponse('Body over 64 KiB');
    responses['415'] = problemResponse('Body is not JSON');
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security:
      route.access.kind === 'public' ? [] : route.access.kind === 'operator' ? [{ operatorKey: [] }] : [{ apiKey: [] }],
    ...(route.access.kind === 'tenant' && { 'x-required-scope': route.access.scope }),
    ...(route.deprecated && { deprecated: true }),
    ...(parameters.length > 0 && { parameters }),
    ...(route.request?.body && {
      requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.request.body, 'input') } } },
    }),
    responses,
  };
}

/** A page for people: every answer is an HTML document, a body is an HTML form. */
function pageOperation(route: RouteDeclaration, parameters: unknown[], toSchema: (schema: z.ZodMiniType, io: 'input' | 'output') => JsonSchema) {
  const html = { 'text/html': { schema: { type: 'string' } } };
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security: [],
    ...(parameters.length > 0 && { parameters }),
    ...(route.request?.body && {
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: toSchema(route.request.body, 'input') } } },
    }),
    responses: Object.fromEntries(Object.entries(route.responses).map(([status, response]) => [status, { description: response.description, content: html }])),
  };
}

/** Moves `$defs` of a generated schema into the shared components and points references there. */
function lift(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  delete schema.$defs;
  for (const [name, def] of Object.entries(defs)) components[name] ??= rewriteRefs(def) as JsonSchema;
  return rewriteRefs(schema) as JsonSchema;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === '$ref' && typeof inner === 'string'
          ? [key, inner.replace('#/$defs/', '#/components/schemas/')]
          : [key, rewriteRefs(inner)],
      ),
    );
  }
  return value;
}

function stripSchema(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, id: _id, ...rest } = schema;
  return rest;
}
