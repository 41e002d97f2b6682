import { readFileSync } from 'node:fs';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as openApiFunction } from '../../functions/openapi/handler';
import { problemsDocFile, problemsMarkdown } from '../../infra/tools/problems-doc';
import { buildOpenApiDocument, problemComponentName } from '../../shared/http/openapi';
import { HttpError, problemBody } from '../../shared/http/problem';
import { problemPage } from '../../shared/http/problem-page';
import { problemBodySchema, problemSlugs, problemType, problemTypeUri } from '../../shared/http/problem-types';
import { declaredProblems } from '../../shared/http/route-answers';
import { routes } from '../../shared/http/routes';
import type { RouteDeclaration } from '../../shared/http/route-types';

const document = buildOpenApiDocument();
type Responses = Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: Record<string, unknown> }> }>;
const operationOf = (route: RouteDeclaration) =>
  (document.paths[route.path] as Record<string, { responses: Responses; parameters?: { name: string; in: string; required: boolean }[] }>)[
    route.method.toLowerCase()
  ]!;
const routeNamed = (operationId: string) => routes.find((route) => route.operationId === operationId)!;
const schemas = document.components.schemas as Record<string, { properties: Record<string, { const?: unknown }>; required: string[] }>;

/** The problem types a response's problem+json schema admits, read back from the document. */
function documentedTypes(schema: Record<string, unknown>): string[] {
  const entries = (schema.oneOf as Record<string, unknown>[] | undefined) ?? [schema];
  return entries.map((entry) => {
    const name = String(entry.$ref).replace('#/components/schemas/', '');
    return String(schemas[name]!.properties.type!.const);
  });
}

describe('the problem-type catalog', () => {
  it('gives each type a status of its class, a title and a meaning', () => {
    for (const slug of problemSlugs) {
      const { status, title, meaning } = problemType(slug);
      expect(status >= 400 && status <= 599, slug).toBe(true);
      expect(title.length > 0 && meaning.length > 20, slug).toBe(true);
    }
  });

  it('answers an HttpError with the status and title of its type, and a body its type declares', () => {
    const error = new HttpError('duplicate-customer', 'Another customer has this phone', {
      extensions: { existingCustomerId: 'cus_01J0000000000000000000000', field: 'phone' },
    });
    expect([error.status, error.title]).toEqual([409, 'Conflict']);
    const body = problemBody(error, '/v1/customers');
    expect(body.type).toBe('/problems/duplicate-customer');
    expect(problemBodySchema('duplicate-customer').safeParse(body).success).toBe(true);
    // A member the type does not declare, or a declared one missing, breaks it.
    expect(problemBodySchema('duplicate-customer').safeParse({ ...body, customerId: 'x' }).success).toBe(false);
    expect(problemBodySchema('not-found').safeParse({ ...problemBody(new HttpError('not-found', 'No such customer')), errors: [] }).success).toBe(false);
  });

  it('has no type that no route declares (but 405, which only the fallback for undeclared routes answers)', () => {
    const declared = new Set(routes.flatMap((route) => [...declaredProblems(route).values()].flat()));
    const undeclared = problemSlugs.filter((slug) => !problemType(slug).localTwinOnly && !declared.has(slug));
    expect(undeclared).toEqual(['method-not-allowed']);
  });

  it('is what docs/problems.md lists (regenerate: npx tsx infra/tools/problems-doc.ts)', () => {
    expect(readFileSync(problemsDocFile, 'utf8')).toBe(problemsMarkdown());
  });
});

