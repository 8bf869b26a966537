// Launches Debian's Chromium (never a downloaded browser) with the flags this machine needs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

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
export async function openBrowser(): Promise<BrowserSession> {
  const server = await startServer({ port: 0 });
  const userDataDir = mkdtempSync(join(tmpdir(), 'av-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
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
