import * as z from '../zod';
import { ifMatchMaxLength, ifMatchPattern } from './etag';
import { type ProblemSlug, ProblemBase, problemType, problemTypeUri } from './problem-types';
import { declaredHeaders, declaredProblems } from './route-answers';
import { type ResponseHeaderName, responseHeaders } from './response-headers';
import { type RouteDeclaration, type RouteResponse, routes } from './routes';

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

/** A body API Gateway answers itself, before any Switchboard function runs: `{"message": …}` as application/json. */
const gatewayAnswer = (message: string, description: string) => ({
  type: 'object',
  description,
  properties: { message: { const: message } },
  required: ['message'],
  additionalProperties: false,
});
const gatewayUnauthorized = gatewayAnswer('Unauthorized', "API Gateway's own answer to a request without an Authorization header (before Switchboard's authorizer runs)");
const gatewayForbidden = gatewayAnswer('Forbidden', "API Gateway's own answer when Switchboard's authorizer refuses a request that did not come through the edge (tenant routes)");

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
        ...(status === 403 && route.access.kind === 'tenant' && { 'application/json': { schema: gatewayForbidden } }),
        ...(status === 429 && { 'application/json': { schema: problemTypeSchema('too-many-requests', components, toSchema) } }),
      },
    };
  }
  return answers;
}

/** One line for each tag, in the order the document lists them. */
const tagDescriptions: Record<string, string> = {
  Tenants: 'Sign-up (operator only) and the calling key\'s own tenant.',
  'API keys': 'The tenant\'s API keys and their scopes (admin, supervisor, agent, readonly); a secret is shown once.',
  People: 'The tenant\'s people (invitations, roles, deactivation; admin only), and who the caller is (`/v1/me`).',
  'Sign-up': 'Self-service sign-up of a business for a trial, and the verification of its first admin\'s e-mail address (no credential).',
  Settings: 'The tenant\'s settings: time zone, business hours, branding, reason codes, SLA policy, survey rules, SMS and Amazon Connect.',
  Customers: 'The people a tenant serves, unique by phone, email and externalId; erasure; the customer overview.',
  'Customer value': 'Purchases and refunds, and the RFM segments, tiers and quadrants computed from them.',
  Contacts: 'Interactions (calls, chats, messages) and the referrals agents make on them.',
  Cases: 'Complaints, requests and inquiries with SLA deadlines, escalation and a timeline.',
  Surveys: 'Survey templates, the surveys sent after contacts, their answers and results.',
  'Survey web page': 'The public HTML page behind a survey link (`/s/{token}`); every answer is HTML.',
  Webhooks: 'HTTPS endpoints that receive signed events, and the deliveries made to them.',
  Analytics: 'Operational metrics from write-time counters, and staffing by Erlang C and Erlang A.',
  Exports: 'CSV downloads of contacts and survey responses, paged by a Link header.',
  'Audit log': 'Who changed what, when and from where; read only, kept one year.',
  Usage: 'What the tenant used against its plan\'s limits.',
  Operator: 'Operating tenants: plans, allocations, suspension, admin keys and self-service sign-ups awaiting approval (operator key only).',
  Meta: 'This document.',
};

/** Where an input-side component points until the document knows whether it differs from its output side. */
const inputRefPrefix = '#/components/schemas/~input~/';

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
 * carrying a zod `id` become named components; a component whose request (input) form differs
 * from its answer (output) form, by defaults that a request may leave out, appears twice: the
 * request's as `<id>Input`.
 */
