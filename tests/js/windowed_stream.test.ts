// Windowed streaming (issue #23 items 3 and 4), through the package in Node on the generated
// voices: a split voice's stream() decodes each sentence in windows cut between words; the
// stitched windows equal the sentence path (A, then B on the whole sentence) within 1e-4 before
// gain; joinChunks() of the windows gives the sentence path's timeline exactly; the avatar formats
// give the same result from either; a voice that does not split streams whole sentences and says
// why; stopping mid-sentence leaves the engine working. noise_scale = noise_w = 0: deterministic.
import { existsSync, readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AvatarVoice,
  type SpeechChunk,
  type SynthesisOptions,
  type Voice,
  joinChunks,
  toArkitFrames,
  toAzureVisemeEvents,
  toPollySpeechMarks,
  toTalkingHead,
} from '../../dist/index.js';
import { skipWithReason } from '../skip_reason.js';
import { VOICES, voiceFiles } from './voices.js';

const TOLERANCE = 1e-4;
const RAW = { noiseScale: 0, noiseW: 0, normalize: false, volume: 1 } satisfies SynthesisOptions;
const TEXT =
  'Welcome to your practice interview, and thank you for coming in today to talk with us about the role. ' +
  'Tell me about yourself. What is the most difficult project you have worked on, and what did you learn from it?';

let av: AvatarVoice;
const voices = new Map<string, Voice>();
beforeAll(async () => {
  av = await AvatarVoice.create();
  voices.set('tiny', await av.loadVoice(voiceFiles('test-tiny')));
  voices.set('tiny-multi', await av.loadVoice(voiceFiles('test-tiny-multi')));
}, 120_000);
afterAll(async () => {
  await av?.dispose();
});

