/**
 * Speech chunks → timed cues on one audio timeline, and viseme blending for render loops. Pure
 * (no Web Audio, no DOM), so the Player's ordering and word rules are testable with a fake clock.
 *
 * ```ts
 * const cues = chunkCues(chunk, 12.5, text);        // chunk starts at context time 12.5 s
 * const queue = new CueQueue();
 * queue.push(cues);
 * for (const cue of queue.takeDue(12.6)) console.log(cue.type, cue.time);   // in time order
 * const track = new VisemeTrack();
 * track.add(chunk, 12.5);
 * track.frameAt(12.6, 40, 60).weights;              // [{ viseme: 'aa', id: 10, weight: 0.8 }, …]
 * ```
 *
 * All times are in seconds on the AudioContext timeline at the moment the audio is heard. Cues
 * are fresh objects owned by whoever takes them; the Player fills `dispatchTime` on dispatch.
 */
import type { SpeechChunk, TimedPhoneme } from './types.js';

/** What every cue carries: when its audio is heard and when the callback actually ran. */
export interface CueTiming {
  /** Context time (s) at which the cue's audio is heard: chunk start + offset in the chunk. */
  time: number;
  /** Context time (s) at which it stops (the next cue of the same kind may start there). */
  endTime: number;
  /** The Player's latency-corrected context time (s) when the callback ran; `time` is the target. */
  dispatchTime: number;
  /** `SpeechChunk.index` of the chunk the cue comes from (sentence number in its utterance). */
  chunkIndex: number;
}

/** A sentence starts being heard (from its first chunk; `durationMs` is the whole sentence's). */
export interface SentenceCue extends CueTiming {
  type: 'sentence';
  /** UTF-16 span of the sentence in the text that was synthesized. */
  textStart: number;
  textEnd: number;
  durationMs: number;
  /** The sentence's text, when the Player knows the text (speak(), or enqueue(chunk, { text })). */
  text?: string;
}

/** A word starts being heard: a run of phonemes with the same text span (silence has no word). */
export interface WordCue extends CueTiming {
  type: 'word';
  textStart: number;
  textEnd: number;
  /** The word as written, when the Player knows the text. */
  text?: string;
}

/** A phoneme starts being heard (every phoneme, the ^ $ pads included). */
export interface PhonemeCue extends CueTiming {
  type: 'phoneme';
  phoneme: string;
  /** UTF-16 span of its word; -1 for silence pads and word gaps. */
  textStart: number;
  textEnd: number;
}

/** A viseme starts: the mouth shape to show from now until `endTime`. */
export interface VisemeCue extends CueTiming {
  type: 'viseme';
  /** Name in the chunk's set, e.g. "PP", "aa", "sil" (Oculus 15). */
  viseme: string;
  id: number;
  /** Peak intensity 0..1 (reduced vowels are weaker). */
  weight: number;
}

/** Everything that was scheduled has been heard (and no speak() stream is still running). */
export interface EndCue {
  type: 'end';
  time: number;
  dispatchTime: number;
}

/** Playback should run but the AudioContext stays suspended: the browser wants a user gesture. */
export interface BlockedCue {
  type: 'blocked';
  /** The context's state at the time (normally "suspended"). */
  state: string;
  time: number;
  dispatchTime: number;
}

/** An SSML `<mark>` is reached: the first word after it starts being heard (or the speech before it ends). */
export interface MarkCue extends CueTiming {
  type: 'mark';
  name: string;
  /** UTF-16 offset of the `<mark>` element in the text. */
  textOffset: number;
}

export type TimelineCue = SentenceCue | WordCue | PhonemeCue | VisemeCue | MarkCue;

/** One word of a chunk: its text span and its sample span (from its first to its last phoneme). */
export interface WordSpan {
  textStart: number;
  textEnd: number;
  startSample: number;
  endSample: number;
}

/**
 * Words from phoneme text spans: a word starts where a phoneme's span differs from the current
 * word's; phonemes with span -1 (pads, pauses, word gaps) belong to no word and do not end one
 * (a span that resumes after a gap continues the same word).
 */
