import { Page, PaginationQuery } from '../../schemas/common';
import { AllocateBody, IssueAdminKeyBody, IssuedAdminKey, OperatorTenant, OperatorTenantParams, ReleaseBody, SuspendBody } from '../../schemas/operator';
import { defineRoutes } from '../route-types';

const operatorAccess = { kind: 'operator' } as const;

const tenantIdExample = { tenantId: 'ten_01JF8Z4Q7V2W3X4Y5Z6A7B8C9D' } as const;

const operatorTenantExample = {
  tenantId: 'ten_01JF8Z4Q7V2W3X4Y5Z6A7B8C9D',
  name: 'Formosa Telecom Care',
  plan: 'business',
  state: 'active',
  allocations: {
    smsOriginationIdentities: ['+886287654321'],
    smsConfigurationSets: ['formosa-telecom'],
    smsOptOutLists: ['Default'],
    connectAccounts: ['123456789012'],
    connectInstances: ['arn:aws:connect:ap-northeast-1:123456789012:instance/3f6b2c1d-8e4a-4b7c-9d10-2e3f4a5b6c7d'],
    mailIdentities: ['mail.formosa-telecom.example'],
  },
  createdAt: '2026-03-02T01:15:00.000Z',
  version: 4,
} as const;

const smsNumberExample = { resource: { kind: 'sms-origination-identity', id: '+886287654321' } } as const;

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
    description:
      'Every tenant with its plan, state (active or suspended, with why and since when) and what the operator allocated to it, by tenant id. ' +
      'Operator key only. Paged by `limit` (1–100, default 25) and `cursor`',
    examples: { request: { query: { limit: '50' } }, responses: { 200: { items: [operatorTenantExample] } } },
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
    description:
      'One tenant with its plan, state and allocations. Operator key only; an unknown tenant id answers 404',
    examples: { request: { params: tenantIdExample }, responses: { 200: operatorTenantExample } },
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
    description:
      'Allocates an SMS origination identity (E.164 number, phone-…/pool-… id or ARN, sender ID ARN), configuration set or opt-out list, or registers an AWS account ' +
      'or an Amazon Connect instance (its account registered first) to the tenant, whose settings may then choose it. A resource belongs to one tenant: ' +
      'another tenant\'s answers 409 resource-taken. Allocating again what the tenant holds changes nothing. Operator key only',
    examples: { request: { params: tenantIdExample, body: smsNumberExample }, responses: { 200: operatorTenantExample } },
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
    description:
      'Takes a resource back from the tenant; refused with 409 resource-in-use, naming the setting, while the tenant\'s settings (or its registered Connect instances) use it. ' +
      'Releasing what the tenant does not hold changes nothing. Operator key only',
    examples: {
      request: { params: tenantIdExample, body: smsNumberExample },
      responses: { 200: { ...operatorTenantExample, allocations: { ...operatorTenantExample.allocations, smsOriginationIdentities: [] }, version: 5 } },
    },
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
    description:
      'Suspends the tenant with a reason: its keys answer 403 tenant-suspended (within the authorizer cache\'s 60 s) and nothing is sent or scheduled for it. ' +
      'Suspending a suspended tenant changes nothing. Operator key only',
    examples: {
      request: { params: tenantIdExample, body: { reason: 'Invoice 2026-02 unpaid after three reminders' } },
      responses: {
        200: { ...operatorTenantExample, state: 'suspended', suspension: { reason: 'Invoice 2026-02 unpaid after three reminders', suspendedAt: '2026-03-20T02:00:00.000Z' }, version: 5 },
      },
    },
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
    description:
      'Resumes a suspended tenant: its keys work again (within the authorizer cache\'s 60 s). Resuming an active tenant changes nothing. Operator key only',
    examples: { request: { params: tenantIdExample }, responses: { 200: { ...operatorTenantExample, version: 6 } } },
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
    description:
      'Issues a new admin API key to a locked-out tenant (one left without a usable admin key). The secret is in this answer only: ' +
      'a retry with the same Idempotency-Key answers 409 secret-shown-once. Operator key only',
    examples: {
      request: { params: tenantIdExample, body: { name: 'Recovery key, ticket 4411' } },
      responses: {
        201: {
          tenantId: 'ten_01JF8Z4Q7V2W3X4Y5Z6A7B8C9D',
          apiKey: {
            keyId: 'key_01JFK2M3N4P5Q6R7S8T9V0W1X2',
            name: 'Recovery key, ticket 4411',
            scopes: ['admin'],
            createdAt: '2026-03-21T06:00:00.000Z',
            secret: 'sb.ten_01JF8Z4Q7V2W3X4Y5Z6A7B8C9D.key_01JFK2M3N4P5Q6R7S8T9V0W1X2.Vb8Nq2Lx5Rt9Wz3Kc7Hd1Mf6Pg4Js0Ya',
          },
        },
      },
    },
    problems: ['secret-shown-once'],
    responses: { 201: { description: 'Issued; the API key secret is shown only in this answer', schema: IssuedAdminKey } },
  },
]);
