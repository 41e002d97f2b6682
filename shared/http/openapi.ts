import * as z from '../zod';
import { type ProblemSlug, ProblemBase, problemType, problemTypeUri } from './problem-types';
import { declaredHeaders, declaredProblems } from './route-answers';
import { type ResponseHeaderName, responseHeaders } from './response-headers';
import { type RouteDeclaration, routes } from './routes';

type JsonSchema = Record<string, unknown>;
type ToSchema = (schema: z.ZodMiniType, io: 'input' | 'output') => JsonSchema;

/** What a status means when the route does not say: the start of its response's description. */
const problemStatusMeaning: Record<number, string> = {
  400: 'The request is not valid',
  401: 'Missing or invalid credential',
  403: 'Not allowed',
  404: 'Not found',
  409: 'In conflict with the current state',
  410: 'Gone',
  412: 'If-Match does not name the current version',
  413: 'Body over 64 KiB',
  415: 'Body is not JSON',
  422: 'Cannot be carried out as it stands',
  428: 'If-Match is required',
  429: 'Too many requests',
  500: 'Failed on our side',
  503: 'Temporarily unavailable; retry after Retry-After',
};

const problemRef = { $ref: '#/components/schemas/Problem' };

/** RFC 9457 problem details: every error answer is one; problem types add members (extension members are allowed). */
const ProblemSchema = z.withMeta(z.looseObject(ProblemBase), {
  id: 'Problem',
  description: 'RFC 9457 problem details. `type` is `/problems/<slug>`, relative to the API: GET it for the page explaining it',
});

/** The component name of a problem type with members: `duplicate-customer` → `DuplicateCustomerProblem`. */
export const problemComponentName = (slug: ProblemSlug) =>
  `${slug.replace(/(?:^|-)([a-z])/g, (_match, letter: string) => letter.toUpperCase())}Problem`;

/** API Gateway's own 401, answered before the authorizer runs when a request has no Authorization header. */
const gatewayUnauthorized = {
  type: 'object',
  description: "API Gateway's own answer to a request without an Authorization header (application/json, before Switchboard's authorizer runs)",
  properties: { message: { const: 'Unauthorized' } },
  required: ['message'],
  additionalProperties: false,
};

/**
 * The problem+json answers of a route, one response per status (declaredProblems): its schema is
 * the problem type of that status, or the union (oneOf, told apart by `type`) of its problem types.
 */
function problemResponses(route: RouteDeclaration, components: Record<string, JsonSchema>, toSchema: ToSchema) {
  const answers: Record<string, unknown> = {};
  for (const [status, slugs] of declaredProblems(route)) {
    const schemas = slugs.map((slug) => problemTypeSchema(slug, components, toSchema));
    const own = route.responses[status]?.description ?? problemStatusMeaning[status] ?? 'A problem';
    answers[String(status)] = {
      description: `${own} (problem types: ${slugs.map((slug) => `\`${slug}\``).join(', ')})`,
      ...headersOf(route, status),
      content: {
        'application/problem+json': { schema: schemas.length === 1 ? schemas[0] : { oneOf: schemas } },
        // API Gateway's own 401, and the edge's (WAF) 401 and 429, which it sends as application/json.
        ...(status === 401 && { 'application/json': { schema: { oneOf: [gatewayUnauthorized, problemTypeSchema('unauthorized', components, toSchema)] } } }),
        ...(status === 429 && { 'application/json': { schema: problemTypeSchema('too-many-requests', components, toSchema) } }),
      },
    };
  }
  return answers;
}

/** One problem type, as a named component: the base Problem with its `type` and `status` fixed, and its members. */
function problemTypeSchema(slug: ProblemSlug, components: Record<string, JsonSchema>, toSchema: ToSchema): JsonSchema {
  const name = problemComponentName(slug);
  if (!components[name]) {
    const declaration = problemType(slug);
    const members = declaration.members ? toSchema(z.object(declaration.members), 'output') : {};
    components[name] = {
      allOf: [problemRef],
      type: 'object',
      description: declaration.meaning,
      properties: {
        type: { const: problemTypeUri(slug) },
        status: { const: declaration.status },
        title: { const: declaration.title },
        ...(members.properties as JsonSchema | undefined),
      },
      required: ['type', ...((members.required as string[] | undefined) ?? [])],
    };
  }
  return { $ref: `#/components/schemas/${name}` };
}

/** The headers of an answer (declaredHeaders), as references to the document's header components. */
function headersOf(route: RouteDeclaration, status: number) {
  const names = declaredHeaders(route, status);
  if (names.length === 0) return {};
  return { headers: Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }])) };
}

const headerComponents = () =>
  Object.fromEntries(
    (Object.keys(responseHeaders) as ResponseHeaderName[]).map((name) => [
      name,
      { description: responseHeaders[name].description, schema: responseHeaders[name].schema },
    ]),
  );

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
    paths[route.path]![route.method.toLowerCase()] = operation(route, toSchema, components);
  }
  toSchema(ProblemSchema, 'output');

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
      headers: headerComponents(),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (sb.…)' },
        operatorKey: { type: 'http', scheme: 'bearer', description: 'The operator key (creates and operates tenants)' },
      },
    },
  };
}

function operation(route: RouteDeclaration, toSchema: ToSchema, components: Record<string, JsonSchema>) {
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
  if (route.requiresIfMatch || route.acceptsIfMatch) {
    parameters.push({ name: 'If-Match', in: 'header', required: Boolean(route.requiresIfMatch), schema: { type: 'string' }, description: 'The ETag last read' });
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
    if (Number(status) >= 400) continue;
    const headers = headersOf(route, Number(status));
    responses[status] = response.schema
      ? { description: response.description, ...headers, content: { 'application/json': { schema: toSchema(response.schema, 'output') } } }
      : response.mediaType
        ? { description: response.description, ...headers, content: { [response.mediaType]: { schema: { type: 'string' } } } }
        : { description: response.description, ...headers };
  }
  Object.assign(responses, problemResponses(route, components, toSchema));
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security:
      route.access.kind === 'public' ? [] : route.access.kind === 'operator' ? [{ operatorKey: [] }] : [{ apiKey: [] }],
    ...(route.access.kind === 'tenant' && { 'x-required-scope': route.access.scope }),
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