export function wordSpans(phonemes: readonly TimedPhoneme[]): WordSpan[] {
  const words: WordSpan[] = [];
  let current: WordSpan | undefined;
  for (const p of phonemes) {
    if (p.textStart < 0 || p.textEnd < 0) continue;
    if (current && current.textStart === p.textStart && current.textEnd === p.textEnd) {
      current.endSample = p.endSample;
      continue;
    }
    current = { textStart: p.textStart, textEnd: p.textEnd, startSample: p.startSample, endSample: p.endSample };
    words.push(current);
  }
  return words;
}

// Cues at the same instant fire mark → sentence → word → phoneme → viseme: a mark stands before
// the word it announces, then outer units first.
const RANK: Record<TimelineCue['type'], number> = { mark: -1, sentence: 0, word: 1, phoneme: 2, viseme: 3 };

/**
 * All cues of one chunk whose audio starts at `startTime` (s), sorted by time then rank. A window
 * of a sentence (windowed streaming) gives the sentence cue only from its first chunk
 * (`sampleOffset` 0), spanning the whole sentence; its words, phonemes and visemes are those that
 * start in it, so every cue of a sentence fires once however it was chunked.
 */
export function chunkCues(chunk: SpeechChunk, startTime: number, text?: string): TimelineCue[] {
  const rate = chunk.sampleRate;
  const at = (sample: number) => startTime + sample / rate;
  const chunkIndex = chunk.index;
  const cues: TimelineCue[] = [];
  // Chunks made before windows existed (stored, or built by hand) lack the fields: a sentence each.
  // An SSML <break> is silence, not a sentence.
  if (!(chunk.sampleOffset > 0) && !chunk.pause) {
    const sentenceSamples = Number.isFinite(chunk.sentenceSamples) ? chunk.sentenceSamples : chunk.samples.length;
    const durationSec = sentenceSamples / rate;
    cues.push({
      type: 'sentence',
      time: startTime,
      endTime: startTime + durationSec,
      dispatchTime: Number.NaN,
      chunkIndex,
      textStart: chunk.textStart,
      textEnd: chunk.textEnd,
      durationMs: durationSec * 1000,
      ...(text !== undefined && { text: text.slice(chunk.textStart, chunk.textEnd) }),
    });
  }
  for (const w of wordSpans(chunk.phonemes))
    cues.push({
      type: 'word',
      time: at(w.startSample),
      endTime: at(w.endSample),
      dispatchTime: Number.NaN,
      chunkIndex,
      textStart: w.textStart,
      textEnd: w.textEnd,
      ...(text !== undefined && { text: text.slice(w.textStart, w.textEnd) }),
    });
  for (const p of chunk.phonemes)
    cues.push({
      type: 'phoneme',
      time: at(p.startSample),
      endTime: at(p.endSample),
      dispatchTime: Number.NaN,
      chunkIndex,
      phoneme: p.phoneme,
      textStart: p.textStart,
      textEnd: p.textEnd,
    });
  for (const v of chunk.visemes)
    cues.push({
      type: 'viseme',
      time: startTime + v.startMs / 1000,
      endTime: startTime + v.endMs / 1000,
      dispatchTime: Number.NaN,
      chunkIndex,
      viseme: v.viseme,
      id: v.id,
      weight: v.weight,
    });
  for (const m of chunk.marks ?? [])
    cues.push({
      type: 'mark',
      time: at(m.sample),
      endTime: at(m.sample),
      dispatchTime: Number.NaN,
      chunkIndex,
      name: m.name,
      textOffset: m.textOffset,
    });
  // Stable: equal time and rank keep the chunk's own order.
  return cues.sort((a, b) => a.time - b.time || RANK[a.type] - RANK[b.type]);
}

/**
 * Cues waiting for their time. Chunks are scheduled one after another, so cues arrive in time
 * order and a push only appends (a cue earlier than the last one is merged in place, so order
 * holds whatever the caller does).
 */
export class CueQueue {
  private cues: TimelineCue[] = [];
  private head = 0;

  get size(): number {
    return this.cues.length - this.head;
  }

  push(cues: readonly TimelineCue[]): void {
    for (const cue of cues) {
      const last = this.cues[this.cues.length - 1];
      if (this.size === 0 || !last || last.time <= cue.time) {
        this.cues.push(cue);
        continue;
      }
      let i = this.cues.length;
      while (i > this.head && this.cues[i - 1]!.time > cue.time) i--;
      this.cues.splice(i, 0, cue);
    }
  }

