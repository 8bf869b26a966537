// An independent oracle for the package's phoneme timings.
//
// The package reads durations through its own protobuf patcher and turns them into spans with
// alignPhonemes(), which makes spans contiguous and sum to the audio by construction: checking
// only that cannot fail. Here the expected spans come from elsewhere: the same voice with its
// Ceil output exposed by the Python onnx package (scripts/make_timing_variants.py), run with a
// separate onnxruntime-web instance, and Piper's grouping rule written out below. With
// noise_w = 0 the durations are deterministic, so the package's spans must equal them exactly.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import * as ort from 'onnxruntime-web/wasm';
import { beforeAll, describe, expect, it } from 'vitest';

import { AvatarVoice, type SpeechChunk, type Voice } from '../../dist/index.js';
import { corpus } from './native_reference.js';
import { VOICES, voiceFiles } from './voices.js';

const HOP = 256; // Piper's hop_length: one decoder frame is 256 samples
type VoiceName = 'test-tiny' | 'test-tiny-multi';
interface Span {
  phoneme: string;
  startSample: number;
  endSample: number;
}
interface PiperConfig {
  phoneme_id_map: Record<string, number[]>;
  num_speakers: number;
  inference: { noise_scale: number };
}

// ---- the oracle's own model runs ----------------------------------------------------------

const sessions = new Map<VoiceName, { session: ort.InferenceSession; durations: string }>();

async function oracleSession(name: VoiceName) {
  let entry = sessions.get(name);
  if (!entry) {
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(`${VOICES}${name}.ceil.onnx`)), {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all', // as the package does: same kernels, same float rounding
    });
    const durations = session.outputNames.find((n) => n !== 'output');
    if (!durations) throw new Error(`${name}.ceil.onnx has no Ceil output: regenerate the test voices`);
    entry = { session, durations };
    sessions.set(name, entry);
  }
  return entry;
}

/** Frames per id (Ceil output) and the audio length, from the onnx-package copy of the voice. */
async function modelDurations(name: VoiceName, ids: number[], scales: number[], sid: number | null) {
  const { session, durations } = await oracleSession(name);
  const feeds: Record<string, ort.Tensor> = {
    input: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
    scales: new ort.Tensor('float32', Float32Array.from(scales), [3]),
  };
  if (sid !== null) feeds.sid = new ort.Tensor('int64', BigInt64Array.of(BigInt(sid)), [1]);
  const out = await session.run(feeds);
  return { frames: Array.from(out[durations]!.data as Float32Array), audioSamples: out.output!.data.length };
}

// ---- Piper's grouping rule, written independently of src/audio/phoneme_alignment.cpp ------

/**
 * piper1-gpl voice.py `_group_phoneme_alignments`: BOS and the pad after it form a leading "^";
 * every phoneme id opens a span that also owns the pads after it; EOS is a trailing "$".
 * `framesPerId[i]` × HOP samples go to the span that owns id i.
 */
function groupSpans(ids: number[], phonemes: string[], framesPerId: number[], map: Record<string, number[]>): Span[] {
  const [pad, bos, eos] = ['_', '^', '$'].map((s) => map[s]![0]!);
  expect(ids[0]).toBe(bos);
  expect(ids.at(-1)).toBe(eos);
  const spans: Span[] = [];
  let cursor = 0;
  let next = 0; // index into `phonemes`
  ids.forEach((id, i) => {
    if (id === bos) spans.push({ phoneme: '^', startSample: cursor, endSample: cursor });
    else if (id === eos) spans.push({ phoneme: '$', startSample: cursor, endSample: cursor });
    else if (id !== pad) spans.push({ phoneme: phonemes[next++]!, startSample: cursor, endSample: cursor });
    cursor += Math.round(framesPerId[i]!) * HOP;
    spans.at(-1)!.endSample = cursor;
  });
  expect(next).toBe(phonemes.length); // one id per phoneme in the test voices' map
  return spans;
}

// The documented estimate (phoneme_alignment.h estimateFrames): relative weights per id, vowels
// 2, other phonemes 1, pads 0.5, BOS/EOS 1, spread over the audio's whole frames.
const VOWELS = new Set([...'aeiouyæøœɐɑɒɔəɘɚɛɜɝɞɤɨɪɯɵɶʉʊʌʏᵻ']);

