// The OPFS voice cache in real Chromium: a voice downloaded once loads offline (voice URLs
// blocked) and after a page reload; corruption and hash mismatches are detected and not kept.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { type BrowserSession, chromiumOnly, openBrowser, watchPageErrors } from './chromium.js';

let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;
const MODEL = '/build/voices/test-tiny.onnx';

async function openApp(): Promise<void> {
  await page.goto(`${session.baseUrl}/tests/browser/pages/app.html`);
  await page.waitForFunction(() => (window as any).av !== undefined, null, { timeout: 60_000 });
}

beforeAll(async () => {
  session = await openBrowser();
  page = await session.context.newPage();
  checkPageErrors = watchPageErrors(page);
  await openApp();
});
afterAll(async () => session?.close());
afterEach(() => checkPageErrors());

describe('voice cache (OPFS)', () => {
  it('rejects a model whose SHA-256 does not match and keeps nothing', async () => {
    const outcome = await page.evaluate(async (model) => {
      const av = (window as any).av;
      try {
        await av.loadVoice({ model }, { sha256: '0'.repeat(64) });
        return { code: null, cached: (await av.listVoices()).length };
      } catch (e: any) {
        return { code: e.code, cached: (await av.listVoices()).length };
      }
    }, MODEL);
    expect(outcome).toEqual({ code: 'INTEGRITY', cached: 0 });
  });

  it('downloads once, then loads offline and after a reload', async (ctx) => {
    chromiumOnly(ctx, 'request interception (page.route) to take the voice files offline');
    const first = await page.evaluate(async (model) => {
      const av = (window as any).av;
      const voice = await av.loadVoice({ model });
      return { info: voice.info, list: await av.listVoices() };
    }, MODEL);
    expect(first.info.cachedId).toBe(first.info.sha256);
    expect(first.list).toHaveLength(1);
    expect(first.list[0]).toMatchObject({ id: first.info.sha256, modelBytes: first.info.modelBytes, name: 'test-tiny' });

    // Offline for voices: any request for a voice file fails from now on.
    let voiceRequests = 0;
    await page.route('**/build/voices/**', (route) => {
      voiceRequests++;
      return route.abort();
    });
    await openApp();
    const second = await page.evaluate(async (model) => {
      const av = (window as any).av;
      const voice = await av.loadVoice({ model });
      const result = await voice.synthesize('Loaded from the cache.');
      return { sha: voice.info.sha256, samples: result.samples.length };
    }, MODEL);
    expect(voiceRequests).toBe(0);
    expect(second.sha).toBe(first.info.sha256);
    expect(second.samples).toBeGreaterThan(0);
    await page.unroute('**/build/voices/**');
  });

  it('detects a corrupted cached model, removes it, and offers a fresh download', async (ctx) => {
    chromiumOnly(ctx, 'the voice the previous test cached while offline (request interception)');
    const outcome = await page.evaluate(async () => {
      const av = (window as any).av;
      const [entry] = await av.listVoices();
      const root = await navigator.storage.getDirectory();
      const dir = await (await root.getDirectoryHandle('avatar-voice')).getDirectoryHandle('voices');
      const writable = await (await dir.getFileHandle(`${entry.id}.onnx`)).createWritable({ keepExistingData: true });
      await writable.write({ type: 'write', position: 1000, data: new Uint8Array([1, 2, 3, 4]) });
      await writable.close();
      let code = null;
      try {
        await av.loadVoice({ cachedId: entry.id });
      } catch (e: any) {
        code = e.code;
      }
      const afterCorruption = (await av.listVoices()).length;
      const fresh = await av.loadVoice({ model: '/build/voices/test-tiny.onnx' });
      return { code, afterCorruption, freshSha: fresh.info.sha256, expected: entry.id };
    });
    expect(outcome.code).toBe('CACHE_CORRUPT');
    expect(outcome.afterCorruption).toBe(0);
    expect(outcome.freshSha).toBe(outcome.expected);
  });

  it('deletes cached voices', async () => {
    const left = await page.evaluate(async () => {
      const av = (window as any).av;
      for (const v of await av.listVoices()) await av.deleteVoice(v.id);
      return (await av.listVoices()).length;
    });
    expect(left).toBe(0);
  });
});
