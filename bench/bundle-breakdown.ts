import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleFunction } from '../infra/bundling';
import { kib } from './stats';

/**
 * Where a function's bundle bytes come from, by package (and by file for our own code):
 * `npm run bench:breakdown -- customers [rows]`. The first thing to read when a function's
 * row in the bundle table (docs/developers/performance.md) grows. `console` instead of a
 * function's name: the console's first page, gzip, by package.
 */
const [name, rows = '25'] = process.argv.slice(2);
if (!name) {
  process.stderr.write('usage: npm run bench:breakdown -- <function name | console> [rows]\n');
  process.exit(2);
}
if (name === 'console') {
  const { measureConsoleBreakdown } = await import('./console');
  const owners = await measureConsoleBreakdown();
  process.stdout.write(`console first page (with its charts): ${(owners.reduce((sum, owner) => sum + owner.jsGzip, 0) / 1000).toFixed(1)} KB of JavaScript, gzip\n`);
  for (const { owner, jsGzip } of owners.slice(0, Number(rows))) process.stdout.write(`${`${(jsGzip / 1000).toFixed(1)} KB`.padStart(12)}  ${owner}\n`);
  process.exit(0);
}
const outDir = mkdtempSync(path.join(tmpdir(), 'switchboard-breakdown-'));
try {
  const built = await bundleFunction(name, path.join(outDir, 'index.mjs'), { metafile: true });
  const output = Object.values(built.metafile!.outputs).find((candidate) => candidate.entryPoint)!;
  const bytesBy = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const owner = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input;
    bytesBy.set(owner, (bytesBy.get(owner) ?? 0) + bytesInOutput);
  }
  process.stdout.write(`${name}: ${kib(output.bytes)}\n`);
  for (const [owner, bytes] of [...bytesBy].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
    process.stdout.write(`${kib(bytes).padStart(12)}  ${owner}\n`);
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
