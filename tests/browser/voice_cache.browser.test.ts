// The voice cache in each engine — OPFS, or IndexedDB where OPFS is missing (WebKitGTK): a voice
// downloaded once loads after its files are gone from the server and after a page reload;
// corruption and hash mismatches are detected and not kept; a later engine loads a cached voice from
// the parts its first load kept (web/voice_parts_cache.ts), with the same audio, and damaged parts
// fall back to the model. The tests read and damage the cache's files through the browser's own
// OPFS or IndexedDB API (installRawCache), not through the package.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { copyFileSync, rmSync } from 'node:fs';

import { BROWSER, type BrowserSession, openApp as openAppIn, openBrowser, reopenAfterFailure, watchPageErrors } from './chromium.js';

/**
 * Defines `window.rawCache` in the page: the cache's files under `avatar-voice/`, read and written
 * with OPFS's or IndexedDB's own calls (`kind` says which), as a user's other code could.
 */
function installRawCache(): void {
  const w = window as any;
  const opfs = typeof (navigator as any).storage?.getDirectory === 'function';
  const idb = () =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('avatar-voice-files');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  const idbCall = async (mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest) => {
    const db = await idb();
    const tx = db.transaction('files', mode);
    const r = fn(tx.objectStore('files'));
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error);
    });
    db.close();
    return r.result;
  };
  const folder = async (path: string[]) => {
    let dir = await (await (navigator as any).storage.getDirectory()).getDirectoryHandle('avatar-voice');
    for (const name of path) dir = await dir.getDirectoryHandle(name);
    return dir;
  };
  w.rawCache = {
    kind: opfs ? 'opfs' : 'indexeddb',
    /** Names directly in folder `path` ("voices/x.parts"), sorted; null when it does not exist. */
    async list(path: string): Promise<string[] | null> {
      try {
        if (opfs) {
          const names: string[] = [];
          for await (const name of (await folder(path.split('/'))).keys()) names.push(name);
          return names.sort();
        }
        const prefix = `avatar-voice/${path}/`;
        const keys = (await idbCall('readonly', (s) => s.getAllKeys(IDBKeyRange.bound(prefix, `${prefix}\uffff`, true)))) as string[];
        if (!(await idbCall('readonly', (s) => s.get(prefix)))) return null;
        return [...new Set(keys.map((k) => k.slice(prefix.length).split('/')[0]!))].sort();
      } catch {
        return null;
      }
    },
    async read(path: string): Promise<Uint8Array> {
      const parts = path.split('/');
      if (opfs) {
        const file = await (await (await folder(parts.slice(0, -1))).getFileHandle(parts.at(-1)!)).getFile();
        return new Uint8Array(await file.arrayBuffer());
      }
      return new Uint8Array(await idbCall('readonly', (s) => s.get(`avatar-voice/${path}`)));
    },
    async write(path: string, data: Uint8Array | string): Promise<void> {
      const parts = path.split('/');
      if (opfs) {
        const out = await (await (await folder(parts.slice(0, -1))).getFileHandle(parts.at(-1)!)).createWritable();
        await out.write(data);
        await out.close();
        return;
      }
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      await idbCall('readwrite', (s) => s.put(bytes.slice().buffer, `avatar-voice/${path}`));
    },
    async removeFolder(path: string): Promise<void> {
      if (opfs) {
        const parts = path.split('/');
        await (await folder(parts.slice(0, -1))).removeEntry(parts.at(-1)!, { recursive: true });
        return;
      }
      const prefix = `avatar-voice/${path}/`;
      await idbCall('readwrite', (s) => s.delete(IDBKeyRange.bound(prefix, `${prefix}\uffff`)));
    },
  };
}

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

  it('downloads once, then loads by its URL after the files are gone from the server, across a reload', async () => {
    // A copy of the test voice the server has only for the first load.
    const name = `gone-${process.pid}-${Date.now()}`;
    for (const ext of ['.onnx', '.onnx.json']) copyFileSync(`build/voices/test-tiny${ext}`, `build/voices/${name}${ext}`);
    const url = `/build/voices/${name}.onnx`;
    let first: any;
    try {
      first = await page.evaluate(async (model) => {
        const av = (window as any).av;
        const voice = await av.loadVoice({ model });
        return { info: voice.info, list: await av.listVoices() };
      }, url);
    } finally {
      for (const ext of ['.onnx', '.onnx.json']) rmSync(`build/voices/${name}${ext}`, { force: true });
    }
    expect(first.info.cachedId).toBe(first.info.sha256);
    expect(first.list).toHaveLength(1);
    expect(first.list[0]).toMatchObject({ id: first.info.sha256, modelBytes: first.info.modelBytes, name });

    await openApp();
    await page.evaluate(installRawCache);
    const second = await page.evaluate(async (model) => {
      const w = window as any;
      const missing = (await fetch(model)).status;
      const voice = await w.av.loadVoice({ model });
      const result = await voice.synthesize('Loaded from the cache.');
      const raw = await w.rawCache.read(`voices/${voice.info.sha256}.onnx`);
      const digest = await crypto.subtle.digest('SHA-256', raw);
      const rawSha = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
      return { missing, sha: voice.info.sha256, samples: result.samples.length, kind: w.rawCache.kind, rawSha };
    }, url);
    expect(second.missing).toBe(404);
    expect(second.sha).toBe(first.info.sha256);
    expect(second.samples).toBeGreaterThan(0);
    // Where the engine keeps it, read with the browser's own API: WebKitGTK has no OPFS.
    expect(second.kind).toBe(BROWSER === 'webkit' ? 'indexeddb' : 'opfs');
    expect(second.rawSha).toBe(second.sha);
  });

  it('detects a corrupted cached model, removes it, and offers a fresh download', async () => {
    await page.evaluate(installRawCache);
    const outcome = await page.evaluate(async () => {
      const w = window as any;
      const av = w.av;
      const [entry] = await av.listVoices();
      // Without its kept parts (a voice cached by an older version), a load reads the model.
      await w.rawCache.removeFolder(`voices/${entry.id}.parts`);
      const model = await w.rawCache.read(`voices/${entry.id}.onnx`);
      model.set([1, 2, 3, 4], 1000);
      await w.rawCache.write(`voices/${entry.id}.onnx`, model);
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
    await page.evaluate(installRawCache);
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
      const partFiles = (id: string) => w.rawCache.list(`voices/${id}.parts`);
      const first = await load(); // downloads, caches the model, keeps its parts
      const files = await partFiles(first.id);
      const second = await load(); // from the parts
      // One flipped byte near the end of the decoder part (it may still parse: the hash must catch it).
      const decoderPath = `voices/${first.id}.parts/decoder.onnx`;
      const bytes = await w.rawCache.read(decoderPath);
      bytes[bytes.length - 64] ^= 0xff;
      await w.rawCache.write(decoderPath, bytes);
      const third = await load(); // parts refused: from the model, which keeps fresh parts
      const fourth = await load();
      // A cached config the model contradicts (a second speaker it has no "sid" for) is a config
      // error, typed; the parts are not to blame and stay.
      const configPath = `voices/${first.id}.onnx.json`;
      const goodConfig = new TextDecoder().decode(await w.rawCache.read(configPath));
      const writeConfig = (text: string) => w.rawCache.write(configPath, text);
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
    // Part A as the core's chain of links (src/voice/graph_chain.h: 4 for the tiny voice), B as flow and decoder.
    expect(result.files).toEqual(['a0.onnx', 'a1.onnx', 'a2.onnx', 'a3.onnx', 'decoder.onnx', 'flow.onnx', 'parts.json']);
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
