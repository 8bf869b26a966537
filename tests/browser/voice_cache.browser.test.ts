// The OPFS voice cache in real Chromium: a voice downloaded once loads offline (voice URLs
// blocked) and after a page reload; corruption and hash mismatches are detected and not kept; a
// later engine loads a cached voice from the parts its first load kept (web/voice_parts_cache.ts),
// with the same audio, and damaged parts fall back to the model.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { type BrowserSession, chromiumOnly, openApp as openAppIn, openBrowser, reopenAfterFailure, watchPageErrors } from './chromium.js';

let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;
const MODEL = '/build/voices/test-tiny.onnx';

/** The test app in `page`, with a fresh engine (chromium.ts's openApp). */
const openApp = () => openAppIn(page, session.baseUrl);

beforeAll(async () => {
  session = await openBrowser();
  page = await session.context.newPage();
  checkPageErrors = watchPageErrors(page);
  await openApp();
});
afterAll(async () => session?.close());
afterEach(() => checkPageErrors());
reopenAfterFailure(openApp);

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
      // Without its kept parts (a voice cached by an older version), a load reads the model.
      await dir.removeEntry(`${entry.id}.parts`, { recursive: true });
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

  it('keeps the parts a cached load computed: a new engine loads from them, with the same audio; damaged parts fall back', async () => {
    const result = await page.evaluate(async (model) => {
      const w = window as any;
      const text = 'Hello there, how are you today?';
      const exact = { noiseScale: 0, noiseW: 0 };
      for (const v of await w.av.listVoices()) await w.av.deleteVoice(v.id);
      const load = async () => {
        const av = await w.avatarVoice.AvatarVoice.create();
        try {
          const voice = await av.loadVoice({ model }, { cache: true });
          const speech = await voice.synthesize(text, exact);
          return { source: voice.info.loadTimings.source, id: voice.info.sha256, samples: speech.samples as Float32Array };
        } finally {
          av.dispose();
        }
      };
      const maxDiff = (a: Float32Array, b: Float32Array) =>
        a.length !== b.length ? Number.POSITIVE_INFINITY : a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
      const voicesDir = async () =>
        (await (await navigator.storage.getDirectory()).getDirectoryHandle('avatar-voice')).getDirectoryHandle('voices');
      const partFiles = async (id: string) => {
        try {
          const names: string[] = [];
          for await (const name of ((await (await voicesDir()).getDirectoryHandle(`${id}.parts`)) as any).keys()) names.push(name);
          return names.sort();
        } catch {
          return null;
        }
      };
      const first = await load(); // downloads, caches the model, keeps its parts
      const files = await partFiles(first.id);
      const second = await load(); // from the parts
      // One flipped byte near the end of the decoder part (it may still parse: the hash must catch it).
      const parts = await (await voicesDir()).getDirectoryHandle(`${first.id}.parts`);
      const handle = await parts.getFileHandle('decoder.onnx');
      const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
      bytes[bytes.length - 64] ^= 0xff;
      const writable = await handle.createWritable();
      await writable.write(bytes);
      await writable.close();
      const third = await load(); // parts refused: from the model, which keeps fresh parts
      const fourth = await load();
      // A cached config the model contradicts (a second speaker it has no "sid" for) is a config
      // error, typed; the parts are not to blame and stay.
      const configHandle = await (await voicesDir()).getFileHandle(`${first.id}.onnx.json`);
      const goodConfig = await (await configHandle.getFile()).text();
      const writeConfig = async (text: string) => {
        const out = await configHandle.createWritable();
        await out.write(text);
        await out.close();
      };
      await writeConfig(JSON.stringify({ ...JSON.parse(goodConfig), num_speakers: 2, speaker_id_map: { a: 0, b: 1 } }));
      const contradicted = await load().then(
        () => null,
        (e: any) => e.code,
      );
      const partsAfterConfigError = await partFiles(first.id);
      await writeConfig(goodConfig);
      const fifth = await load();
      await w.av.deleteVoice(first.id);
      return {
        sources: [first, second, third, fourth, fifth].map((r) => r.source),
        contradicted,
        partsAfterConfigError,
        files,
        diffs: [second, third, fourth, fifth].map((r) => maxDiff(r.samples, first.samples)),
        afterDelete: await partFiles(first.id),
      };
    }, MODEL);
    expect(result.sources).toEqual(['model', 'cachedParts', 'model', 'cachedParts', 'cachedParts']);
    expect(result.files).toEqual(['a.onnx', 'decoder.onnx', 'flow.onnx', 'parts.json']);
    expect(result.contradicted).toBe('INVALID_VOICE_CONFIG');
    expect(result.partsAfterConfigError).toEqual(result.files);
    for (const d of result.diffs) expect(d).toBeLessThanOrEqual(1e-6);
    expect(result.afterDelete).toBeNull();
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
