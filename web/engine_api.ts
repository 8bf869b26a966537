/**
 * The engine: what runs where the wasm core lives (the package's worker, or Node in-process) and
 * the API it offers the page. {@link EngineApi} is that API; {@link createEngineApi} its one
 * implementation, which the worker exposes over Comlink and Node calls directly. Errors cross as
 * AvatarVoiceError (see error_transfer.ts).
 *
 * ```ts
 * const engine = createEngineApi();            // in-process (Node)
 * const info = await engine.init(assets, {});
 * const sentences = await engine.phonemize('Hello there.', {});
 * ```
 */
import type { AssetUrls } from './assets.js';
import { AvatarVoiceError, unwrapCore } from './errors.js';
import { type Limits, checkTextLength } from './limits.js';
import type { OrtOptions } from './ort_voice_session.js';
import { startOrt } from './ort_runtime.js';
import type { OpenedStore, StoreOptions } from './store_types.js';
import { Synthesizer } from './synthesizer.js';
import type { IdSentence, PhonemizedSentence, PhonemizeOptions, SpeechChunk, SynthesisOptions, TextSpan, VoiceInfo } from './types.js';
import type { VisemeSetNames } from './viseme_sets.js';
import { type WasmCore, assertWellFormed, loadWasmCore, utf8ToUtf16Offsets } from './wasm_core.js';

/** Options that survive a worker hop (no AbortSignal: cancellation is its own call). */
export type EngineSynthesisOptions = Omit<SynthesisOptions, 'signal'> & {
  /**
   * Synthesize only the first N sentences of the text (text that arrives piece by piece: the text
   * after them, already received, plans the way the whole text will, see incremental_text.ts).
   */
  sentenceLimit?: number;
};

export interface CoreInfo {
  version: string;
  espeakVersion: string;
  moduleMs: number;
  espeakMs: number;
  /** Size limits: the core's own (src/core/limits.h) and the web layer's (web/limits.ts). */
  limits: Limits;
  /** Both viseme sets' names in id order (the core's table). */
  visemeSets: VisemeSetNames;
}

export interface EngineApi {
  init(assets: AssetUrls, ort: OrtOptions): Promise<CoreInfo>;
  phonemize(text: string, options: PhonemizeOptions): Promise<PhonemizedSentence[]>;
  sqliteSelfCheck(): Promise<{ version: string; sum: number }>;
  installLanguage(pack: Uint8Array): Promise<number>;
  phonemizeToIds(text: string, configJson: string, maxChars?: number): Promise<IdSentence[]>;
  /**
   * Loads a voice. `expectedSha256`: the model's hash as its cache entry says; checked while the
   * session is created, CACHE_CORRUPT when it differs.
   */
  loadVoice(model: Uint8Array, configJson: string, expectedSha256?: string): Promise<VoiceInfo>;
  /**
   * Loads cached voice `cacheId` from the parts an earlier load kept in OPFS; null when it has
   * none usable (then load the model with loadVoice(model, config, cacheId), which keeps them).
   */
  loadCachedVoice(cacheId: string, configJson: string): Promise<VoiceInfo | null>;
  /** Starts onnxruntime-web now (a voice is about to load): its start overlaps reading the model. */
  prepareVoiceRuntime(): Promise<void>;
  unloadVoice(voiceId: string): Promise<void>;
  /** Where the voice's planner cuts `text` into sentences: the sentences startStream() makes of it. */
  sentenceSpans(voiceId: string, text: string): Promise<TextSpan[]>;
  startStream(voiceId: string, text: string, options: EngineSynthesisOptions): Promise<number>;
  nextChunk(streamId: number): Promise<SpeechChunk | null>;
  cancelStream(streamId: number): Promise<void>;
  encodeWav(samples: Float32Array, sampleRate: number): Promise<Uint8Array>;
  storeOpen(options: StoreOptions & { fallback?: boolean }): Promise<OpenedStore>;
  storeCall(method: string, params: object, bytes?: Uint8Array): Promise<{ result: unknown; bytes?: Uint8Array }>;
  storeClose(): Promise<void>;
}

/** Marks buffers that may move instead of being copied across the worker boundary. */

export type Transfer = <T>(value: T, buffers: ArrayBuffer[]) => T;

