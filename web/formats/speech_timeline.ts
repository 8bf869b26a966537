/**
 * What every converter in `web/formats/` reads: one speech (a chunk, a joined result, a stored
 * speech or a list of chunks) as a single timeline in milliseconds from its first sample, with its
 * sentences and words. Pure; nothing is copied but the small timing arrays.
 */
import { AvatarVoiceError } from '../errors.js';
import { chunkTimeline } from '../chunk_timeline.js';
import { wordSpans } from '../speech_cues.js';
import type { SentenceSpan, SpeechChunk, SpeechMark, TimedMark, TimedPhoneme, VisemeEvent } from '../types.js';

/**
 * Anything that carries a timeline: a `SpeechChunk` from `voice.stream()`, the `SynthesisResult`
 * of `voice.synthesize()`, a `StoredSpeech` from `store.loadSpeech()`, or an array of chunks (in
 * order, as streamed).
 */
export type SpeechInput =
  | {
      sampleRate: number;
      samples?: Float32Array;
      durationMs?: number;
      phonemes: readonly TimedPhoneme[];
      visemes: readonly VisemeEvent[];
      /** SynthesisResult's sentence boundaries; without them sentences run from one ^ to its $. */
      sentences?: readonly SentenceSpan[];
      /** A SpeechChunk's own sentence span. */
      textStart?: number;
      textEnd?: number;
      /** SSML marks: a SynthesisResult's, or a SpeechChunk's (samples from its start either way). */
      marks?: readonly SpeechMark[];
    }
  | readonly SpeechChunk[];

/** A word as spoken: its UTF-16 span in the text and its time span. */
export interface TimedWord {
  textStart: number;
  textEnd: number;
  startMs: number;
  endMs: number;
}

export interface SpeechTimeline {
  /** SSML marks on the same clock (empty for plain text). */
  marks: readonly TimedMark[];
  durationMs: number;
  sampleRate: number;
  phonemes: readonly TimedPhoneme[];
  visemes: readonly VisemeEvent[];
  sentences: SentenceSpan[];
  words: TimedWord[];
}

export function speechTimeline(input: SpeechInput): SpeechTimeline {
  if (Array.isArray(input)) return joinedTimeline(input as readonly SpeechChunk[]);
  const single = input as Exclude<SpeechInput, readonly SpeechChunk[]>;
  const rate = single.sampleRate;
  if (!(rate > 0)) throw new AvatarVoiceError('INVALID_ARGUMENT', `sample rate ${rate} is not positive`);
  const durationMs = single.samples ? (single.samples.length * 1000) / rate : (single.durationMs ?? single.phonemes.at(-1)?.endMs ?? 0);
  const sentences = single.sentences
    ? [...single.sentences]
    : single.textStart !== undefined && single.textEnd !== undefined
      ? [
          {
            textStart: single.textStart,
            textEnd: single.textEnd,
            startMs: 0,
            endMs: durationMs,
            startSample: 0,
            endSample: Math.round((durationMs * rate) / 1000),
          },
        ]
      : sentencesFromPads(single.phonemes, rate);
  return {
    marks: (single.marks ?? []).map((m) => ({ name: m.name, sample: m.sample, ms: (m.sample * 1000) / rate, textOffset: m.textOffset })),
    durationMs,
    sampleRate: rate,
    phonemes: single.phonemes,
    visemes: single.visemes,
    sentences,
    words: wordsOf(single.phonemes, rate),
  };
}

function joinedTimeline(chunks: readonly SpeechChunk[]): SpeechTimeline {
  const rate = chunks[0]?.sampleRate ?? 22050;
  if (chunks.some((c) => c.sampleRate !== rate))
    throw new AvatarVoiceError('INVALID_ARGUMENT', 'chunks of one speech must share a sample rate');
  const { phonemes, visemes, sentences, marks, samples } = chunkTimeline(chunks, rate);
  return { marks, durationMs: (samples * 1000) / rate, sampleRate: rate, phonemes, visemes, sentences, words: wordsOf(phonemes, rate) };
}

/** Sentences of a stored speech: each chunk's phonemes run from its "^" pad to its "$" pad. */
function sentencesFromPads(phonemes: readonly TimedPhoneme[], rate: number): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  let open: TimedPhoneme[] = [];
  const close = () => {
    const spoken = open.filter((p) => p.textStart >= 0);
    if (open.length && spoken.length)
      out.push({
        textStart: Math.min(...spoken.map((p) => p.textStart)),
        textEnd: Math.max(...spoken.map((p) => p.textEnd)),
        startMs: open[0]!.startMs,
        endMs: open.at(-1)!.endMs,
        startSample: open[0]!.startSample ?? Math.round((open[0]!.startMs * rate) / 1000),
        endSample: open.at(-1)!.endSample ?? Math.round((open.at(-1)!.endMs * rate) / 1000),
      });
    open = [];
  };
  for (const p of phonemes) {
    if (p.phoneme === '^') close();
    open.push(p);
    if (p.phoneme === '$') close();
  }
  close();
  return out;
}

function wordsOf(phonemes: readonly TimedPhoneme[], rate: number): TimedWord[] {
  return wordSpans(phonemes).map((w) => ({
    textStart: w.textStart,
    textEnd: w.textEnd,
    startMs: (w.startSample * 1000) / rate,
    endMs: (w.endSample * 1000) / rate,
  }));
}

/**
 * A word's span without the punctuation espeak-ng attaches to it ("please." → "please"), as
 * speech-mark formats report words; null when nothing but punctuation is left.
 */
export function bareWord(text: string, word: TimedWord): { start: number; end: number } | null {
  checkTextSpan(text, word);
  let start = word.textStart;
  let end = word.textEnd;
  const punct = /[\p{P}\p{S}\s]/u;
  while (start < end && punct.test(text[start]!)) start++;
  while (end > start && punct.test(text[end - 1]!)) end--;
  // Never split a surrogate pair.
  if (end < word.textEnd && end > start && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end++;
  return end > start ? { start, end } : null;
}

/** Throws INVALID_ARGUMENT when a span of the speech does not fit the text it is said to be of. */
export function checkTextSpan(text: string, span: { textStart: number; textEnd: number }): void {
  if (span.textEnd > text.length || span.textStart < 0 || span.textStart > span.textEnd)
    throw new AvatarVoiceError(
      'INVALID_ARGUMENT',
      `the text does not match this speech: a span ${span.textStart}–${span.textEnd} of ${text.length} characters`,
    );
}

/** UTF-8 byte offset of every UTF-16 index of `text` (length + 1 entries). */
export function utf8Offsets(text: string): Uint32Array {
  const out = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    out[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      out[++i] = bytes; // the low surrogate starts no character: it maps past the pair
    } else bytes += 3;
  }
  out[text.length] = bytes;
  return out;
}
