/**
 * Size limits, checked on the page side before any byte is copied to the worker or into wasm
 * memory (docs/security.md, "Limits").
 *
 * ```ts
 * const av = await AvatarVoice.create();
 * av.info.limits.maxVoiceModelBytes;   // 268435456: from src/core/limits.h, via the core's limits()
 * ```
 *
 * The core's limits come from the core itself (`limits()` in wasm/bindings.cpp), read once when it
 * loads; this file does not copy them. The rest are the web layer's own: sizes of things the core
 * parses without a byte limit of its own (a voice config, a language pack, a store request).
 */
import { AvatarVoiceError, type AvatarVoiceErrorCode } from './errors.js';

/** What `limits()` in wasm/bindings.cpp returns (src/core/limits.h). */
export interface CoreLimits {
  /** Longest text phonemized or planned in one call, in codepoints. */
  maxTextChars: number;
  /** Default of the store's `text.maxChars`: the longest utterance an app speaks at once. */
  defaultUtteranceChars: number;
  /** Largest `.onnx` model accepted. */
  maxVoiceModelBytes: number;
  /** Default of the store's `assets.maxBytes`. */
  defaultMaxAssetBytes: number;
  maxSentenceSamples: number;
  synthesisTimeoutMs: number;
}

export interface Limits extends CoreLimits {
  /** Largest `.onnx.json` voice config (Piper's are 5-20 KB). */
  maxVoiceConfigBytes: number;
  /** Largest espeak-ng language pack (the shipped ones are < 4 MB). */
  maxLanguagePackBytes: number;
  /** Largest byte payload of one store call (audio, asset, render, a database to import). */
  maxStoreBytes: number;
  /** Largest JSON parameters of one store call. */
  maxStoreParamsBytes: number;
}

/** The web layer's own limits (see {@link Limits}). */
export const WEB_LIMITS = {
  maxVoiceConfigBytes: 4 * 1024 * 1024,
  maxLanguagePackBytes: 64 * 1024 * 1024,
  maxStoreBytes: 512 * 1024 * 1024,
  maxStoreParamsBytes: 16 * 1024 * 1024,
} as const;

/** Throws `code` when `size` bytes of `what` are over `max`. */
export function checkSize(size: number, max: number, code: AvatarVoiceErrorCode, what: string): void {
  if (size > max) throw new AvatarVoiceError(code, `${what} is ${size} bytes, over the limit of ${max} bytes`);
}

/** Throws TEXT_TOO_LONG when `text` has more than `max` codepoints (the core counts the same way). */
export function checkTextLength(text: string, max: number): void {
  if (typeof text !== 'string' || text.length <= max) return; // UTF-16 units >= codepoints
  let codepoints = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) codepoints++;
    else {
      const d = text.charCodeAt(i + 1);
      codepoints++;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    if (codepoints > max) throw new AvatarVoiceError('TEXT_TOO_LONG', `text is longer than the limit of ${max} characters`);
  }
}
