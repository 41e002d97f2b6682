import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { buildOpenApiDocument } from '../../shared/http/openapi';

/**
 * The API reference: the OpenAPI document rendered by Redocly (`redocly build-docs`) into one HTML
 * page with Redoc's scripts inlined (`--inlineBundle`), so that it loads nothing from a CDN and
 * works offline. The twin serves it at /docs, rendering it on the first request and keeping it
 * under .cache/api-reference/ by the document's hash (so `npm start` is no slower, and a changed
 * route renders anew); `npm run docs:build` writes it as static files for hosting:
 *
 *   npm run docs:build                      site/index.html and site/openapi.json
 *   npm run docs:build -- --out public/api --server-url https://api.example.com
 */

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const cacheDir = join(repositoryRoot, '.cache', 'api-reference');
const title = 'Switchboard API reference';

const require = createRequire(import.meta.url);
const redoclyPackage = require.resolve('@redocly/cli/package.json');
const redoclyCli = join(dirname(redoclyPackage), (require(redoclyPackage) as { bin: { redocly: string } }).bin.redocly);
const redoclyVersion = (require(redoclyPackage) as { version: string }).version;
const run = promisify(execFile);

type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

/** Renders `document` to one self-contained HTML page. Takes a few seconds (a Redocly run). */
export async function renderApiReference(document: OpenApiDocument): Promise<string> {
  const workDir = await mkdtemp(join(tmpdir(), 'switchboard-api-reference-'));
  try {
    const input = join(workDir, 'openapi.json');
    const output = join(workDir, 'index.html');
    await writeFile(input, JSON.stringify(document));
    const options = ['--inlineBundle', '--title', title, '--openapi.disableTelemetry=true'];
    await run(process.execPath, [redoclyCli, 'build-docs', input, '--output', output, ...options], {
      cwd: workDir,
      // No telemetry, no update check: rendering must not reach the network.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return withoutRemoteImages(await readFile(output, 'utf8'));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Redoc's "API docs by Redocly" attribution, as a word drawn inline rather than a logo fetched from Redocly's CDN. */
const redoclyWordmark =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='64' height='16'%3E%3Ctext x='0' y='13' font-family='sans-serif' font-size='13'%3ERedocly%3C/text%3E%3C/svg%3E";

/** Redoc draws its attribution logo from cdn.redoc.ly even with the scripts inlined; nothing else of it is remote. */
function withoutRemoteImages(html: string): string {
  return html.replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g, redoclyWordmark);
}

let rendering: { hash: string; html: Promise<string> } | undefined;

/**
 * The reference of the document the API serves now, from .cache/api-reference/ when this document
 * (and this Redocly version) was rendered before; concurrent first requests share one rendering.
 */
export function cachedApiReference(document: OpenApiDocument = buildOpenApiDocument()): Promise<string> {
  const hash = createHash('sha256').update(redoclyVersion).update(JSON.stringify(document)).digest('hex').slice(0, 32);
  if (rendering?.hash !== hash) {
    const html = (async () => {
      const file = join(cacheDir, `${hash}.html`);
      const cached = await readFile(file, 'utf8').catch(() => undefined);
      if (cached) return cached;
      const rendered = await renderApiReference(document);
      await mkdir(cacheDir, { recursive: true });
      // Written whole then renamed, so that another twin never reads half a page.
      const partial = `${file}.${process.pid}.tmp`;
      await writeFile(partial, rendered);
      await rename(partial, file);
      return rendered;
    })();
    rendering = { hash, html };
    // A failed rendering is tried again on the next request.
    html.catch(() => {
      if (rendering?.html === html) rendering = undefined;
    });
  }
  return rendering.html;
}

/** `npm run docs:build`: the reference and the document it renders, as static files. */
async function buildStaticSite(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'site' }, 'server-url': { type: 'string', default: '/' } } });
  const outDir = resolve(values.out);
  const document = buildOpenApiDocument(values['server-url']);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.html'), await renderApiReference(document));
  await writeFile(join(outDir, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  console.log(`Wrote ${join(outDir, 'index.html')} and openapi.json: serve the folder as static files.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildStaticSite();
