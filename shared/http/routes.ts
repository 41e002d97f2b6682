import type { z } from 'zod';
import { Page, PaginationQuery, Problem } from '../schemas/common';
import { CreateTenantBody, CreateTenantResponse, Tenant } from '../schemas/tenant';
import { ApiKey, ApiKeyWithSecret, CreateApiKeyBody, KeyIdParams, type Scope } from '../schemas/api-key';
import { Settings, SettingsPatch } from '../schemas/settings';
import {
  CreateCustomerBody,
  Customer,
  CustomerIdParams,
  ListCustomersQuery,
  UpdateCustomerBody,
} from '../schemas/customer';

/**
 * The one declaration of the HTTP API. The CDK API stack builds its routes, functions and
 * authorizer attachment from this list, the local twin serves exactly these routes, and the
 * OpenAPI document is generated from it.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Each value is one Lambda function, at `functions/<name>/handler.ts`; it serves every route
 * that names it. `tableAccess` is what its role is granted on the table.
 */
export const apiFunctions = {
  tenants: { tableAccess: 'readwrite', operatorKey: true, description: 'Tenant sign-up and profile' },
  'api-keys': { tableAccess: 'readwrite', operatorKey: false, description: 'API key management' },
  settings: { tableAccess: 'readwrite', operatorKey: false, description: 'Tenant settings' },
  customers: { tableAccess: 'readwrite', operatorKey: false, description: 'Customers' },
  openapi: { tableAccess: 'none', operatorKey: false, description: 'The OpenAPI document' },
} as const satisfies Record<string, FunctionDeclaration>;
export type ApiFunctionName = keyof typeof apiFunctions;

export interface FunctionDeclaration {
  tableAccess: 'readwrite' | 'read' | 'none';
  operatorKey: boolean;
  description: string;
}

/** Functions outside the route table: the Lambda authorizer and the `$default` route (404/405). */
export const edgeFunctions = {
  authorizer: { tableAccess: 'read', operatorKey: false, description: 'Verifies tenant API keys' },
  fallback: { tableAccess: 'none', operatorKey: false, description: 'Answers undeclared routes with 404 or 405' },
} as const satisfies Record<string, FunctionDeclaration>;

export type RouteAccess =
  | { kind: 'public' }
  /** Checked by the handler against the operator credential; no tenant authorizer. */
  | { kind: 'operator' }
  /** Tenant API key through the Lambda authorizer, with at least this scope. */
  | { kind: 'tenant'; scope: Scope };

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
}

