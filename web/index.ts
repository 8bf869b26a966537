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
export { AvatarVoiceError, type AvatarVoiceErrorCode } from './errors.js';
export type { AssetUrls, OrtWasmFiles } from './assets.js';
export { Voice, joinChunks } from './voice.js';
export type { VoiceSource, LoadOptions, LoadProgress, BinarySource } from './voice_source.js';
export type { OrtOptions } from './piper_session.js';
export { Player, type PlayerOptions, type PlayerEventMap, type PlayerEventType, type PlayerListener, type EnqueueOptions, type SpeakingVoice } from './player.js';
export { scheduleChunks, type ScheduledChunk, type SchedulableChunk } from './chunk_scheduler.js';
export type { SentenceCue, WordCue, PhonemeCue, VisemeCue, EndCue, BlockedCue, CueTiming, VisemeFrame, VisemeWeight } from './speech_cues.js';
export type { CachedVoice } from './voice_cache.js';
export { Store, type SaveSpeechOptions, type StoredSpeech } from './store.js';
export type {
  Asset, Audio, Avatar, ConfigEntry, Json, Page, PhonemeRow, Preset, Render, Session, StoreHealth, StoreOptions, StoreStats,
} from './store_types.js';
export type {
  PhonemeToken,
  PhonemizedSentence,
  PhonemizeOptions,
  SpeechChunk,
  SynthesisOptions,
  SynthesisResult,
  TimedPhoneme,
  VisemeEvent,
  VoiceInfo,
  IdSentence,
} from './types.js';
export type { CoreInfo } from './worker_protocol.js';
