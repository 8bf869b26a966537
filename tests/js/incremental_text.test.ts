// Text that arrives piece by piece (issue #18): voice.stream(pieces) against the one-shot
// voice.stream(wholeText) of the same text, which is the oracle — same sentences, same spans in
// the whole text, same phonemes, same samples (noise off) — whether the text arrives in two
// pieces cut at every position, word by word or character by character. And it is really
// incremental: the first chunk comes while the source is still waiting to send the rest.
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AvatarVoice, SpeechChunk, Voice } from '../../dist/index.js';
import { codeOf, tinyEngine } from './voices.js';

const OPTIONS = { chunking: 'sentence' as const, noiseScale: 0, noiseW: 0 };

// Cuts where a sentence end could be misread while the text is incomplete: abbreviations,
// decimals, ellipses, quotes, questions, a line break, non-ASCII (UTF-16 offsets) and an emoji
// (a surrogate pair that a cut can split).
const TRICKY =
  'Dr. Smith paid $3.50 for it... Really? "Yes!" she said.\nThe café opened at 9 a.m. on Jan. 5, 2024. ' +
  'Wait - what about the 😀 emoji? It is fine. ';

let av: AvatarVoice;
let voice: Voice;
beforeAll(async () => {
  ({ av, voice } = await tinyEngine());
}, 120_000);
afterAll(() => av?.dispose());

async function collect(source: AsyncIterable<SpeechChunk>): Promise<SpeechChunk[]> {
  const out: SpeechChunk[] = [];
  for await (const chunk of source) out.push(chunk);
  return out;
}

/** What must agree between the incremental and the one-shot stream. */
function summary(chunks: SpeechChunk[]) {
  return chunks.map((c) => ({
    index: c.index,
    text: [c.textStart, c.textEnd],
    phonemes: c.phonemes.map((p) => `${p.phoneme}@${p.textStart}-${p.textEnd}`).join(' '),
    samples: c.samples.length,
  }));
}

/** Each sentence's windows stitched: text span, phonemes at sentence sample positions, samples. */
function bySentence(chunks: SpeechChunk[]) {
  const sentences: { text: number[]; phonemes: string[]; samples: number[] }[] = [];
  for (const c of chunks) {
    const s = (sentences[c.index] ??= { text: [c.textStart, c.textEnd], phonemes: [], samples: [] });
    for (const p of c.phonemes) s.phonemes.push(`${p.phoneme}@${p.startSample + c.sampleOffset}:${p.textStart}`);
    s.samples.push(...c.samples);
  }
  return sentences;
}

async function* slowly(pieces: string[]): AsyncGenerator<string> {
  for (const piece of pieces) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    yield piece;
  }
}

