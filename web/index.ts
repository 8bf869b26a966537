/**
 * avatar-voice: Piper voices with phoneme and viseme timelines for browser avatars.
 *
 * ```ts
 * import { AvatarVoice } from 'avatar-voice';
 * const av = await AvatarVoice.create();
 * const sentences = await av.phonemize('Tell me about yourself.');
 * ```
 */
export { AvatarVoice, type CreateOptions } from './avatar_voice.js';
export {
  AvatarVoiceError,
  CORE_ERROR_CODES,
  WEB_ERROR_CODES,
  type AvatarVoiceErrorCode,
  type CoreErrorCode,
  type WebErrorCode,
} from './errors.js';
export type { AssetUrls, OrtWasmFiles } from './assets.js';
export { Voice, joinChunks } from './voice.js';
export type { VoiceSource, LoadOptions, LoadProgress, BinarySource } from './voice_source.js';
export type { OrtOptions } from './ort_voice_session.js';
export {
  Player,
  type BlendshapesCue,
  type PlayerOptions,
  type PlayerEventMap,
  type PlayerEventType,
  type PlayerListener,
  type EnqueueOptions,
  type SpeakingVoice,
} from './player.js';
export { scheduleChunks, type ScheduledChunk, type SchedulableChunk } from './chunk_scheduler.js';
export type {
  SentenceCue,
  WordCue,
  PhonemeCue,
  VisemeCue,
  MarkCue,
  EndCue,
  BlockedCue,
  CueTiming,
  VisemeFrame,
  VisemeWeight,
} from './speech_cues.js';
export type { CachedVoice } from './voice_cache.js';
/** The espeak-ng language packs the package ships (English is built in). */
export { LANGUAGE_PACKS } from './language_packs.js';
export {
  DEFAULT_CATALOG_URL,
  MAX_CATALOG_BYTES,
  parseVoiceCatalog,
  type CatalogFile,
  type CatalogLanguage,
  type CatalogOptions,
  type CatalogRejection,
  type CatalogVoice,
  type VoiceCatalog,
} from './voice_catalog.js';
export { Store, type SaveSpeechOptions, type StoredSpeech } from './store.js';
/** Compact stored audio: Opus with WebCodecs (the store's 'opus' format) and the resampler around it. */
export { OPUS_BITRATE, decodeOpus, encodeOpus, opusAvailable } from './opus_audio.js';
export { resample } from './resample.js';
export type {
  Asset,
  Audio,
  Avatar,
  ConfigEntry,
  Json,
  Page,
  PhonemeRow,
  Preset,
  Render,
  Session,
  StoreHealth,
  StorePersistence,
  StoreOptions,
  StoreStats,
  FormatUsage,
} from './store_types.js';
export { AZURE_VISEMES, OCULUS_VISEMES, visemeSetOf, type AzureViseme, type OculusViseme } from './viseme_sets.js';
export type { SpeechInput, TimedWord } from './formats/speech_timeline.js';
export { toTalkingHead, toPcm16, type TalkingHeadSpeech, type TalkingHeadViseme } from './formats/talking_head.js';
export { toPollySpeechMarks, toJsonLines, type PollySpeechMark, type PollyViseme } from './formats/polly_speech_marks.js';
export { toAzureVisemeEvents, type AzureVisemeEvent, type AzureWordBoundary } from './formats/azure_viseme_events.js';
export {
  ARKIT_SPEECH_SHAPES,
  ARKIT_VISEME_TABLE,
  arkitName,
  arkitWeights,
  toArkitFrames,
  type ArkitAnimation,
  type ArkitFrame,
  type ArkitRow,
  type ArkitFrameOptions,
  type ArkitNaming,
  type ArkitShape,
} from './formats/arkit_blendshapes.js';
export type {
  SentenceSpan,
  PhonemeToken,
  PhonemizedSentence,
  PhonemizeOptions,
  SpeechChunk,
  SpeechMark,
  TimedMark,
  SynthesisOptions,
  SynthesisResult,
  TimedPhoneme,
  VisemeEvent,
  VoiceInfo,
  VoiceStreaming,
  VoiceLoadTimings,
  StreamingFallbackReason,
  IdSentence,
  TextSpan,
} from './types.js';
export type { TextPieces } from './incremental_text.js';
export type { CoreInfo } from './engine_api.js';
