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

  it('leaves errors and pages alone', () => {
    expect(undeclaredInAnswer(getCustomer, { statusCode: 404, headers: { 'content-type': 'application/problem+json' }, body: '{}' })).toEqual([]);
    expect(undeclaredInAnswer(route(surveyWebRoutes, 'showSurveyPage'), { statusCode: 200, body: '<html></html>' })).toEqual([]);
  });
});
