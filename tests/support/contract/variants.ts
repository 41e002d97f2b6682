import { randomUUID } from 'node:crypto';
import { edgeOrigin } from '../../../shared/http/functions';
import { missingTwin } from '../cross-tenant/area';
import type { JsonSchema, OpenApiParameter, Operation } from './document';
import type { Scenario } from './scenario';
import { type ContractRequest, send } from './send';

/**
 * A kind of request made from an operation's valid request and what the document says of the
 * operation: without a credential, with a weaker scope, with a bad query… Each applies where
 * the document gives it something to vary; the answer, whatever it is, must be documented.
 */
export interface Variant {
  name: string;
  /** Sent before the valid request (refusals, which change nothing) or after it (replays of it). */
  phase: 'before' | 'after';
  make(operation: Operation, valid: ContractRequest, scenario: Scenario): ContractRequest | undefined | Promise<ContractRequest | undefined>;
  /** How many copies of the request go out at once (1 unless said): each answer is checked. */
  copies?: number;
  /** Puts the twin in the state the variant needs, and answers how to undo it. */
  around?(scenario: Scenario): Promise<() => void>;
}

const parameters = (operation: Operation, place: OpenApiParameter['in']) => (operation.spec.parameters ?? []).filter((parameter) => parameter.in === place);
const headerParameter = (operation: Operation, name: string) => parameters(operation, 'header').find((parameter) => parameter.name.toLowerCase() === name.toLowerCase());
const hasHeader = (operation: Operation, name: string) => headerParameter(operation, name) !== undefined;
const tenantRoute = (operation: Operation) => ['admin', 'supervisor', 'agent', 'readonly'].includes(operation.access);
const jsonBody = (operation: Operation) => operation.spec.requestBody?.content['application/json'];
const withHeaders = (request: ContractRequest, headers: Record<string, string | undefined>): ContractRequest => {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...request.headers, ...headers })) if (value !== undefined) merged[name.toLowerCase()] = value;
  return { ...request, headers: merged };
};

/** A value the schema refuses, if one can be told from it. */
function refusedValue(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  const options: JsonSchema[] = schema.anyOf ?? schema.oneOf ?? [schema];
  const types = new Set(options.flatMap((option) => (Array.isArray(option.type) ? option.type : [option.type])));
  if (types.has('string') && options.every((option) => option.enum || option.const !== undefined)) return 'not-a-member';
  if (!types.has('string') && (types.has('integer') || types.has('number'))) return 'not-a-number';
  if (types.has('boolean') && !types.has('string')) return 'not-a-boolean';
  const string = options.find((option) => option.type === 'string');
  if (string?.format === 'date' || string?.format === 'date-time') return 'not-a-date';
  if (string?.pattern) return '\u00a7not matching\u00a7';
  if (typeof string?.maxLength === 'number') return 'x'.repeat(string.maxLength + 1);
  return undefined;
}

/** A free-text string field of the body (no enum, format or pattern): changing it keeps the body valid. */
function freeTextField(body: unknown, schema: JsonSchema | undefined, components: Record<string, JsonSchema>): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const resolved = schema?.$ref ? components[String(schema.$ref).replace('#/components/schemas/', '')] : schema;
  for (const [name, value] of Object.entries(body)) {
    const property = resolved?.properties?.[name] as JsonSchema | undefined;
    if (typeof value !== 'string' || !property) continue;
    if (property.type === 'string' && !property.enum && !property.format && !property.pattern && (property.maxLength ?? 100) > value.length + 3) return name;
  }
  return undefined;
}

const unknownTenantKey = (key: string) => {
  const parts = key.split('.');
  const secret = parts.at(-1) ?? '';
  parts[parts.length - 1] = [...secret].map((char) => (char === 'A' ? 'B' : 'A')).join('');
  return parts.join('.');
};

/** The tenant's keys over the request limit: the limit is lowered (it is read at each request) and the tenant sends until refused. */
async function overTheLimit(scenario: Scenario): Promise<() => void> {
  // The count starts again each minute: too near the end of one, wait for the next.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_100 - intoMinute));
  const variable = 'TENANT_REQUESTS_PER_MINUTE';
  const before = process.env[variable];
  process.env[variable] = '3';
  for (let i = 0; i < 20; i++) {
    const answer = await send(scenario.twin.url, 'GET', { path: '/v1/tenant', key: scenario.throttledKey });
    if (answer.status === 429) break;
  }
  return () => {
    if (before === undefined) delete process.env[variable];
    else process.env[variable] = before;
  };
}

