import { Page, PaginationQuery } from '../../schemas/common';
import { ApiKey, ApiKeyWithSecret, CreateApiKeyBody, KeyIdParams } from '../../schemas/api-key';
import { defineRoutes, adminAccess } from '../route-types';

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
    problems: ['last-admin-key'],
    responses: { 204: { description: 'Revoked' } },
  },
]);
