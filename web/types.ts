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

/** A voice's description, from its Piper `.onnx.json` (see {@link AvatarVoice.loadVoice}). */
export interface VoiceInfo {
  /** Handle of the loaded voice inside the engine. */
  voiceId: string;
  sampleRate: number;
  quality: string | null;
  espeakVoice: string | null;
  numSpeakers: number;
  speakers: { name: string; id: number }[];
  defaults: { noiseScale: number; lengthScale: number; noiseW: number };
  hopLength: number;
  /** "model": exact per-phoneme timings from the model's durations; "estimated": no Ceil node. */
  timing: 'model' | 'estimated';
  /** How `voice.stream()` cuts speech into chunks with this voice (see {@link VoiceStreaming}). */
  streaming: VoiceStreaming;
  /** SHA-256 of the model bytes (hex). */
  sha256: string;
  /** Its id in the OPFS voice cache, or null when it was not cached. */
  cachedId?: string | null;
  modelBytes: number;
  /** Where loadVoice() spent its time, in ms (engine side; `readMs` in the page). */
  loadTimings?: VoiceLoadTimings;
  /** onnxruntime-web's inference threads (see `OrtOptions.numThreads`: 1 in Firefox by default). */
  threads?: number;
  language: Record<string, string>;
}

/** Where loadVoice() spent its time (ms). The model's SHA-256 runs off-thread meanwhile. */
export interface VoiceLoadTimings {
  /**
   * `cachedParts`: a cached voice loaded from what an earlier load computed (its split parts,
   * kept beside it in OPFS), without reading, patching or cutting the model; `model`: from the model.
   */
  source: 'model' | 'cachedParts';
  /**
   * Reading the model and config (download, file, OPFS cache); for cached parts only their
   * description: the part files are read while the sessions are created (in `sessionsMs`).
   */
  readMs: number;
  /** Exposing the duration output (core patchModel). */
  patchMs: number;
  /** Cutting the model for windowed streaming (core splitModel). */
  splitMs: number;
  /**
   * Waiting for onnxruntime-web to start (fetch + compile of its wasm, its threads) once the
   * model was ready for it; 0 when it had started already (see `OrtOptions.preload`).
   */
  runtimeMs: number;
  /** Creating the onnxruntime-web session(s). */
  sessionsMs: number;
  /**
   * Waiting for the integrity check after the sessions were ready (0 when it finished first): the
   * model's SHA-256, and for a cached voice loaded from its model also for its parts to be kept in
   * OPFS; for cached parts, their XXH3-128 digests (computed as each part arrives).
   */
  hashWaitMs: number;
}

/**
 * How a voice streams. `window`: the model was split at the flow's input when it was loaded, so
 * `stream()` decodes each sentence in windows cut between words: the first chunk of a sentence is
 * a few words long, and is ready after the sentence's text encoder plus one small decoder run.
 * Each window's audio depends on `marginFrames` frames of context on each side (the receptive
 * field of flow + decoder), so windows are decoded with that context and the joined audio equals
 * the whole sentence's; when the model also cuts between flow and decoder, the decoder (most of
 * the cost) runs with only `decoderMarginFrames` of it and the cheaper flow with the rest. `sentence`: the model did not
 * split (`reason`, e.g. it has no duration output or an operator that is not local in time) and
 * every chunk is a whole sentence.
 */
export type VoiceStreaming =
  | { mode: 'window'; marginFrames: number; decoderMarginFrames: number }
  | {
      mode: 'sentence';
      /** Why the voice does not stream in windows: the model split's failure, or `no_duration_output`. */
      reason: StreamingFallbackReason;
      /** The same, in words. */
      detail: string;
    };

export type StreamingFallbackReason =
  | 'no_duration_output'
  | 'no_prior_noise'
  | 'ambiguous_prior_noise'
  | 'unexpected_boundary'
  | 'non_local_operator'
  | 'unsupported_graph';

export interface SynthesisOptions {
  /** Speaker name (from the voice's speaker_id_map) or numeric id, for multi-speaker voices. */
  speaker?: string | number;
  /** Speaking time scale: 2 is twice as slow. Default: the voice's `length_scale`. */
  lengthScale?: number;
  noiseScale?: number;
  noiseW?: number;
  /**
   * Piper's per-sentence peak normalisation (default true). It needs a whole sentence, so it
   * applies to sentence chunks only: windowed chunks (`chunking: 'window'`) are scaled by `volume`
   * and clipped, never normalised.
   */
  normalize?: boolean;
  /**
   * What one chunk of `stream()` is. `'window'` (the default when the voice supports it, see
   * {@link VoiceInfo.streaming}): a run of whole words of a sentence, the first one small, so audio
   * starts early; no peak normalisation. `'sentence'`: whole, normalised sentences (as Piper).
   * `synthesize()` always uses sentences.
   */
  chunking?: 'window' | 'sentence';
  volume?: number;
  /** Which viseme set the events use: Meta/Oculus 15 (default) or Microsoft/Azure 22. */
  visemeSet?: 'oculus' | 'azure';
  /** Events shorter than this merge into a neighbour (default 30 ms). */
  minVisemeMs?: number;
  maxChars?: number;
  /**
   * The text is SSML (README, "SSML"): `<break>`, `<prosody rate>`, `<say-as>`, `<sub>`,
   * `<phoneme>`, `<mark>`, `<s>`, `<p>`, an optional `<speak>` root. Offsets (`textStart`,
   * `textEnd`, marks) point into the markup as passed. Markup that is not well formed rejects with
   * `INVALID_SSML` and its `offset`; unknown elements are spoken as their content, with a warning.
   * Not with text in pieces (`INVALID_ARGUMENT`). Default false: `<` is plain text.
   */
  ssml?: boolean;
  /**
   * Longest one sentence's synthesis may take (default and maximum: the core's
   * `synthesisTimeoutMs`, 60 s). A model run cannot be interrupted, so when it is exceeded the
   * engine's worker is stopped and this AvatarVoice fails every call with `SYNTHESIS_TIMEOUT`:
   * create a new one.
   */
  timeoutMs?: number;
  /** Cancels promptly: the pending call rejects with an AvatarVoiceError of code `ABORTED`. */
  signal?: AbortSignal;
}

