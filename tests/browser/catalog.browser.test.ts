// The voice catalogue in real Chromium, against a local voices.json (the generated tiny voice,
// its MD5 computed here with node:crypto): browse, load by key with progress and the digest
// checked, a wrong digest refused with nothing cached, then offline (catalogue and voice URLs
// blocked) the catalogue's saved copy answers and the saved voice loads by its key.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { CATALOG_PATH as CATALOG, TINY_MODEL_BYTES, removeTestCatalog, writeTestCatalog } from './catalog_fixture.js';
import { type BrowserSession, chromiumOnly, openApp as openAppIn, openBrowser, reopenAfterFailure, watchPageErrors } from './chromium.js';

let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;

/** The test app in `page`, with a fresh engine (chromium.ts's openApp). */
const openApp = () => openAppIn(page, session.baseUrl);

beforeAll(async () => {
  writeTestCatalog();
  session = await openBrowser();
  page = await session.context.newPage();
  checkPageErrors = watchPageErrors(page);
  await openApp();
});
afterAll(async () => {
  await session?.close();
  removeTestCatalog();
});
afterEach(() => checkPageErrors());
reopenAfterFailure(openApp);

describe('voice catalogue', () => {
  it('lists the voices, loads one by key with progress and its MD5 checked, and refuses a wrong digest', async () => {
    const result = await page.evaluate(async (catalogUrl) => {
      const av = (window as any).av;
      for (const v of await av.listVoices()) await av.deleteVoice(v.id);
      const before = await av.catalog(catalogUrl);
      const progress: string[] = [];
      const voice = await av.loadVoice(
        { catalog: 'en_US-tiny-x_low' },
        { catalogUrl, onProgress: (p: any) => progress.push(`${p.file}:${p.loadedBytes}/${p.totalBytes}`) },
      );
      const speech = await voice.synthesize('Tell me about yourself.', { noiseScale: 0, noiseW: 0 });
      let bad: string | null = null;
      try {
        await av.loadVoice({ catalog: 'en_US-tinybad-x_low' }, { catalogUrl });
      } catch (e: any) {
        bad = `${e.code}: ${e.message}`;
      }
      const after = await av.catalog(catalogUrl);
      return {
        before: before.voices.map((v: any) => [v.key, v.cachedId, v.model.bytes]),
        source: before.source,
        progress,
        info: { sha256: voice.info.sha256, cachedId: voice.info.cachedId, modelBytes: voice.info.modelBytes },
        samples: speech.samples.length,
        bad,
        after: after.voices.map((v: any) => [v.key, v.cachedId]),
        cached: (await av.listVoices()).map((v: any) => v.url.split('/').pop()),
      };
    }, CATALOG);
    const modelBytes = TINY_MODEL_BYTES;
    expect(result.source).toBe('network');
    expect(result.before).toEqual([
      ['en_US-tiny-x_low', null, modelBytes],
      ['en_US-tinybad-x_low', null, modelBytes],
    ]);
    expect(result.progress.some((p) => p.startsWith('config:'))).toBe(true);
    expect(result.progress.at(-1)).toBe(`model:${modelBytes}/${modelBytes}`);
    expect(result.info.cachedId).toBe(result.info.sha256);
    expect(result.samples).toBeGreaterThan(1000);
    expect(result.bad).toMatch(/^INTEGRITY: the voice model from .*en_US-tinybad-x_low\.onnx has MD5 [0-9a-f]{32}; the catalogue lists/);
    expect(result.after).toEqual([
      ['en_US-tiny-x_low', result.info.sha256],
      ['en_US-tinybad-x_low', null],
    ]);
    expect(result.cached).toEqual(['en_US-tiny-x_low.onnx']);
  });

  it('offline, answers from the saved catalogue and loads the saved voice by its key', async (ctx) => {
    chromiumOnly(ctx, 'request interception (page.route) to take the catalogue offline');
    let requests = 0;
    await page.route('**/build/voices/test-catalog/**', (route) => {
      requests++;
      return route.abort();
    });
    await openApp(); // a new engine: nothing of the catalogue in memory
    const result = await page.evaluate(async (catalogUrl) => {
      const av = (window as any).av;
      const catalog = await av.catalog(catalogUrl);
      const voice = await av.loadVoice({ catalog: 'en_US-tiny-x_low' }, { catalogUrl });
      const speech = await voice.synthesize('Hello.', { noiseScale: 0, noiseW: 0 });
      let missing: string | null = null;
      try {
        await av.catalog('/build/voices/test-catalog/never-fetched.json');
      } catch (e: any) {
        missing = e.code;
      }
      for (const v of await av.listVoices()) await av.deleteVoice(v.id);
      return {
        source: catalog.source,
        saved: catalog.voices.find((v: any) => v.key === 'en_US-tiny-x_low').cachedId,
        cachedId: voice.info.cachedId,
        samples: speech.samples.length,
        missing,
      };
    }, CATALOG);
    await page.unroute('**/build/voices/test-catalog/**');
    expect(requests).toBeGreaterThan(0); // the network was tried, and failed
    expect(result.source).toBe('saved');
    expect(result.saved).toBe(result.cachedId);
    expect(result.cachedId).toMatch(/^[0-9a-f]{64}$/);
    expect(result.samples).toBeGreaterThan(100);
    expect(result.missing).toBe('ASSET_LOAD');
  });
});
