import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { localConsoleClientId } from '../../shared/http/console-security';

/**
 * The console (web/) in Debian's headless Chromium, driven by playwright-core, against a test twin.
 *
 * `openConsole` signs in without the sign-in pages: it puts a session in the tab's storage as
 * oidc-client-ts keeps one after a sign-in, with a bearer credential the authorizer accepts (a
 * person's access token, or an API key, which the authorizer also takes). Tests of the sign-in
 * itself go through the issuer's pages instead.
 */

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface ConsoleTab {
  page: Page;
  context: BrowserContext;
  /** What the page wrote to the browser console as errors, and scripts that threw (CSP refusals included). */
  errors: string[];
  close(): Promise<void>;
}

export interface OpenConsoleOptions {
  /** The bearer credential the console sends: a person's access token or an API key. */
  token: string;
  path?: string;
  locale?: 'en' | 'zh-TW';
  viewport?: { width: number; height: number };
}

export async function openConsole(browser: Browser, consoleUrl: string, options: OpenConsoleOptions): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 }, locale: options.locale ?? 'en' });
  const storageKey = `oidc.user:${consoleUrl}/oidc:${localConsoleClientId}`;
  const session = JSON.stringify({
    access_token: options.token,
    token_type: 'Bearer',
    scope: 'openid email profile',
    profile: { sub: 'test', iss: `${consoleUrl}/oidc`, aud: localConsoleClientId, exp: 4102444800, iat: 1 },
    expires_at: 4102444800,
  });
  await context.addInitScript(
    ([key, value, locale]) => {
      window.sessionStorage.setItem(key, value);
      if (locale) window.localStorage.setItem('switchboard.locale', locale);
    },
    [storageKey, session, options.locale ?? ''] as const,
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(consoleUrl + (options.path ?? '/'));
  return { page, context, errors, close: () => context.close() };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's WCAG 2.1 A/AA rules on the page as it is now. The script is evaluated through the
 * DevTools protocol, which the console's Content-Security-Policy (no inline script) does not govern.
 */
export async function axeViolations(page: Page, impacts: readonly string[] = ['serious', 'critical']): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => JSON.stringify(node.target)) }));
  });
  return violations.filter((violation) => impacts.includes(violation.impact ?? ''));
}
