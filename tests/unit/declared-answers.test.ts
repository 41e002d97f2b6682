import { describe, expect, it } from 'vitest';
import { undeclaredInAnswer } from '../../infra/local/declared-answers';
import { customerRoutes } from '../../shared/http/routes/customers';
import { exportRoutes } from '../../shared/http/routes/exports';
import { surveyWebRoutes } from '../../shared/http/routes/survey-web';
import type { RouteDeclaration } from '../../shared/http/route-types';

const route = (routes: readonly RouteDeclaration[], operationId: string) => routes.find((declared) => declared.operationId === operationId)!;
const json = (statusCode: number, body: unknown) => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const customer = {
  customerId: 'cus_01J0000000000000000000000',
  displayName: 'Lin Mei-ling',
  tags: [],
  consent: { sms: { status: 'unknown' }, email: { status: 'unknown' }, marketing: { status: 'unknown' } },
  version: 1,
  createdAt: '2026-12-05T00:00:00.000Z',
  updatedAt: '2026-12-05T00:00:00.000Z',
};

describe("the twin's check of answers against their declarations", () => {
  const getCustomer = route(customerRoutes, 'getCustomer');

  it('passes an answer as declared', () => {
    expect(undeclaredInAnswer(getCustomer, json(200, customer))).toEqual([]);
  });

  it('names each field of a body that breaks the response schema', () => {
    const { version: _version, ...withoutVersion } = customer;
    expect(undeclaredInAnswer(getCustomer, json(200, { ...withoutVersion, tags: 'vip' }))).toEqual([
      { path: '$.tags', message: expect.any(String) },
      { path: '$.version', message: expect.any(String) },
    ]);
  });

  it('names a field the response schema does not declare, which would reach clients undocumented', () => {
    expect(undeclaredInAnswer(getCustomer, json(200, { ...customer, secretHash: 'abc' }))).toEqual([
      { path: '$.secretHash', message: 'Not declared in the response schema' },
    ]);
  });

  it('refuses a 2xx status the route does not declare, and a body where none is declared', () => {
    expect(undeclaredInAnswer(getCustomer, json(201, customer))).toEqual([{ path: 'status', message: '201 is not a declared response' }]);
    const eraseCustomer = route(customerRoutes, 'eraseCustomer');
    expect(undeclaredInAnswer(eraseCustomer, { statusCode: 204, body: '' })).toEqual([]);
    expect(undeclaredInAnswer(eraseCustomer, json(204, {}))).toEqual([{ path: '$', message: 'A body where the declaration has none' }]);
  });

  it('checks the media type of a text answer', () => {
    const exportContacts = route(exportRoutes, 'exportContacts');
    expect(undeclaredInAnswer(exportContacts, { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: 'a\r\n' })).toEqual([]);
    expect(undeclaredInAnswer(exportContacts, json(200, 'a'))).toEqual([{ path: 'content-type', message: 'application/json instead of text/csv' }]);
  });

  it('leaves pages alone', () => {
    expect(undeclaredInAnswer(route(surveyWebRoutes, 'showSurveyPage'), { statusCode: 200, body: '<html></html>' })).toEqual([]);
    expect(undeclaredInAnswer(route(surveyWebRoutes, 'showSurveyPage'), { statusCode: 418, body: '<html></html>' })).toEqual([]);
  });

  it('names a header of the contract that the answer sends but does not declare', () => {
    const headers = { 'content-type': 'application/json', etag: '"1"', location: '/v1/customers/x' };
    expect(undeclaredInAnswer(getCustomer, { ...json(200, customer), headers })).toEqual([{ path: 'headers.Location', message: 'Not declared for 200' }]);
  });
});

describe("the twin's check of error answers against their declarations", () => {
  const getCustomer = route(customerRoutes, 'getCustomer');
  const problem = (statusCode: number, body: unknown, contentType = 'application/problem+json') => ({
    statusCode,
    headers: { 'content-type': contentType },
    body: JSON.stringify(body),
  });
  const erased = { type: '/problems/customer-erased', title: 'Gone', status: 410, detail: 'Erased', instance: '/v1/customers/x', customerId: 'cus_1', erasedAt: '2026-12-05T00:00:00.000Z' };

  it('passes a problem of a type declared for its status, with its members', () => {
    expect(undeclaredInAnswer(getCustomer, problem(410, erased))).toEqual([]);
    expect(undeclaredInAnswer(getCustomer, problem(404, { type: '/problems/not-found', title: 'Not found', status: 404 }))).toEqual([]);
  });

  it('refuses a status the route does not declare', () => {
    expect(undeclaredInAnswer(getCustomer, problem(409, { type: '/problems/conflict', title: 'Conflict', status: 409 }))).toEqual([
      { path: 'status', message: '409 is not a declared response' },
    ]);
  });

  it('refuses a type not declared for the status, and one not in the catalog', () => {
    const createCustomer = route(customerRoutes, 'createCustomer');
    expect(undeclaredInAnswer(createCustomer, problem(409, { type: '/problems/contact-closed', title: 'Conflict', status: 409 }))).toEqual([
      { path: '$.type', message: '/problems/contact-closed is not a problem type declared for 409 (idempotency-in-progress, duplicate-customer, replay-erased)' },
    ]);
    expect(undeclaredInAnswer(getCustomer, problem(404, { type: 'https://switchboard.dev/problems/not-found', title: 'Not found', status: 404 }))).toEqual([
      { path: '$.type', message: expect.stringContaining('is not a problem type declared for 404') },
    ]);
  });

  it('refuses an error that is not problem+json', () => {
    expect(undeclaredInAnswer(getCustomer, problem(410, erased, 'application/json'))).toEqual([
      { path: 'content-type', message: 'application/json instead of application/problem+json' },
    ]);
  });

  it("names a member the type declares that is missing, one it does not declare, and a title or status not the type's", () => {
    const { erasedAt: _erasedAt, ...withoutErasedAt } = erased;
    expect(undeclaredInAnswer(getCustomer, problem(410, { ...withoutErasedAt, field: 'phone' }))).toEqual([
      { path: '$.erasedAt', message: expect.any(String) },
      { path: '$', message: 'Unknown field(s): field' },
    ]);
    expect(undeclaredInAnswer(getCustomer, problem(410, { ...erased, title: 'Erased' }))).toEqual([{ path: '$.title', message: expect.any(String) }]);
  });
});
