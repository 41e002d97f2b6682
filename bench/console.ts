import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The console's first page: the JavaScript and CSS (gzip) a browser needs for the sign-in callback
 * and the dashboard, against Cloudscape's own floor built in the same run with the same Vite: an app
 * layout, side navigation and a table in zh-TW, and the same with a line chart. The console is built
 * with its own configuration (web/vite.config.ts), as `npm start` and the deployment build it.
 *
 * The first page is counted twice: to its figures (the entry, the dashboard's chunk, all they import
 * statically, and Cloudscape's messages of the one language shown, zh-TW as in the floor), and whole
 * (with the charts, which the dashboard fetches at once beside its data). Our part is the whole first
 * page minus the floor with a chart, since the dashboard draws charts; what loads only when a person
 * asks for it (the breakdown's table, the period's calendar, a notice, the other language) is not
 * counted.
 */
const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));
const webRoot = join(repositoryRoot, 'web');

export interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  isEntry?: boolean;
}

export interface BundleWeight {
  name: string;
  jsGzip: number;
  cssGzip: number;
  files: number;
}

const gzipSize = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

async function viteBuild(root: string, outDir: string, manifest: boolean): Promise<void> {
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  await build({ root, configFile: false, plugins: [react()], logLevel: 'silent', build: { outDir, emptyOutDir: true, manifest, assetsInlineLimit: 0 } });
}

/** Each JavaScript file's modules and their minified lengths, as Rolldown wrote them. */
type ChunkModules = Map<string, { id: string; length: number }[]>;

export async function buildConsole(outDir: string): Promise<ChunkModules> {
  const { build } = await import('vite');
  const modules: ChunkModules = new Map();
  const recordModules = {
    name: 'bench-record-modules',
    generateBundle(_options: unknown, bundle: Record<string, { type: string; modules?: Record<string, { renderedLength: number }> }>) {
      for (const [file, output] of Object.entries(bundle)) {
        if (output.type === 'chunk') modules.set(file, Object.entries(output.modules ?? {}).map(([id, module]) => ({ id, length: module.renderedLength })));
      }
    },
  };
  await build({ configFile: join(webRoot, 'vite.config.ts'), logLevel: 'silent', plugins: [recordModules], build: { outDir, emptyOutDir: true, manifest: true } });
  return modules;
}

/** A Cloudscape chart module, which pages may import dynamically to show their figures first. */
const chartModule = /@cloudscape-design\/components\/[a-z-]*chart\//;

/** The chart chunks that `entries` (and what they import statically) fetch dynamically at once. */
export function chartsOf(manifest: Record<string, ManifestChunk>, entries: string[]): string[] {
  const seen = new Set<string>();
  const charts = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key]!;
    for (const dynamic of chunk.dynamicImports ?? []) if (chartModule.test(dynamic)) charts.add(dynamic);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  entries.forEach(visit);
  return [...charts];
}

/** The files loading `entries` needs: their chunks and every chunk they import statically, with CSS. */
function filesOf(manifest: Record<string, ManifestChunk>, entries: string[]): Set<string> {
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build's manifest`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  entries.forEach(visit);
  return files;
}

/** What loading `entries` needs, gzip, JavaScript and CSS apart. */
export function weigh(name: string, outDir: string, manifest: Record<string, ManifestChunk>, entries: string[]): BundleWeight {
  const files = filesOf(manifest, entries);
  let jsGzip = 0;
  let cssGzip = 0;
  for (const file of files) {
    if (file.endsWith('.js')) jsGzip += gzipSize(join(outDir, file));
    else if (file.endsWith('.css')) cssGzip += gzipSize(join(outDir, file));
  }
  return { name, jsGzip, cssGzip, files: files.size };
}

