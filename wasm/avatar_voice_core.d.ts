/**
 * Types of the wasm module `avatar-voice-core.mjs`: every Embind export of wasm/bindings.cpp,
 * wasm/voice_bindings.cpp and wasm/store_bindings.cpp, curated by hand (Emscripten 3.1.6 has no
 * `--emit-tsd`) and checked against the built module by tests/js/core_bindings.test.ts: a
 * binding missing here, a declaration with no binding, a wrong parameter count or a result of
 * another shape fails it. Adding a binding = one line in {@link CoreBindings} (plus its shapes).
 *
 * ```ts
 * import createAvatarVoiceCore from './avatar-voice-core.mjs';
 * const core = await createAvatarVoiceCore({ wasmBinary });
 * const voice = new core.WasmVoice();
 * try { unwrapCore(voice.load(configJson)); } finally { voice.delete(); }
 * ```
 *
 * Conventions: a binding that can fail returns `Result<T>` (the value, or `{__error}`; it never
 * throws a typed error). Typed arrays and strings in results are copies owned by JS. A `Wasm*`
 * class instance owns wasm memory: call `delete()` when done.
 */

/** What a failed binding returns instead of its value (wasm/wasm_values.h `guarded`). */
export interface CoreError {
  /** offset: UTF-8 bytes into the caller's text, for an error about a place in it (INVALID_SSML). */
  __error: { code: string; message: string; offset?: number };
}
export type Result<T> = T | CoreError;

// --- wasm/bindings.cpp ---

/** src/core/limits.h, as numbers. */
export interface CoreLimitsValue {
  maxTextChars: number;
  defaultUtteranceChars: number;
  maxVoiceModelBytes: number;
  maxVoiceConfigBytes: number;
  maxEspeakDataPackBytes: number;
  maxStoreBytesIn: number;
  defaultMaxAssetBytes: number;
  maxSentenceSamples: number;
  maxWasmHeapBytes: number;
  synthesisTimeoutMs: number;
}

/** Both viseme sets' names, in id order. */
export interface VisemeSetsValue {
  oculus: string[];
  azure: string[];
}

/** One sentence as espeak-ng phonemized it; offsets are UTF-8 bytes of the text. */
export interface PhonemizedSentenceValue {
  textStart: number;
  textEnd: number;
  phonemes: string[];
  phonemeTextStart: number[];
  phonemeTextEnd: number[];
}

export interface SqliteCheckValue {
  version: string;
  sum: number;
}

// --- wasm/store_bindings.cpp ---

/** A file the store's OPFS VFS may open, and the slot of its sync access handle. */
export interface StoreFile {
  name: string;
  slot: number;
}

/** One store command's reply: its result as JSON text, and bytes when it produced some. */
export interface StoreReply {
  result: string;
  bytes?: Uint8Array;
}

// --- wasm/voice_bindings.cpp ---

/** A voice config's summary (src/voice/voice_config.h `toJson`). */
export interface VoiceConfigSummary {
  sampleRate: number;
  quality: string | null;
  phonemeType: string;
  espeakVoice: string | null;
  numSymbols: number | null;
  phonemeCount: number;
  hasVowelClusters: boolean;
  numSpeakers: number;
  defaultSpeakerId: number;
  speakers: { name: string; id: number }[];
  defaults: { noiseScale: number; lengthScale: number; noiseW: number };
  hopLength: number;
  piperVersion: string | null;
  dataset: string | null;
  language: Record<string, string>;
}

/** One sentence's model input (value object SentenceIdsValue); offsets are UTF-8 bytes. */
export interface SentenceIds {
  ids: Int32Array;
  phonemes: string[];
  textStart: number;
  textEnd: number;
  warnings: string[];
}

/** The options of one utterance; absent fields are the voice's or the core's defaults. */
export interface SpeechStreamOptions {
  /** A speaker_id_map name, or an id (number or decimal string); absent: the default speaker. */
  speaker?: string | number;
  noiseScale?: number;
  lengthScale?: number;
  noiseW?: number;
  /** Longest text in codepoints; absent or 0: the core's limit. */
  maxChars?: number;
  normalize?: boolean;
  volume?: number;
  visemeSet?: 'oculus' | 'azure';
  minVisemeMs?: number;
}

