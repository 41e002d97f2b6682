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

  type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[]; $ref?: string };
  type Parameter = { name: string; in: string; schema: Schema; description?: string };
  type Operation = {
    parameters?: Parameter[];
    requestBody?: { content: Record<string, { schema: Schema }> };
    responses: Record<string, { content?: Record<string, { schema: Schema; example?: unknown }> }>;
  };
  const operationAt = (path: string, method: string) => (document.paths[path] as Record<string, Operation>)[method]!;
  const component = (name: string) => document.components.schemas[name] as Schema;
  const bodyOf = (path: string, method: string) => {
    const schema = operationAt(path, method).requestBody!.content['application/json']!.schema;
    return schema.$ref ? component(schema.$ref.split('/').pop()!) : schema;
  };
  const parameter = (path: string, method: string, name: string) => operationAt(path, method).parameters!.find((each) => each.name === name)!;

  it('leaves a field with a default out of a request’s required fields, and keeps it required in the answer', () => {
    expect(bodyOf('/v1/tenants', 'post').required).not.toContain('plan');
    expect(bodyOf('/v1/webhooks', 'post').required).not.toContain('enabled');
    expect(parameter('/v1/customers', 'get', 'limit')).toMatchObject({ required: false, schema: { default: 25 } });
    // A component used on both sides appears twice when they differ: the answer's with every field.
    expect(component('ReasonCode').required).toContain('active');
    expect(component('ReasonCodeInput').required).not.toContain('active');
    expect(JSON.stringify(bodyOf('/v1/settings', 'patch'))).not.toContain('#/components/schemas/ReasonCode"');
  });

  it('lists the properties of a record keyed by an enum', () => {
    const tiers = (document.components.schemas.SegmentsSummary as Schema).properties!.tiers!;
    expect(Object.keys(tiers.properties ?? {})).toEqual(['high', 'mid', 'low']);
    expect(tiers.additionalProperties).toBe(false);
  });

  it('documents query booleans as booleans, and the staffing interval as one integer type on GET and POST', () => {
    expect(parameter('/v1/cases', 'get', 'breached')).toMatchObject({ schema: { type: 'boolean' }, description: 'Written true or false' });
    const query = parameter('/v1/analytics/staffing', 'get', 'interval').schema;
    const body = bodyOf('/v1/analytics/staffing', 'post').properties!.interval!;
    for (const interval of [query, body]) expect(interval).toMatchObject({ type: 'integer', enum: [30, 60], minimum: 30, maximum: 60 });
  });

  it('gives every integer a format and every from/to a pattern or format', () => {
    const integers: Schema[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        if ((node as Schema).type === 'integer') integers.push(node as Schema);
        for (const [key, inner] of Object.entries(node)) if (key !== 'example') walk(inner);
      }
    };
    walk(document);
    expect(integers.length).toBeGreaterThan(100);
    expect(integers.filter((schema) => schema.format !== 'int32' && schema.format !== 'int64')).toEqual([]);
    for (const route of routes.filter((each) => each.request?.query)) {
      for (const bound of (operationAt(route.path, route.method.toLowerCase()).parameters ?? []).filter((each) => each.name === 'from' || each.name === 'to')) {
        expect(bound.schema.pattern ?? bound.schema.format, `${route.operationId} ${bound.name}`).toBeDefined();
        expect(bound.schema.maxLength, `${route.operationId} ${bound.name}`).toBeDefined();
      }
    }
  });

  it('declares the CSV exports as text/csv with an example, and every answer of the survey page as HTML', () => {
    for (const path of ['/v1/exports/contacts', '/v1/exports/survey-responses']) {
      const csv = operationAt(path, 'get').responses['200']!.content!['text/csv']!;
      expect(csv.schema).toEqual({ type: 'string' });
      expect(String(csv.example)).toMatch(/^\uFEFF[a-zA-Z,]+\r\n/);
    }
    for (const method of ['get', 'post']) {
      for (const [status, response] of Object.entries(operationAt('/s/{token}', method).responses)) {
        // Not pages: the refusal of a request around the edge (before any page is made), and the
        // gateway's refusal of a body over its own limit beside the page's 413.
        const expected = status === '403' ? ['application/problem+json'] : status === '413' ? ['text/html', 'application/problem+json'] : ['text/html'];
        expect(Object.keys(response.content ?? {}), `${method} ${status}`).toEqual(expected);
      }
    }
    expect(Object.keys(operationAt('/s/{token}', 'post').responses)).toEqual(expect.arrayContaining(['400', '404', '415']));
  });

  it('has a described tag for each area, and info with contact and licence', () => {
    const tags = document.tags.map((tag) => tag.name);
    expect(new Set(routes.map((route) => route.tag))).toEqual(new Set(tags));
    for (const tag of document.tags) expect(tag.description, tag.name).toBeTruthy();
    expect(document.info.contact.email).toMatch(/^support@/);
    expect(document.info.license.name).toBe('Proprietary');
  });
});
