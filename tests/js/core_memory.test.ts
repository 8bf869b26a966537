// The wasm side of issue #21 items 2 and 7, on the raw Embind module (dist/core): inputs larger
// than their limit or than the heap can still get are typed errors, never a write through a null
// _malloc, and the module keeps working; speech streams free their plans; scales must be finite.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { voiceFiles } from './voices.js';

const CORE = fileURLToPath(new URL('../../dist/core/', import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Module = any;
let core: Module;

/** The {__error} a binding returned, or the exception it threw (as a plain record). */
function failure(call: () => unknown): { code?: string; message?: string; thrown?: string } {
  try {
    const value = call() as { __error?: { code: string; message: string } };
    if (value && typeof value === 'object' && '__error' in value) return value.__error!;
    return {};
  } catch (error) {
    return { thrown: String(error) };
  }
}

function healthy(): void {
  const sentences = core.phonemize('Hello there.', 'en-us', 0);
  expect(sentences.__error).toBeUndefined();
  expect(sentences[0].phonemes.length).toBeGreaterThan(3);
  const wav = core.encodeWav(new Float32Array([0, 0.5, -0.5]), 22050);
  expect(wav.length).toBe(44 + 6);
}

beforeAll(async () => {
  const factory = (await import(`${CORE}avatar-voice-core.mjs`)).default;
  core = await factory({ wasmBinary: readFileSync(`${CORE}avatar-voice-core.wasm`) });
  expect(core.installEspeakData(readFileSync(`${CORE}espeak-ng-data-en.pack`), '/espeak/espeak-ng-data')).toBeGreaterThan(0);
  expect(core.initEspeak('/espeak')).toBe('1.52.0');
});

describe('wasm heap: caller-sized inputs', () => {
  // 2 GiB + 16 bytes: more than the heap can ever hold. Embind's own conversion called
  // _malloc(n), got 0, wrote the length at address 0 and tried to copy the bytes to address 4.
  // (Uint8Array/Float32Array of zeros: the pages are never touched, so this costs no memory.)
  const huge = 2 ** 31 + 16;

  it('refuses bytes over their limit before copying them', () => {
    expect(failure(() => core.patchModel(new Uint8Array(huge)))).toMatchObject({
      code: 'INVALID_MODEL',
      message: expect.stringContaining('limit'),
    });
    expect(failure(() => core.installEspeakData(new Uint8Array(huge), '/espeak/espeak-ng-data'))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('limit'),
    });
    healthy();
  });

  it('reports an allocation the heap cannot grow to as OUT_OF_MEMORY and keeps working', () => {
    // 600 M samples (2.4 GB as float32) are under kMaxSentenceSamples but over the 2 GiB heap.
    expect(failure(() => core.encodeWav(new Float32Array(600_000_000), 22050))).toMatchObject({
      code: 'OUT_OF_MEMORY',
    });
    healthy();
    expect(core.limits()).toMatchObject({ maxWasmHeapBytes: 2 ** 31, maxVoiceModelBytes: 256 * 2 ** 20 });
  });

  it('refuses text over the limit before copying it', () => {
    expect(failure(() => core.phonemize('a'.repeat(300_000), 'en-us', 0))).toMatchObject({ code: 'TEXT_TOO_LONG' });
    expect(failure(() => core.phonemize(42, 'en-us', 0))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    healthy();
  });
});

describe('voice handle: streams and scales', () => {
  it('keeps a stream working after its voice handle is deleted, and deleted streams free their plans', () => {
    const voice = new core.WasmVoice();
    expect(voice.load(voiceFiles('test-tiny').config).__error).toBeUndefined();
    const stream = voice.startStream('One more. And another.', {});
    voice.delete();
    try {
      // The stream holds its voice: the plan and the config outlive the handle.
      const request = stream.next();
      expect(request.ids.length).toBeGreaterThan(3);
      expect(stream.finish(request.sentence, new Float32Array(2048), null).__error).toBeUndefined();
    } finally {
      stream.delete();
    }
    // Many streams created and deleted: the heap does not grow with them.
    const again = new core.WasmVoice();
    try {
      again.load(voiceFiles('test-tiny').config);
      const text = 'Sentence number one. '.repeat(200);
      const heap = () => core.HEAP8.length;
      for (let i = 0; i < 20; i++) again.startStream(text, {}).delete();
      const before = heap();
      for (let i = 0; i < 200; i++) again.startStream(text, {}).delete();
      expect(heap()).toBe(before);
      expect(failure(() => again.startStream('x'.repeat(50), { maxChars: 10 }))).toMatchObject({ code: 'TEXT_TOO_LONG' });
    } finally {
      again.delete();
    }
  });

  it('frees a windowed sentence whose stream is deleted before its last window', () => {
    const voice = new core.WasmVoice();
    try {
      voice.load(voiceFiles('test-tiny').config);
      const text = 'Tell me about the most difficult project you have worked on and what you learned from it.';
      const midSentence = () => {
        const stream = voice.startStream(text, {});
        const request = stream.next();
        const frames = new Float32Array(request.ids.length).fill(3);
        const windows = stream.beginWindows(request.sentence, frames, frames.length * 3, 2);
        expect(windows.length).toBeGreaterThan(1);
        const first = windows[0];
        expect(
          stream.finishWindow(request.sentence, 0, new Float32Array((first.endFrame - first.startFrame) * 256)).__error,
        ).toBeUndefined();
        stream.delete(); // cancelled with windows left
      };
      for (let i = 0; i < 20; i++) midSentence();
      const before = core.HEAP8.length;
      for (let i = 0; i < 200; i++) midSentence();
      expect(core.HEAP8.length).toBe(before);
    } finally {
      voice.delete();
    }
  });

  it('rejects non-finite and out-of-range scales with INVALID_ARGUMENT before planning', () => {
    const voice = new core.WasmVoice();
    try {
      voice.load(voiceFiles('test-tiny').config);
      const ok = voice.startStream('Hi.', { noiseScale: 0.667, lengthScale: 1, noiseW: 0.8 });
      expect(ok.__error).toBeUndefined();
      ok.delete();
      for (const [noiseScale, lengthScale, noiseW] of [
        [0.667, Infinity, 0.8],
        [0.667, NaN, 0.8],
        [0.667, 0, 0.8],
        [Infinity, 1, 0.8],
        [0.667, 1, -Infinity],
        [-0.1, 1, 0.8],
      ]) {
        expect(failure(() => voice.startStream('Hi there.', { noiseScale, lengthScale, noiseW }))).toMatchObject({
          code: 'INVALID_ARGUMENT',
        });
      }
    } finally {
      voice.delete();
    }
  });
});