async function collect(voice: Voice, text: string, options: SynthesisOptions): Promise<SpeechChunk[]> {
  const out: SpeechChunk[] = [];
  for await (const chunk of voice.stream(text, options)) out.push(chunk);
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Windowed against sentence chunks of the same text: audio, chunk structure and timelines. */
async function compare(voice: Voice, options: SynthesisOptions): Promise<{ windows: number; sentences: number; diff: number }> {
  const windowed = await collect(voice, TEXT, options);
  const sentences = await collect(voice, TEXT, { ...options, chunking: 'sentence' });
  expect(windowed.length).toBeGreaterThan(sentences.length);
  // Each sentence's windows: contiguous from 0 to its end, the first a small one.
  for (const s of sentences) {
    const parts = windowed.filter((c) => c.index === s.index);
    expect(parts[0]!.sampleOffset).toBe(0);
    expect(parts.map((c) => c.endsSentence)).toEqual(parts.map((_, i) => i === parts.length - 1));
    let offset = 0;
    for (const part of parts) {
      expect(part.sampleOffset).toBe(offset);
      expect(part.sentenceSamples).toBe(s.samples.length);
      expect(part.textStart).toBe(s.textStart);
      offset += part.samples.length;
    }
    expect(offset).toBe(s.samples.length);
  }
  const first = windowed[0]!;
  expect(first.samples.length).toBeGreaterThanOrEqual(12 * 256);
  expect(first.samples.length).toBeLessThan(sentences[0]!.samples.length / 2);

  const a = joinChunks(windowed, voice.sampleRate);
  const b = joinChunks(sentences, voice.sampleRate);
  const diff = maxAbsDiff(a.samples, b.samples);
  expect(diff).toBeLessThanOrEqual(TOLERANCE);
  // Same positions exactly: phonemes (samples and ms), visemes (ms), sentence spans, words.
  expect(a.phonemes).toEqual(b.phonemes);
  expect(a.visemes).toEqual(b.visemes);
  expect(a.sentences).toEqual(b.sentences);
  expect(a.warnings).toEqual(b.warnings);
  expect(a.timingExact).toBe(true);
  // No word spans two chunks: every chunk's words are whole words of the sentence path.
  for (const chunk of windowed) {
    const spans = new Set(chunk.phonemes.filter((p) => p.textStart >= 0).map((p) => `${p.textStart}:${p.textEnd}`));
    for (const other of windowed)
      if (other !== chunk) for (const p of other.phonemes) expect(spans.has(`${p.textStart}:${p.textEnd}`)).toBe(false);
  }
  return { windows: windowed.length, sentences: sentences.length, diff };
}

describe('windowed streaming', () => {
  it('is what a split voice does by default, with the margin from the graph', () => {
    for (const voice of voices.values()) expect(voice.info.streaming).toEqual({ mode: 'window', marginFrames: 44, decoderMarginFrames: 9 });
  });

  it('tiny: stitched windows equal the sentence path and give its timeline exactly', async () => {
    const r = await compare(voices.get('tiny')!, RAW);
    console.log(`tiny: ${r.windows} windows for ${r.sentences} sentences, max |diff| ${r.diff.toExponential(2)}`);
  }, 60_000);

  it('tiny-multi: the same for a non-default speaker', async () => {
    const r = await compare(voices.get('tiny-multi')!, { ...RAW, speaker: 3 });
    console.log(`tiny-multi (speaker 3): ${r.windows} windows, max |diff| ${r.diff.toExponential(2)}`);
  }, 60_000);

  it('medium: the same', async (ctx) => {
    const model = `${VOICES}test-medium.onnx`;
    if (!existsSync(model))
      skipWithReason(ctx, 'build/voices/test-medium.onnx is absent: `npm test` generates it (scripts/make_test_voices.sh --medium)');
    const voice = await av.loadVoice({
      model: new Uint8Array(readFileSync(model)),
      config: readFileSync(`${model}.json`, 'utf8'),
    });
    try {
      const r = await compare(voice, RAW);
      console.log(`medium: ${r.windows} windows, max |diff| ${r.diff.toExponential(2)}`);
    } finally {
      await voice.dispose();
    }
  }, 240_000);

  it('windows are scaled by volume and clipped, never peak-normalised; synthesize() still is', async () => {
    const voice = voices.get('tiny')!;
    const text = 'Tell me about yourself, please.';
    const raw = joinChunks(await collect(voice, text, RAW), voice.sampleRate).samples;
    const half = joinChunks(await collect(voice, text, { ...RAW, volume: 0.5 }), voice.sampleRate).samples;
    for (let i = 0; i < raw.length; i += 97) expect(half[i]).toBeCloseTo(Math.max(-1, Math.min(1, raw[i]!)) * 0.5, 6);
    const normalized = await voice.synthesize(text, { noiseScale: 0, noiseW: 0 });
    expect(Math.max(...normalized.samples.map(Math.abs))).toBeCloseTo(1, 6);
    expect(normalized.chunks).toBe(1);
  }, 60_000);

  it('the avatar formats give the same result from windows as from sentences', async () => {
    const voice = voices.get('tiny')!;
    const windowed = await collect(voice, TEXT, RAW);
    const sentences = await collect(voice, TEXT, { ...RAW, chunking: 'sentence' });
    expect(toPollySpeechMarks(windowed, TEXT)).toEqual(toPollySpeechMarks(sentences, TEXT));
    const azure = { ...RAW, visemeSet: 'azure' } as const;
    expect(toAzureVisemeEvents(await collect(voice, TEXT, azure), TEXT)).toEqual(
      toAzureVisemeEvents(await collect(voice, TEXT, { ...azure, chunking: 'sentence' }), TEXT),
    );
    expect(toArkitFrames(windowed)).toEqual(toArkitFrames(sentences));
    const [head, headSentences] = [toTalkingHead(windowed, TEXT), toTalkingHead(sentences, TEXT)];
    expect({ ...head, audio: undefined }).toEqual({ ...headSentences, audio: undefined });
  }, 60_000);

  it('a model without a duration output streams whole sentences and says why', async () => {
    const { config } = voiceFiles('test-tiny');
    const noCeil = await av.loadVoice({ model: new Uint8Array(readFileSync(`${VOICES}test-tiny.noceil.onnx`)), config });
    try {
      expect(noCeil.info.streaming).toMatchObject({ mode: 'sentence', reason: 'no_duration_output' });
      const chunks = await collect(noCeil, 'Hello there. How are you?', RAW);
      expect(chunks).toHaveLength(2);
      for (const c of chunks) expect([c.sampleOffset, c.endsSentence, c.sentenceSamples]).toEqual([0, true, c.samples.length]);
    } finally {
      await noCeil.dispose();
    }
  }, 60_000);

  it('stopping mid-sentence leaves the engine working, again and again', async () => {
    const voice = voices.get('tiny')!;
    const expected = joinChunks(await collect(voice, 'Tell me about yourself.', RAW), voice.sampleRate);
    for (let i = 0; i < 5; i++) {
      for await (const chunk of voice.stream(TEXT, RAW)) {
        expect(chunk.endsSentence).toBe(false); // the first window of a long sentence
        break;
      }
    }
    const controller = new AbortController();
    let seen = 0;
    await expect(
      (async () => {
        for await (const _ of voice.stream(TEXT, { ...RAW, signal: controller.signal })) if (++seen === 2) controller.abort();
      })(),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    const again = joinChunks(await collect(voice, 'Tell me about yourself.', RAW), voice.sampleRate);
    expect(again.samples).toEqual(expected.samples);
    expect(again.phonemes).toEqual(expected.phonemes);
  }, 60_000);
});
