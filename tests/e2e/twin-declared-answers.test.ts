import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LambdaModule, TwinFunctionName } from '../../infra/local/twin';
import { api, startTestTwin, type TestTwin } from '../support/twin';

/**
 * The test twins check each answer against its route's declaration: a successful one against the
 * declared response, an error against the problem types declared for its status. A function that
 * answers otherwise than the OpenAPI document says fails loudly, with a 500 naming the route and
 * each difference, and an error in the log.
 */

let nextAnswer: unknown;
async function standIn(_name: TwinFunctionName): Promise<LambdaModule> {
  return { handler: async () => nextAnswer };
}

let checking: TestTwin;
let notChecking: TestTwin;
beforeAll(async () => {
  checking = await startTestTwin({ loadFunction: standIn, events: { withoutStream: true } });
  notChecking = await startTestTwin({ loadFunction: standIn, events: { withoutStream: true }, checkAnswers: false });
});
afterAll(async () => {
  await checking.close();
  await notChecking.close();
});

const jsonAnswer = (statusCode: number, body: unknown) => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const problemAnswer = (statusCode: number, body: unknown) => ({ statusCode, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(body) });

/** The function answers `functionAnswer` to GET /openapi.json; the twin turns it into a 500 naming `differences`. */
async function expectUndeclared(functionAnswer: unknown, differences: unknown[]) {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    nextAnswer = functionAnswer;
    const answer = await api(checking.url, 'GET', '/openapi.json');
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ type: '/problems/undeclared-answer', detail: expect.stringContaining('GET /openapi.json answered') });
    expect(answer.body.errors).toEqual(differences);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('GET /openapi.json'), expect.anything());
  } finally {
    errors.mockRestore();
  }
}

describe('a test twin', () => {
  it('passes an answer as declared', async () => {
    nextAnswer = jsonAnswer(200, { openapi: '3.1.0' });
    const answer = await api(checking.url, 'GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ openapi: '3.1.0' });
  });

  it('turns a body that breaks the declared schema into a 500 naming the route and the difference, and logs it', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      nextAnswer = jsonAnswer(200, ['not', 'an', 'object']);
      const answer = await api(checking.url, 'GET', '/openapi.json');
      expect(answer.status).toBe(500);
      expect(answer.body).toMatchObject({
        type: '/problems/undeclared-answer',
        detail: expect.stringContaining('GET /openapi.json answered 200 otherwise than its declaration'),
        errors: [{ path: '$', message: expect.any(String) }],
      });
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('GET /openapi.json'), expect.anything());
    } finally {
      errors.mockRestore();
    }
  });

  it('refuses a 2xx status the route does not declare', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      nextAnswer = jsonAnswer(201, {});
      const answer = await api(checking.url, 'GET', '/openapi.json');
      expect(answer.status).toBe(500);
      expect(answer.body.errors).toEqual([{ path: 'status', message: '201 is not a declared response' }]);
    } finally {
      errors.mockRestore();
    }
  });

  it('passes an error answer of a problem type declared for its status', async () => {
    nextAnswer = problemAnswer(503, { type: '/problems/temporarily-unavailable', title: 'Service temporarily unavailable', status: 503, detail: 'Busy' });
    const answer = await api(checking.url, 'GET', '/openapi.json');
    expect(answer.status).toBe(503);
    expect(answer.body.type).toBe('/problems/temporarily-unavailable');
  });

  it('turns an error status the route does not declare into a 500 undeclared-answer', async () => {
    await expectUndeclared(problemAnswer(404, { type: '/problems/not-found', title: 'Not found', status: 404 }), [
      { path: 'status', message: '404 is not a declared response' },
    ]);
  });

  it('refuses a problem type not declared for the status', async () => {
    await expectUndeclared(problemAnswer(403, { type: '/problems/tenant-suspended', title: 'Tenant suspended', status: 403 }), [
      { path: '$.type', message: '/problems/tenant-suspended is not a problem type declared for 403 (forbidden)' },
    ]);
  });

  it("refuses members the problem type does not declare, and an error that is not problem+json", async () => {
    await expectUndeclared(problemAnswer(500, { type: '/problems/internal', title: 'Internal error', status: 500, stack: 'at …' }), [
      { path: '$', message: 'Unknown field(s): stack' },
    ]);
    await expectUndeclared({ ...problemAnswer(500, { message: 'Internal' }), headers: { 'content-type': 'application/json' } }, [
      { path: 'content-type', message: 'application/json instead of application/problem+json' },
    ]);
  });

  it('leaves the error pages of page routes to their HTML', async () => {
    nextAnswer = { statusCode: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html></html>' };
    const answer = await api(checking.url, 'GET', '/s/unknown-token');
    expect(answer.status).toBe(404);
  });

  it('answers as the function did when the check is off, as in npm start', async () => {
    nextAnswer = jsonAnswer(200, ['not', 'an', 'object']);
    const answer = await api(notChecking.url, 'GET', '/openapi.json');
    expect(answer.status).toBe(200);
  });
});