export interface RouteDeclaration {
  operationId: string;
  method: HttpMethod;
  path: string;
  function: ApiFunctionName;
  access: RouteAccess;
  summary: string;
  tag: string;
  /** POST routes that honour the Idempotency-Key header. */
  idempotent?: boolean;
  /** Updates that require If-Match with the current ETag. */
  requiresIfMatch?: boolean;
  request?: { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
  responses: Record<number, RouteResponse>;
}

/**
 * The tenant-key Lambda authorizer as API Gateway runs it and the local twin copies it: its
 * identity source, and how long an answer is cached per identity. A revoked key can keep
 * passing for up to `cacheSeconds`.
 */
export const tenantAuthorizer = { identitySourceHeader: 'Authorization', cacheSeconds: 60 } as const;

const admin = { kind: 'tenant', scope: 'admin' } as const;
const agent = { kind: 'tenant', scope: 'agent' } as const;
const readonly = { kind: 'tenant', scope: 'readonly' } as const;

export const routes: readonly RouteDeclaration[] = [
  {
    operationId: 'createTenant',
    method: 'POST',
    path: '/v1/tenants',
    function: 'tenants',
    access: { kind: 'operator' },
    tag: 'Tenants',
    summary: 'Create a tenant and its first admin API key (operator only)',
    idempotent: true,
    request: { body: CreateTenantBody },
    responses: { 201: { description: 'Created; the API key secret is shown only in this answer', schema: CreateTenantResponse } },
  },
  {
    operationId: 'getOwnTenant',
    method: 'GET',
    path: '/v1/tenant',
    function: 'tenants',
    access: readonly,
    tag: 'Tenants',
    summary: "The caller's own tenant",
    responses: { 200: { description: 'The tenant', schema: Tenant } },
  },
  {
    operationId: 'createApiKey',
    method: 'POST',
    path: '/v1/api-keys',
    function: 'api-keys',
    access: admin,
    tag: 'API keys',
    summary: 'Create an API key; the secret is shown only in this answer',
    idempotent: true,
    request: { body: CreateApiKeyBody },
    responses: { 201: { description: 'Created', schema: ApiKeyWithSecret } },
  },
  {
    operationId: 'listApiKeys',
    method: 'GET',
    path: '/v1/api-keys',
    function: 'api-keys',
    access: admin,
    tag: 'API keys',
    summary: 'List active API keys (never their secrets)',
    request: { query: PaginationQuery },
    responses: { 200: { description: 'A page of keys', schema: Page(ApiKey) } },
  },
  {
    operationId: 'revokeApiKey',
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    function: 'api-keys',
    access: admin,
    tag: 'API keys',
    summary: 'Revoke an API key',
    request: { params: KeyIdParams },
    responses: { 204: { description: 'Revoked' } },
  },
  {
    operationId: 'getSettings',
    method: 'GET',
    path: '/v1/settings',
    function: 'settings',
    access: readonly,
    tag: 'Settings',
    summary: "The tenant's settings",
    responses: { 200: { description: 'Settings', schema: Settings } },
  },
  {
    operationId: 'updateSettings',
    method: 'PATCH',
    path: '/v1/settings',
    function: 'settings',
    access: admin,
    tag: 'Settings',
    summary: 'Change settings (merge patch; unknown fields are rejected)',
    request: { body: SettingsPatch },
    responses: { 200: { description: 'The updated settings', schema: Settings } },
  },
  {
    operationId: 'createCustomer',
    method: 'POST',
    path: '/v1/customers',
    function: 'customers',
    access: agent,
    tag: 'Customers',
    summary: 'Create a customer; phone, email and externalId are unique within the tenant',
    idempotent: true,
    request: { body: CreateCustomerBody },
    responses: { 201: { description: 'Created', schema: Customer } },
  },
  {
    operationId: 'listCustomers',
    method: 'GET',
    path: '/v1/customers',
    function: 'customers',
    access: readonly,
    tag: 'Customers',
    summary: 'List customers, or look one up by phone, email or externalId',
    request: { query: ListCustomersQuery },
    responses: { 200: { description: 'A page of customers', schema: Page(Customer) } },
  },
  {
    operationId: 'getCustomer',
    method: 'GET',
    path: '/v1/customers/{customerId}',
    function: 'customers',
    access: readonly,
    tag: 'Customers',
    summary: 'Read a customer; the ETag header carries its version',
    request: { params: CustomerIdParams },
    responses: { 200: { description: 'The customer', schema: Customer } },
  },
  {
    operationId: 'updateCustomer',
    method: 'PATCH',
    path: '/v1/customers/{customerId}',
    function: 'customers',
    access: agent,
    tag: 'Customers',
    summary: 'Change a customer; requires If-Match with the ETag last read',
    requiresIfMatch: true,
    request: { params: CustomerIdParams, body: UpdateCustomerBody },
    responses: { 200: { description: 'The updated customer', schema: Customer } },
  },
  {
    operationId: 'eraseCustomer',
    method: 'DELETE',
    path: '/v1/customers/{customerId}',
    function: 'customers',
    access: agent,
    tag: 'Customers',
    summary: 'Erase a customer: personal data is removed, a tombstone keeps the id',
    request: { params: CustomerIdParams },
    responses: { 204: { description: 'Erased' } },
  },
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

export { Problem };
