/**
 * Speech → the events Azure Speech's SDK raises while it synthesizes: `VisemeReceived`
 * (`audioOffset` in 100-nanosecond ticks, `visemeId` 0–21) and `WordBoundary` (offset and
 * duration in ticks, the word and its UTF-16 offset in the text), for code written against Azure.
 *
 * ```ts
 * const speech = await voice.synthesize(text, { visemeSet: 'azure' });
 * const { visemes, words } = toAzureVisemeEvents(speech, text);
 * for (const e of visemes) setTimeout(() => face.show(e.visemeId), e.audioOffset / 10_000);
 * ```
 *
 * The speech must be synthesized with `visemeSet: 'azure'` (Azure's ids are not Oculus's). Word
 * boundaries need the text; without it `words` is empty.
 */
import { requireVisemeSet } from '../viseme_sets.js';
import { bareWord, type SpeechInput, speechTimeline } from './speech_timeline.js';

/** 100-ns ticks per millisecond (Azure's audioOffset unit). */
const TICKS_PER_MS = 10_000;

export interface AzureVisemeEvent {
  audioOffset: number;
  visemeId: number;
}

export interface AzureWordBoundary {
  audioOffset: number;
  duration: number;
  text: string;
  textOffset: number;
  wordLength: number;
  boundaryType: 'WordBoundary';
}

export function toAzureVisemeEvents(speech: SpeechInput, text?: string): { visemes: AzureVisemeEvent[]; words: AzureWordBoundary[] } {
  const timeline = speechTimeline(speech);
  requireVisemeSet(timeline.visemes, 'azure', 'toAzureVisemeEvents');
  const ticks = (ms: number) => Math.round(ms * TICKS_PER_MS);
  const visemes = timeline.visemes.map((v) => ({ audioOffset: ticks(v.startMs), visemeId: v.id }));
  const words: AzureWordBoundary[] = [];
  if (text !== undefined)
    for (const w of timeline.words) {
      const bare = bareWord(text, w);
      if (!bare) continue;
      words.push({
        audioOffset: ticks(w.startMs),
        duration: ticks(w.endMs) - ticks(w.startMs),
        text: text.slice(bare.start, bare.end),
        textOffset: bare.start,
        wordLength: bare.end - bare.start,
        boundaryType: 'WordBoundary',
      });
    }
  return { visemes, words };
}
