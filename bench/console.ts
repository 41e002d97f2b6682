import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The console's first page: the JavaScript and CSS (gzip) a browser needs for the sign-in callback
 * and the dashboard, against Cloudscape's own floor built in the same run with the same Vite: an app
 * layout, side navigation and a table in zh-TW, and the same with a line chart. Our part is the
 * first page minus the floor with a chart, since the dashboard draws charts.
 */

const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));
const webRoot = join(repositoryRoot, 'web');

interface ManifestChunk {
  file: string;
  imports?: string[];
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

/** What loading `entries` needs: their chunks and every chunk they import statically, with CSS. */
function weigh(name: string, outDir: string, manifest: Record<string, ManifestChunk>, entries: string[]): BundleWeight {
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
  firstPage: BundleWeight;
  allPages: BundleWeight;
  floor: BundleWeight;
  floorWithChart: BundleWeight;
  /** Each lazily loaded page: what opening it adds to the first page's code. */
  pages: { page: string; jsGzip: number }[];
}

export async function measureConsoleBundles(): Promise<ConsoleBundles> {
  const outDir = join(repositoryRoot, 'bench', `.console-build-${randomBytes(4).toString('hex')}`);
  try {
    await viteBuild(webRoot, outDir, true);
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const dashboardKey = Object.keys(manifest).find((key) => key === 'src/pages/dashboard/page.tsx') ?? 'src/pages/home/page.tsx';
    const firstPage = weigh('Console first page (sign-in callback + dashboard)', outDir, manifest, ['index.html', dashboardKey]);
    const pageKeys = Object.keys(manifest).filter((key) => /^src\/pages\/.+\.tsx$/.test(key));
    const allPages = weigh('Console, every page', outDir, manifest, ['index.html', ...pageKeys]);
    const shell = weigh('shell', outDir, manifest, ['index.html']);
    const pages = pageKeys
      .map((key) => ({ page: key.replace(/^src\/pages\//, ''), jsGzip: weigh(key, outDir, manifest, ['index.html', key]).jsGzip - shell.jsGzip }))
      .sort((a, b) => b.jsGzip - a.jsGzip);
    const [floor, floorWithChart] = [await measureFloor(false), await measureFloor(true)];
    return { firstPage, allPages, floor, floorWithChart, pages };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

export function formatConsoleBundles(result: ConsoleBundles): string {
  const ours = result.firstPage.jsGzip - result.floorWithChart.jsGzip;
  const rows = [result.floor, result.floorWithChart, result.firstPage, result.allPages].map(
    (weight) => `| ${weight.name} | ${kb(weight.jsGzip)} | ${kb(weight.cssGzip)} | ${weight.files} |`,
  );
  return [
    '| What | JavaScript (gzip) | CSS (gzip) | files |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    `Ours on the first page: ${kb(ours)} of JavaScript beyond the floor with a chart (goal ≤ 75 KB; first page ≤ 350 KB: ${kb(result.firstPage.jsGzip)}); ` +
      `CSS ${kb(result.firstPage.cssGzip - result.floorWithChart.cssGzip)} beyond the floor's.`,
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
export async function measureConsoleRenderTime(samples = 7): Promise<ConsoleRenderTime> {
  const { startTwinProcess, operatorKey } = await import('./latency');
  const { launchChromium } = await import('../tests/support/console-browser');
  const twin = await startTwinProcess();
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
