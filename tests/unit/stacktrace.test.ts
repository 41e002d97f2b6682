import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { lambdaBundling } from '../../infra/bundling';
import { decodeStackTrace } from '../../infra/tools/stacktrace';

const outDir = mkdtempSync(path.join(tmpdir(), 'switchboard-stack-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run stacktrace', () => {
  it('maps a stack trace from a minified bundle, loaded without source maps as Lambda loads it, back to the source lines', async () => {
    const outfile = path.join(outDir, 'index.mjs');
    await build({ ...lambdaBundling, entryPoints: [path.resolve('tests/support/stack-fixture.ts')], outfile, bundle: true, platform: 'node', logLevel: 'error' });
    const trace = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); try { m.handler({ amount: -1 }); } catch (error) { process.stdout.write(error.stack); }`],
      { encoding: 'utf8' },
    );
    expect(trace).toMatch(/index\.mjs:\d+:\d+/);
    expect(trace).not.toContain('stack-fixture.ts');

    const decoded = decodeStackTrace(trace, JSON.parse(readFileSync(`${outfile}.map`, 'utf8')));
    expect(decoded).toContain('RangeError: amount must not be negative');
    expect(decoded).toMatch(/tests\/support\/stack-fixture\.ts:7:\d+/);
    expect(decoded).toMatch(/tests\/support\/stack-fixture\.ts:3:\d+/);
    expect(decoded).not.toMatch(/index\.mjs:\d+:\d+/);
  });

  it('leaves lines it cannot map as they are', () => {
    const map = { version: 3, file: 'index.mjs', sources: [], sourcesContent: [], names: [], mappings: '', sourceRoot: '' };
    expect(decodeStackTrace('Error: x\n    at node:internal/process/task_queues:95:5', map)).toBe('Error: x\n    at node:internal/process/task_queues:95:5');
  });
});
