// Opus in the store (issue #20, first part), in real Chromium and Firefox with WebCodecs and OPFS: a saved
// utterance comes back with exactly its sample count and its timeline unchanged; the waveform is
// lossy, so its quality is measured against the original (SNR of a voiced-speech-like signal, an
// independent oracle: the signal is computed, not synthesized by the code under test); the size is
// what the issue asks for 1,000 utterances of 3 s. Rows stored before (pcm_f32) stay readable.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { type BrowserSession, openAppPage } from './chromium.js';

let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;

beforeAll(async () => {
  ({ session, page, checkPageErrors } = await openAppPage());
  await page.evaluate(async () => {
    const w = window as any;
    w.voice = await w.av.loadVoice({ model: '/build/voices/test-tiny.onnx' });
    w.store = await w.av.openStore();
  });
}, 180_000);
afterAll(async () => session?.close());
afterEach(() => checkPageErrors());

describe('Opus audio in the store (WebCodecs)', () => {
  it('round-trips an utterance with its exact length and timeline, next to a pcm_f32 row', async () => {
    const r = await page.evaluate(async () => {
      const w = window as any;
      const text = 'Tell me about a time you solved a hard problem. What did you learn?';
      const speech = await w.voice.synthesize(text, { noiseW: 0 });
      const base = { text, voiceId: w.voice.info.sha256 };
      const raw = await w.store.saveSpeech(speech, { ...base, format: 'pcm_f32' });
      const opus = await w.store.saveSpeech(speech, { ...base, format: 'opus' });
      const back = await w.store.loadSpeech(opus.id);
      const exact = await w.store.loadSpeech(raw.id);
      return {
        formats: [raw.format, opus.format],
        sizes: [raw.size, opus.size],
        lengths: [speech.samples.length, back.samples.length, exact.samples.length],
        rate: back.sampleRate,
        sameTimeline:
          JSON.stringify(back.phonemes) === JSON.stringify(exact.phonemes) &&
          JSON.stringify(back.visemes) === JSON.stringify(exact.visemes),
        exactIsExact: exact.samples.every((s: number, i: number) => s === speech.samples[i]),
      };
    });
    expect(r.formats).toEqual(['pcm_f32', 'opus']);
    expect(r.lengths[1]).toBe(r.lengths[0]);
    expect(r.lengths[2]).toBe(r.lengths[0]);
    expect(r.rate).toBe(22050);
    expect(r.sameTimeline).toBe(true);
    expect(r.exactIsExact).toBe(true);
    // ≥ 10× smaller than pcm_f32 (the target); at 24 kbit/s it is about 30×.
    expect(r.sizes[0] / r.sizes[1]).toBeGreaterThan(10);
  });

  it('keeps a voiced signal at ≥ 10 dB SNR, in place (no delay), and 1,000 × 3 s fit in 25 MiB', async () => {
    const r = await page.evaluate(async () => {
      const w = window as any;
      const rate = 22050;
      const n = rate * 3;
      // A vowel-like signal: 120–180 Hz glottal pitch with vibrato, harmonics shaped by two
      // formants, syllable-rate amplitude: what Opus is tuned for, computed here.
      const x = new Float32Array(n);
      let phase = 0;
      for (let i = 0; i < n; i++) {
        const t = i / rate;
        const f0 = 150 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
        phase += (2 * Math.PI * f0) / rate;
        let v = 0;
        for (let h = 1; h * f0 < 5000; h++) {
          const f = h * f0;
          const gain = 1 / (1 + ((f - 700) / 150) ** 2) + 0.5 / (1 + ((f - 1200) / 200) ** 2) + 0.02;
          v += gain * Math.sin(h * phase);
        }
        x[i] = 0.15 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t));
      }
      const bytes = await w.avatarVoice.encodeOpus(x, rate);
      const back = await w.avatarVoice.decodeOpus(bytes);
      // SNR with the decoded samples shifted by `lag`: the best must be at 0 (no delay left).
      const snrAt = (lag: number) => {
        let signal = 0;
        let noise = 0;
        for (let i = 50; i < n - 50; i++) {
          signal += x[i]! ** 2;
          noise += (x[i]! - back.samples[i + lag]!) ** 2;
        }
        return 10 * Math.log10(signal / noise);
      };
      const lags = [-3, -2, -1, 0, 1, 2, 3].map(snrAt);
      return { bytes: bytes.length, length: back.samples.length, n, lags, snr: lags[3]! };
    });
    expect(r.length).toBe(r.n);
    console.log(
      `opus 24 kbit/s: ${r.bytes} bytes for 3 s, SNR ${r.snr.toFixed(1)} dB (lags −3…3: ${r.lags.map((s: number) => s.toFixed(1)).join(' ')})`,
    );
    expect(Math.max(...r.lags)).toBe(r.snr);
    expect(r.snr).toBeGreaterThanOrEqual(10);
    expect((r.bytes * 1000) / 2 ** 20).toBeLessThan(25);
  });

  it('refuses a damaged Opus row with a typed error and keeps the store usable', async () => {
    const r = await page.evaluate(async () => {
      const w = window as any;
      const speech = await w.voice.synthesize('Short.', { noiseW: 0 });
      const row = await w.store.saveSpeech(speech, { text: 'Short.', voiceId: w.voice.info.sha256, format: 'opus' });
      const bytes: Uint8Array = await w.store.audios.getBytes(row.id);
      const cut = bytes.subarray(0, bytes.length - 7);
      const decoded = await w.avatarVoice.decodeOpus(cut).catch((e: any) => e.code);
      const whole = await w.store.loadSpeech(row.id);
      return { decoded, length: whole.samples.length, expected: speech.samples.length };
    });
    expect(r.decoded).toBe('STORE');
    expect(r.length).toBe(r.expected);
  });

  // An encoder that fails mid-way (a browser codec error: AudioEncoder's error callback) must not
  // lose the speech: it is stored as WAV, as where there is no Opus at all, and the row says so.
  it('stores WAV when the Opus encoder fails, with the same samples and timeline', async () => {
    const r = await page.evaluate(async () => {
      const w = window as any;
      const speech = await w.voice.synthesize('The encoder fails here.', { noiseW: 0 });
      const realEncode = AudioEncoder.prototype.encode;
      AudioEncoder.prototype.encode = () => {
        throw new DOMException('the codec failed (test)', 'EncodingError');
      };
      let row: any;
      try {
        row = await w.store.saveSpeech(speech, { text: 'The encoder fails here.', voiceId: w.voice.info.sha256, format: 'opus' });
      } catch (e: any) {
        row = { error: `${e.name}: ${e.code}` };
      } finally {
        AudioEncoder.prototype.encode = realEncode;
      }
      if ('error' in row) return row;
      const back = await w.store.loadSpeech(row.id);
      let maxDiff = 0;
      for (let i = 0; i < speech.samples.length; i++) maxDiff = Math.max(maxDiff, Math.abs(back.samples[i] - speech.samples[i]));
      return {
        format: row.format,
        length: back.samples.length,
        expected: speech.samples.length,
        maxDiff,
        phonemes: back.phonemes.map((p: any) => [p.phoneme, p.startSample, p.endSample]),
        expectedPhonemes: speech.phonemes.map((p: any) => [p.phoneme, p.startSample, p.endSample]),
      };
    });
    expect(r.format).toBe('wav');
    expect(r.length).toBe(r.expected);
    expect(r.maxDiff).toBeLessThan(1 / 32768 + 1e-6); // 16-bit rounding
    expect(r.phonemes).toEqual(r.expectedPhonemes);
  });
});
