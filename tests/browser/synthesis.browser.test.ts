// Synthesis in real Chromium: the voice is fetched by URL with progress, the ORT session runs in
// the package's worker (threads: the page is cross-origin isolated), chunks stream to the page.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { type BrowserSession, openBrowser, watchPageErrors } from './chromium.js';

let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;

beforeAll(async () => {
  session = await openBrowser();
  page = await session.context.newPage();
  checkPageErrors = watchPageErrors(page);
  await page.goto(`${session.baseUrl}/tests/browser/pages/app.html`);
  await page.waitForFunction(() => (window as any).av !== undefined, null, { timeout: 60_000 });
});
afterAll(async () => session?.close());
afterEach(() => checkPageErrors());

describe('synthesis in Chromium', () => {
  it('loads a voice by URL with progress and streams exact chunks from the worker', async () => {
    const result = await page.evaluate(async () => {
      const av = (window as any).av;
      const progress: number[] = [];
      const t0 = performance.now();
      const voice = await av.loadVoice(
        { model: '/build/voices/test-tiny.onnx' },
        { onProgress: (p: any) => p.file === 'model' && progress.push(p.loadedBytes) },
      );
      const loadMs = performance.now() - t0;
      const chunks: any[] = [];
      const t1 = performance.now();
      let firstMs = 0;
      for await (const c of voice.stream('Hello there. Tell me about your last project. Thanks!', { noiseW: 0 })) {
        if (!chunks.length) firstMs = performance.now() - t1;
        const sum = c.phonemes.reduce((n: number, p: any) => n + p.endSample - p.startSample, 0);
        chunks.push({ samples: c.samples.length, sum, isFloat: c.samples instanceof Float32Array, visemes: c.visemes.length, timing: c.timing });
      }
      return { info: voice.info, progress, loadMs, firstMs, totalMs: performance.now() - t1, chunks, isolated: crossOriginIsolated };
    });
    expect(result.isolated).toBe(true);
    expect(result.info.timing).toBe('model');
    expect(result.progress.length).toBeGreaterThan(0);
    expect(result.progress.at(-1)).toBe(result.info.modelBytes);
    expect(result.chunks).toHaveLength(3);
    for (const c of result.chunks) {
      expect(c.isFloat).toBe(true);
      expect(c.sum).toBe(c.samples);
      expect(c.visemes).toBeGreaterThan(0);
      expect(c.timing).toBe('model');
    }
    console.log(`[chromium] tiny voice: load ${result.loadMs.toFixed(0)} ms, first chunk ${result.firstMs.toFixed(0)} ms, 3 sentences ${result.totalMs.toFixed(0)} ms`);
  });

  it('reports a missing voice file as ASSET_LOAD', async () => {
    const error = await page.evaluate(async () => {
      try {
        await (window as any).av.loadVoice({ model: '/build/voices/nope.onnx' });
        return null;
      } catch (e: any) {
        return { code: e.code, message: e.message };
      }
    });
    expect(error).toMatchObject({ code: 'ASSET_LOAD', message: expect.stringContaining('404') });
  });
});
