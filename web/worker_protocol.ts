/**
 * The API the engine offers to the page: carried by Comlink from the worker, or called directly
 * in-process under Node. Errors cross as AvatarVoiceError (see error_transfer.ts).
 */
import type { AssetUrls } from './assets.js';
import type { Limits } from './limits.js';
import type { OrtOptions } from './piper_session.js';
import type { StoreOptions } from './store_types.js';
import type { IdSentence, PhonemizedSentence, PhonemizeOptions, SpeechChunk, VoiceInfo } from './types.js';
import type { EngineSynthesisOptions } from './voice_engine.js';
import type { VisemeSetNames } from './viseme_sets.js';

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
  loadVoice(model: Uint8Array, configJson: string): Promise<VoiceInfo>;
  unloadVoice(voiceId: string): Promise<void>;
  startStream(voiceId: string, text: string, options: EngineSynthesisOptions): Promise<number>;
  nextChunk(streamId: number): Promise<SpeechChunk | null>;
  cancelStream(streamId: number): Promise<void>;
  encodeWav(samples: Float32Array, sampleRate: number): Promise<Uint8Array>;
  storeOpen(options: StoreOptions): Promise<'opfs' | 'memory'>;
  storeCall(method: string, params: object, bytes?: Uint8Array): Promise<{ result: unknown; bytes?: Uint8Array }>;
  storeClose(): Promise<void>;
}