describe('voice.stream(pieces)', () => {
  it('gives the one-shot result for the text cut in two at every position', async () => {
    const whole = await collect(voice.stream(TRICKY, OPTIONS));
    expect(whole.length).toBeGreaterThanOrEqual(6);
    const expected = summary(whole);
    for (let cut = 0; cut <= TRICKY.length; cut++) {
      const pieces = [TRICKY.slice(0, cut), TRICKY.slice(cut)];
      const got = await collect(voice.stream(pieces, OPTIONS));
      expect(summary(got), `cut at ${cut}: ${JSON.stringify(TRICKY.slice(Math.max(0, cut - 8), cut))}|`).toEqual(expected);
    }
    // The samples themselves, for the text arriving word by word.
    const got = await collect(voice.stream(slowly(TRICKY.split(/(?<=\s)/)), OPTIONS));
    for (const [i, chunk] of got.entries()) expect(chunk.samples).toEqual(whole[i]!.samples);
  }, 120_000);

  it('gives the one-shot result for a corpus arriving word by word and character by character', async () => {
    const corpus = readFileSync(new URL('../fixtures/english_corpus.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .slice(0, 40)
      .join(' ');
    const expected = summary(await collect(voice.stream(corpus, OPTIONS)));
    expect(expected.length).toBeGreaterThanOrEqual(40);
    expect(summary(await collect(voice.stream(slowly(corpus.split(/(?= )/)), OPTIONS)))).toEqual(expected);
    expect(summary(await collect(voice.stream([...corpus], OPTIONS)))).toEqual(expected);
  }, 120_000);

  it('streams in windows as the one-shot stream does (chunks within sentences)', async () => {
    expect(voice.info.streaming.mode).toBe('window');
    const text = TRICKY.repeat(2);
    const windows = { noiseScale: 0, noiseW: 0 };
    const whole = await collect(voice.stream(text, windows));
    expect(whole.length).toBeGreaterThan(new Set(whole.map((c) => c.index)).size); // some sentence has 2+ windows
    const got = await collect(voice.stream(slowly(text.split(/(?= )/)), windows));
    // Each batch starts a stream, whose first window is small again (the next sentence may come
    // after the audio before it has ended), so windows may be cut elsewhere: compare sentences.
    // Windows cut elsewhere decode the same frames with other neighbours: equal within the
    // split's tolerance (tests/js/model_split.test.ts), not bit for bit.
    const [a, b] = [bySentence(got), bySentence(whole)];
    expect(a.map(({ samples, ...rest }) => ({ ...rest, samples: samples.length }))).toEqual(
      b.map(({ samples, ...rest }) => ({ ...rest, samples: samples.length })),
    );
    let maxDiff = 0;
    for (const [i, s] of a.entries())
      for (const [k, v] of s.samples.entries()) maxDiff = Math.max(maxDiff, Math.abs(v - b[i]!.samples[k]!));
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });

  it('speaks a sentence as soon as the next one begins, while the source still waits', async () => {
    let release!: () => void;
    const rest = new Promise<void>((resolve) => {
      release = resolve;
    });
    let sentAll = false;
    async function* source() {
      yield 'Tell me about yourself. ';
      yield 'What';
      await rest; // the rest arrives only after the first chunk did
      sentAll = true;
      yield ' is your greatest strength?';
    }
    const chunks: SpeechChunk[] = [];
    for await (const chunk of voice.stream(source(), OPTIONS)) {
      if (chunks.length === 0) {
        expect(sentAll).toBe(false);
        expect(chunk.index).toBe(0);
        release();
      }
      chunks.push(chunk);
    }
    expect(chunks.map((c) => c.index)).toEqual([0, 1]);
    expect(chunks[1]!.textStart).toBe('Tell me about yourself. '.length);
  });

  it('stops reading the source when the consumer stops, and passes on its errors', async () => {
    let finished = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield `Sentence number ${i}. `;
      } finally {
        finished = true;
      }
    }
    for await (const chunk of voice.stream(endless(), OPTIONS)) if (chunk.index === 2) break;
    expect(finished).toBe(true);

    async function* failing() {
      yield 'Hello there. And';
      throw new Error('the model went away');
    }
    await expect(collect(voice.stream(failing(), OPTIONS))).rejects.toThrow('the model went away');
  });

  it('rejects pieces that are not strings, and says nothing for blank input', async () => {
    expect(await codeOf(collect(voice.stream(['Hello. ', 42 as unknown as string], OPTIONS)))).toBe('INVALID_ARGUMENT');
    expect(await collect(voice.stream(['', '  ', '\n'], OPTIONS))).toEqual([]);
    expect(await collect(voice.stream([], OPTIONS))).toEqual([]);
  });

  it('stops at once when aborted', async () => {
    const controller = new AbortController();
    const pieces = ['One. ', 'Two. ', 'Three. ', 'Four.'];
    const seen: number[] = [];
    const run = (async () => {
      for await (const chunk of voice.stream(slowly(pieces), { ...OPTIONS, signal: controller.signal })) {
        seen.push(chunk.index);
        controller.abort();
      }
    })();
    expect(await codeOf(run)).toBe('ABORTED');
    expect(seen).toEqual([0]);
  });
});