export function buildOpenApiDocument(serverUrl = '/') {
  const componentsByIo = { input: {} as Record<string, JsonSchema>, output: {} as Record<string, JsonSchema> };
  const toSchema: ToSchema = (schema, io) => {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      reused: 'inline',
    }) as JsonSchema;
    return lift(stripSchema(json), componentsByIo[io], io === 'input' ? inputRefPrefix : '#/components/schemas/');
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, toSchema, componentsByIo.output);
  }
  toSchema(ProblemSchema, 'output');
  const { components, inputNames } = mergeComponents(componentsByIo);
  const usedTags = new Set(routes.map((route) => route.tag));

  return refineSchemas(resolveInputRefs({
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: '1.0.0',
      summary: 'Multi-tenant contact-center API',
      description:
        'Multi-tenant contact-center API: customers, contacts, cases, surveys, analytics and exports for each tenant. ' +
        'Authenticate with `Authorization: Bearer <api key>`; the key decides the tenant and what it may do (its scope). ' +
        'Errors are RFC 9457 problem details (`application/problem+json`). Lists are paged with `limit` and `cursor`; ' +
        'updates that need `If-Match` say so, and POSTs that honour `Idempotency-Key` declare the header.',
      contact: { name: 'Switchboard support', email: 'support@switchboard.dev' },
      license: { name: 'Proprietary', url: 'https://switchboard.dev/terms' },
    },
    servers: [
      {
        url: serverUrl,
        description: 'The API that serves this document: production, staging or a local twin',
        // Public: the API integrators call over the internet.
        'x-internal': false,
      },
    ],
    security: [{ apiKey: [] }],
    tags: Object.keys(tagDescriptions)
      .filter((tag) => usedTags.has(tag))
      .map((name) => ({ name, description: tagDescriptions[name] })),
    paths,
    components: {
      schemas: components,
      headers: headerComponents(),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (sb.…)' },
        operatorKey: { type: 'http', scheme: 'bearer', description: 'The operator key (creates and operates tenants)' },
      },
    },
  }, inputNames));
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
    const examples = location === 'path' ? route.examples?.request?.params : route.examples?.request?.query;
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...declared } = property;
      const schema = location === 'query' ? queryValueSchema(declared) : declared;
      // queryValueSchema changes only a boolean read from its spellings: the text says how to write it.
      const spelling = schema === declared ? undefined : 'Written true or false';
      const text = [description, spelling].filter((part) => typeof part === 'string').join('; ');
      parameters.push({
        name,
        in: location,
        required: location === 'path' || required.has(name),
        ...(text && { description: text }),
        schema,
        ...(examples?.[name] !== undefined && { example: parameterValue(examples[name], schema) }),
      });
    }
  }
  if (route.requiresIfMatch || route.acceptsIfMatch) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: Boolean(route.requiresIfMatch),
      schema: { type: 'string', maxLength: ifMatchMaxLength, pattern: ifMatchPattern.source },
      description: 'The ETag last read (or `*`, any version)',
    });
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
  if (route.page) return pageOperation(route, parameters, toSchema, components);
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
  addResponseExamples(responses, route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    tags: [route.tag],
    security:
      route.access.kind === 'public' ? [] : route.access.kind === 'operator' ? [{ operatorKey: [] }] : [{ apiKey: [] }],
    ...(route.access.kind === 'tenant' && { 'x-required-scope': route.access.scope }),
    ...(route.deprecated && { deprecated: true }),
    ...(parameters.length > 0 && { parameters }),
    ...(route.request?.body && {
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: toSchema(route.request.body, 'input'),
            ...(route.examples?.request?.body !== undefined && { example: route.examples.request.body }),
          },
        },
      },
    }),
    responses,
  };
}

/** A page for people: every answer is an HTML document, a body is an HTML form. */
function pageOperation(route: RouteDeclaration, parameters: unknown[], toSchema: ToSchema, components: Record<string, JsonSchema>) {
  const responses: Record<string, RouteResponse> = Object.fromEntries(Object.entries(route.responses));
  // What createPageHandler answers itself, as a page too: an invalid form (400), no such page (404),
  // a form over 64 KiB (413), a body that is not a form (415), a failure of its own (500, logged). A path
  // parameter that does not fit is no such page.
  responses['404'] ??= { description: 'No such page' };
  responses['500'] ??= { description: 'Something failed on our side (a page saying so; the failure is logged)' };
  if (route.request?.body) {
    responses['400'] ??= { description: 'The form could not be read (a page saying so)' };
    responses['413'] ??= { description: 'The form is over 64 KiB (a page saying so; the gateway answers a larger body as a problem)' };
    responses['415'] ??= { description: 'The body is not an HTML form (a page saying so)' };
  }
  const examples = route.examples?.responses ?? {};
  const page = {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description,
    tags: [route.tag],
    security: [] as never[],
    ...(parameters.length > 0 && { parameters }),
    ...(route.request?.body && {
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: toSchema(route.request.body, 'input'),
            ...(route.examples?.request?.body !== undefined && { example: route.examples.request.body }),
          },
        },
      },
    }),
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, response]): [string, { description: string; content: Record<string, unknown> }] => {
        const example = (examples as Record<string, unknown>)[status];
        return [
          status,
          {
            description: response.description,
            content: {
              'text/html': { schema: { type: 'string' }, ...(typeof example === 'string' && { example }) },
              ...(status === '413' && { 'application/problem+json': { schema: problemTypeSchema('payload-too-large', components, toSchema) } }),
            },
          },
        ];
      }),
    ),
  };
  // A request that did not come through the edge is refused before any page is made, as on every route.
  page.responses['403'] = {
    description: 'The request did not come through the edge (CloudFront); not a page, a problem',
    content: { 'application/problem+json': { schema: problemTypeSchema('forbidden', components, toSchema) } },
  };
  return page;
}

/** The declared answer examples, beside the schema of each declared status's content. */
function addResponseExamples(responses: Record<string, unknown>, route: RouteDeclaration) {
  for (const [status, example] of Object.entries(route.examples?.responses ?? {})) {
    const content = (responses[status] as { content?: Record<string, { schema: JsonSchema; example?: unknown }> } | undefined)?.content;
    const mediaType = content && Object.keys(content).find((type) => type === 'application/json' || type === route.responses[Number(status)]?.mediaType);
    if (!content || !mediaType) throw new Error(`${route.operationId}: an example for ${status}, which has no declared body`);
    content[mediaType]!.example = example;
  }
}

