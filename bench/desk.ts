import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundleWeight, type ManifestChunk, buildConsole, chartsOf, weigh } from './console';

/**
 * The agents' desk's first page: the JavaScript (gzip; CSS apart) a browser needs when an agent
 * signs in and lands on `/desk` (My work): the console's entry, the My work page, all they import
 * statically, Cloudscape's messages of the one language shown (zh-TW) and any chart they fetch at
 * once, from the console built as it is deployed (bench/console.ts's build and weighing). Then
 * what each other desk screen adds when the agent first opens it.
 */
const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));

/** The desk's screens, by the page module pages.ts loads for them. */
export const deskScreens = [
  { screen: 'My work (`/desk`)', page: 'src/pages/my-work/page.tsx' },
  { screen: 'a case (`/desk/cases/…`)', page: 'src/pages/case/page.tsx' },
  { screen: 'customer search (`/desk/customers`)', page: 'src/pages/customer-search/page.tsx' },
  { screen: 'customer at a glance, the pop (`/desk/pop`)', page: 'src/pages/customer/page.tsx' },
  { screen: 'log a contact (`/desk/contacts/new`)', page: 'src/pages/contact-log/page.tsx' },
] as const;

export interface DeskBundles {
  firstPage: BundleWeight;
  /** The console's shell alone (entry and zh-TW messages), which every page needs. */
  shell: BundleWeight;
  screens: { screen: string; jsGzip: number }[];
}

export async function measureDeskBundles(): Promise<DeskBundles> {
  const outDir = join(repositoryRoot, 'bench', `.desk-build-${randomBytes(4).toString('hex')}`);
  try {
    await buildConsole(outDir);
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const messages = Object.keys(manifest).filter((key) => key.endsWith('/i18n/messages/all.zh-TW.js'));
    const opened = (page?: string) => {
      const entries = ['index.html', ...messages, ...(page ? [page] : [])];
      return [...entries, ...chartsOf(manifest, entries)];
    };
    const shell = weigh('Console shell (entry, zh-TW messages)', outDir, manifest, opened());
    const firstPage = weigh('Desk first page: shell and My work', outDir, manifest, opened(deskScreens[0].page));
    const screens = deskScreens.map(({ screen, page }) => ({ screen, jsGzip: weigh(screen, outDir, manifest, opened(page)).jsGzip - shell.jsGzip }));
    return { firstPage, shell, screens };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

/** Goal for the desk's first page: the console's own first-page goal (docs/developers/performance.md), which My work, a table and no chart, must not exceed. */
export const deskFirstPageGoalBytes = 350_000;

export function formatDeskBundles(result: DeskBundles): string {
  const met = result.firstPage.jsGzip <= deskFirstPageGoalBytes ? 'met' : 'not met';
  return [
    '| What | JavaScript (gzip) | CSS (gzip) | files |',
    '|---|---:|---:|---:|',
    ...[result.shell, result.firstPage].map((weight) => `| ${weight.name} | ${kb(weight.jsGzip)} | ${kb(weight.cssGzip)} | ${weight.files} |`),
    '',
    `The desk's first page: ${kb(result.firstPage.jsGzip)} of JavaScript (goal ≤ ${kb(deskFirstPageGoalBytes)}: ${met}).`,
    '',
    '| Desk screen (its page, on top of the shell) | JavaScript (gzip) |',
    '|---|---:|',
    ...result.screens.map((screen) => `| ${screen.screen} | ${kb(screen.jsGzip)} |`),
  ].join('\n');
}
