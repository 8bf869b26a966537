// Synthesis in each real engine (Chromium, Firefox ESR, WebKitGTK): the voice is fetched by URL with progress, the ORT session runs in
// the package's worker (threads: the page is cross-origin isolated), chunks stream to the page.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { BROWSER, type BrowserSession, openApp, openAppPage, reopenAfterFailure } from './chromium.js';
import { recordEngineNumbers } from './engine_numbers.js';

let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;

beforeAll(async () => {
  ({ session, page, checkPageErrors } = await openAppPage());
});
afterAll(async () => session?.close());
afterEach(() => checkPageErrors());
reopenAfterFailure(() => openApp(page, session.baseUrl));

describe(`synthesis in ${BROWSER}`, () => {
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
      const text = 'Hello there. Tell me about your last project. Thanks!';
      for await (const c of voice.stream(text, { noiseW: 0, chunking: 'sentence' })) {
        if (!chunks.length) firstMs = performance.now() - t1;
        const sum = c.phonemes.reduce((n: number, p: any) => n + p.endSample - p.startSample, 0);
        chunks.push({
          samples: c.samples.length,
          seconds: c.samples.length / c.sampleRate,
          sum,
          isFloat: c.samples instanceof Float32Array,
          visemes: c.visemes.length,
          timing: c.timing,
        });
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
    const audioSeconds = result.chunks.reduce((s: number, c: any) => s + c.seconds, 0);
    console.log(
      `[${BROWSER}] tiny voice: load ${result.loadMs.toFixed(0)} ms, first chunk ${result.firstMs.toFixed(0)} ms, 3 sentences ${result.totalMs.toFixed(0)} ms for ${audioSeconds.toFixed(2)} s of audio`,
    );
    // The page's first voice: onnxruntime-web starts cold inside this load (its wasm compiled).
    recordEngineNumbers({
      voiceLoadMs: Math.round(result.loadMs),
      firstChunkMs: Math.round(result.firstMs),
      rtf: Number((result.totalMs / 1000 / audioSeconds).toFixed(3)),
      threads: result.info.threads,
    });
  });

  // The first chunk is posted to the page before the worker starts on the next sentence (whose
  // onnxruntime run holds the worker's thread): first audio costs the first sentence, not two.
  it('posts the first chunk before synthesizing a long second sentence', async () => {
    const result = await page.evaluate(async () => {
      const av = (window as any).av;
      const voice = await av.loadVoice({ model: '/build/voices/test-tiny.onnx' });
      const short = 'Hi there.';
      // Capitalised: espeak-ng does not end a sentence at a full stop followed by a lower-case word.
      const long =
        'Then, ' +
        Array.from({ length: 9 }, (_, i) => `in part ${i + 1} we planned, built, tested and shipped the whole thing together`).join(', ') +
        '.';
      const run = async (text: string, chunking = 'sentence') => {
        const t0 = performance.now();
        let first = -1;
        for await (const _chunk of voice.stream(text, { noiseW: 0, chunking })) if (first < 0) first = performance.now() - t0;
        return { first, total: performance.now() - t0 };
      };
      await run(short); // warm
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const shortAlone: number[] = [],
        longAlone: number[] = [],
        both: number[] = [],
        longWindowed: number[] = [];
      for (let i = 0; i < 3; i++) {
        shortAlone.push((await run(short)).total);
        longAlone.push((await run(long)).total);
        both.push((await run(`${short} ${long}`)).first);
        longWindowed.push((await run(long, 'window')).first);
      }
      let sentences = 0;
      for await (const _ of voice.stream(`${short} ${long}`, { noiseW: 0, chunking: 'sentence' })) sentences++;
      return {
        short: median(shortAlone),
        long: median(longAlone),
        first: median(both),
        longFirstWindow: median(longWindowed),
        sentences,
      };
    });
    console.log(
      `[${BROWSER}] first chunk of "short. long.": ${result.first.toFixed(0)} ms; short alone ${result.short.toFixed(0)} ms, long alone ${result.long.toFixed(0)} ms; first window of the long one ${result.longFirstWindow.toFixed(0)} ms`,
    );
    // Windowed: the long sentence's first audio does not wait for the whole sentence.
    expect(result.longFirstWindow).toBeLessThan(result.long * 0.5);
    expect(result.sentences).toBe(2);
    expect(result.long).toBeGreaterThan(result.short * 3); // the second sentence is the expensive one
    expect(result.first).toBeLessThan(result.short + result.long * 0.5);
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

  it('ort.preload starts onnxruntime-web with the engine: the first voice load waits less for it', async () => {
    const r = await page.evaluate(async () => {
      const { AvatarVoice } = (window as any).avatarVoice;
      // Created together; only the first starts onnxruntime-web at once (each has its own worker).
      const [early, late] = await Promise.all([AvatarVoice.create({ ort: { preload: true } }), AvatarVoice.create()]);
      try {
        await new Promise((r) => setTimeout(r, 3000)); // the page's own start-up work, say
        const load = async (av: any) => (await av.loadVoice({ model: '/build/voices/test-tiny.onnx' }, { cache: false })).info.loadTimings;
        const preloaded = await load(early);
        const lazy = await load(late);
        return { preloaded: preloaded.runtimeMs, lazy: lazy.runtimeMs };
      } finally {
        early.dispose();
        late.dispose();
      }
    });
    console.log(
      `[${BROWSER}] waiting for onnxruntime-web in the first voice load: ${r.preloaded.toFixed(0)} ms preloaded, ${r.lazy.toFixed(0)} ms without`,
    );
    expect(r.preloaded).toBeLessThan(r.lazy);
    recordEngineNumbers({ runtimeStartMs: Math.round(r.lazy) });
  });
});