/** One model input (value object ModelRequestValue): run the graph on `ids` with these scales. */
export interface ModelRequest {
  sentence: number;
  /** Where this request's audio starts in its sentence (0 until windowed decoding). */
  sampleOffset: number;
  /** This request's audio reaches the end of its sentence (true until windowed decoding). */
  endsSentence: boolean;
  /** > 0: an SSML `<break>` of this many samples; no model run, `finish()` with empty audio makes it. */
  pauseSamples: number;
  ids: Int32Array;
  noiseScale: number;
  lengthScale: number;
  noiseW: number;
  /** The model's "sid" input; a single-speaker model has none and ignores it. */
  speakerId: number;
}

export interface VisemeValue {
  viseme: string;
  id: number;
  startMs: number;
  endMs: number;
  weight: number;
}

/**
 * The chunk of one model output (value object SpeechChunkValue); offsets are UTF-8 bytes. A whole
 * sentence (finish) or one window of it (finishWindow); phoneme/viseme positions are relative to
 * the chunk's first sample.
 */
export interface SpeechChunkValue {
  sentence: number;
  /** Where `samples` start in the sentence. */
  sampleOffset: number;
  endsSentence: boolean;
  /** Samples of the whole sentence. */
  sentenceSamples: number;
  textStart: number;
  textEnd: number;
  warnings: string[];
  samples: Float32Array;
  sampleRate: number;
  phonemes: string[];
  phonemeStartSample: Int32Array;
  phonemeEndSample: Int32Array;
  phonemeTextStart: Int32Array;
  phonemeTextEnd: Int32Array;
  visemes: VisemeValue[];
  timing: 'model' | 'estimated';
  timingExact: boolean;
  marks: MarkValue[];
  /** An SSML `<break>`: silence only. */
  pause: boolean;
}

/** An SSML `<mark>` in a chunk (value object MarkValue). */
export interface MarkValue {
  name: string;
  /** Relative to the chunk's first sample. */
  sample: number;
  /** UTF-8 byte offset of the `<mark>` element in the text. */
  textOffset: number;
}

export interface ModelPatchValue {
  model: Uint8Array;
  timing: 'model' | 'estimated';
  durationOutput: string;
  alreadyPatched: boolean;
}

/** A voice split for windowed decoding (wasm/model_split_bindings.cpp, src/voice/model_split.h). */
export interface ModelSplitValue {
  ok: true;
  partA: Uint8Array;
  partB: Uint8Array;
  partAInputs: string[];
  /** Part A as a chain of smaller models run in order (src/voice/graph_chain.h); null when not cut. */
  partAChain: ChainLinkValue[] | null;
  /** Why partAChain is null ("" when it is not, or not asked). */
  partAChainReason: string;
  zInput: string;
  maskInput: string;
  gInput: string;
  durationOutput: string;
  audioOutputs: string[];
  receptiveFieldFrames: number;
  receptiveLeftFrames: number;
  receptiveRightFrames: number;
  hopLength: number;
  /** B cut between flow and decoder (partB is then empty); null when not asked or B does not cut. */
  decoderCut: DecoderCutValue | null;
  /** Why decoderCut is null when it was asked for ("" otherwise). */
  decoderCutReason: string;
  /** Part A stops before the prior's expansion to frames (zInput is then not A's output); null when not asked or not found. */
  expansion: PriorExpansionValue | null;
  /** Why expansion is null when it was asked for ("" otherwise). */
  expansionReason: string;
}

/** One link of part A's chain: a model, what it reads (voice inputs, earlier links' outputs) and makes. */
export interface ChainLinkValue {
  model: Uint8Array;
  inputs: string[];
  outputs: string[];
}

/** Part A's outputs from which z_p's frames are built (src/voice/prior_expansion.h, web/prior_frames.ts). */
export interface PriorExpansionValue {
  /** m_p [1, C, n_ids] */
  mean: string;
  /** logs_p [1, C, n_ids] */
  logScale: string;
  /** Scalars multiplying the noise term (Piper: noise_scale). */
  noiseFactors: string[];
}

/** Part B as flow and decoder (src/voice/decoder_cut.h): each window pays the flow's margin only in the flow. */
export interface DecoderCutValue {
  flow: Uint8Array;
  decoder: Uint8Array;
  decoderInput: string;
  flowInputs: string[];
  decoderInputs: string[];
  flowMarginFrames: number;
  decoderMarginFrames: number;
}