function estimatedFrames(ids: number[], phonemes: string[], audioSamples: number, map: Record<string, number[]>): number[] {
  const [pad, bos, eos] = ['_', '^', '$'].map((s) => map[s]![0]!);
  let next = 0;
  const weights = ids.map((id) => {
    if (id === pad) return 0.5;
    if (id === bos || id === eos) return 1;
    return VOWELS.has(phonemes[next++]!) ? 2 : 1;
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const total = audioSamples / HOP;
  const shares = weights.map((w) => (total * w) / sum);
  const frames = shares.map(Math.floor);
  // Whole frames that add up: the remaining ones go to the ids with the largest remainders.
  let left = Math.floor(total - frames.reduce((a, b) => a + b, 0));
  const byRemainder = shares.map((s, i) => [s - Math.floor(s), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) if (left-- > 0) frames[i]! += 1;
  return frames;
}

// ---- the package ---------------------------------------------------------------------------

let av: AvatarVoice;
const voices = new Map<string, Voice>();
const configs = new Map<VoiceName, PiperConfig>();

beforeAll(async () => {
  // A second onnxruntime-web instance, separate from the one bundled into dist/worker code.
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmBinary = readFileSync(
    fileURLToPath(new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', import.meta.url)),
  );
  av = await AvatarVoice.create();
  for (const name of ['test-tiny', 'test-tiny-multi'] as const) {
    const { model, config } = voiceFiles(name);
    configs.set(name, JSON.parse(config) as PiperConfig);
    voices.set(name, await av.loadVoice({ model, config }));
    const noCeil = new Uint8Array(readFileSync(`${VOICES}${name}.noceil.onnx`));
    voices.set(`${name}.noceil`, await av.loadVoice({ model: noCeil, config }));
  }
}, 180_000);

/**
 * The stream's chunks with the windows of each sentence joined back into one chunk (phonemes
 * shifted by their window's sampleOffset), so windowed streams meet the per-sentence oracle too.
 */
async function chunksOf(voice: Voice, text: string, options: object): Promise<SpeechChunk[]> {
  const out: SpeechChunk[] = [];
  for await (const chunk of voice.stream(text, options)) {
    const last = out.at(-1);
    if (chunk.sampleOffset === 0 || !last) {
      out.push({ ...chunk, phonemes: [...chunk.phonemes] });
      continue;
    }
    expect(last.index).toBe(chunk.index);
    expect(chunk.sampleOffset).toBe(last.samples.length);
    const samples = new Float32Array(last.samples.length + chunk.samples.length);
    samples.set(last.samples);
    samples.set(chunk.samples, last.samples.length);
    const shift = (n: number) => n + chunk.sampleOffset;
    last.phonemes.push(...chunk.phonemes.map((p) => ({ ...p, startSample: shift(p.startSample), endSample: shift(p.endSample) })));
    Object.assign(last, { samples, endsSentence: chunk.endsSentence, timingExact: last.timingExact && chunk.timingExact });
  }
  for (const chunk of out) expect(chunk.samples.length).toBe(chunk.sentenceSamples);
  return out;
}
const spansOf = (chunk: SpeechChunk): Span[] =>
  chunk.phonemes.map(({ phoneme, startSample, endSample }) => ({ phoneme, startSample, endSample }));

/** The corpus as multi-sentence texts of a few lines each (sentence splitting is exercised too). */
function corpusTexts(linesPerText: number): string[] {
  const lines = corpus();
  const texts: string[] = [];
  for (let i = 0; i < lines.length; i += linesPerText) texts.push(lines.slice(i, i + linesPerText).join(' '));
  return texts;
}

interface Case {
  name: VoiceName;
  text: string;
  lengthScale: number;
  speaker: number | null;
}

/** Runs the package and the oracle on one text; returns how many sentences were compared. */
async function compare({ name, text, lengthScale, speaker }: Case): Promise<number> {
  const config = configs.get(name)!;
  const map = config.phoneme_id_map;
  const options = { noiseW: 0, lengthScale, ...(speaker === null ? {} : { speaker }) };
  const [sentences, chunks] = await Promise.all([av.phonemizeToIds(text, config), chunksOf(voices.get(name)!, text, options)]);
  expect(chunks).toHaveLength(sentences.length);
  for (const [i, sentence] of sentences.entries()) {
    const chunk = chunks[i]!;
    const scales = [config.inference.noise_scale, lengthScale, 0];
    const { frames, audioSamples } = await modelDurations(name, sentence.ids, scales, speaker);
    const expected = groupSpans(sentence.ids, sentence.phonemes, frames, map);
    const total = frames.reduce((n, f) => n + Math.round(f) * HOP, 0);
    // Oracle self-check (Piper's invariant): the model's own audio is sum(frames) × hop long.
    expect(audioSamples).toBe(total);
    expect(spansOf(chunk), `${name} "${text.slice(sentence.textStart, sentence.textEnd)}"`).toEqual(expected);
    expect(chunk.samples.length).toBe(total);
    expect(chunk.timing).toBe('model');
    expect(chunk.timingExact).toBe(true);
  }
  return sentences.length;
}

describe('model-exact timings against an independent oracle', () => {
  it('equal Piper durations × hop for every corpus sentence (single speaker, several speeds)', async () => {
    const texts = corpusTexts(4);
    let sentences = 0;
    for (const [i, text] of texts.entries())
      sentences += await compare({ name: 'test-tiny', text, lengthScale: [1, 0.8, 1.37][i % 3]!, speaker: null });
    expect(sentences).toBeGreaterThanOrEqual(240);
  }, 300_000);

  it('equal them for the multi-speaker voice, with the speaker passed through', async () => {
    const texts = corpusTexts(6).filter((_, i) => i % 2 === 0);
    let sentences = 0;
    for (const [i, text] of texts.entries()) sentences += await compare({ name: 'test-tiny-multi', text, lengthScale: 1, speaker: i % 4 });
    expect(sentences).toBeGreaterThanOrEqual(100);
  }, 300_000);

  it('joins chunks into one utterance whose spans are the same, shifted', async () => {
    const text = 'One sentence here. And a second one! Is there a third?';
    const voice = voices.get('test-tiny')!;
    const [chunks, whole] = [await chunksOf(voice, text, { noiseW: 0 }), await voice.synthesize(text, { noiseW: 0 })];
    let offset = 0;
    const shifted = chunks.flatMap((c) => {
      const spans = spansOf(c).map((s) => ({ ...s, startSample: s.startSample + offset, endSample: s.endSample + offset }));
      offset += c.samples.length;
      return spans;
    });
    expect(whole.phonemes.map(({ phoneme, startSample, endSample }) => ({ phoneme, startSample, endSample }))).toEqual(shifted);
    expect(whole.samples.length).toBe(offset);
    expect(whole.timingExact).toBe(true);
  }, 60_000);

  it('takes a model whose Ceil output is already a graph output as it is', async () => {
    // The onnx-package copy: the package's patcher must see it is done, not add a second output.
    const { config } = voiceFiles('test-tiny');
    const prePatched = await av.loadVoice({ model: new Uint8Array(readFileSync(`${VOICES}test-tiny.ceil.onnx`)), config });
    expect(prePatched.info.timing).toBe('model');
    const text = 'Already patched elsewhere. Same spans?';
    const [a, b] = [await chunksOf(prePatched, text, { noiseW: 0 }), await chunksOf(voices.get('test-tiny')!, text, { noiseW: 0 })];
    expect(a.map(spansOf)).toEqual(b.map(spansOf));
    expect(a.every((c) => c.timingExact)).toBe(true);
    await prePatched.dispose();
  }, 60_000);
});

describe('estimated timings (a model without a Ceil node)', () => {
  it('are reported as estimated', () => {
    expect(voices.get('test-tiny')!.info.timing).toBe('model');
    expect(voices.get('test-tiny.noceil')!.info.timing).toBe('estimated');
    expect(voices.get('test-tiny-multi.noceil')!.info.timing).toBe('estimated');
  });

  it.each([
    ['test-tiny', null],
    ['test-tiny-multi', 2],
  ] as const)(
    'spread %s audio by the documented weights',
    async (name, speaker) => {
      const config = configs.get(name)!;
      const texts = corpusTexts(5).filter((_, i) => i % 4 === 0);
      for (const text of texts) {
        const options = { noiseW: 0, ...(speaker === null ? {} : { speaker }) };
        const [sentences, chunks] = await Promise.all([
          av.phonemizeToIds(text, config),
          chunksOf(voices.get(`${name}.noceil`)!, text, options),
        ]);
        expect(chunks).toHaveLength(sentences.length);
        for (const [i, sentence] of sentences.entries()) {
          const chunk = chunks[i]!;
          expect(chunk.timing).toBe('estimated');
          // Ceil → -Floor(-x) changes no number: the audio is as long as the durations say.
          const { frames } = await modelDurations(name, sentence.ids, [config.inference.noise_scale, 1, 0], speaker);
          expect(chunk.samples.length).toBe(frames.reduce((n, f) => n + f * HOP, 0));
          const estimate = estimatedFrames(sentence.ids, sentence.phonemes, chunk.samples.length, config.phoneme_id_map);
          expect(spansOf(chunk)).toEqual(groupSpans(sentence.ids, sentence.phonemes, estimate, config.phoneme_id_map));
        }
      }
    },
    300_000,
  );
});
