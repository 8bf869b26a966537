// onnxruntime-web's start, cold, in each engine: Firefox ran 1 cold start in 8 into a thread pool
// that never finished starting (ort_runtime.ts), so there the package uses one thread. Each trial
// here is a new browser (nothing compiled or cached, a fresh profile), whose first voice load —
// downloaded and cached — must finish; the thread count is the one each engine documents. WebKitGTK
// has no SharedArrayBuffer (one thread); half its trials turn it on, as Safari does for a
// cross-origin isolated page, and must then use every core.
import { describe, expect, it } from 'vitest';

import { BROWSER, openApp, openBrowser } from './chromium.js';

const TRIALS = 4;

describe('onnxruntime-web cold start', () => {
  it(`loads a voice in ${TRIALS} fresh browsers, each within 45 s`, async () => {
    const outcomes: string[] = [];
    const safariLike = (trial: number) => BROWSER === 'webkit' && trial >= TRIALS / 2;
    for (let trial = 0; trial < TRIALS; trial++) {
      const session = await openBrowser({ webkit: { sharedArrayBuffer: safariLike(trial) } });
      try {
        const page = await session.context.newPage();
        await openApp(page, session.baseUrl);
        const outcome = await page.evaluate(async () => {
          const av = (window as any).av;
          // Cached, as a first visit does: the page writes the model to OPFS while the worker
          // starts onnxruntime — the combination that hung.
          const load = av.loadVoice({ model: '/build/voices/test-tiny.onnx' }).then(
            (voice: any) => `threads ${voice.info.threads} / ${navigator.hardwareConcurrency}`,
            (error: any) => `error ${error.code}: ${error.message}`,
          );
          return Promise.race([load, new Promise((r) => setTimeout(() => r('hung (45 s)'), 45_000))]);
        });
        outcomes.push(outcome as string);
      } finally {
        await session.close();
      }
    }
    console.log(`[${BROWSER}] cold starts: ${outcomes.join('; ')}`);
    const cores = Number(outcomes[0]?.match(/\/ (\d+)$/)?.[1] ?? Number.NaN);
    const threads = (trial: number) => (BROWSER === 'firefox' || (BROWSER === 'webkit' && !safariLike(trial)) ? 1 : cores);
    expect(outcomes).toEqual(Array.from({ length: TRIALS }, (_, trial) => `threads ${threads(trial)} / ${cores}`));
  }, 600_000);
});
