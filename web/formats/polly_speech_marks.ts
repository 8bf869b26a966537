/**
 * Speech → Amazon Polly speech marks: one mark per sentence, word, viseme and SSML `<mark>`, with `time` in whole
 * milliseconds from the start of the audio and `start`/`end` as UTF-8 **byte** offsets into the
 * text (Polly's convention), for tools that already consume Polly's output.
 *
 * ```ts
 * const marks = toPollySpeechMarks(await voice.synthesize(text), text);
 * download(toJsonLines(marks));      // {"time":0,"type":"sentence","start":0,"end":23,"value":"…"}
 * ```
 *
 * Polly's 17 visemes are finer than Oculus's 15 for three vowels; from Oculus visemes this gives
 * `a` (never `@`), `e` (never `E`) and `o` (never `O`). Word marks carry the words without the
 * punctuation espeak-ng attaches to them, as Polly's do.
 */
import type { OculusViseme } from '../viseme_sets.js';
import { requireVisemeSet } from '../viseme_sets.js';
import { bareWord, checkTextSpan, type SpeechInput, speechTimeline, utf8Offsets } from './speech_timeline.js';

export type PollyViseme = 'sil' | 'p' | 'f' | 'T' | 't' | 'k' | 'S' | 's' | 'r' | 'a' | 'e' | 'i' | 'o' | 'u' | '@' | 'E' | 'O';

export type PollySpeechMark =
  | { time: number; type: 'sentence' | 'word' | 'ssml'; start: number; end: number; value: string }
  | { time: number; type: 'viseme'; value: PollyViseme };

/** Oculus → Polly (Polly's en-US viseme table: p b m → p, f v → f, θ ð → T, t d n l → t, …). */
const POLLY: Record<OculusViseme, PollyViseme> = {
  sil: 'sil',
  PP: 'p',
  FF: 'f',
  TH: 'T',
  DD: 't',
  kk: 'k',
  CH: 'S',
  SS: 's',
  nn: 't',
  RR: 'r',
  aa: 'a',
  E: 'e',
  ih: 'i',
  oh: 'o',
  ou: 'u',
};

// An SSML mark comes before the word it announces, as in Polly's output.
const RANK = { ssml: -1, sentence: 0, word: 1, viseme: 2 } as const;

export function toPollySpeechMarks(speech: SpeechInput, text: string): PollySpeechMark[] {
  const timeline = speechTimeline(speech);
  requireVisemeSet(timeline.visemes, 'oculus', 'toPollySpeechMarks');
  const bytes = utf8Offsets(text);
  const marks: PollySpeechMark[] = [];
  for (const s of timeline.sentences) {
    if (s.pause) continue; // an SSML <break> is silence, not a sentence
    checkTextSpan(text, s);
    const [start, end] = trimSpaces(text, s.textStart, s.textEnd);
    marks.push({ time: Math.round(s.startMs), type: 'sentence', start: bytes[start]!, end: bytes[end]!, value: text.slice(start, end) });
  }
  for (const w of timeline.words) {
    const bare = bareWord(text, w);
    if (bare)
      marks.push({
        time: Math.round(w.startMs),
        type: 'word',
        start: bytes[bare.start]!,
        end: bytes[bare.end]!,
        value: text.slice(bare.start, bare.end),
      });
  }
  // Polly's "ssml" marks: start/end are the bytes of the <mark/> element in the SSML.
  for (const m of timeline.marks) {
    const close = text.indexOf('>', m.textOffset);
    const end = close < 0 ? text.length : close + 1;
    marks.push({ time: Math.round(m.ms), type: 'ssml', start: bytes[m.textOffset]!, end: bytes[end]!, value: m.name });
  }
  for (const v of timeline.visemes) marks.push({ time: Math.round(v.startMs), type: 'viseme', value: POLLY[v.viseme as OculusViseme] });
  // Stable: equal time and type keep their order.
  return marks.sort((a, b) => a.time - b.time || RANK[a.type] - RANK[b.type]);
}

/** Polly's file format: one JSON object per line. */
export function toJsonLines(marks: readonly object[]): string {
  return marks.map((m) => JSON.stringify(m)).join('\n') + (marks.length ? '\n' : '');
}

function trimSpaces(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return [start, end];
}
