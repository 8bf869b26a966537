// Launches Debian's Chromium (never a downloaded browser) with the flags this machine needs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

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
