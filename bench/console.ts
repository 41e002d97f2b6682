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
