import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundleWeight, type ManifestChunk, buildConsole, chartsOf, firstPageGoalBytes, kb, weigh, weightRow } from './console';

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
  { screen: 'customer search and a customer at a glance (`/desk/customers…`)', page: 'src/pages/customer-search/page.tsx' },
  { screen: 'the pop (`/desk/pop`)', page: 'src/pages/customer/page.tsx' },
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

export function formatDeskBundles(result: DeskBundles): string {
  // The console's own first-page goal, which My work (a table, no chart) must not exceed either.
  const met = result.firstPage.jsGzip <= firstPageGoalBytes ? 'met' : 'not met';
  return [
    '| What | JavaScript (gzip) | CSS (gzip) | files |',
    '|---|---:|---:|---:|',
    ...[result.shell, result.firstPage].map(weightRow),
    '',
    `The desk's first page: ${kb(result.firstPage.jsGzip)} of JavaScript (goal ≤ ${kb(firstPageGoalBytes)}: ${met}).`,
    '',
    '| Desk screen (its page, on top of the shell) | JavaScript (gzip) |',
    '|---|---:|',
    ...result.screens.map((screen) => `| ${screen.screen} | ${kb(screen.jsGzip)} |`),
  ].join('\n');
}

export interface DeskScreenCalls {
  screen: string;
  /** Each request to `/v1/…` the screen made, `METHOD /v1/path` without the query, in order. */
  calls: string[];
  target: number;
}

/**
 * The API calls each desk screen makes, counted from the network in headless Chromium on a twin
 * (in this process, on a DynamoDB Local of its own): an agent signed in on the twin's issuer, each
 * screen opened in a fresh browser context (nothing cached, so the console's own start is in each
 * count), its requests to `/v1/…` counted until the network has been idle for half a second.
 */
export async function measureDeskApiCalls(): Promise<DeskScreenCalls[]> {
  const { ensureTable, localClientConfig, startDynamoDbLocal } = await import('../infra/local/dynamodb');
  const { ensureConsoleBuilt } = await import('../infra/local/console');
  const { startTwin } = await import('../infra/local/twin');
  const { launchChromium, openConsole } = await import('../tests/support/console-browser');
  const { signInPerson } = await import('../tests/support/people-sign-in');
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { operatorKey } = await import('./latency');
  await ensureConsoleBuilt();
  const dynamo = await startDynamoDbLocal({ startTimeoutMs: 120_000 });
  const tableName = 'switchboard-desk-bench';
  const raw = new DynamoDBClient({ ...localClientConfig, endpoint: dynamo.endpoint });
  await ensureTable(raw, tableName);
  raw.destroy();
  const twin = await startTwin({ port: 0, dynamoEndpoint: dynamo.endpoint, tableName, operatorKey });
  const browser = await launchChromium();
  try {
    const call = async (method: string, path: string, key: string, body?: unknown) => {
      const response = await fetch(`${twin.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const signup = await call('POST', '/v1/tenants', operatorKey, { name: 'Desk bench', timezone: 'Asia/Taipei', locale: 'zh-TW', defaultCountry: 'TW' });
    const apiKey = (signup.apiKey as { secret: string }).secret;
    const phone = '0912345678';
    const customerId = (await call('POST', '/v1/customers', apiKey, { displayName: '林美玲', givenName: '美玲', familyName: '林', phone })).customerId as string;
    const email = `agent.${randomBytes(3).toString('hex')}@desk-bench.test`;
    await call('POST', '/v1/people', apiKey, { email, role: 'agent', agentId: 'mei.lin', displayName: 'Mei Lin' });
    const token = (await signInPerson({ url: twin.url, consoleUrl: twin.consoleUrl, identity: twin.identity }, email)).accessToken;
    const caseId = (await call('POST', '/v1/cases', apiKey, { type: 'complaint', category: 'billing', subject: '帳單重複扣款', customerId, assignee: 'mei.lin' })).caseId as string;

    const screens: { screen: string; path: string; target: number; act?: (page: Page) => Promise<void> }[] = [
      { screen: 'My work (`/desk`)', path: '/desk', target: 3 },
      { screen: 'a case (`/desk/cases/…`)', path: `/desk/cases/${caseId}`, target: 3 },
      {
        screen: 'customer search, `美玲` typed (`/desk/customers`)',
        path: '/desk/customers',
        target: 2,
        act: async (page) => {
          await page.getByRole('searchbox').first().fill('美玲');
        },
      },
      { screen: 'customer at a glance (`/desk/customers/…`)', path: `/desk/customers/${customerId}`, target: 2 },
      { screen: 'the pop (`/desk/pop?phone=…`)', path: `/desk/pop?phone=${phone}`, target: 3 },
      { screen: 'log a contact (`/desk/contacts/new?customerId=…`)', path: `/desk/contacts/new?customerId=${customerId}`, target: 3 },
    ];
    const results: DeskScreenCalls[] = [];
    for (const { screen, path, target, act } of screens) {
      const calls: string[] = [];
      // The session is put in place on a plain document first (no console, no request), then the screen is opened.
      const tab = await openConsole(browser, twin.consoleUrl, { token, path: '/config.json', locale: 'zh-TW' });
      try {
        tab.page.on('request', (request) => {
          const url = new URL(request.url());
          if (url.pathname.startsWith('/v1/') && request.method() !== 'OPTIONS') calls.push(`${request.method()} ${url.pathname}`);
        });
        await tab.page.goto(twin.consoleUrl + path);
        await settled(tab.page, calls);
        if (act) {
          const before = calls.length;
          await act(tab.page);
          await settled(tab.page, calls, before);
        }
        results.push({ screen, calls: [...calls], target });
      } finally {
        await tab.close();
      }
    }
    return results;
  } finally {
    await browser.close();
    await twin.close();
    await dynamo.stop();
  }
}

/**
 * Until the screen has made its requests: at least one more than `before` to `/v1/…` (the console
 * renders with JavaScript, slowly on a busy machine, so the network alone goes quiet before it asks),
 * then none for 3 s with the network idle.
 */
async function settled(page: Page, calls: readonly string[], before = 0) {
  const deadline = Date.now() + 60_000;
  while (calls.length <= before && Date.now() < deadline) await page.waitForTimeout(200);
  if (calls.length <= before) throw new Error(`No request to /v1/… within 60 s on ${page.url()}`);
  let seen = -1;
  while (seen !== calls.length && Date.now() < deadline) {
    seen = calls.length;
    await page.waitForLoadState('networkidle', { timeout: 60_000 });
    await page.waitForTimeout(3_000);
  }
}

export function formatDeskApiCalls(screens: DeskScreenCalls[]): string {
  const shorten = (call: string) => call.replace(/\/(cus|cas|con|per)_[A-Za-z0-9]+/g, '/{$1_…}');
  return [
    '| Desk screen (fresh context, agent signed in) | calls to `/v1/…` | target | which |',
    '|---|---:|---:|---|',
    ...screens.map(({ screen, calls, target }) => `| ${screen} | ${calls.length} | ${target} ${calls.length <= target ? '(met)' : '(not met)'} | ${calls.map((call) => `\`${shorten(call)}\``).join(', ')} |`),
  ].join('\n');
}
