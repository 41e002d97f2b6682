import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleFunction } from '../bundling';

/**
 * Functions run without `--enable-source-maps` (it costs every cold start; infra/bundling.ts), so
 * a logged stack trace points into the minified bundle: `at Qe (file:///var/task/index.mjs:1:48213)`.
 * This maps each such frame back to its source file, line and function name.
 *
 *   npm run stacktrace -- customers < trace.txt              # rebuilds the bundle of this checkout
 *   npm run stacktrace -- --map index.mjs.map < trace.txt    # the map from the deployed package
 *
 * Rebuilding gives the deployed bundle only at the commit that was deployed (esbuild output is
 * deterministic); the map inside the package (`aws lambda get-function` → Code.Location) always
 * matches.
 */
export function decodeStackTrace(trace: string, map: SourceMapPayload): string {
  const sourceMap = new SourceMap(map);
  return trace.replace(/(?:file:\/\/)?[^\s()]*index\.mjs:(\d+):(\d+)/g, (frame, line: string, column: string) => {
    const origin = sourceMap.findOrigin(Number(line), Number(column));
    if (!('fileName' in origin)) return frame;
    const source = repositoryRelative(origin.fileName);
    return `${source}:${origin.lineNumber}:${origin.columnNumber}${origin.name ? ` [${origin.name}]` : ''}`;
  });
}

/** Map sources are relative to wherever the bundle was built: keep the part from the repository's own folders on. */
function repositoryRelative(source: string): string {
  const file = source.startsWith('file:') ? fileURLToPath(source) : source;
  return /(?:^|\/)((?:shared|functions|infra|node_modules|tests)\/.*)$/.exec(file)?.[1] ?? file;
}

async function mapOfFunction(name: string): Promise<SourceMapPayload> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'switchboard-stacktrace-'));
  try {
    const outfile = path.join(outDir, 'index.mjs');
    await bundleFunction(name, outfile);
    return JSON.parse(readFileSync(`${outfile}.map`, 'utf8')) as SourceMapPayload;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ options: { map: { type: 'string' } }, allowPositionals: true });
  const [functionName] = positionals;
  if (!values.map && !functionName) {
    process.stderr.write('usage: npm run stacktrace -- <function name> < trace.txt\n       npm run stacktrace -- --map <index.mjs.map> < trace.txt\n');
    process.exit(2);
  }
  const map = values.map ? (JSON.parse(readFileSync(values.map, 'utf8')) as SourceMapPayload) : await mapOfFunction(functionName!);
  process.stdout.write(decodeStackTrace(readFileSync(0, 'utf8'), map));
}
