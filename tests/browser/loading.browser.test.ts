// Where the package loads its binaries from (`assets`, `ort.wasmPaths`) and cancelling a voice
// download, in real Chromium. Self-hosted copies are served from build/asset-mirror/ while the
// default dist/core and dist/ort URLs are blocked, so success proves the options were used.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { type BrowserSession, openBrowser, watchPageErrors } from './chromium.js';
import { INSTALLED_ORT_RELEASE } from '../ort_release.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MIRROR = `${ROOT}build/asset-mirror/`;
const MODEL = '/build/voices/test-tiny.onnx';

let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;
const requested: string[] = [];
/** The same requests with their query. */
const requestedUrls: string[] = [];

beforeAll(async () => {
  for (const folder of ['core', 'ort']) {
    mkdirSync(`${MIRROR}${folder}`, { recursive: true });
    for (const file of readdirSync(`${ROOT}dist/${folder}`)) copyFileSync(`${ROOT}dist/${folder}/${file}`, `${MIRROR}${folder}/${file}`);
  }
  session = await openBrowser();
  // Every request, the worker's included (they show up on the context in Chromium).
  session.context.on('request', (r) => {
    const url = new URL(r.url());
    requested.push(url.pathname);
    requestedUrls.push(url.pathname + url.search);
  });
  page = await session.context.newPage();
  checkPageErrors = watchPageErrors(page);
  await page.goto(`${session.baseUrl}/tests/browser/pages/app.html`);
  // The page makes its own AvatarVoice from /dist at load: let it finish before /dist is blocked.
  await page.waitForFunction(() => (window as any).av !== undefined, null, { timeout: 60_000 });
});
afterAll(async () => {
  await session?.close();
  rmSync(MIRROR, { recursive: true, force: true });
});
afterEach(() => checkPageErrors());

/** Runs `body` in the page with a fresh AvatarVoice made from `options`; returns its outcome. */
function withEngine(options: object, body: string): Promise<{ code?: string; message?: string; value?: unknown }> {
  return page.evaluate(
    async ([options, body]) => {
      let av: any;
      try {
        av = await (window as any).avatarVoice.AvatarVoice.create(options);
        return { value: await new Function('av', `return (async () => { ${body} })()`)(av) };
      } catch (e: any) {
        return { code: e.code, message: e.message };
      } finally {
        av?.dispose();
      }
    },
    [options, body] as const,
  );
}

describe('self-hosted assets', () => {
  // web/assets.ts: a versioned URL lets a host serve them immutable, which keeps Chromium's
  // compiled code for the wasm across visits (a revalidated response loses it).
  it("asks for onnxruntime-web's own files with its release as ?v=", async () => {
    requestedUrls.length = 0;
    const outcome = await withEngine(
      {},
      `const voice = await av.loadVoice({ model: '${MODEL}' }, { cache: false });
       return (await voice.synthesize('Versioned.', { noiseW: 0 })).samples.length;`,
    );
    expect(outcome.code, outcome.message).toBeUndefined();
    expect(outcome.value).toBeGreaterThan(0);
    const ortFiles = requestedUrls.filter((u) => u.startsWith('/dist/ort/'));
    expect(ortFiles).toContain(`/dist/ort/ort-wasm-simd-threaded.wasm?v=${INSTALLED_ORT_RELEASE}`);
    expect(ortFiles).toContain(`/dist/ort/ort-wasm-simd-threaded.mjs?v=${INSTALLED_ORT_RELEASE}`);
    expect(ortFiles.filter((u) => !u.endsWith(`?v=${INSTALLED_ORT_RELEASE}`))).toEqual([]);
  });

  it('loads the core, espeak data and onnxruntime from the given URLs only', async () => {
    // The package's own copies are out of reach from here on.
    await session.context.route(/\/dist\/(core|ort)\//, (route) => route.abort());
    requested.length = 0;
    const mirror = `${session.baseUrl}/build/asset-mirror/`;
    const outcome = await withEngine(
      {
        assets: {
          coreModule: `${mirror}core/avatar-voice-core.mjs`,
          coreWasm: `${mirror}core/avatar-voice-core.wasm`,
          espeakData: `${mirror}core/espeak-ng-data-en.pack`,
        },
        ort: { wasmPaths: `${mirror}ort/` },
      },
      `const voice = await av.loadVoice({ model: '${MODEL}' }, { cache: false });
       const result = await voice.synthesize('Served from elsewhere.', { noiseW: 0 });
       const [sentence] = await av.phonemize('Hello.');
       return { samples: result.samples.length, timing: result.timing, phonemes: sentence.phonemes.length };`,
    );
    await session.context.unroute(/\/dist\/(core|ort)\//);
    expect(outcome.code, outcome.message).toBeUndefined();
    expect(outcome.value).toMatchObject({ timing: 'model', phonemes: 7 }); // h ə l ˈ o ʊ .
    expect((outcome.value as { samples: number }).samples).toBeGreaterThan(0);
    const fromMirror = requested.filter((p) => p.startsWith('/build/asset-mirror/'));
    for (const file of ['avatar-voice-core.mjs', 'avatar-voice-core.wasm', 'espeak-ng-data-en.pack', 'ort-wasm-simd-threaded.wasm'])
      expect(
        fromMirror.some((p) => p.endsWith(file)),
        file,
      ).toBe(true);
    expect(requested.filter((p) => /^\/dist\/(core|ort)\//.test(p))).toEqual([]);
  });

  it.each([
    ['coreWasm', { assets: { coreWasm: '/nowhere/avatar-voice-core.wasm' } }],
    ['coreModule', { assets: { coreModule: '/nowhere/avatar-voice-core.mjs' } }],
    ['espeakData', { assets: { espeakData: '/nowhere/espeak-ng-data-en.pack' } }],
  ])('a wrong %s rejects create() with ASSET_LOAD', async (_, options) => {
    const outcome = await withEngine(options, 'return null;');
    expect(outcome).toMatchObject({ code: 'ASSET_LOAD', message: expect.stringContaining('/nowhere/') });
  });

  it('a wrong ort.wasmPaths rejects loadVoice with ASSET_LOAD', async () => {
    const outcome = await withEngine(
      { ort: { wasmPaths: '/nowhere/ort/' } },
      `await av.loadVoice({ model: '${MODEL}' }, { cache: false }); return null;`,
    );
    expect(outcome).toMatchObject({ code: 'ASSET_LOAD' });
  });
});

describe('cancelling loadVoice', () => {
  it('rejects with ABORTED mid-download and caches nothing; the engine stays usable', async () => {
    const outcome = await withEngine(
      {},
      `const controller = new AbortController();
       let code = null;
       try {
         await av.loadVoice({ model: '${MODEL}' }, {
           signal: controller.signal,
           onProgress: (p) => { if (p.file === 'model' && p.loadedBytes > 0) controller.abort(); },
         });
       } catch (e) { code = e.code; }
       const cachedAfterAbort = (await av.listVoices()).length;
       let early = null;
       try { await av.loadVoice({ model: '${MODEL}' }, { signal: AbortSignal.abort() }); } catch (e) { early = e.code; }
       const voice = await av.loadVoice({ model: '${MODEL}' }, { cache: false });
       return { code, early, cachedAfterAbort, cachedAfterAll: (await av.listVoices()).length, timing: voice.info.timing };`,
    );
    expect(outcome.value).toEqual({ code: 'ABORTED', early: 'ABORTED', cachedAfterAbort: 0, cachedAfterAll: 0, timing: 'model' });
  });
});