/** Why a valid model does not split (the caller falls back to whole sentences). */
export interface ModelSplitRefusal {
  ok: false;
  failure: 'no_prior_noise' | 'ambiguous_prior_noise' | 'unexpected_boundary' | 'non_local_operator' | 'unsupported_graph';
  reason: string;
}

/** Decoder frames [startFrame, endFrame) of a sentence, cut between words (beginWindows). */
export interface FrameWindowValue {
  startFrame: number;
  endFrame: number;
}

/** Embind handle of one utterance's stream (src/synth/speech_stream.h). Must be delete()d. */
export interface WasmSpeechStream {
  /** The next model input, or null once every one was handed out. */
  next(): Result<ModelRequest | null>;
  /** Every model input has been handed out. */
  done(): boolean;
  /** Model output of the request for `sentence` → its chunk; `frames` null without a timing output. */
  finish(sentence: number, audio: Float32Array, frames: Float32Array | null): Result<SpeechChunkValue>;
  /** Split voice: part A's durations and frame count of `sentence` → its windows (kept for finishWindow). */
  /** `decodeSpeed`: how many times faster than real time decoding ran so far (2 when unknown; clamped to [2, 8]). */
  beginWindows(sentence: number, frames: Float32Array, totalFrames: number, decodeSpeed: number): Result<FrameWindowValue[]>;
  /** Split voice: part B's audio of one window (margins cropped, (end − start) × hop samples) → its chunk (gain = volume, no normalisation). */
  finishWindow(sentence: number, window: number, audio: Float32Array): Result<SpeechChunkValue>;
  delete(): void;
}

/** Embind handle of one voice's parsed config (src/synth/piper_voice.h). Must be delete()d. */
export interface WasmVoice {
  load(configJson: string): Result<VoiceConfigSummary>;
  /** Text → sentences of model ids; nothing is kept. maxChars 0: the core's limit. */
  plan(text: string, maxChars: number): Result<SentenceIds[]>;
  /** Checks options and text, plans, and returns the utterance's stream (delete() it). */
  startStream(text: string, options: SpeechStreamOptions): Result<WasmSpeechStream>;
  delete(): void;
}

/** Every Embind export, one line each (the boundary test reads this interface). */
export interface CoreBindings {
  // wasm/bindings.cpp
  version(): string;
  installEspeakData(pack: Uint8Array, root: string): Result<number>;
  initEspeak(dataPath: string): Result<string>;
  phonemize(text: string, voice: string, maxChars: number): Result<PhonemizedSentenceValue[]>;
  sqliteSelfCheck(): Result<SqliteCheckValue>;
  limits(): CoreLimitsValue;
  visemeSets(): VisemeSetsValue;
  /** Every code the core raises (src/core/error.h kAllErrorCodes), in enum order. */
  errorCodes(): string[];
  // wasm/store_bindings.cpp
  storeOpen(path: string, files: StoreFile[]): Result<boolean>;
  storeClose(): Result<boolean>;
  storeCall(method: string, paramsJson: string, bytes: Uint8Array | null): Result<StoreReply>;
  // wasm/voice_bindings.cpp
  patchModel(model: Uint8Array): Result<ModelPatchValue>;
  encodeWav(samples: Float32Array, sampleRate: number): Result<Uint8Array>;
  // wasm/model_split_bindings.cpp
  splitModel(
    model: Uint8Array,
    cutDecoder: boolean,
    expandOutside: boolean,
    chainNodes: number,
  ): Result<ModelSplitValue | ModelSplitRefusal>;
  // wasm/part_digest_bindings.cpp
  /** XXH3-128 of `bytes` as 32 lowercase hex characters (what `xxh128sum` prints). */
  partDigest(bytes: Uint8Array): Result<string>;
  WasmVoice: new () => WasmVoice;
  WasmSpeechStream: abstract new () => WasmSpeechStream;
}

/** The loaded module: the bindings plus the state the OPFS glue (wasm/opfs_file.cpp) keeps on it. */
export interface CoreModule extends CoreBindings {
  /** Sync access handles of the store's files, by slot (web/opfs_pool.ts opens them). */
  avatarVoiceOpfs?: { close(): void }[];
}

export interface CoreModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

/** The module factory (`-sMODULARIZE -sEXPORT_ES6 -sEXPORT_NAME=createAvatarVoiceCore`). */
export default function createAvatarVoiceCore(options?: CoreModuleOptions): Promise<CoreModule>;
