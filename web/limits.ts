/**
 * Size limits, checked on the page side before any byte is copied to the worker or into wasm
 * memory (docs/security.md, "Limits").
 *
 * ```ts
 * const av = await AvatarVoice.create();
 * av.info.limits.maxVoiceModelBytes;   // 268435456: from src/core/limits.h, via the core's limits()
 * ```
 *
 * Every number comes from the core itself (`limits()` in wasm/bindings.cpp, src/core/limits.h), read
 * once when it loads; this file only gives some of them the names the web layer checks under.
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
  /** Largest `.onnx.json` voice config, and largest JSON parameters of one store call (UTF-16 units). */
  maxVoiceConfigBytes: number;
  /** Largest espeak-ng language pack. */
  maxEspeakDataPackBytes: number;
  /** Largest byte payload of one store call (audio, asset, render, a database to import). */
  maxStoreBytesIn: number;
  /** Default of the store's `assets.maxBytes`. */
  defaultMaxAssetBytes: number;
  maxSentenceSamples: number;
  /** The wasm heap's ceiling (-sMAXIMUM_MEMORY). */
  maxWasmHeapBytes: number;
  synthesisTimeoutMs: number;
}

/** The limits the page checks, under the names the web layer uses; every number is the core's. */
export interface Limits extends CoreLimits {
  /** = maxEspeakDataPackBytes. */
  maxLanguagePackBytes: number;
  /** = maxStoreBytesIn. */
  maxStoreBytes: number;
  /** = maxVoiceConfigBytes (the bindings apply that limit to store parameters too). */
  maxStoreParamsBytes: number;
}

/** The page's view of the core's limits. */
export function pageLimits(core: CoreLimits): Limits {
  return {
    ...core,
    maxLanguagePackBytes: core.maxEspeakDataPackBytes,
    maxStoreBytes: core.maxStoreBytesIn,
    maxStoreParamsBytes: core.maxVoiceConfigBytes,
  };
}

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
