import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from '../../shared/zod';
import type { Operation, OperationRequest, OperationResult, PageResult, RouteNamed } from '../../shared/http/operation';
import { adminAccess, defineRoutes } from '../../shared/http/route-types';

/**
 * Operations are typed from their route declarations: these checks run in `tsc --noEmit` (each
 * `@ts-expect-error` fails the typecheck if the line it marks stops being an error).
 */
const Thing = z.object({ thingId: z.string(), size: z.int() });
const routes = defineRoutes([
  {
    operationId: 'createThing',
    method: 'POST',
    path: '/v1/things/{groupId}',
    function: 'customers',
    access: adminAccess,
    tag: 'Things',
    summary: 'Create a thing',
    request: {
      params: z.object({ groupId: z.string() }),
      query: z.object({ limit: z._default(z.coerce.number(), 10) }),
      body: z.object({ size: z.int() }),
    },
    responses: { 201: { description: 'Created', schema: Thing }, 200: { description: 'Known', schema: Thing } },
  },
  {
    operationId: 'dropThing',
    method: 'DELETE',
    path: '/v1/things/{thingId}',
    function: 'customers',
    access: { kind: 'public' },
    tag: 'Things',
    summary: 'Drop a thing',
    responses: { 204: { description: 'Dropped' } },
  },
  {
    operationId: 'exportThings',
    method: 'GET',
    path: '/v1/things.csv',
    function: 'customers',
    access: { kind: 'operator' },
    tag: 'Things',
    summary: 'Things as CSV',
    responses: { 200: { description: 'CSV', mediaType: 'text/csv' } },
  },
  {
    operationId: 'showThing',
    method: 'GET',
    path: '/t/{thingId}',
    function: 'customers',
    access: { kind: 'public' },
    page: true,
    tag: 'Things',
    summary: 'A page',
    responses: { 200: { description: 'The page' }, 404: { description: 'No such thing' } },
  },
]);
type Create = RouteNamed<typeof routes, 'createThing'>;
type Drop = RouteNamed<typeof routes, 'dropThing'>;
type Export = RouteNamed<typeof routes, 'exportThings'>;

describe('operation types', () => {
  it('are read from declarations that defineRoutes hands back as they are', () => {
    expect(routes.map((route) => route.operationId)).toEqual(['createThing', 'dropThing', 'exportThings', 'showThing']);
  });

  it('give the parsed params, query and body, and the tenant exactly on tenant routes', () => {
    expectTypeOf<OperationRequest<Create>['params']>().toEqualTypeOf<{ groupId: string }>();
    // The query after its default: the operation sees a number, always present.
    expectTypeOf<OperationRequest<Create>['query']>().toEqualTypeOf<{ limit: number }>();
    expectTypeOf<OperationRequest<Create>['body']>().toEqualTypeOf<{ size: number }>();
    expectTypeOf<OperationRequest<Create>['tenantId']>().toEqualTypeOf<string>();
    expectTypeOf<OperationRequest<Drop>['body']>().toEqualTypeOf<undefined>();
    expectTypeOf<OperationRequest<Drop>>().not.toHaveProperty('tenantId');
    expectTypeOf<OperationRequest<Export>['caller']>().toEqualTypeOf<{ kind: 'operator' }>();
  });

  it('take only the declared 2xx statuses, each with its declared body', () => {
    const thing = { thingId: 'th_1', size: 2 };
    const created: OperationResult<Create> = { status: 201, body: thing, headers: { location: '/v1/things/th_1' } };
    const known: OperationResult<Create> = { status: 200, body: thing };
    // @ts-expect-error 202 is not declared
    const undeclared: OperationResult<Create> = { status: 202, body: thing };
    // @ts-expect-error the body is not a Thing
    const wrongBody: OperationResult<Create> = { status: 201, body: { thingId: 'th_1' } };
    // @ts-expect-error a declared body is required
    const noBody: OperationResult<Create> = { status: 201 };
    const dropped: OperationResult<Drop> = { status: 204 };
    // @ts-expect-error a response without a schema takes no body
    const droppedWithBody: OperationResult<Drop> = { status: 204, body: {} };
    const csv: OperationResult<Export> = { status: 200, text: 'a,b\r\n', headers: { 'content-type': 'text/csv' } };
    // @ts-expect-error a text answer is not JSON
    const csvAsJson: OperationResult<Export> = { status: 200, body: 'a,b' };
    const page: PageResult<RouteNamed<typeof routes, 'showThing'>> = { status: 404, html: '<p>No</p>' };
    // @ts-expect-error pages answer only the statuses they declare
    const undeclaredPage: PageResult<RouteNamed<typeof routes, 'showThing'>> = { status: 500, html: '' };
    expect([created, known, undeclared, wrongBody, noBody, dropped, droppedWithBody, csv, csvAsJson, page, undeclaredPage]).toHaveLength(11);
  });

  it('check an operation against its route', () => {
    const createThing: Operation<Create> = async (request) => ({ status: 201, body: { thingId: request.params.groupId, size: request.body.size } });
    // @ts-expect-error a body of the wrong shape
    const wrong: Operation<Create> = async () => ({ status: 201, body: { thingId: 1, size: 2 } });
    expect([createThing, wrong]).toHaveLength(2);
  });
});
