/**
 * Text that arrives piece by piece (a language model's tokens, a socket) → its complete
 * sentences, as soon as they are complete: what `voice.stream(pieces)` synthesizes.
 *
 * A sentence is complete once the voice's own planner (the one `stream(text)` uses), run on the
 * text not yet spoken, puts another sentence with a word in it after it: text that arrives later
 * can then no longer join it, so each batch plans and sounds as it would inside the whole text. The last sentence
 * waits for the end of the input. tests/js/incremental_text.test.ts checks the ids of every
 * batch against the one-shot plan of the whole text, cut into two pieces at every position.
 *
 * ```ts
 * for await (const batch of completeSentences(tokens, (text) => engine.sentenceSpans(voiceId, text)))
 *   for await (const chunk of synthesize(batch.text, { sentenceLimit: batch.sentences }))
 *     play(shiftChunk(chunk, sentencesBefore, batch.offset));
 * ```
 */
import { AvatarVoiceError } from './errors.js';
import type { SpeechChunk, TextSpan } from './types.js';

/**
 * The first `sentences` sentences of `text` are complete (all of them when undefined: the input
 * ended); `text` is everything received from `offset` (UTF-16) on, so that they are planned with
 * the text that follows them, as in the whole input.
 */
export interface TextBatch {
  text: string;
  offset: number;
  sentences?: number;
}

/** The voice's sentence cuts of `text` (UTF-16 spans, in order). */
export type SentencePlanner = (text: string) => Promise<TextSpan[]>;

/** Text pieces in order; their concatenation is the utterance. */
export type TextPieces = AsyncIterable<string> | Iterable<string>;

const WORD = /[\p{L}\p{N}]/u;

export async function* completeSentences(pieces: TextPieces, plan: SentencePlanner): AsyncGenerator<TextBatch> {
  let text = ''; // everything received so far
  let spoken = 0; // text[0, spoken) was yielded
  for await (const piece of pieces) {
    if (typeof piece !== 'string')
      throw new AvatarVoiceError('INVALID_ARGUMENT', `stream(pieces): every piece must be a string, got ${typeof piece}`);
    text += piece;
    const rest = text.slice(spoken);
    // A piece may end inside a surrogate pair; the planner wants well-formed text.
    if (!/\S/.test(rest) || /[\uD800-\uDBFF]$/.test(rest)) continue;
    const spans = await plan(rest);
    // The open sentence: the last one with a word in it. A "sentence" of punctuation only may
    // still join what comes before it ("it.." + "." is an ellipsis, not two sentences).
    let open = spans.length - 1;
    while (open > 0 && !WORD.test(rest.slice(spans[open]!.textStart, spans[open]!.textEnd))) open--;
    if (open < 1) continue;
    yield { text: rest, offset: spoken, sentences: open };
    spoken += spans[open]!.textStart;
  }
  const rest = text.slice(spoken);
  if (/\S/.test(rest)) yield { text: rest, offset: spoken };
}

/**
 * `chunk` of a batch, renumbered into the whole input: its sentence index after the
 * `sentencesBefore` sentences of earlier batches, its text spans shifted by the batch's `offset`.
 */
export function shiftChunk(chunk: SpeechChunk, sentencesBefore: number, offset: number): SpeechChunk {
  const shift = (at: number) => (at >= 0 ? at + offset : at);
  return {
    ...chunk,
    index: chunk.index + sentencesBefore,
    textStart: shift(chunk.textStart),
    textEnd: shift(chunk.textEnd),
    phonemes: chunk.phonemes.map((p) => ({ ...p, textStart: shift(p.textStart), textEnd: shift(p.textEnd) })),
  };
}