export interface TimedPhoneme {
  phoneme: string;
  startMs: number;
  endMs: number;
  startSample: number;
  endSample: number;
  /** UTF-16 span of the word in the input text; -1 for the leading/trailing silence (^ $). */
  textStart: number;
  textEnd: number;
}

export interface VisemeEvent {
  /** Viseme name in the chosen set (docs/visemes.md), e.g. "PP", "aa" (Oculus) or "p_b_m", "aa" (Azure, SAPI 5 names). */
  viseme: string;
  /** Numeric id in the chosen set. */
  id: number;
  startMs: number;
  endMs: number;
  weight: number;
}

/**
 * One piece of speech: a whole sentence, or (windowed streaming) a window of one: a run of whole
 * words (a word never spans two chunks). Phoneme and viseme times are relative to the chunk's
 * first sample; a chunk carries the phonemes and visemes that start in it (their end may lie past
 * the chunk's end, in the next chunk of the same sentence).
 */
export interface SpeechChunk {
  /** Index of the sentence in its utterance (all windows of a sentence share it). */
  index: number;
  /** Where `samples` start in the sentence (0 for its first chunk). */
  sampleOffset: number;
  /** This chunk's samples reach the end of its sentence. */
  endsSentence: boolean;
  /** Samples of the whole sentence (known from its first chunk on). */
  sentenceSamples: number;
  /** UTF-16 span of the whole sentence in the input text. */
  textStart: number;
  textEnd: number;
  samples: Float32Array;
  sampleRate: number;
  durationMs: number;
  phonemes: TimedPhoneme[];
  visemes: VisemeEvent[];
  timing: 'model' | 'estimated';
  /**
   * True when the phoneme spans are exactly the model's durations × hop length, i.e. they added
   * up to the audio without adjustment (always so for a Piper export with `timing: 'model'`).
   * False when the last span had to absorb a difference. With `timing: 'estimated'` the spans
   * are never the model's, whatever this says.
   */
  timingExact: boolean;
  /** Phonemes the voice does not know (skipped), as Piper would; SSML the engine ignored. */
  warnings: string[];
  /**
   * SSML `<mark>`s that fire in this chunk, at the first word after them (or at the end of the
   * speech before them when none follows). Empty for plain text.
   */
  marks: SpeechMark[];
  /** True for an SSML `<break>`: silence, no phonemes, one silent viseme. */
  pause?: boolean;
}

/** A mark on a whole utterance's clock (`SynthesisResult.marks`). */
export interface TimedMark {
  name: string;
  /** Sample of the joined audio where it fires. */
  sample: number;
  ms: number;
  /** UTF-16 offset of the `<mark>` element in the text. */
  textOffset: number;
}

/** An SSML `<mark name="…"/>` placed in the audio. */
export interface SpeechMark {
  name: string;
  /** Where it fires, relative to the chunk's first sample. */
  sample: number;
  /** UTF-16 offset of the `<mark>` element in the text. */
  textOffset: number;
}

/** A UTF-16 span of the input text (`text.slice(textStart, textEnd)`). */
export interface TextSpan {
  textStart: number;
  textEnd: number;
}

/** Where one sentence (one or more chunks) of an utterance lies in the text and in the audio. */
export interface SentenceSpan {
  /** UTF-16 span of the sentence in the input text. */
  textStart: number;
  textEnd: number;
  startMs: number;
  endMs: number;
  startSample: number;
  endSample: number;
  /** An SSML `<break>`: silence, not a sentence. */
  pause?: boolean;
}

/** A whole utterance: the chunks joined, times relative to the start of the first. */
export interface SynthesisResult {
  samples: Float32Array;
  sampleRate: number;
  durationMs: number;
  phonemes: TimedPhoneme[];
  visemes: VisemeEvent[];
  /**
   * One entry per sentence, in order (windows of a sentence are merged): the sentence boundaries
   * of the joined audio. An SSML `<break>` is an entry of its own (its element's text span).
   */
  sentences: SentenceSpan[];
  /** SSML `<mark>`s in order, on the joined audio's clock. */
  marks: TimedMark[];
  timing: 'model' | 'estimated';
  /** Every chunk's {@link SpeechChunk.timingExact}. */
  timingExact: boolean;
  chunks: number;
  warnings: string[];
}

/** One sentence as a Piper model's input: ids in Piper's layout (^ _ {id _}* $). */
export interface IdSentence {
  ids: number[];
  /** The phonemes the ids stand for (without ^ _ $). */
  phonemes: string[];
  /** UTF-16 span of the sentence in the input text. */
  textStart: number;
  textEnd: number;
  /** Phonemes the voice's map lacks (skipped, as Piper does). */
  warnings: string[];
}
