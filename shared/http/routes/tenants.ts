import { OwnTenant } from '../../schemas/operator';
import { CreateTenantBody, CreateTenantResponse } from '../../schemas/tenant';
import { defineRoutes, readonlyAccess } from '../route-types';

const tenantExample = {
  tenantId: 'ten_01JF8Z4Q7V2W3X4Y5Z6A7B8C9D',
  name: 'Formosa Telecom Care',
  timezone: 'Asia/Taipei',
  locale: 'zh-TW',
  defaultCountry: 'TW',
  plan: 'business',
  createdAt: '2026-03-02T01:15:00.000Z',
} as const;

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
    description:
      'Creates a tenant with the given time zone, locale and default country (its plan defaults to trial) and its first admin API key. ' +
      'Operator key only. The key secret is in this answer only; a retry with the same Idempotency-Key answers 409 secret-shown-once rather than showing it again',
    examples: {
      request: { body: { name: 'Formosa Telecom Care', timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW', plan: 'business' } },
      responses: {
        201: {
          tenant: tenantExample,
          apiKey: {
            keyId: 'key_01JF8Z4Q7V9K2M3N4P5Q6R7S8T',
            name: 'First admin key',
            scopes: ['admin'],
            createdAt: '2026-03-02T01:15:00.000Z',
            secret: 'sb.ten_01JF8Z4Q7V2W3X4Y5Z6A7B8C9D.key_01JF8Z4Q7V9K2M3N4P5Q6R7S8T.Xq3v9Jd2LmT8wRbN5cYp0sKfHa7Ge1Uz',
          },
        },
      },
    },
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
    description:
      'The tenant the caller belongs to: its name, time zone, locale, default country and plan, and what the operator allocated to it (SMS senders and their configuration, Amazon Connect accounts and instances). Any scope may read it',
    examples: {
      responses: {
        200: {
          ...tenantExample,
          allocations: { smsOriginationIdentities: ['+886912345678'], smsConfigurationSets: [], smsOptOutLists: [], connectAccounts: [], connectInstances: [], mailIdentities: [] },
        },
      },
    },
    problems: ['not-found'],
    responses: { 200: { description: 'The tenant and its allocations', schema: OwnTenant } },
  },
]);