export const variants: Variant[] = [
  {
    name: 'no credential',
    phase: 'before',
    make: (operation, valid) => (operation.access === 'public' ? undefined : { ...valid, key: undefined }),
  },
  {
    name: 'malformed credential',
    phase: 'before',
    make: (operation, valid) => (operation.access === 'public' ? undefined : { ...valid, key: 'not a key' }),
  },
  {
    name: 'well-formed unknown key',
    phase: 'before',
    make: (operation, valid, scenario) =>
      operation.access === 'public' ? undefined : { ...valid, key: operation.access === 'operator' ? `op_${randomUUID()}` : unknownTenantKey(scenario.keys.admin) },
  },
  {
    name: 'weaker scope',
    phase: 'before',
    make: (operation, valid, scenario) =>
      operation.access === 'admin' ? { ...valid, key: scenario.keys.agent } : operation.access === 'agent' ? { ...valid, key: scenario.keys.readonly } : undefined,
  },
  {
    name: 'tenant key on an operator route',
    phase: 'before',
    make: (operation, valid, scenario) => (operation.access === 'operator' ? { ...valid, key: scenario.keys.admin } : undefined),
  },
  {
    name: 'suspended tenant',
    phase: 'before',
    make: (operation, valid, scenario) => (tenantRoute(operation) ? { ...valid, key: scenario.suspendedKey } : undefined),
  },
  {
    name: 'over the request limit',
    phase: 'before',
    make: (operation, valid, scenario) => (tenantRoute(operation) ? { ...valid, key: scenario.throttledKey } : undefined),
    around: overTheLimit,
  },
  {
    name: 'around the edge (a wrong origin secret)',
    phase: 'before',
    make: (_operation, valid) => withHeaders(valid, { [edgeOrigin.header]: 'not-the-origin-secret' }),
    around: async () => {
      // The functions read the accepted secrets at each request; the twin has none unless set.
      const before = process.env[edgeOrigin.secretsVariable];
      process.env[edgeOrigin.secretsVariable] = 'contract-origin-secret';
      return () => {
        if (before === undefined) delete process.env[edgeOrigin.secretsVariable];
        else process.env[edgeOrigin.secretsVariable] = before;
      };
    },
  },
  {
    name: 'tenant whose settings are gone',
    phase: 'before',
    // A state the API cannot reach (every tenant is created with settings): the item is deleted in DynamoDB.
    make: async (operation, valid, scenario) => (tenantRoute(operation) && parameters(operation, 'path').length === 0 ? { ...valid, key: await scenario.withoutSettingsKey() } : undefined),
  },
  {
    name: 'erased customer',
    phase: 'before',
    make: async (operation, valid, scenario) => {
      if (!parameters(operation, 'path').some((parameter) => parameter.name === 'customerId')) return undefined;
      const template = operation.path.split('/');
      const segments = valid.path.split('?')[0]!.split('/');
      const index = template.indexOf('{customerId}');
      if (index < 0 || segments.length !== template.length) return undefined;
      segments[index] = await scenario.erasedCustomerId();
      return { ...valid, path: `${segments.join('/')}${valid.path.includes('?') ? `?${valid.path.split('?')[1]}` : ''}` };
    },
  },
  {
    name: 'Idempotency-Key too long',
    phase: 'before',
    make: (operation, valid) => (hasHeader(operation, 'Idempotency-Key') ? withHeaders(valid, { 'idempotency-key': 'k'.repeat(256) }) : undefined),
  },
  {
    name: 'bad path parameter',
    phase: 'before',
    make: (operation, valid) => {
      const path = parameters(operation, 'path');
      const names = path.map((parameter) => parameter.name);
      if (names.length === 0) return undefined;
      // The valid path's segment where the template has the last parameter.
      const template = operation.path.split('/');
      const segments = valid.path.split('?')[0]!.split('/');
      const index = template.lastIndexOf(`{${names.at(-1)}}`);
      if (index < 0 || segments.length !== template.length) return undefined;
      segments[index] = encodeURIComponent(refusedValue(path.at(-1)!.schema) ?? '§ not an id §');
      const query = valid.path.includes('?') ? `?${valid.path.split('?')[1]}` : '';
      return { ...valid, path: `${segments.join('/')}${query}` };
    },
  },
  {
    name: 'id that names nothing',
    phase: 'before',
    make: (operation, valid) => {
      if (parameters(operation, 'path').length === 0) return undefined;
      const path = missingTwin(valid.path);
      return path === valid.path ? undefined : { ...valid, path };
    },
  },
  {
    name: 'bad query',
    phase: 'before',
    make: (operation, valid) => {
      const query = parameters(operation, 'query');
      if (query.length === 0) return undefined;
      const [path, search = ''] = valid.path.split('?');
      const params = new URLSearchParams(search);
      const refusable = query.map((parameter) => [parameter.name, refusedValue(parameter.schema)] as const).find(([, value]) => value !== undefined);
      if (refusable) {
        params.set(refusable[0], refusable[1]!);
      } else {
        // Without a value the schema refuses, a parameter given twice.
        params.append(query[0]!.name, 'twice');
        params.append(query[0]!.name, 'twice');
      }
      return { ...valid, path: `${path}?${params}` };
    },
  },
  {
    name: 'bad body',
    phase: 'before',
    make: (operation, valid) => (jsonBody(operation) ? { ...valid, body: '["not", "the", "object"]', contentType: 'application/json' } : undefined),
  },
  {
    name: 'body in a media type not documented',
    phase: 'before',
    make: (operation, valid) =>
      operation.spec.requestBody && !operation.spec.requestBody.content['text/plain'] ? { ...valid, body: 'plain words', contentType: 'text/plain' } : undefined,
  },
  {
    name: 'body too big',
    phase: 'before',
    make: (operation, valid) => {
      if (!operation.spec.requestBody) return undefined;
      const padded = jsonBody(operation) ? JSON.stringify({ ...(valid.body as object), padding: 'x'.repeat(70_000) }) : `${String(valid.body ?? '')}&padding=${'x'.repeat(70_000)}`;
      return { ...valid, body: padded, contentType: valid.contentType ?? 'application/json' };
    },
  },
  {
    name: 'If-Match missing',
    phase: 'before',
    make: (operation, valid) => (headerParameter(operation, 'If-Match')?.required ? withHeaders(valid, { 'if-match': undefined }) : undefined),
  },
  {
    name: 'If-Match stale',
    phase: 'before',
    make: (operation, valid) => (hasHeader(operation, 'If-Match') ? withHeaders(valid, { 'if-match': '"999999"' }) : undefined),
  },
  {
    name: 'Idempotency-Key replayed',
    phase: 'after',
    make: (operation, valid) => (hasHeader(operation, 'Idempotency-Key') ? valid : undefined),
  },
  {
    // A copy that comes later finds the first still running (409) or, if it is already done, replays it.
    name: 'Idempotency-Key sent three times at once',
    phase: 'after',
    copies: 3,
    make: (operation, valid) => (hasHeader(operation, 'Idempotency-Key') ? withHeaders(valid, { 'idempotency-key': randomUUID() }) : undefined),
  },
  {
    name: 'Idempotency-Key reused with another body',
    phase: 'after',
    make: (operation, valid, scenario) => {
      if (!hasHeader(operation, 'Idempotency-Key')) return undefined;
      const field = freeTextField(valid.body, jsonBody(operation)?.schema, scenario.document.components?.schemas ?? {});
      if (!field) return undefined;
      const body = valid.body as Record<string, string>;
      return { ...valid, body: { ...body, [field]: `${body[field]} 2` } };
    },
  },
  {
    name: 'Idempotency-Key reused by another API key',
    phase: 'after',
    make: (operation, valid, scenario) => (hasHeader(operation, 'Idempotency-Key') && operation.access !== 'operator' ? { ...valid, key: scenario.keys.otherAdmin } : undefined),
  },
];

