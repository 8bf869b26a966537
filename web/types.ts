/** One phoneme of Piper's sequence: a single IPA codepoint (or a unit from a `[[ ]]` block). */
export interface PhonemeToken {
  phoneme: string;
  /** UTF-16 offsets into the text that was passed in: the word this phoneme belongs to. */
  textStart: number;
  textEnd: number;
}

/** The phonemes of one sentence, as Piper would feed it to a voice. */
export interface PhonemizedSentence {
  /** UTF-16 span of the sentence in the input text. */
  textStart: number;
  textEnd: number;
  phonemes: PhonemeToken[];
}

export interface PhonemizeOptions {
  /** espeak-ng voice, normally the Piper config's `espeak.voice`. Default `"en-us"`. */
  voice?: string;
  /** Longest accepted input in characters (codepoints). Default 100 000. */
  maxChars?: number;
}