describe('the error answers in the OpenAPI document', () => {
  it("declares each route's problem statuses as problem+json whose types are exactly the route's", () => {
    for (const route of routes.filter((declared) => !declared.page)) {
      const responses = operationOf(route).responses;
      for (const [status, slugs] of declaredProblems(route)) {
        const schema = responses[String(status)]?.content?.['application/problem+json']?.schema;
        expect(schema, `${route.operationId} ${status}`).toBeDefined();
        expect(documentedTypes(schema!).sort(), `${route.operationId} ${status}`).toEqual(slugs.map(problemTypeUri).sort());
      }
      const errorStatuses = Object.keys(responses).filter((status) => Number(status) >= 400);
      expect(errorStatuses.sort(), route.operationId).toEqual([...declaredProblems(route).keys()].map(String).sort());
    }
  });

  it('declares a problem type the route raises beyond the common ones, and the common ones from its properties', () => {
    const createCustomer = declaredProblems(routeNamed('createCustomer'));
    expect(createCustomer.get(409)).toEqual(['idempotency-in-progress', 'duplicate-customer', 'replay-erased']);
    expect(createCustomer.get(422)).toEqual(['idempotency-key-reused', 'idempotency-key-other-caller']);
    expect(createCustomer.get(413)).toEqual(['payload-too-large']);
    expect(createCustomer.has(404)).toBe(false);
    const getOpenApi = declaredProblems(routeNamed('getOpenApi'));
    expect([...getOpenApi.keys()]).toEqual([403, 429, 500, 503]);
    const updateCustomer = declaredProblems(routeNamed('updateCustomer'));
    expect([updateCustomer.get(412), updateCustomer.get(428), updateCustomer.get(410)]).toEqual([['precondition-failed'], ['precondition-required'], ['customer-erased']]);
  });

  it('makes a oneOf told apart by type when a status has several problem types, and a reference when one', () => {
    const responses = operationOf(routeNamed('createSurvey')).responses;
    const conflict = responses['409']!.content!['application/problem+json']!.schema;
    expect(documentedTypes(conflict)).toEqual(['/problems/idempotency-in-progress', '/problems/contact-not-closed', '/problems/survey-exists', '/problems/replay-erased']);
    expect(conflict.oneOf).toHaveLength(4);
    expect(responses['413']!.content!['application/problem+json']!.schema).toEqual({ $ref: '#/components/schemas/PayloadTooLargeProblem' });
  });

  it('gives each problem type a component on the base Problem, with its members, which allows extension members', () => {
    expect((document.components.schemas as Record<string, { additionalProperties?: unknown }>).Problem!.additionalProperties).toEqual({});
    const duplicate = schemas[problemComponentName('duplicate-customer')]!;
    expect(duplicate).toMatchObject({ allOf: [{ $ref: '#/components/schemas/Problem' }], required: ['type', 'existingCustomerId', 'field'] });
    expect(duplicate.properties).toMatchObject({ type: { const: '/problems/duplicate-customer' }, status: { const: 409 }, existingCustomerId: { type: 'string' } });
    expect(schemas[problemComponentName('illegal-transition')]!.required).toEqual(['type', 'from', 'to', 'allowed']);
  });

  it("allows API Gateway's own 401 body beside the problem", () => {
    const unauthorized = operationOf(routeNamed('getCustomer')).responses['401']!.content!;
    expect(Object.keys(unauthorized)).toEqual(['application/problem+json', 'application/json']);
    expect(unauthorized['application/json']!.schema.oneOf).toContainEqual(expect.objectContaining({ properties: { message: { const: 'Unauthorized' } } }));
    expect(operationOf(routeNamed('getOpenApi')).responses['401']).toBeUndefined();
  });

  it('declares the response headers of the contract', () => {
    const header = (operationId: string, status: number) => Object.keys(operationOf(routeNamed(operationId)).responses[String(status)]?.headers ?? {});
    expect(header('createCustomer', 201)).toEqual(['Location', 'ETag', 'Idempotent-Replayed']);
    expect(header('getCustomer', 200)).toEqual(['ETag']);
    expect(header('getCustomer', 429)).toEqual(['Retry-After']);
    expect(header('getCustomer', 503)).toEqual(['Retry-After']);
    expect(header('getCustomer', 401)).toEqual(['WWW-Authenticate']);
    expect(header('exportContacts', 200)).toEqual(['Content-Disposition', 'Link']);
    expect(Object.keys(document.components.headers)).toEqual(expect.arrayContaining(['ETag', 'Location', 'Idempotent-Replayed', 'Retry-After', 'Link']));
  });

  it('declares If-Match required where it is, optional where it is taken but not required', () => {
    const ifMatch = (operationId: string) => operationOf(routeNamed(operationId)).parameters?.find((parameter) => parameter.name === 'If-Match');
    expect(ifMatch('updateCustomer')).toMatchObject({ in: 'header', required: true });
    for (const operationId of ['updateSettings', 'addCaseEvent', 'archiveSurveyTemplate']) expect(ifMatch(operationId)).toMatchObject({ in: 'header', required: false });
    expect(ifMatch('getCustomer')).toBeUndefined();
  });

  it('leaves pages to their HTML answers, but for the refusal of a request around the edge', () => {
    const page = operationOf(routeNamed('showSurveyPage')).responses;
    const { '403': aroundTheEdge, ...pageAnswers } = page;
    expect(Object.values(pageAnswers).every((response) => Object.keys(response.content ?? {}).every((type) => type === 'text/html'))).toBe(true);
    expect(Object.keys(aroundTheEdge?.content ?? {})).toEqual(['application/problem+json']);
  });
});

const lambdaContext = { functionName: 'openapi', awsRequestId: 'req-1', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:openapi' } as Context;
const getProblemPage = (slug: string) =>
  (openApiFunction as unknown as (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>)(
    {
      routeKey: 'GET /problems/{slug}',
      rawPath: `/problems/${slug}`,
      pathParameters: { slug },
      headers: {},
      requestContext: { requestId: 'req-1', http: { method: 'GET', path: `/problems/${slug}`, sourceIp: '127.0.0.1' } },
    },
    lambdaContext,
  );

describe('the problem pages (GET /problems/{slug})', () => {
  it('explain a problem type: its slug, status, title, meaning and members', () => {
    const html = problemPage('duplicate-customer');
    expect(html).toContain('<h1>duplicate-customer</h1>');
    expect(html).toContain('<strong>409</strong> · Conflict');
    expect(html).toContain('<code>existingCustomerId</code>');
    expect(html).toContain('&quot;phone&quot; | &quot;email&quot; | &quot;externalId&quot;');
    expect(problemPage('not-found')).toContain('This type adds none.');
  });

  it('are served as HTML for every slug of the catalog, without script', async () => {
    const answer = await getProblemPage('customer-erased');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers?.['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(answer.body).toContain('<h1>customer-erased</h1>');
  });

  it('answer 404 problem+json for an unknown slug', async () => {
    const answer = await getProblemPage('no-such-problem');
    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(answer.body!)).toMatchObject({ type: '/problems/not-found', status: 404 });
  });
});