/**
 * A query parameter as the caller writes it: the query string carries text, so a boolean that the
 * schema reads from the spellings `true` and `false` is documented as the boolean it is.
 */
function queryValueSchema(schema: JsonSchema): JsonSchema {
  const values = schema.enum as unknown[] | undefined;
  if (schema.type === 'string' && values?.length === 2 && values.includes('true') && values.includes('false')) {
    const { enum: _spellings, type: _type, ...rest } = schema;
    return { ...rest, type: 'boolean', ...(rest.default !== undefined && { default: rest.default === 'true' }) };
  }
  return schema;
}

/** A query or path example (text, as in a URL) as the value its parameter's schema types. */
function parameterValue(text: string, schema: JsonSchema): unknown {
  if (schema.type === 'integer' || schema.type === 'number') return Number(text);
  if (schema.type === 'boolean') return text === 'true';
  return text;
}

/**
 * One components map: the answers' (output) schemas under their ids; a request's (input) schema
 * under its id too when it is the same or no answer uses the id, else under `<id>Input`.
 */
function mergeComponents(byIo: { input: Record<string, JsonSchema>; output: Record<string, JsonSchema> }) {
  const components: Record<string, JsonSchema> = { ...byIo.output };
  const inputNames: Record<string, string> = {};
  for (const [name, schema] of Object.entries(byIo.input)) {
    const output = byIo.output[name];
    const sameAsOutput = output !== undefined && JSON.stringify(output) === JSON.stringify(schema);
    inputNames[name] = output === undefined || sameAsOutput ? name : `${name}Input`;
    components[inputNames[name]] ??= schema;
  }
  return { components: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))), inputNames };
}

/** Points the request side's references at the component names mergeComponents chose. */
function resolveInputRefs<T>(document: T, inputNames: Record<string, string>): T {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) =>
          key === '$ref' && typeof inner === 'string' && inner.startsWith(inputRefPrefix)
            ? [key, `#/components/schemas/${inputNames[inner.slice(inputRefPrefix.length)]}`]
            : [key, resolve(inner)],
        ),
      );
    }
    return value;
  };
  return resolve(document) as T;
}

const int32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/**
 * What JSON Schema from zod leaves implicit, made explicit for OpenAPI tools: an integer's bounds
 * when it is one of a list, its `format` (int32 when its bounds fit, else int64), and the
 * `properties` of a record keyed by an enum (counts by tier, figures by dimension), so that each
 * key is documented.
 */
function refineSchemas<T>(document: T): T {
  const refine = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(refine);
    if (!value || typeof value !== 'object') return value;
    // Examples are data, not schemas: left as declared.
    const node = Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, key === 'example' || key === 'examples' ? inner : refine(inner)]),
    ) as JsonSchema;
    if (node.type === 'integer' && Array.isArray(node.enum) && node.minimum === undefined && node.maximum === undefined) {
      node.minimum = Math.min(...(node.enum as number[]));
      node.maximum = Math.max(...(node.enum as number[]));
    }
    if (node.type === 'integer' && node.format === undefined) {
      const bounds = Array.isArray(node.enum) ? (node.enum as number[]) : [node.minimum, node.maximum];
      const fits = bounds.every((bound) => typeof bound === 'number' && bound >= int32.min && bound <= int32.max);
      node.format = fits ? 'int32' : 'int64';
    }
    const keys = (node.propertyNames as JsonSchema | undefined)?.enum;
    if (node.type === 'object' && Array.isArray(keys) && node.additionalProperties && typeof node.additionalProperties === 'object' && !node.properties) {
      node.properties = Object.fromEntries(keys.map((key) => [String(key), node.additionalProperties]));
      node.additionalProperties = false;
    }
    return node;
  };
  return refine(document) as T;
}

/** Moves `$defs` of a generated schema into the components of its side and points references there. */
function lift(schema: JsonSchema, components: Record<string, JsonSchema>, refPrefix: string): JsonSchema {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  delete schema.$defs;
  for (const [name, def] of Object.entries(defs)) components[name] ??= rewriteRefs(def, refPrefix) as JsonSchema;
  return rewriteRefs(schema, refPrefix) as JsonSchema;
}

function rewriteRefs(value: unknown, refPrefix: string): unknown {
  if (Array.isArray(value)) return value.map((inner) => rewriteRefs(inner, refPrefix));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === '$ref' && typeof inner === 'string'
          ? [key, inner.replace('#/$defs/', refPrefix)]
          : [key, rewriteRefs(inner, refPrefix)],
      ),
    );
  }
  return value;
}

function stripSchema(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, id: _id, ...rest } = schema;
  return rest;
}