export function createEngineApi(transfer: Transfer = (v) => v): EngineApi {
  let core: Promise<WasmCore> | undefined;
  let synthesizer: Synthesizer | undefined;
  let storeOpen = false;
  // The longest utterance: the store's text.maxChars when a store is open (a user setting), else
  // the core's default for it. Applied here, in JS, before the text is copied into wasm.
  const utteranceChars = (c: WasmCore): number => {
    if (storeOpen) {
      const { result } = c.storeCall('config.get', { key: 'text.maxChars' });
      const value = typeof result === 'object' && result !== null && 'value' in result ? result.value : undefined;
      if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    }
    return c.limits.defaultUtteranceChars;
  };
  const ready = async (): Promise<WasmCore> => {
    if (!core) throw new AvatarVoiceError('INTERNAL', 'the engine was not initialised');
    return core;
  };
  const voices = async (): Promise<Synthesizer> => {
    await ready();
    return synthesizer!;
  };
  return {
    async init(assets: AssetUrls, ort: OrtOptions) {
      // Never rejects; a runtime that cannot start is reported by the first voice load.
      if (ort.preload) void startOrt(ort);
      core ??= loadWasmCore(assets).then((c) => {
        synthesizer = new Synthesizer(c, ort);
        return c;
      });
      const c = await core;
      return { version: c.version, espeakVersion: c.espeakVersion, ...c.timings, limits: c.limits, visemeSets: c.visemeSets };
    },
    async phonemize(text, options) {
      return (await ready()).phonemize(text, options);
    },
    async sqliteSelfCheck() {
      return (await ready()).sqliteSelfCheck();
    },
    async phonemizeToIds(text, configJson, maxChars) {
      const core = await ready();
      assertWellFormed(text);
      const voice = core.createVoice();
      try {
        unwrapCore(voice.load(configJson));
        const sentences = unwrapCore(voice.plan(text, maxChars ?? 0));
        const toUtf16 = utf8ToUtf16Offsets(text);
        return sentences.map((s) => ({
          ids: Array.from(s.ids),
          phonemes: s.phonemes,
          textStart: toUtf16(s.textStart),
          textEnd: toUtf16(s.textEnd),
          warnings: s.warnings,
        }));
      } finally {
        voice.delete();
      }
    },
    async installLanguage(pack) {
      return (await ready()).installEspeakData(pack);
    },
    async loadVoice(model, configJson, expectedSha256) {
      return (await voices()).loadVoice(model, configJson, expectedSha256);
    },
    async loadCachedVoice(cacheId, configJson) {
      return (await voices()).loadCachedVoice(cacheId, configJson);
    },
    async prepareVoiceRuntime() {
      return (await voices()).prepareRuntime();
    },
    async unloadVoice(voiceId) {
      return (await voices()).unloadVoice(voiceId);
    },
    async sentenceSpans(voiceId, text) {
      const c = await ready();
      checkTextLength(text, c.limits.maxTextChars);
      return (await voices()).sentenceSpans(voiceId, text);
    },
    async startStream(voiceId, text, options) {
      const c = await ready();
      const maxChars = options.maxChars ?? utteranceChars(c);
      checkTextLength(text, maxChars);
      return (await voices()).startStream(voiceId, text, { ...options, maxChars });
    },
    async nextChunk(streamId) {
      const chunk = await (await voices()).next(streamId);
      return chunk ? transfer(chunk, [chunk.samples.buffer as ArrayBuffer]) : null;
    },
    async cancelStream(streamId) {
      return (await voices()).cancel(streamId);
    },
    async storeOpen(options) {
      // Opening again would close the live OPFS handles under the open connection.
      if (storeOpen) throw new AvatarVoiceError('STORE', 'a store is already open in this engine');
      const kind = await (await ready()).openStore(options);
      storeOpen = true;
      return kind;
    },
    async storeCall(method, params, bytes) {
      const reply = await (await ready()).storeCallDurable(method, params, bytes);
      return reply.bytes ? transfer(reply, [reply.bytes.buffer as ArrayBuffer]) : reply;
    },
    async storeClose() {
      storeOpen = false;
      (await ready()).closeStore();
    },
    async encodeWav(samples, sampleRate) {
      const wav = (await voices()).encodeWav(samples, sampleRate);
      return transfer(wav, [wav.buffer as ArrayBuffer]);
    },
  };
}
