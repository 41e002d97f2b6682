import { describe, expect, it, vi } from 'vitest';
import type { RouteDeclaration } from '../../shared/http/route-types';
import type * as RoutesModule from '../../shared/http/routes';

// One declared route, getCustomer, marked deprecated as a route declaration would be; the others as declared.
vi.mock('../../shared/http/routes', async (importOriginal) => {
  const original = await importOriginal<typeof RoutesModule>();
  const routes: readonly RouteDeclaration[] = original.routes.map((route) =>
    route.operationId === 'getCustomer' ? { ...route, deprecated: true } : route,
  );
  return { ...original, routes };
});

const { buildOpenApiDocument } = await import('../../shared/http/openapi');
const { generateSchemaSource } = await import('../../client/tools/generate');

describe('a deprecated route (RouteDeclaration.deprecated)', () => {
  const document = buildOpenApiDocument();
  const operations = Object.values(document.paths).flatMap((pathItem) =>
    Object.values(pathItem as Record<string, { operationId: string; deprecated?: boolean }>),
  );

  it('is marked deprecated in the OpenAPI document, and no other operation is', () => {
    expect(operations.filter((operation) => operation.deprecated).map((operation) => operation.operationId)).toEqual(['getCustomer']);
    expect(operations.filter((operation) => 'deprecated' in operation)).toHaveLength(1);
  });

  it('shows as @deprecated in the typed client, so that an integrator’s editor strikes it through', async () => {
    const source = await generateSchemaSource();
    const getCustomer = source.slice(source.indexOf('"/v1/customers/{customerId}": {'));
    expect(getCustomer.slice(0, getCustomer.indexOf('get: operations["getCustomer"]'))).toContain('@deprecated');
  }, 60_000);
});
