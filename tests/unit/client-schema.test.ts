import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createSwitchboardClient } from '../../client/index';
import { generateSchemaSource, schemaPath } from '../../client/tools/generate';

const run = promisify(execFile);
const repositoryRoot = new URL('../../', import.meta.url);

/** `client/tools/generate.ts --check [file]` as `npm run client:generate` runs it (with tsx, not vitest's loader). */
async function checkCommittedSchema(file?: string): Promise<{ code: number; output: string }> {
  try {
    const args = ['--import', 'tsx', 'client/tools/generate.ts', '--check', ...(file ? [file] : [])];
    const { stdout, stderr } = await run(process.execPath, args, { cwd: repositoryRoot });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('the typed client (client/)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'client-schema-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('is generated from the OpenAPI document as the routes declare it now', async () => {
    const { code, output } = await checkCommittedSchema();
    expect(output).not.toContain('out of date');
    expect(code, output).toBe(0);
  }, 60_000);

  it('the check fails, naming the command to run, when the committed file is stale', async () => {
    const stale = join(folder, 'schema.ts');
    writeFileSync(stale, readFileSync(schemaPath, 'utf8').replace('"/v1/customers": {', '"/v1/customerz": {'));
    const { code, output } = await checkCommittedSchema(stale);
    expect(code).toBe(1);
    expect(output).toContain('run `npm run client:generate`');
  }, 60_000);

  it('generates the same source every time (merges regenerate it)', async () => {
    expect(await generateSchemaSource()).toBe(await generateSchemaSource());
  }, 60_000);

  it('sends the API key as a bearer token to the base URL, and reads problems as errors', async () => {
    const requests: Request[] = [];
    const fakeFetch = async (request: Request) => {
      requests.push(request);
      return new Response(JSON.stringify({ type: '/problems/not-found', title: 'Not found', status: 404 }), {
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
      });
    };
    const client = createSwitchboardClient({ baseUrl: 'https://api.example.com/', apiKey: 'sb.key', fetch: fakeFetch });
    const { data, error, response } = await client.GET('/v1/customers/{customerId}', { params: { path: { customerId: 'cus 1' } } });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('https://api.example.com/v1/customers/cus%201');
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer sb.key');
    expect(response.status).toBe(404);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ title: 'Not found', status: 404 });
  });
});
