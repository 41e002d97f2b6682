import { describe, expect, it } from 'vitest';
import * as z from '../../shared/zod';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { type RouteDeclaration, routes } from '../../shared/http/routes';
import { looksLikeId } from '../../shared/ids';

/**
 * The examples on the route declarations are what the OpenAPI document shows integrators (and what
 * the contract tests send as valid requests): each must parse with the route's own zod schema, the
 * request with its input side, the answer with the schema of its status, so none can drift.
 */

const label = (route: RouteDeclaration) => `${route.operationId} (${route.method} ${route.path})`;
const issues = (schema: z.ZodMiniType, value: unknown) => {
  const result = z.safeParse(schema, value);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('the examples on the route declarations', () => {
  it('has a description for every operation', () => {
    for (const route of routes) expect(route.description?.trim().length, label(route)).toBeGreaterThan(40);
  });

  it('has a request example for every operation that takes a body or query, and an answer example for each', () => {
    for (const route of routes) {
      const request = route.examples?.request;
      if (route.request?.body) expect(request?.body, `${label(route)}: body`).toBeDefined();
      if (route.request?.query) expect(request?.query, `${label(route)}: query`).toBeDefined();
      if (route.request?.params) expect(request?.params, `${label(route)}: params`).toBeDefined();
      const withBody = Object.entries(route.responses).filter(([, response]) => response.schema || response.mediaType || route.page);
      if (withBody.length > 0) expect(Object.keys(route.examples?.responses ?? {}).length, `${label(route)}: answers`).toBeGreaterThan(0);
    }
  });

  it('parses every request example with the route’s input schemas', () => {
    for (const route of routes) {
      const request = route.examples?.request ?? {};
      for (const part of ['params', 'query', 'body'] as const) {
        const schema = route.request?.[part];
        if (request[part] === undefined) continue;
        expect(schema, `${label(route)}: an example ${part} for a route without one`).toBeDefined();
        expect(issues(schema!, request[part]), `${label(route)}: ${part}`).toEqual([]);
      }
    }
  });

  it('parses every answer example with the schema of its status', () => {
    for (const route of routes) {
      for (const [status, example] of Object.entries(route.examples?.responses ?? {})) {
        const response = route.responses[Number(status)];
        expect(response, `${label(route)}: an example for undeclared status ${status}`).toBeDefined();
        if (response?.schema) expect(issues(response.schema, example), `${label(route)}: ${status}`).toEqual([]);
        else expect(typeof example, `${label(route)}: ${status} is text`).toBe('string');
      }
    }
  });

  it('uses ids shaped as the service makes them (a kind prefix and 26 Crockford base32 characters)', () => {
    const strings: string[] = [];
    const walk = (value: unknown) => {
      if (typeof value === 'string') strings.push(...value.split(/[^A-Za-z0-9_]+/));
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    for (const route of routes) walk(route.examples);
    const ids = strings.filter((text) => /^[a-z]{3}_[0-9A-Z]{20,}$/.test(text));
    expect(ids.length).toBeGreaterThan(20);
    expect(ids.filter((id) => !looksLikeId(id.slice(0, 3), id))).toEqual([]);
  });

  it('notices an example that does not match its schema', () => {
    const createCustomer = routes.find((route) => route.operationId === 'createCustomer')!;
    expect(issues(createCustomer.request!.body!, { ...(createCustomer.examples!.request!.body as object), email: 'not an email' })).not.toEqual([]);
  });

  it('puts the descriptions and examples into the document', () => {
    const document = buildOpenApiDocument();
    for (const route of routes) {
      const operation = (document.paths[route.path] as Record<string, Record<string, unknown>>)[route.method.toLowerCase()]!;
      expect(operation.description, label(route)).toBe(route.description);
      const body = route.examples?.request?.body;
      if (body !== undefined) {
        const content = (operation.requestBody as { content: Record<string, { example: unknown }> }).content;
        expect(Object.values(content)[0]!.example, label(route)).toEqual(body);
      }
      for (const [status, example] of Object.entries(route.examples?.responses ?? {})) {
        const content = (operation.responses as Record<string, { content: Record<string, { example: unknown }> }>)[status]!.content;
        expect(Object.values(content).some((media) => JSON.stringify(media.example) === JSON.stringify(example)), `${label(route)} ${status}`).toBe(true);
      }
    }
  });
});
