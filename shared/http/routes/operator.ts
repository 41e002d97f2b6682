import { Page, PaginationQuery } from '../../schemas/common';
import { AllocateBody, IssueAdminKeyBody, IssuedAdminKey, OperatorTenant, OperatorTenantParams, ReleaseBody, SuspendBody } from '../../schemas/operator';
import { defineRoutes } from '../route-types';

const operatorAccess = { kind: 'operator' } as const;

/**
 * The operator's routes (operator key only): every tenant with its plan, state and allocations;
 * what each tenant may use (SMS identities, configuration sets, opt-out lists, Amazon Connect
 * accounts and instances); suspension; a new admin key for a locked-out tenant.
 * docs/operations.md, "Operating tenants".
 */
export const operatorRoutes = defineRoutes([
  {
    operationId: 'listTenants',
    method: 'GET',
    path: '/v1/operator/tenants',
    function: 'tenants',
    access: operatorAccess,
    tag: 'Operator',
    summary: 'Every tenant with its plan, state and allocations, by tenant id (operator only)',
    request: { query: PaginationQuery },
    responses: { 200: { description: 'A page of tenants', schema: Page(OperatorTenant) } },
  },
  {
    operationId: 'getTenantForOperator',
    method: 'GET',
    path: '/v1/operator/tenants/{tenantId}',
    function: 'tenants',
    access: operatorAccess,
    tag: 'Operator',
    summary: 'One tenant with its plan, state and allocations (operator only)',
    request: { params: OperatorTenantParams },
    responses: { 200: { description: 'The tenant', schema: OperatorTenant } },
  },
  {
    operationId: 'allocateResource',
    method: 'POST',
    path: '/v1/operator/tenants/{tenantId}/allocations',
    function: 'tenants',
    access: operatorAccess,
    tag: 'Operator',
    summary:
      'Allocate an SMS origination identity, configuration set or opt-out list, or register an AWS account or Amazon Connect instance, to the tenant; a resource belongs to one tenant (409 resource-taken). Allocating again what the tenant holds changes nothing',
    request: { params: OperatorTenantParams, body: AllocateBody },
    problems: ['conflict', 'resource-taken', 'too-many-allocations', 'connect-account-not-registered'],
    responses: {
      200: { description: 'The tenant with its allocations', schema: OperatorTenant },
      409: { description: 'resource-taken: another tenant holds the resource; or the tenant changed meanwhile (try again)' },
      422: { description: "too-many-allocations, or connect-account-not-registered (register the instance's account first)" },
    },
  },
  {
    operationId: 'releaseResource',
    method: 'POST',
    path: '/v1/operator/tenants/{tenantId}/allocations/release',
    function: 'tenants',
    access: operatorAccess,
    tag: 'Operator',
    summary:
      "Take a resource back from the tenant; refused (409 resource-in-use, naming the setting) while the tenant's settings use it. Releasing what the tenant does not hold changes nothing",
    request: { params: OperatorTenantParams, body: ReleaseBody },
    problems: ['conflict', 'resource-in-use'],
    responses: {
      200: { description: 'The tenant with its allocations', schema: OperatorTenant },
      409: { description: "resource-in-use: the tenant's settings (or its registered Connect instances) still use it; or the tenant changed meanwhile" },
    },
  },
  {
    operationId: 'suspendTenant',
    method: 'POST',
    path: '/v1/operator/tenants/{tenantId}/suspend',
    function: 'tenants',
    access: operatorAccess,
    tag: 'Operator',
    summary:
      "Suspend the tenant: its keys answer 403 tenant-suspended (within the authorizer cache's 60 s) and nothing is sent or scheduled for it. Suspending a suspended tenant changes nothing",
    request: { params: OperatorTenantParams, body: SuspendBody },
    problems: ['conflict'],
    responses: { 200: { description: 'The suspended tenant', schema: OperatorTenant } },
  },
  {
    operationId: 'resumeTenant',
    method: 'POST',
    path: '/v1/operator/tenants/{tenantId}/resume',
    function: 'tenants',
    access: operatorAccess,
    tag: 'Operator',
    summary: 'Resume a suspended tenant; resuming an active tenant changes nothing',
    request: { params: OperatorTenantParams },
    problems: ['conflict'],
    responses: { 200: { description: 'The active tenant', schema: OperatorTenant } },
  },
  {
    operationId: 'issueAdminKey',
    method: 'POST',
    path: '/v1/operator/tenants/{tenantId}/admin-keys',
    function: 'tenants',
    access: operatorAccess,
    tag: 'Operator',
    summary: 'Issue a new admin API key to a locked-out tenant; the secret is shown only in this answer',
    idempotent: true,
    request: { params: OperatorTenantParams, body: IssueAdminKeyBody },
    problems: ['secret-shown-once'],
    responses: { 201: { description: 'Issued; the API key secret is shown only in this answer', schema: IssuedAdminKey } },
  },
]);
