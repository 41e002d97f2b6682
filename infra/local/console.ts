import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleSecurityHeaders, localConsoleClientId } from '../../shared/http/console-security';

/**
 * The console (web/) on the twin's one port, as CloudFront serves it from S3 in AWS: the files
 * Vite built into web/dist, `index.html` for every console path (the app routes in the browser),
 * `/config.json` naming the sign-in issuer, and the same security headers.
 */

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
export const consoleSourceDir = join(repositoryRoot, 'web');
export const consoleDistDir = join(consoleSourceDir, 'dist');
const sourceHashFile = '.source-hash';

/** What the build depends on: the console's sources, what it imports from shared/ (pure domain code), and the API client's generated types. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'dist' && !entry.name.startsWith('.build-') && entry.name !== 'node_modules') walk(path);
      } else files.push(path);
    }
  };
  walk(consoleSourceDir);
  walk(join(repositoryRoot, 'shared'));
  files.push(join(repositoryRoot, 'client', 'schema.ts'), join(repositoryRoot, 'package-lock.json'));
  return files.sort();
}

export function consoleSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles()) {
    hash.update(relative(repositoryRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export const consoleIsBuilt = (hash = consoleSourceHash()): boolean => {
  try {
    return readFileSync(join(consoleDistDir, sourceHashFile), 'utf8') === hash;
  } catch {
    return false;
  }
};

/**
 * Builds web/dist when its sources changed since the last build (about a second with Vite 8).
 * The build goes to a folder of its own and then takes web/dist's place, so a twin serving the
 * old build never sees half of the new one.
 */
export async function ensureConsoleBuilt(options: { log?: (line: string) => void } = {}): Promise<'built' | 'up to date'> {
  const hash = consoleSourceHash();
  if (consoleIsBuilt(hash)) return 'up to date';
  options.log?.('Building the console (web/)…');
  const { build } = await import('vite');
  const outDir = join(consoleSourceDir, `.build-${randomBytes(4).toString('hex')}`);
  try {
    await build({ configFile: join(consoleSourceDir, 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
    writeFileSync(join(outDir, sourceHashFile), hash);
    const previous = existsSync(consoleDistDir) ? `${consoleDistDir}.old-${randomBytes(4).toString('hex')}` : undefined;
    if (previous) renameSync(consoleDistDir, previous);
    renameSync(outDir, consoleDistDir);
    if (previous) rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return 'built';
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ConsoleSite {
  /** The origin people open (`http://localhost:<port>`). */
  origin: string;
  /** The sign-in issuer the console uses (the twin's own, at `/oidc`). */
  issuer: string;
}

/** Paths the console answers: everything GET that no API route, page, `/local`, `/oidc` or `/docs` took. */
export async function serveConsole(method: string, rawPath: string, response: ServerResponse, site: ConsoleSite): Promise<boolean> {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const headers = consoleSecurityHeaders([new URL(site.issuer).origin], rawPath.split('?')[0]);
  if (rawPath === '/config.json') {
    const body = JSON.stringify({ authority: site.issuer, clientId: localConsoleClientId, logoutUrl: `${site.issuer}/logout` });
    response.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-cache' });
    response.end(method === 'HEAD' ? undefined : body);
    return true;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return false;
  }
  const file = normalize(join(consoleDistDir, decoded));
  const insideDist = file.startsWith(consoleDistDir + sep);
  const isAsset = insideDist && extname(file) !== '' && existsSync(file) && statSync(file).isFile() && !file.endsWith(sourceHashFile);
  // Hashed assets never change; everything else (index.html, config) is checked on every visit.
  const path = isAsset ? file : extname(decoded) === '' ? join(consoleDistDir, 'index.html') : undefined;
  if (!path) return false;
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The console is not built: npm start builds it (or run `npx vite build --config web/vite.config.ts`).');
    return true;
  }
  const immutable = isAsset && path.includes(`${sep}assets${sep}`);
  response.writeHead(200, {
    ...headers,
    'content-type': contentTypes[extname(path)] ?? 'application/octet-stream',
    'content-length': String(body.length),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  response.end(method === 'HEAD' ? undefined : body);
  return true;
}
