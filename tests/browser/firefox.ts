// Debian's Firefox ESR through puppeteer-core (WebDriver BiDi), with a persistent profile so OPFS
// survives a reload, behind the same BrowserSession the Chromium suites use. Pages are Puppeteer
// pages adapted to the Playwright calls the suites make whose shape differs: waitForFunction's
// argument order and addInitScript.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import puppeteer, { type Page as PuppeteerPage } from 'puppeteer-core';

// @ts-expect-error plain ESM script without types
import { startServer } from '../../scripts/serve.mjs';
import type { BrowserSession } from './chromium.js';

function adapt(page: PuppeteerPage): Page {
  return new Proxy(page, {
    get(target, name, receiver) {
      if (name === 'waitForFunction')
        return (fn: () => unknown, arg: unknown, options: { timeout?: number } = {}) =>
          target.waitForFunction(fn as never, { timeout: options.timeout, polling: 100 }, arg as never);
      if (name === 'addInitScript') return (fn: () => void) => target.evaluateOnNewDocument(fn);
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Page;
}

export async function openFirefox(): Promise<BrowserSession> {
  const server = await startServer({ port: 0 });
  const userDataDir = mkdtempSync(join(tmpdir(), 'av-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    userDataDir,
    extraPrefsFirefox: {
      // Audio may start without a user gesture under test, as Chromium's --autoplay-policy flag does.
      'media.autoplay.default': 0,
      'media.autoplay.blocking_policy': 0,
    },
  });
  const context = { newPage: async () => adapt(await browser.newPage()) } as unknown as BrowserContext;
  return {
    context,
    baseUrl: server.url,
    userDataDir,
    async close() {
      await browser.close();
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
