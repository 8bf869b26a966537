// Debian's Firefox ESR through puppeteer-core (WebDriver BiDi), with a persistent profile so OPFS
// survives a reload, and a null-sink PulseAudio so its Web Audio runs (null_audio.ts), behind the same BrowserSession the Chromium suites use. Pages are Puppeteer
// pages adapted to the Playwright calls the suites make whose shape differs: waitForFunction's
// argument order, addInitScript, fill and setInputFiles.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import puppeteer, { type Page as PuppeteerPage } from 'puppeteer-core';

// @ts-expect-error plain ESM script without types
import { startServer } from '../../scripts/serve.mjs';
import type { BrowserSession } from './chromium.js';
import { startNullAudio } from './null_audio.js';

function adapt(page: PuppeteerPage): Page {
  return new Proxy(page, {
    get(target, name, receiver) {
      if (name === 'waitForFunction')
        return (fn: () => unknown, arg: unknown, options: { timeout?: number } = {}) =>
          target.waitForFunction(fn as never, { timeout: options.timeout, polling: 100 }, arg as never);
      if (name === 'addInitScript') return (fn: () => void) => target.evaluateOnNewDocument(fn);
      // Typing and file choosing as the user does them (BiDi input actions; input.setFiles).
      if (name === 'fill') return (selector: string, text: string) => target.locator(selector).fill(text);
      if (name === 'setInputFiles')
        return async (selector: string, files: string[]) => {
          const input = await target.$(selector);
          if (!input) throw new Error(`no element ${selector}`);
          await (input as unknown as { uploadFile(...paths: string[]): Promise<void> }).uploadFile(...files.map((f) => resolve(f)));
        };
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Page;
}

export async function openFirefox(): Promise<BrowserSession> {
  const server = await startServer({ port: 0 });
  const userDataDir = mkdtempSync(join(tmpdir(), 'av-firefox-'));
  const audio = await startNullAudio();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    userDataDir,
    // Firefox's own autoplay policy (audio waits for a user gesture): the Player suite clicks.
    env: { ...process.env, ...audio.env },
  });
  const context = { newPage: async () => adapt(await browser.newPage()) } as unknown as BrowserContext;
  return {
    context,
    baseUrl: server.url,
    userDataDir,
    async close() {
      await browser.close();
      await audio.close();
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