const floorApp = (withChart: boolean) => `
import '@cloudscape-design/global-styles/index.css';
import AppLayout from '@cloudscape-design/components/app-layout';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import Table from '@cloudscape-design/components/table';
import Header from '@cloudscape-design/components/header';
${withChart ? "import LineChart from '@cloudscape-design/components/line-chart';" : ''}
import { I18nProvider } from '@cloudscape-design/components/i18n';
import messages from '@cloudscape-design/components/i18n/messages/all.zh-TW';
import { createRoot } from 'react-dom/client';
createRoot(document.getElementById('root')).render(
  <I18nProvider locale="zh-TW" messages={[messages]}>
    <AppLayout
      navigation={<SideNavigation items={[{ type: 'link', text: '儀表板', href: '/' }]} />}
      content={<>
        <Table header={<Header>客戶</Header>} items={[{ name: '林美玲' }]} columnDefinitions={[{ id: 'name', header: '姓名', cell: (item) => item.name }]} />
        ${withChart ? "<LineChart series={[{ title: '來電', type: 'line', data: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }]} xScaleType='linear' />" : ''}
      </>}
    />
  </I18nProvider>,
);
`;

async function measureFloor(withChart: boolean): Promise<BundleWeight> {
  // Inside the repository, so that the floor app resolves the same node_modules as the console.
  const root = join(repositoryRoot, 'bench', `.console-floor-${randomBytes(4).toString('hex')}`);
  mkdirSync(root, { recursive: true });
  try {
    writeFileSync(join(root, 'index.html'), '<!doctype html><html><body><div id="root"></div><script type="module" src="/main.jsx"></script></body></html>');
    writeFileSync(join(root, 'main.jsx'), floorApp(withChart));
    const outDir = join(root, 'dist');
    await viteBuild(root, outDir, true);
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    return weigh(withChart ? 'Cloudscape floor with a line chart' : 'Cloudscape floor (layout, navigation, table, zh-TW)', outDir, manifest, ['index.html']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export interface ConsoleBundles {
  /** The first page to its figures: the entry, the dashboard, their static imports, one language's Cloudscape messages. */
  firstPaint: BundleWeight;
  /** The same with the charts the dashboard fetches at once: what the first page needs. */
  firstPage: BundleWeight;
  allPages: BundleWeight;
  floor: BundleWeight;
  floorWithChart: BundleWeight;
  /** Each lazily loaded page: what opening it adds to the shell's code (its charts included). */
  pages: { page: string; jsGzip: number }[];
}

function firstPageEntries(manifest: Record<string, ManifestChunk>) {
  // Loaded for the language shown when it is a chunk of its own; zh-TW, as in the floor.
  const messagesKey = Object.keys(manifest).filter((key) => key.endsWith('/i18n/messages/all.zh-TW.js'));
  const figures = ['index.html', 'src/pages/dashboard/page.tsx', ...messagesKey];
  return { messagesKey, figures, whole: [...figures, ...chartsOf(manifest, figures)] };
}

export async function measureConsoleBundles(): Promise<ConsoleBundles> {
  const outDir = join(repositoryRoot, 'bench', `.console-build-${randomBytes(4).toString('hex')}`);
  try {
    await buildConsole(outDir);
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const { messagesKey, figures, whole } = firstPageEntries(manifest);
    const firstPaint = weigh('Console first page to its figures (entry, dashboard, zh-TW messages)', outDir, manifest, figures);
    const firstPage = weigh('Console first page with its charts', outDir, manifest, whole);
    const allPages = weigh('Console, every page, both languages', outDir, manifest, Object.keys(manifest));
    // The modules pages.ts loads: page.tsx, and the sign-up's start-page.tsx and verify-page.tsx.
    const pageKeys = Object.keys(manifest).filter((key) => /^src\/pages\/.+page\.tsx$/.test(key));
    const shell = weigh('shell', outDir, manifest, ['index.html', ...messagesKey]);
    const pages = pageKeys
      .map((key) => {
        const opened = ['index.html', ...messagesKey, key];
        return { page: key.replace(/^src\/pages\//, ''), jsGzip: weigh(key, outDir, manifest, [...opened, ...chartsOf(manifest, opened)]).jsGzip - shell.jsGzip };
      })
      .sort((a, b) => b.jsGzip - a.jsGzip);
    const [floor, floorWithChart] = [await measureFloor(false), await measureFloor(true)];
    return { firstPaint, firstPage, allPages, floor, floorWithChart, pages };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * Where the whole first page's JavaScript comes from (`npm run bench:breakdown -- console`): each
 * file's gzip size shared among its modules by their minified length, summed by package (a
 * Cloudscape component by its folder) or, for our own code, by source file.
 */
export async function measureConsoleBreakdown(): Promise<{ owner: string; jsGzip: number }[]> {
  const outDir = join(repositoryRoot, 'bench', `.console-build-${randomBytes(4).toString('hex')}`);
  try {
    const modules = await buildConsole(outDir);
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const bytesBy = new Map<string, number>();
    for (const file of filesOf(manifest, firstPageEntries(manifest).whole)) {
      if (!file.endsWith('.js')) continue;
      const parts = modules.get(file) ?? [];
      const total = parts.reduce((sum, part) => sum + part.length, 0) || 1;
      const gzip = gzipSize(join(outDir, file));
      for (const part of parts) {
        const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\/([^/]+)/.exec(part.id);
        const owner = inPackage
          ? inPackage[1] === '@cloudscape-design/components' ? `${inPackage[1]}/${inPackage[2]!.replace(/\.js$/, '')}` : inPackage[1]!
          : part.id.startsWith(repositoryRoot) ? part.id.slice(repositoryRoot.length) : part.id;
        bytesBy.set(owner, (bytesBy.get(owner) ?? 0) + (gzip * part.length) / total);
      }
    }
    return [...bytesBy].map(([owner, jsGzip]) => ({ owner, jsGzip })).sort((a, b) => b.jsGzip - a.jsGzip);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

/** A weight as a row of the `| What | JavaScript (gzip) | CSS (gzip) | files |` table. */
export const weightRow = (weight: BundleWeight) => `| ${weight.name} | ${kb(weight.jsGzip)} | ${kb(weight.cssGzip)} | ${weight.files} |`;

/** The goal for the JavaScript (gzip) of a console's first page, the dashboard's or the desk's (docs/developers/performance.md). */
export const firstPageGoalBytes = 350_000;

export function formatConsoleBundles(result: ConsoleBundles): string {
  const ours = result.firstPage.jsGzip - result.floorWithChart.jsGzip;
  const oursToFigures = result.firstPaint.jsGzip - result.floor.jsGzip;
  const rows = [result.floor, result.floorWithChart, result.firstPaint, result.firstPage, result.allPages].map(weightRow);
  const met = (value: number, goal: number) => (value <= goal ? 'met' : 'not met');
  return [
    '| What | JavaScript (gzip) | CSS (gzip) | files |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    `Ours on the first page: ${kb(ours)} of JavaScript beyond the floor with a chart (goal ≤ 75 KB: ${met(ours, 75_000)}); ` +
      `the first page ${kb(result.firstPage.jsGzip)} (goal ≤ ${kb(firstPageGoalBytes)}: ${met(result.firstPage.jsGzip, firstPageGoalBytes)}); ` +
      `CSS ${kb(result.firstPage.cssGzip - result.floorWithChart.cssGzip)} beyond the floor's.`,
    `To its figures, before the charts: ${kb(result.firstPaint.jsGzip)}, ours ${kb(oursToFigures)} beyond the floor without a chart.`,
    '',
    '| Page (loaded when first opened) | adds JavaScript (gzip) |',
    '|---|---:|',
    ...result.pages.map((page) => `| ${page.page} | ${kb(page.jsGzip)} |`),
  ].join('\n');
}

export interface ConsoleRenderTime {
  samples: number;
  /** Median milliseconds from navigation to the dashboard's figures on screen. */
  dashboardMs: number;
  /** Median milliseconds from navigation to the load event of a blank document (the console's /config.json) from the same server. */
  blankMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Time to a rendered dashboard in headless Chromium on a twin (`npm start`'s, in its own process),
 * against a blank document's load from the same server in the same run: each sample in a fresh
 * browser context (nothing cached), the blank and the dashboard alternating. The session is an
 * API key put where oidc-client-ts keeps one (the authorizer takes keys as bearer credentials), so
 * what is timed is the console's own start, its /v1/me and the dashboard's requests, not sign-in.
 */
export async function measureConsoleRenderTime(samples = 7, runningTwin?: { url: string; stop(): Promise<void> }): Promise<ConsoleRenderTime> {
  const { startTwinProcess, operatorKey } = await import('./latency');
  const { launchChromium } = await import('../tests/support/console-browser');
  // Another twin (its operator key bench/latency.ts's) when the machine is too busy for npm start's own DynamoDB Local.
  const twin = runningTwin ?? (await startTwinProcess());
  const browser = await launchChromium();
  try {
    const created = await fetch(`${twin.url}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Bench ${randomBytes(3).toString('hex')}`, timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW', plan: 'trial' }),
    });
    if (created.status !== 201) throw new Error(`POST /v1/tenants answered ${created.status}: ${await created.text()}`);
    const apiKey = ((await created.json()) as { apiKey: { secret: string } }).apiKey.secret;
    const consoleUrl = twin.url.replace('127.0.0.1', 'localhost');
    const config = (await (await fetch(`${consoleUrl}/config.json`)).json()) as { authority: string; clientId: string };
    const storageKey = `oidc.user:${config.authority}:${config.clientId}`;
    const session = JSON.stringify({ access_token: apiKey, token_type: 'Bearer', scope: 'openid email profile', profile: { sub: 'bench' }, expires_at: 4102444800 });

    const dashboard: number[] = [];
    const blank: number[] = [];
    // One unmeasured round first: the twin loads each function's code on its first request.
    for (let round = 0; round <= samples; round++) {
      const blankContext = await browser.newContext();
      const blankPage = await blankContext.newPage();
      await blankPage.goto(`${consoleUrl}/config.json`, { waitUntil: 'load' });
      const blankLoad = await blankPage.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
      await blankContext.close();

      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-TW' });
      await context.addInitScript(([key, value]) => window.sessionStorage.setItem(key, value), [storageKey, session] as const);
      const page = await context.newPage();
      await page.goto(`${consoleUrl}/`);
      // The figures are on screen when the first tile shows a number.
      const rendered = await page.waitForFunction(
        () => {
          const tile = document.querySelector('[data-testid="offered"]');
          return tile && /\d/.test(tile.textContent ?? '') ? performance.now() : false;
        },
        undefined,
        { timeout: 60_000, polling: 'raf' },
      );
      const dashboardMs = (await rendered.jsonValue()) as number;
      await context.close();
      if (round > 0) {
        dashboard.push(dashboardMs);
        blank.push(blankLoad);
      }
    }
    return { samples, dashboardMs: median(dashboard), blankMs: median(blank) };
  } finally {
    await browser.close();
    await twin.stop();
  }
}

export function formatConsoleRenderTime(result: ConsoleRenderTime): string {
  return [
    `| In headless Chromium on the twin (median of ${result.samples}, fresh context each) | ms |`,
    '|---|---:|',
    `| blank document (/config.json) from the same server, to its load event | ${result.blankMs.toFixed(0)} |`,
    `| the dashboard, navigation to its figures on screen | ${result.dashboardMs.toFixed(0)} |`,
    '',
    `Time to a rendered dashboard: ${(result.dashboardMs / result.blankMs).toFixed(1)}× a blank page's load.`,
  ].join('\n');
}
