// Launches the browser a browser suite runs in: Debian's Chromium by default (playwright-core), or
// Debian's Firefox ESR with AV_BROWSER=firefox (puppeteer-core over WebDriver BiDi); never a
// downloaded browser. Tests see Playwright's Page API; under Firefox the few calls whose shape
// differs in Puppeteer are adapted here (tests/browser/firefox.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { type TestContext, afterEach, expect } from 'vitest';

import { skipWithReason } from '../skip_reason.js';
import { openFirefox } from './firefox.js';
import { type WebKitOptions, openWebKit } from './webkit.js';

/** The engine this run drives ('chromium' unless AV_BROWSER says otherwise). */
export const BROWSER: 'chromium' | 'firefox' | 'webkit' =
  process.env.AV_BROWSER === 'firefox' ? 'firefox' : process.env.AV_BROWSER === 'webkit' ? 'webkit' : 'chromium';

// @ts-expect-error plain ESM script without types
import { startServer } from '../../scripts/serve.mjs';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

export interface BrowserSession {
  context: BrowserContext;
  baseUrl: string;
  userDataDir: string;
  close(): Promise<void>;
}

/** A persistent profile (so OPFS survives reloads) and a local COOP/COEP server. */
/** `args`: more Chromium flags (e.g. a fake microphone); `webkit`: a Safari-like WebKit (webkit.ts). */
export async function openBrowser(options: { args?: string[]; webkit?: WebKitOptions } = {}): Promise<BrowserSession> {
  if (BROWSER === 'firefox') return openFirefox();
  if (BROWSER === 'webkit') return openWebKit(options.webkit);
  const server = await startServer({ port: 0 });
  const userDataDir = mkdtempSync(join(tmpdir(), 'av-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
  return {
    context,
    baseUrl: server.url,
    userDataDir,
    async close() {
      await context.close();
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Collects the page's uncaught exceptions and unhandled rejections (`pageerror`). Call the
 * returned check in `afterEach`: a test during which the page threw has failed, even when its
 * own assertions passed (an error that is only logged is an error nobody reads).
 */
export function watchPageErrors(page: Page): () => void {
  const errors: string[] = [];
  page.on('pageerror', (e) => {
    console.error('[page]', e.message);
    errors.push(e.message);
  });
  return () => expect(errors.splice(0), 'uncaught errors in the page').toEqual([]);
}

/**
 * A browser with the test app (tests/browser/pages/app.html) open and its engine ready
 * (`window.av`), page errors watched: the common start of a browser test file.
 */
export async function openAppPage(): Promise<{ session: BrowserSession; page: Page; checkPageErrors: () => void }> {
  const session = await openBrowser();
  const page = await session.context.newPage();
  const checkPageErrors = watchPageErrors(page);
  await page.goto(`${session.baseUrl}/tests/browser/pages/app.html`);
  await page.waitForFunction(() => (window as unknown as { av?: unknown }).av !== undefined, null, { timeout: 60_000 });
  return { session, page, checkPageErrors };
}

/**
 * After a failed attempt of a test, `reopen()` (a fresh page, so a fresh engine and worker) runs
 * before a retry (`--retry`, the Firefox suite): a page whose engine hung would fail the retry too.
 */
export function reopenAfterFailure(reopen: () => Promise<unknown>): void {
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await reopen();
  });
}

/** Loads the test app page in `page` and waits for its engine. */
export async function openApp(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/tests/browser/pages/app.html`);
  await page.waitForFunction(() => (window as unknown as { av?: unknown }).av !== undefined, null, { timeout: 60_000 });
}

/**
 * Skips (with the reason recorded) a test that needs a Playwright or Chromium feature the other
 * engines' drivers lack, e.g. request interception or CDP. The reason names what is missing.
 */
export function chromiumOnly(ctx: TestContext, needs: string): void {
  if (BROWSER !== 'chromium') skipWithReason(ctx, `needs ${needs}, which only the Chromium driver (playwright-core) has`);
}
