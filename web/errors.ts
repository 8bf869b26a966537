import { CORE_ERROR_CODES } from './generated/core_tables.js';

/**
 * Every error the package throws is an {@link AvatarVoiceError} with a stable `code`.
 *
 * ```ts
 * try { await av.phonemize(text); }
 * catch (e) { if (e instanceof AvatarVoiceError && e.code === 'TEXT_TOO_LONG') shorten(); }
 * ```
 */
export type AvatarVoiceErrorCode = CoreErrorCode | WebErrorCode;

/** Codes the C++ core raises: its own list (src/core/error.h), written into the package by the build. */
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];
export { CORE_ERROR_CODES };

/**
 * Codes the core does not have: raised by the TypeScript layer alone (loading, worker, player,
 * caches, timeouts). The layer raises some core codes too (INVALID_ARGUMENT, …).
 */
export const WEB_ERROR_CODES = [
  'ASSET_LOAD',
  'WORKER_CRASHED',
  'DISPOSED',
  'ABORTED',
  'AUTOPLAY_BLOCKED',
  'CACHE_CORRUPT',
  'INTEGRITY',
  'INVALID_CATALOG',
  'STORE_LOCKED',
  'TOO_LARGE',
  'SYNTHESIS_TIMEOUT',
] as const;
export type WebErrorCode = (typeof WEB_ERROR_CODES)[number];

export class AvatarVoiceError extends Error {
  override readonly name = 'AvatarVoiceError';
  constructor(
    readonly code: AvatarVoiceErrorCode,
    message: string,
    /**
     * For an error about a place in the text passed (e.g. `INVALID_SSML`): its UTF-16 offset
     * there (`text.slice(offset)` starts at the problem). Absent otherwise.
     */
    readonly offset?: number,
  ) {
    super(message);
  }
}

/**
 * What a wasm binding returns instead of throwing: `CoreError` of wasm/avatar_voice_core.d.ts,
 * spelled out here so the package's published types do not depend on that file.
 */
interface CoreErrorValue {
  __error: { code: string; message: string; offset?: number };
}

function isCoreError(value: unknown): value is CoreErrorValue {
  return typeof value === 'object' && value !== null && '__error' in value;
}

/**
 * Returns a binding's value, or throws the typed error the core reported in its place: for a
 * binding declared `Result<T>`, `unwrapCore(voice.plan(text, 0))` is a `T`, no cast needed.
 * `toTextOffset` maps an error's UTF-8 offset into the caller's text to UTF-16 (else it is dropped).
 */
export function unwrapCore<T>(value: T | CoreErrorValue, toTextOffset?: (utf8: number) => number): T {
  // The core's codes are this union's members (src/core/error.h; one list, checked by a test).
  if (isCoreError(value)) {
    const { code, message, offset } = value.__error;
    // The core counts UTF-8 bytes of the text; callers of the package count UTF-16 units.
    const at = offset !== undefined && toTextOffset ? toTextOffset(offset) : undefined;
    throw new AvatarVoiceError(code as AvatarVoiceErrorCode, message, at);
  }
  return value;
}
