import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { problemTypeBase } from '../../shared/http/problem';
import { type Answer, ContractChecker, type OpenApiDocument, type Operation, operationsOf, unseenResponses } from '../support/contract/document';

/**
 * The contract test's checker can fail: each departure it exists to catch is shown to it in a
 * copy of the document or in an answer made to depart, and it must name it.
 */

const documentCopy = () => structuredClone(buildOpenApiDocument()) as unknown as OpenApiDocument;
const operation = (document: OpenApiDocument, operationId: string): Operation => operationsOf(document).find((o) => o.operationId === operationId)!;
const problem = (status: number, slug: string): Answer => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  text: JSON.stringify({ type: `${problemTypeBase}${slug}`, title: 'Unauthorized', status, detail: 'A valid API key is required' }),
});

describe('the contract checker', () => {
  it('passes an answer the document allows', () => {
    const document = documentCopy();
    const checker = new ContractChecker(document);
    expect(checker.check(operation(document, 'getOwnTenant'), 'no credential', problem(401, 'unauthorized'))).toEqual([]);
  });

  it('reports a status the document does not list (a documented response deleted from a copy of it)', () => {
    const document = documentCopy();
    delete document.paths['/v1/tenant']!.get!.responses['401'];
    const found = new ContractChecker(document).check(operation(document, 'getOwnTenant'), 'no credential', problem(401, 'unauthorized'));
    expect(found).toMatchObject([{ operationId: 'getOwnTenant', status: 401, problem: 'unauthorized', what: expect.stringContaining('status 401 is not documented') }]);
  });

  it('reports a media type the status does not list, and a body where none is documented', () => {
    const document = documentCopy();
    const checker = new ContractChecker(document);
    const html: Answer = { status: 401, headers: { 'content-type': 'text/html; charset=utf-8' }, text: '<p>no</p>' };
    expect(checker.check(operation(document, 'getOwnTenant'), 'no credential', html)[0]?.what).toContain('media type text/html is not documented for 401');
    const revoked: Answer = { status: 204, headers: { 'content-type': 'application/json' }, text: '{}' };
    expect(checker.check(operation(document, 'revokeApiKey'), 'valid', revoked)[0]?.what).toContain('body where the document has none');
  });

  it('reports a body its schema refuses, with what Ajv says', () => {
    const document = documentCopy();
    const checker = new ContractChecker(document);
    const withoutStatus: Answer = { ...problem(401, 'unauthorized'), text: JSON.stringify({ type: `${problemTypeBase}unauthorized`, title: 'Unauthorized' }) };
    const found = checker.check(operation(document, 'getOwnTenant'), 'no credential', withoutStatus);
    expect(found[0]?.what).toMatch(/body does not match the 401 application\/problem\+json schema: .*status/);
    const notJson: Answer = { ...problem(401, 'unauthorized'), text: 'Unauthorized' };
    expect(checker.check(operation(document, 'getOwnTenant'), 'no credential', notJson)[0]?.what).toContain('the body is not JSON');
  });

  it('resolves the references into #/components/schemas (a tenant missing its name is refused)', () => {
    const document = documentCopy();
    const checker = new ContractChecker(document);
    expect(checker.compileAll(operationsOf(document))).toEqual([]);
    const tenant: Answer = { status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify({ tenantId: 'ten_01JZZZZZZZZZZZZZZZZZZZZZZZ' }) };
    expect(checker.check(operation(document, 'getOwnTenant'), 'valid', tenant)[0]?.what).toContain('body does not match the 200 application/json schema');
  });

  it('reports a required documented header that is missing', () => {
    const document = documentCopy();
    document.paths['/v1/tenant']!.get!.responses['401']!.headers = { 'WWW-Authenticate': { required: true, schema: { type: 'string' } } };
    const checker = new ContractChecker(document);
    expect(checker.check(operation(document, 'getOwnTenant'), 'no credential', problem(401, 'unauthorized'))[0]?.what).toBe('required header WWW-Authenticate is missing');
    const withHeader = { ...problem(401, 'unauthorized'), headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' } };
    expect(checker.check(operation(document, 'getOwnTenant'), 'no credential', withHeader)).toEqual([]);
  });

  it('names the documented answers never observed, except those excluded', () => {
    const document = documentCopy();
    const getOwnTenant = operation(document, 'getOwnTenant');
    const statuses = Object.keys(getOwnTenant.spec.responses);
    expect(statuses.length).toBeGreaterThan(1);
    const observed = new Set(statuses.slice(1).map((status) => `getOwnTenant ${status}`));
    expect(unseenResponses([getOwnTenant], observed, [])).toEqual([`getOwnTenant ${statuses[0]}: ${getOwnTenant.spec.responses[statuses[0]!]!.description}`]);
    expect(unseenResponses([getOwnTenant], observed, [{ operationId: '*', status: Number(statuses[0]), reason: 'test' }])).toEqual([]);
  });
});
