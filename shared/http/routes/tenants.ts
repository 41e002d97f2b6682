import { CreateTenantBody, CreateTenantResponse, Tenant } from '../../schemas/tenant';
import { defineRoutes, readonlyAccess } from '../route-types';

/** Tenants: sign-up (operator only) and the caller's own tenant. */
export const tenantRoutes = defineRoutes([
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
    problems: ['secret-shown-once'],
    responses: { 201: { description: 'Created; the API key secret is shown only in this answer', schema: CreateTenantResponse, headers: ['Location'] } },
  },
  {
    operationId: 'getOwnTenant',
    method: 'GET',
    path: '/v1/tenant',
    function: 'tenants',
    access: readonlyAccess,
    tag: 'Tenants',
    summary: "The caller's own tenant",
    problems: ['not-found'],
    responses: { 200: { description: 'The tenant', schema: Tenant } },
  },
]);
