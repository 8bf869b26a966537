// The demo's service worker mirrors the package under /demo/pkg/. Whatever it mirrors runs with the
// demo's origin (and its OPFS data), so it must only ever mirror our own package files: never a
// page from another origin, whatever the URL spelling, and never from a `?pkg=` on another origin.
// A second server on another loopback port plays the attacker (CORS open, like a real one would be).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BROWSER, type BrowserSession, openBrowser } from './chromium.js';
// @ts-expect-error plain ESM script without types
import { startServer } from '../../scripts/serve.mjs';
import { INSTALLED_ORT_RELEASE } from '../ort_release.js';

const MARKER = 'EVIL-7f3a9';
let browser: BrowserSession;
let evil: { url: string; close(): Promise<void> };
let evilRoot: string;
let page: Page;

beforeAll(async () => {
  evilRoot = mkdtempSync(join(tmpdir(), 'av-evil-'));
  const html = `<!doctype html><title>${MARKER}</title><script>document.title = '${MARKER}:' + location.origin</script>`;
  writeFileSync(join(evilRoot, 'evil.html'), html);
  // Everything the demo's worker precaches from its package folder, so a `?pkg=` pointing here
  // would install.
  mkdirSync(join(evilRoot, 'core'));
  mkdirSync(join(evilRoot, 'ort'));
  const files = [
    'index.js',
    'worker.js',
    'evil.js',
    'core/avatar-voice-core.mjs',
    'core/avatar-voice-core.wasm',
    'core/espeak-ng-data-en.pack',
    'ort/ort-wasm-simd-threaded.mjs',
    'ort/ort-wasm-simd-threaded.wasm',
  ];
  for (const f of files) writeFileSync(join(evilRoot, f), `/* ${MARKER} */ self.pwned = true;`);
  evil = await startServer({ port: 0, root: evilRoot, isolated: false, cors: true });
  browser = await openBrowser();
  page = await browser.context.newPage();
  await page.goto(`${browser.baseUrl}/demo/`);
  // Controlled once the worker has precached and claimed the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 });
});

afterAll(async () => {
  await browser?.close();
  await evil?.close();
  rmSync(evilRoot, { recursive: true, force: true });
});

/**
 * A document in the worker's scope that does not run the demo (whose start-up would register the
 * default worker again, replacing the one a test installed).
 */
function neutralPage(): string {
  return `${browser.baseUrl}/demo/demo.css`;
}

/** Status and body of a navigation to `url`, and of a fetch of it from the controlled page. */
async function probe(
  url: string,
): Promise<{ navigation: { status: number | null; body: string }; fetched: { status: number; body: string } }> {
  const response = await page.goto(url);
  // WebDriver classic (WebKit) hands back no response, and WebKit's navigation entry has no
  // responseStatus: null there (the body is still checked, and the page's fetch has the status).
  const navigation = { status: response ? response.status() : null, body: await page.content() };
  await page.goto(neutralPage());
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const fetched = await page.evaluate(async (u) => {
    try {
      const r = await fetch(u);
      return { status: r.status, body: await r.text() };
    } catch (error) {
      return { status: -1, body: String(error) };
    }
  }, url);
  return { navigation, fetched };
}

describe('demo service worker mirror', () => {
  it('serves the real package files under /demo/pkg/', async () => {
    const { fetched } = await probe(`${browser.baseUrl}/demo/pkg/index.js`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toContain('AvatarVoice');
    // onnxruntime's files as the package asks for them: by release.
    const ort = await probe(`${browser.baseUrl}/demo/pkg/ort/ort-wasm-simd-threaded.mjs?v=${INSTALLED_ORT_RELEASE}`);
    expect(ort.fetched.status).toBe(200);
    expect(ort.fetched.body.length).toBeGreaterThan(1000);
  });

  it('never serves another origin (or anything but a package file) under the demo origin', async () => {
    const host = new URL(evil.url).host;
    const base = `${browser.baseUrl}/demo/pkg/`;
    const urls = [
      `${base}//${host}/evil.html`,
      `${base}///${host}/evil.html`,
      `${base}${evil.url}/evil.html`,
      `${base}http:/${host}/evil.html`,
      `${base}http%3A%2F%2F${host}%2Fevil.html`,
      `${base}%2F%2F${host}%2Fevil.html`,
      `${base}\\\\${host}\\evil.html`,
      `${base}/\\${host}/evil.js`,
      `${base}..%2F..%2F..%2F${host}/evil.js`,
      `${base}../pkg//${host}/index.js`,
      `${base}//${host}/index.js`,
      `${base}index.js/../../${host}/evil.js`,
      `${base}evil.html`,
      `${base}index.html`,
      `${base}index.js?x=1`,
      `${base}ort/ort-wasm-simd-threaded.mjs?v=${INSTALLED_ORT_RELEASE}&x=1`,
      `${base}ort/ort-wasm-simd-threaded.mjs?v=..%2F..%2Fevil.js`,
    ];
    for (const url of urls) {
      const { navigation, fetched } = await probe(url);
      expect(navigation.body, url).not.toContain(MARKER);
      expect(fetched.body, url).not.toContain(MARKER);
      if (BROWSER !== 'webkit') expect(navigation.status, url).toBe(404);
      expect([404, -1], `${url} fetch -> ${fetched.status}`).toContain(fetched.status);
    }
  });

  it('does not mirror a package folder on another origin passed as ?pkg=', async () => {
    for (const pkg of [`${evil.url}/`, `//${new URL(evil.url).host}/`]) {
      await page.goto(neutralPage());
      const script = `/demo/sw.js?pkg=${encodeURIComponent(pkg)}`;
      await page
        .evaluate(async (s) => {
          const registration = await navigator.serviceWorker.register(s, { scope: '/demo/' });
          const worker = registration.installing ?? registration.waiting ?? registration.active!;
          if (worker.state !== 'activated')
            await new Promise<void>((resolve, reject) => {
              worker.addEventListener('statechange', () =>
                worker.state === 'activated' ? resolve() : worker.state === 'redundant' && reject(new Error('redundant')),
              );
            });
        }, script)
        .catch(() => undefined); // a worker that refuses to install is fine too
      await page.goto(neutralPage());
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      for (const file of ['index.js', 'worker.js', 'evil.js']) {
        const { fetched, navigation } = await probe(`${browser.baseUrl}/demo/pkg/${file}`);
        expect(fetched.body, `${pkg} ${file}`).not.toContain(MARKER);
        expect(navigation.body, `${pkg} ${file}`).not.toContain(MARKER);
      }
    }
  });
});