  /** Removes and returns, in order, every cue with `time <= now` (all of them if a frame was late). */
  takeDue(now: number): TimelineCue[] {
    const due: TimelineCue[] = [];
    while (this.head < this.cues.length && this.cues[this.head]!.time <= now) due.push(this.cues[this.head++]!);
    if (this.head > 1024 && this.head * 2 > this.cues.length) {
      this.cues = this.cues.slice(this.head);
      this.head = 0;
    }
    return due;
  }

  clear(): void {
    this.cues = [];
    this.head = 0;
  }
}

/** One viseme's contribution to a blended mouth. */
export interface VisemeWeight {
  viseme: string;
  id: number;
  weight: number;
}

/** The mouth at one instant: the viseme being heard, and blended weights for morph targets. */
export interface VisemeFrame {
  /** Context time (s) this frame describes. */
  time: number;
  /** The viseme whose span holds `time` (hard cut, for sprite/SVG mouths); silence outside speech. */
  viseme: string;
  id: number;
  weight: number;
  /** Attack/release-smoothed weights, ascending id, zeros left out, summing to at most 1. */
  weights: VisemeWeight[];
}

interface TrackedViseme {
  viseme: string;
  id: number;
  weight: number;
  start: number;
  end: number;
}

/**
 * Viseme events of the scheduled chunks on the context timeline, for pull-style render loops.
 * Blending mirrors the core's VisemeTimeline::weightsAt (src/timeline/viseme_blend.cpp): each
 * event's envelope rises from 0 at start − attack to 1 at start, falls from 1 at end to 0 at
 * end + release, and overlapping envelopes are normalised so they never sum above 1.
 */
export class VisemeTrack {
  private events: TrackedViseme[] = [];
  private silence = { viseme: 'sil', id: 0 };

  add(chunk: Pick<SpeechChunk, 'visemes'>, startTime: number): void {
    for (const v of chunk.visemes) {
      // The set's own silence name ("sil" for Oculus, "silence" for Azure), learnt from the data.
      if (v.id === 0) this.silence = { viseme: v.viseme, id: 0 };
      const event = { viseme: v.viseme, id: v.id, weight: v.weight, start: startTime + v.startMs / 1000, end: startTime + v.endMs / 1000 };
      if (!(event.end > event.start)) continue;
      let i = this.events.length;
      while (i > 0 && this.events[i - 1]!.start > event.start) i--;
      this.events.splice(i, 0, event);
    }
  }

  /** Forgets events that ended (release included) before `time`. */
  prune(time: number, releaseMs: number): void {
    const limit = time - releaseMs / 1000;
    let n = 0;
    while (n < this.events.length && this.events[n]!.end < limit) n++;
    if (n) this.events.splice(0, n);
  }

  clear(): void {
    this.events = [];
  }

  frameAt(time: number, attackMs: number, releaseMs: number): VisemeFrame {
    const attack = Math.max(0, attackMs) / 1000;
    const release = Math.max(0, releaseMs) / 1000;
    const active = this.events.find((e) => e.start <= time && time < e.end);
    const frame: VisemeFrame = {
      time,
      viseme: active?.viseme ?? this.silence.viseme,
      id: active?.id ?? 0,
      weight: active?.weight ?? 1,
      weights: [],
    };
    const envelope = (e: TrackedViseme): number => {
      if (time < e.start) return attack > 0 ? Math.max(0, (time - (e.start - attack)) / attack) : 0;
      if (time < e.end) return 1;
      return release > 0 ? Math.max(0, 1 - (time - e.end) / release) : 0;
    };
    const near = this.events.filter((e) => e.start - attack <= time && time < e.end + release);
    const total = near.reduce((sum, e) => sum + envelope(e), 0);
    if (!(total > 0)) return frame;
    const scale = 1 / Math.max(1, total);
    const byId = new Map<number, VisemeWeight>();
    for (const e of near) {
      const w = e.weight * envelope(e) * scale;
      if (!(w > 0)) continue;
      const entry = byId.get(e.id);
      if (entry) entry.weight = Math.min(1, entry.weight + w);
      else byId.set(e.id, { viseme: e.viseme, id: e.id, weight: Math.min(1, w) });
    }
    frame.weights = [...byId.values()].sort((a, b) => a.id - b.id);
    return frame;
  }
}
