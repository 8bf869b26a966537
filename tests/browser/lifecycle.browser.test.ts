// After dispose() or a worker crash, nothing may wait forever: calls in flight (synthesis,
// Player.speak, Store calls queued behind the store's lock) and every later call reject with a
// typed DISPOSED / WORKER_CRASHED error. Each promise is raced against a timer in the page, so a
// promise that never settles shows up as "PENDING" instead of hanging the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { type BrowserSession, openApp, openAppPage, reopenAfterFailure } from './chromium.js';

let session: BrowserSession;
let page: Page;

beforeAll(async () => {
  // Page errors are logged, not asserted: these tests crash and end engines on purpose.
  ({ session, page } = await openAppPage());
});

afterAll(async () => {
  await session?.close();
});
reopenAfterFailure(() => openApp(page, session.baseUrl));

describe('engine lifecycle', () => {
  it('dispose() rejects in-flight synthesis, speak() and store calls, and every later call, with DISPOSED', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      // Set-up that never settles fails here, naming the step, instead of timing the test out.
      const within = <T>(label: string, promise: Promise<T>): Promise<T> =>
        Promise.race([
          promise,
          new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`set-up step "${label}" did not settle in 30 s`)), 30_000)),
        ]);
      const av = await within('AvatarVoice.create', w.avatarVoice.AvatarVoice.create());
      const voice = await within('loadVoice', av.loadVoice({ model: '/build/voices/test-tiny.onnx' }));
      const store = await within('openStore', av.openStore({ storage: 'memory', name: 'lifecycle.sqlite3' }));
      const text = Array.from({ length: 12 }, (_, i) => `This is sentence number ${i + 1}, which is long enough to take a while.`).join(
        ' ',
      );
      const player = new w.avatarVoice.Player({ sampleRate: voice.sampleRate });
      const synthesis = voice.synthesize(text, { noiseW: 0 });
      const speaking = player.speak(voice, text, { noiseW: 0 });
      // A transaction holds the store's lock; the list() behind it waits for the lock.
      const transaction = store.transaction(async (tx: any) => {
        await tx.avatars.create({ name: 'Ada' });
        await new Promise((r) => setTimeout(r, 300));
        await tx.avatars.list();
      });
      const queued = store.avatars.list();
      await new Promise((r) => setTimeout(r, 100));
      av.dispose();
      const pending = await Promise.all([synthesis, speaking, transaction, queued].map((p) => w.outcome(p)));
      const later = await Promise.all(
        [
          av.phonemize('Hello.'),
          store.avatars.list(),
          voice.synthesize('Hello.'),
          av.openStore({ storage: 'memory' }),
          av.loadVoice({ model: '/build/voices/test-tiny.onnx' }),
        ].map((p) => w.outcome(p)),
      );
      player.dispose();
      return { pending, later, failure: av.failure?.code };
    });
    expect(result.pending).toEqual(['DISPOSED', 'DISPOSED', 'DISPOSED', 'DISPOSED']);
    expect(result.later).toEqual(['DISPOSED', 'DISPOSED', 'DISPOSED', 'DISPOSED', 'DISPOSED']);
    expect(result.failure).toBe('DISPOSED');
  });

  it('a worker crash rejects the call in flight and every later call with WORKER_CRASHED', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      const av = await w.avatarVoice.AvatarVoice.create({ workerUrl: '/tests/browser/pages/crashing_worker.js' });
      const store = await av.openStore({ storage: 'memory', name: 'crash.sqlite3' });
      const healthy = await av.phonemize('Hello.');
      const inFlight = av.phonemize('CRASH-NOW');
      const queued = store.transaction(async (tx: any) => tx.avatars.list());
      const pending = await Promise.all([inFlight, queued].map((p) => w.outcome(p)));
      const later = await Promise.all([av.phonemize('Hello.'), store.avatars.list()].map((p) => w.outcome(p)));
      return { healthy: healthy.length, pending, later, failure: av.failure?.code };
    });
    expect(result.healthy).toBe(1);
    expect(result.pending).toEqual(['WORKER_CRASHED', 'WORKER_CRASHED']);
    expect(result.later).toEqual(['WORKER_CRASHED', 'WORKER_CRASHED']);
    expect(result.failure).toBe('WORKER_CRASHED');
  });

  it('a sentence over the synthesis time limit stops the engine with SYNTHESIS_TIMEOUT', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      const av = await w.avatarVoice.AvatarVoice.create();
      const voice = await av.loadVoice({ model: '/build/voices/test-tiny.onnx' });
      // A lower limit than the core's 60 s, so a tiny voice's ~50 ms sentence passes it.
      const timedOut = await w.outcome(voice.synthesize('Hello there. How are you?', { timeoutMs: 1 }));
      const later = await w.outcome(av.phonemize('Hello.'));
      const fresh = await w.avatarVoice.AvatarVoice.create();
      const freshWorks = (await fresh.phonemize('Hello.')).length;
      fresh.dispose();
      return { timedOut, later, failure: av.failure?.code, freshWorks, limit: av.info.limits.synthesisTimeoutMs };
    });
    expect(result).toEqual({
      timedOut: 'SYNTHESIS_TIMEOUT',
      later: 'SYNTHESIS_TIMEOUT',
      failure: 'SYNTHESIS_TIMEOUT',
      freshWorks: 1,
      limit: 60000,
    });
  });
});
