import { describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { apiFunctions, routes } from '../../shared/http/routes';

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument();

  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every declared route under its operationId', () => {
    for (const route of routes) {
      const operation = (document.paths[route.path] as Record<string, { operationId: string }>)[route.method.toLowerCase()];
      expect(operation?.operationId, `${route.method} ${route.path}`).toBe(route.operationId);
    }
  });

  it('has unique operation ids, each served by a declared function', () => {
    const ids = routes.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of routes) expect(Object.keys(apiFunctions)).toContain(route.function);
  });
});
