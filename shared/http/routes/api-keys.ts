import { Page, PaginationQuery } from '../../schemas/common';
import { ApiKey, ApiKeyWithSecret, CreateApiKeyBody, KeyIdParams } from '../../schemas/api-key';
import { defineRoutes, adminAccess } from '../route-types';

const apiKeyExample = {
  keyId: 'key_01JF9A2B3C4D5E6F7G8H9J0K1M',
  name: 'CRM integration',
  scopes: ['agent'],
  createdAt: '2026-03-04T06:30:00.000Z',
} as const;

/** The tenant's API keys. */
export const apiKeyRoutes = defineRoutes([
  {
    operationId: 'createApiKey',
    method: 'POST',
    path: '/v1/api-keys',
    function: 'api-keys',
    access: adminAccess,
    tag: 'API keys',
    summary: 'Create an API key; the secret is shown only in this answer',
    idempotent: true,
    request: { body: CreateApiKeyBody },
    description:
      'Creates a key with one or more scopes: admin (settings, keys, webhooks, audit log, people), supervisor (what agent may, for a team lead), agent (customers, contacts, cases, surveys) and readonly (reads). ' +
      'The secret is in this answer only (store it now); a retry with the same Idempotency-Key answers 409 secret-shown-once',
    examples: {
      request: { body: { name: 'CRM integration', scopes: ['agent'] } },
      responses: {
        201: { ...apiKeyExample, secret: 'sb.ten_01JF8Z4Q7V2W3X4Y5Z6A7B8C9D.key_01JF9A2B3C4D5E6F7G8H9J0K1M.pR4sT6uV8wX0yZ2aB4cD6eF8gH0jK2mN' },
      },
    },
    problems: ['secret-shown-once'],
    responses: { 201: { description: 'Created', schema: ApiKeyWithSecret, headers: ['Location'] } },
  },
  {
    operationId: 'listApiKeys',
    method: 'GET',
    path: '/v1/api-keys',
    function: 'api-keys',
    access: adminAccess,
    tag: 'API keys',
    summary: 'List active API keys (never their secrets)',
    request: { query: PaginationQuery },
    description:
      'The active (not revoked) keys of the tenant, without their secrets. Paged: at most `limit` (1–100, default 25) per page; pass `nextCursor` as `cursor` for the next',
    examples: { request: { query: { limit: '25' } }, responses: { 200: { items: [apiKeyExample] } } },
    responses: { 200: { description: 'A page of keys', schema: Page(ApiKey) } },
  },
  {
    operationId: 'revokeApiKey',
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    function: 'api-keys',
    access: adminAccess,
    tag: 'API keys',
    summary: 'Revoke an API key',
    request: { params: KeyIdParams },
    description:
      'Revokes a key. The authorizer caches its answer for 60 seconds per key, so a revoked key may work that long. ' +
      'The last admin key cannot be revoked (409), even by two admins revoking each other at once',
    examples: { request: { params: { keyId: 'key_01JF9A2B3C4D5E6F7G8H9J0K1M' } } },
    problems: ['last-admin-key'],
    responses: { 204: { description: 'Revoked' } },
  },
]);
