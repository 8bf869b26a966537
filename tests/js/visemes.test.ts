// Viseme options through the public API: `visemeSet: 'azure'` and `minVisemeMs`. Expected
// shapes come from the tables in docs/visemes.md, typed in here by hand for a few sounds.
import { beforeAll, describe, expect, it } from 'vitest';

import type { SpeechChunk, Voice, VisemeEvent } from '../../dist/index.js';
import { tinyEngine } from './voices.js';
import { AZURE_NAMES, OCULUS_NAMES } from './viseme_names.js';

// Noise-free: repeatable phoneme spans (the tiny voice gives ~4 frames, ~45 ms, per id).
const BASE = { noiseW: 0, noiseScale: 0 };
const TEXT = 'Bob saw five fish. They really liked cold thin milk.';

// docs/visemes.md, "The two sets": consonants (and two vowels) whose shape has no exception.
const OCULUS: Record<string, [string, number]> = {
  b: ['PP', 1],
  m: ['PP', 1],
  f: ['FF', 2],
  v: ['FF', 2],
  θ: ['TH', 3],
  ð: ['TH', 3],
  d: ['DD', 4],
  k: ['kk', 5],
  ʃ: ['CH', 6],
  s: ['SS', 7],
  n: ['nn', 8],
  l: ['nn', 8],
  ɹ: ['RR', 9],
  ɑ: ['aa', 10],
  ɔ: ['oh', 13],
};
const AZURE: Record<string, number> = {
  b: 21,
  m: 21,
  f: 18,
  v: 18,
  θ: 19,
  ð: 17,
  d: 19,
  k: 20,
  ʃ: 16,
  s: 15,
  n: 19,
  l: 14,
  ɹ: 13,
  ɑ: 2,
  ɔ: 3,
};

let voice: Voice;
beforeAll(async () => {
  ({ voice } = await tinyEngine());
}, 120_000);

/** Whole sentences: these rules are per sentence (each one's visemes cover its audio). */
async function chunks(options: object): Promise<SpeechChunk[]> {
  const out: SpeechChunk[] = [];
  for await (const c of voice.stream(TEXT, { ...BASE, chunking: 'sentence', ...options })) out.push(c);
  return out;
}

/** The event showing at the middle of each (non-empty) span of `symbol`. */
function eventsOver(chunk: SpeechChunk, symbol: string): VisemeEvent[] {
  return chunk.phonemes
    .filter((p) => p.phoneme === symbol && p.endMs > p.startMs)
    .map((p) => {
      const mid = (p.startMs + p.endMs) / 2;
      return chunk.visemes.find((v) => v.startMs <= mid && mid < v.endMs)!;
    });
}

function expectContiguous(chunk: SpeechChunk): void {
  expect(chunk.visemes[0]!.startMs).toBe(0);
  for (let i = 1; i < chunk.visemes.length; i++) expect(chunk.visemes[i]!.startMs).toBe(chunk.visemes[i - 1]!.endMs);
  expect(chunk.visemes.at(-1)!.endMs).toBeCloseTo(chunk.durationMs, 6);
}

describe('viseme sets', () => {
  it('oculus (default) names and ids follow the table', async () => {
    const result = await chunks({ minVisemeMs: 0 });
    let checked = 0;
    for (const chunk of result) {
      expectContiguous(chunk);
      for (const e of chunk.visemes) expect(OCULUS_NAMES[e.id]).toBe(e.viseme);
      for (const [symbol, [name, id]] of Object.entries(OCULUS))
        for (const e of eventsOver(chunk, symbol)) {
          expect({ symbol, viseme: e.viseme, id: e.id }).toEqual({ symbol, viseme: name, id });
          checked++;
        }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('azure: ids 0-21 with their SAPI names, sounds map per the table', async () => {
    const result = await chunks({ visemeSet: 'azure', minVisemeMs: 0 });
    let checked = 0;
    for (const chunk of result) {
      expectContiguous(chunk);
      for (const e of chunk.visemes) expect(AZURE_NAMES[e.id]).toBe(e.viseme);
      for (const [symbol, id] of Object.entries(AZURE))
        for (const e of eventsOver(chunk, symbol)) {
          expect({ symbol, id: e.id }).toEqual({ symbol, id });
          checked++;
        }
      // Silence at both ends (^ and $ are silence in both sets).
      expect(chunk.visemes[0]!.id).toBe(0);
      expect(chunk.visemes.at(-1)!.id).toBe(0);
    }
    expect(checked).toBeGreaterThanOrEqual(15);
    // a+ɪ ("five", "liked") is Microsoft's diphthong viseme 11 (ay).
    expect(result.flatMap((c) => eventsOver(c, 'a')).map((e) => e.id)).toContain(11);
  });
});

describe('minVisemeMs', () => {
  const LIP_CONTACT = { oculus: new Set([1, 2]), azure: new Set([21, 18]) };

  it.each(['oculus', 'azure'] as const)('%s: no event shorter than it except the documented ones', async (visemeSet) => {
    // Fast speech: phoneme + pad of ~2 frames (23 ms) each, so the rule has work to do.
    const raw = await chunks({ visemeSet, minVisemeMs: 0, lengthScale: 0.25 });
    for (const minVisemeMs of [30, 80]) {
      const merged = await chunks({ visemeSet, minVisemeMs, lengthScale: 0.25 });
      let shortBefore = 0;
      merged.forEach((chunk, c) => {
        expectContiguous(chunk);
        // Same audio and phonemes: only the grouping of visemes may change.
        expect(chunk.phonemes).toEqual(raw[c]!.phonemes);
        expect(chunk.visemes.length).toBeLessThanOrEqual(raw[c]!.visemes.length);
        shortBefore += raw[c]!.visemes.filter((e) => e.endMs - e.startMs < minVisemeMs).length;
        chunk.visemes.forEach((e, i) => {
          if (e.endMs - e.startMs >= minVisemeMs) return;
          // docs/visemes.md "Merging and minimum duration": lip contacts never merge away, and
          // speech never merges into silence (so a short sound between pauses stays).
          const neighbours = [chunk.visemes[i - 1], chunk.visemes[i + 1]].filter((n) => n !== undefined);
          const lipContact = LIP_CONTACT[visemeSet].has(e.id);
          const isolatedSpeech = e.id !== 0 && neighbours.every((n) => n.id === 0);
          expect({ event: e, lipContact, isolatedSpeech }).toMatchObject({ event: e, ...(lipContact ? {} : { isolatedSpeech: true }) });
        });
        // Equal neighbours always merge.
        for (let i = 1; i < chunk.visemes.length; i++) expect(chunk.visemes[i]!.id).not.toBe(chunk.visemes[i - 1]!.id);
      });
      // Otherwise the option would not have been exercised.
      expect(shortBefore).toBeGreaterThan(0);
    }
  });
});
