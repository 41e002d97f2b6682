import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LambdaModule, TwinFunctionName } from '../../infra/local/twin';
import { api, startTestTwin, type TestTwin } from '../support/twin';

/**
 * The test twins check each successful answer against its route's declared response: a function
 * that answers otherwise than the OpenAPI document says fails loudly, with a 500 naming the route
 * and each difference, and an error in the log.
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

  it('answers as the function did when the check is off, as in npm start', async () => {
    nextAnswer = jsonAnswer(200, ['not', 'an', 'object']);
    const answer = await api(notChecking.url, 'GET', '/openapi.json');
    expect(answer.status).toBe(200);
  });
});
