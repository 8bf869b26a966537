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
