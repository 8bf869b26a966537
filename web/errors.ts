/**
 * Every error the package throws is an {@link AvatarVoiceError} with a stable `code`.
 *
 * ```ts
 * try { await voice.phonemize(text); }
 * catch (e) { if (e instanceof AvatarVoiceError && e.code === 'TEXT_TOO_LONG') shorten(); }
 * ```
 */
export type AvatarVoiceErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_UTF8'
  | 'TEXT_TOO_LONG'
  | 'ESPEAK_INIT'
  | 'LANGUAGE_UNAVAILABLE'
  | 'INVALID_VOICE_CONFIG'
  | 'INVALID_MODEL'
  | 'STORE'
  | 'NOT_FOUND'
  | 'CONSTRAINT'
  | 'OUT_OF_MEMORY'
  | 'ASSET_LOAD'
  | 'WORKER_CRASHED'
  | 'DISPOSED'
  | 'ABORTED'
  | 'AUTOPLAY_BLOCKED'
  | 'CACHE_CORRUPT'
  | 'INTEGRITY'
  | 'QUOTA_EXCEEDED'
  | 'STORE_LOCKED'
  | 'TOO_LARGE'
  | 'SYNTHESIS_TIMEOUT'
  | 'INTERNAL';

export class AvatarVoiceError extends Error {
  override readonly name = 'AvatarVoiceError';
  constructor(
    readonly code: AvatarVoiceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The shape the wasm bindings return instead of throwing (see wasm/bindings.cpp). */
interface CoreErrorValue {
  __error: { code: AvatarVoiceErrorCode; message: string };
}

function isCoreError(value: unknown): value is CoreErrorValue {
  return typeof value === 'object' && value !== null && '__error' in value;
}

/** Returns `value`, or throws the typed error the core reported in its place. */
export function unwrapCore<T>(value: T | CoreErrorValue): T {
  if (isCoreError(value)) throw new AvatarVoiceError(value.__error.code, value.__error.message);
  return value;
}