/**
 * A refusal sent before the valid request gets an Idempotency-Key of its own: one it shared with
 * the valid request could be claimed by it (a request refused past the claim) and make the valid
 * request a reuse.
 */
export const withOwnIdempotencyKey = (operation: Operation, request: ContractRequest): ContractRequest =>
  hasHeader(operation, 'Idempotency-Key') && request.headers?.['idempotency-key'] && request.headers['idempotency-key'].length <= 255
    ? withHeaders(request, { 'idempotency-key': randomUUID() })
    : request;

/** The valid request as sent: with an Idempotency-Key where the operation takes one, so that the replays can reuse it. */
export const asSent = (operation: Operation, valid: ContractRequest): ContractRequest =>
  hasHeader(operation, 'Idempotency-Key') && !valid.headers?.['idempotency-key'] ? withHeaders(valid, { 'idempotency-key': randomUUID() }) : withHeaders(valid, {});

/** Each example body the document gives for the operation's request, sent to the valid request's path. */
export function exampleRequests(operation: Operation, valid: ContractRequest): { name: string; request: ContractRequest }[] {
  const media = jsonBody(operation);
  if (!media) return [];
  const examples = [
    ...(media.example !== undefined ? [['example', media.example] as const] : []),
    ...Object.entries(media.examples ?? {}).map(([name, example]) => [name, example.value] as const),
  ];
  return examples
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ({ name: `document example ${name}`, request: withHeaders({ ...valid, body: value }, hasHeader(operation, 'Idempotency-Key') ? { 'idempotency-key': randomUUID() } : {}) }));
}
