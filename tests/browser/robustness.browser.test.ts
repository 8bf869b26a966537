// Issue #21 item 7, web parts, in real Chromium: URLs that are not valid escapes, a second
// openStore in the same tab, sample rates Web Audio refuses, backpressure in Player.speak, WAV
// headers read back from stored rows, and concurrent updates of the voice cache's index.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type BrowserSession, openBrowser } from './chromium.js';

let session: BrowserSession;
let page: Page;

beforeAll(async () => {
  session = await openBrowser();
  page = await session.context.newPage();
  page.on('pageerror', (e) => console.error('[page]', e.message));
  // "100%.onnx" is not a valid escape: the server would answer 400, so the page gets the test voice.
  await page.route(/\/voices\/100%\.onnx(\.json)?$/, (route) =>
    route.continue({ url: route.request().url().replace('100%.onnx', 'test-tiny.onnx') }),
  );
  await page.goto(`${session.baseUrl}/tests/browser/pages/app.html`);
  await page.waitForFunction(() => (window as any).av !== undefined, null, { timeout: 60_000 });
});

afterAll(async () => {
  await session?.close();
});

describe('web robustness', () => {
  it('turns malformed URLs into ASSET_LOAD, and names a voice from a URL with a stray "%"', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      const bad = await Promise.all(
        ['http://[oops/voice.onnx', 'http://exa mple.com:99999/v.onnx'].map((model) => w.outcome(w.av.loadVoice({ model }))),
      );
      const voice = await w.av.loadVoice({ model: '/build/voices/100%.onnx' }, { cache: true });
      const cached = (await w.av.listVoices()).find((v: any) => v.id === voice.info.sha256);
      await voice.dispose();
      return { bad, name: cached?.name };
    });
    expect(result.bad).toEqual(['ASSET_LOAD', 'ASSET_LOAD']);
    expect(result.name).toBe('100%');
  });

  it('a second openStore keeps the first store working, or reports a typed error', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      const av = await w.avatarVoice.AvatarVoice.create();
      const first = await av.openStore({ name: 'reopen-a.sqlite3' });
      await first.avatars.create({ name: 'Kept' });
      const again = await av.openStore({ name: 'reopen-a.sqlite3' });
      const other = await w.outcome(av.openStore({ name: 'reopen-b.sqlite3' }));
      const names = (await first.avatars.list()).map((a: any) => a.name);
      av.dispose();
      return { same: again === first, other, names };
    });
    expect(result).toEqual({ same: true, other: 'STORE', names: ['Kept'] });
  });

  it('refuses a sample rate Web Audio cannot play with a typed error and keeps playing', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      const player = new w.avatarVoice.Player();
      const chunk = (rate: number) => ({
        index: 0,
        textStart: 0,
        textEnd: 0,
        samples: new Float32Array(rate / 10),
        sampleRate: rate,
        durationMs: 100,
        phonemes: [],
        visemes: [],
        timing: 'model',
        warnings: [],
      });
      let odd: string;
      try {
        player.enqueue(chunk(1000));
        odd = 'ok';
      } catch (e: any) {
        odd = e?.code ?? `untyped ${e?.name}`;
      }
      const fine = player.enqueue(chunk(22050));
      player.dispose();
      return { odd, fine: fine.endTime - fine.startTime };
    });
    expect(result.odd).toBe('INVALID_ARGUMENT');
    expect(result.fine).toBeCloseTo(0.1, 5);
  });

  it('Player.speak pulls sentences only while little audio is queued (backpressure)', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      let pulled = 0;
      const second = (i: number) => ({
        index: i,
        textStart: 0,
        textEnd: 0,
        samples: new Float32Array(22050),
        sampleRate: 22050,
        durationMs: 1000,
        phonemes: [],
        visemes: [],
        timing: 'model',
        warnings: [],
      });
      const voice = {
        async *stream() {
          for (let i = 0; i < 10; i++) {
            pulled++;
            yield second(i);
          }
        },
      };
      const player = new w.avatarVoice.Player({ sampleRate: 22050, maxBufferedMs: 1500 });
      const speaking = player.speak(voice, 'ten seconds').catch((e: any) => e?.code);
      await new Promise((r) => setTimeout(r, 400));
      const early = { pulled, buffered: player.bufferedSeconds };
      player.stop();
      const ended = await speaking;
      player.dispose();
      return { early, ended };
    });
    expect(result.early.pulled).toBeLessThanOrEqual(3);
    expect(result.early.buffered).toBeGreaterThan(0.5);
    expect(result.early.buffered).toBeLessThanOrEqual(3);
    expect(result.ended).toBe('ABORTED');
  });

  it('a stored WAV whose header lies, or an unplayable stored rate, is a typed STORE error', async () => {
    const codes = await page.evaluate(async () => {
      const w = window as any;
      const av = await w.avatarVoice.AvatarVoice.create();
      const store = await av.openStore({ storage: 'memory' });
      const wav = new Uint8Array(
        await av.loadVoice({ model: '/build/voices/test-tiny.onnx' }).then((v: any) => v.toWav(new Float32Array(100))),
      );
      const lying = wav.slice();
      new DataView(lying.buffer).setUint32(40, 0x7ffffff0, true); // data chunk: "2 GB follow"
      const truncated = wav.slice(0, 30);
      const row = (format: string, sampleRate: number, bytes: Uint8Array) =>
        store.audios.create({ text: 'x', voiceId: 'v', sampleRate, durationMs: 5, format }, bytes);
      const ids = [
        (await row('wav', 22050, wav)).id,
        (await row('wav', 22050, lying)).id,
        (await row('wav', 22050, truncated)).id,
        (await row('pcm_f32', 1000, new Uint8Array(400))).id,
      ];
      const out = await Promise.all(ids.map((id) => w.outcome(store.loadSpeech(id))));
      av.dispose();
      return out;
    });
    expect(codes).toEqual(['ok', 'STORE', 'STORE', 'STORE']);
  });

  it('voices cached at the same time all stay in the index', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      for (const v of await w.av.listVoices()) await w.av.deleteVoice(v.id);
      const config = await (await fetch('/build/voices/test-tiny.onnx.json')).text();
      // Eight different "models": each is cached (then refused by the core, which is fine here:
      // the cache keeps what was downloaded) while the others update the same index.
      const models = Array.from({ length: 8 }, (_, i) => new Uint8Array(1024).fill(i + 1));
      const codes = await Promise.all(models.map((model) => w.outcome(w.av.loadVoice({ model, config }, { cache: true }))));
      const hex = async (b: Uint8Array) =>
        Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', b)), (x) => x.toString(16).padStart(2, '0')).join('');
      const ids = (await Promise.all(models.map(hex))).sort();
      const listed = (await w.av.listVoices()).map((v: any) => v.id).sort();
      for (const id of listed) await w.av.deleteVoice(id);
      return { codes, ids, listed };
    });
    expect(new Set(result.codes)).toEqual(new Set(['INVALID_MODEL']));
    expect(result.listed).toEqual(result.ids);
  });
});
