import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../shared/http/routes';
import { type TestTwin, startTestTwin } from '../support/twin';

/**
 * The API reference the twin serves at /docs (infra/local/api-reference.ts): Redocly's page of the
 * OpenAPI document, self-contained, so that it works with no network. Read as HTML, then loaded in
 * headless Chromium with every request outside the twin recorded.
 */

let twin: TestTwin;
let profile: string;
let browser: BrowserContext;

beforeAll(async () => {
  twin = await startTestTwin();
  profile = await mkdtemp(join(tmpdir(), 'api-reference-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await twin?.close();
});

/** Addresses the page would load (scripts, styles, fonts, images, frames), not links a reader may follow. */
function externalLoads(html: string): string[] {
  const loads = [
    ...html.matchAll(/<(?:script|img|iframe|source|embed)\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)/gi),
    ...html.matchAll(/<link\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)/gi),
    ...html.matchAll(/@import\s+(?:url\()?\s*["']?([^"')\s;]+)/gi),
    ...html.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi),
  ].map((match) => match[1] ?? '');
  return loads.filter((address) => /^(https?:)?\/\//i.test(address));
}

describe('the API reference at /docs', () => {
  it('answers one HTML page that names the operations and loads nothing from elsewhere', async () => {
    const response = await fetch(`${twin.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<title>Switchboard API reference</title>');
    for (const operationId of ['createTenant', 'createCustomer', 'closeContact', 'exportContacts']) {
      const route = routes.find((candidate) => candidate.operationId === operationId);
      expect(html, operationId).toContain(route?.summary);
    }
    expect(externalLoads(html)).toEqual([]);
  }, 60_000);

  it('the check of loads finds a CDN script, stylesheet, font or image', () => {
    const page =
      '<script src="https://cdn.redocly.com/redoc.js"></script><link rel="stylesheet" href="//fonts.example/x.css">' +
      '<style>@import "https://fonts.example/a.css"; b { background: url(https://img.example/b.png) }</style><a href="https://redocly.com/">ok</a>';
    expect(externalLoads(page)).toEqual(['https://cdn.redocly.com/redoc.js', '//fonts.example/x.css', 'https://fonts.example/a.css', 'https://img.example/b.png']);
  });

  it('renders in a browser with no request leaving the twin', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const origin = new URL(twin.url).origin;
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    await page.goto(`${twin.url}/docs`, { waitUntil: 'load' });
    // Rendered by Redoc's script (the tags' operations), not only the prerendered HTML.
    await page.getByText('/v1/customers/{customerId}', { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(await page.getByText('Switchboard API (1.0.0)').count()).toBeGreaterThan(0);
    await page.waitForLoadState('networkidle');
    expect(elsewhere).toEqual([]);
    await page.close();
  }, 90_000);

  it('renders once for a document: later visits are the same page, from the cache', async () => {
    const first = await (await fetch(`${twin.url}/docs`)).text();
    const started = Date.now();
    const [second, third] = await Promise.all([fetch(`${twin.url}/docs/`), fetch(`${twin.url}/docs`)]);
    expect(await second.text()).toBe(first);
    expect(await third.text()).toBe(first);
    // A rendering is a Redocly run of seconds; the cached page is read from memory.
    expect(Date.now() - started).toBeLessThan(2_000);
  }, 60_000);
});
