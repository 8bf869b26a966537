/**
 * Turns what a user has (a URL, a File/Blob, bytes) into model bytes and config text, with
 * download progress and cancellation.
 */
import { loadBytes, isNode } from './assets.js';
import { AvatarVoiceError, type AvatarVoiceErrorCode } from './errors.js';
import { type FileDigest, checkDigest } from './file_digest.js';
import { checkSize } from './limits.js';

export type BinarySource = string | URL | Blob | ArrayBuffer | Uint8Array;

export interface VoiceSource {
  /** The `.onnx` model. Not needed with `cachedId` or `catalog`. */
  model?: BinarySource;
  /**
   * A voice of a catalogue (its key or an alias, e.g. "en_US-lessac-medium"): downloaded from
   * where the catalogue lists it, checked against its MD5, cached. The catalogue is
   * `LoadOptions.catalogUrl`, by default Hugging Face's (see AvatarVoice.catalog).
   */
  catalog?: string;
  /** Load a voice from the OPFS cache by its id (see AvatarVoice.listVoices). */
  cachedId?: string;
  /**
   * The Piper `.onnx.json`: its text, the parsed object, or where to get it. Default: the model's
   * URL + ".json" when the model is a URL.
   */
  config?: BinarySource | Record<string, unknown>;
}

export interface LoadProgress {
  /** Which file: the model, its config, or a voice catalogue. */
  file: 'model' | 'config' | 'catalog';
  loadedBytes: number;
  /** From Content-Length; null when the server does not say. */
  totalBytes: number | null;
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
  /**
   * Keep a downloaded voice in OPFS and reuse it next time (default: true in browsers for URL
   * sources; there is no cache under Node).
   */
  cache?: boolean;
  /** Expected SHA-256 (hex) of the model: a mismatch rejects with `INTEGRITY` and nothing is cached. */
  sha256?: string;
  /**
   * Refuse a model larger than this (default and maximum: the core's `maxVoiceModelBytes`,
   * 256 MiB). Checked before any byte is copied: File/Blob size, Content-Length, and the running
   * byte count of a download, which is aborted as soon as it passes the limit.
   */
  maxModelBytes?: number;
  /** The catalogue a `{ catalog: key }` source is looked up in (default: DEFAULT_CATALOG_URL). */
  catalogUrl?: string | URL;
}

/** How many bytes a source may have, and what to throw when it has more. */
export interface ByteLimit {
  maxBytes: number;
  code: AvatarVoiceErrorCode;
  what: string;
}

/** The limits {@link readVoiceSource} applies (from AvatarVoice's `info.limits`). */
export interface VoiceSourceLimits {
  maxVoiceModelBytes: number;
  maxVoiceConfigBytes: number;
}

/**
 * Downloads `url` with progress, refusing more than `limit.maxBytes`: a Content-Length over it
 * fails before the body is read, and a body that grows past it (no or a lying Content-Length,
 * compression) is cancelled at that point, so the bytes are never all held in memory.
 */
export async function fetchLimited(url: string, file: LoadProgress['file'], options: LoadOptions, limit: ByteLimit): Promise<Uint8Array> {
  if (isNode() && url.startsWith('file:')) {
    const bytes = await loadBytes(url);
    checkSize(bytes.byteLength, limit.maxBytes, limit.code, limit.what);
    return bytes;
  }
  // Our own controller (following the caller's signal): refusing a download aborts the request
  // itself, so the connection is dropped rather than left open with the body unread.
  const download = new AbortController();
  const follow = () => download.abort();
  if (options.signal?.aborted) download.abort();
  options.signal?.addEventListener('abort', follow, { once: true });
  try {
    return await readLimited(url, file, options, limit, download);
  } finally {
    options.signal?.removeEventListener('abort', follow);
  }
}

async function readLimited(
  url: string,
  file: LoadProgress['file'],
  options: LoadOptions,
  limit: ByteLimit,
  download: AbortController,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: download.signal });
  } catch (cause) {
    if (options.signal?.aborted) throw abortError();
    throw new AvatarVoiceError('ASSET_LOAD', `cannot download ${url}: ${(cause as Error).message}`);
  }
  if (!response.ok) throw new AvatarVoiceError('ASSET_LOAD', `cannot download ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || null;
  const refuse = (size: number) => {
    download.abort();
    checkSize(size, limit.maxBytes, limit.code, `${limit.what} at ${url}`);
  };
  if (total !== null && total > limit.maxBytes) refuse(total);
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    checkSize(bytes.byteLength, limit.maxBytes, limit.code, `${limit.what} at ${url}`);
    return bytes;
  }
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  options.onProgress?.({ file, loadedBytes: 0, totalBytes: total });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      if (loaded > limit.maxBytes) {
        download.abort();
        checkSize(loaded, limit.maxBytes, limit.code, `${limit.what} at ${url} (download stopped)`);
      }
      parts.push(value);
      options.onProgress?.({ file, loadedBytes: loaded, totalBytes: total });
    }
  } catch (cause) {
    if (cause instanceof AvatarVoiceError) throw cause;
    if (options.signal?.aborted) throw abortError();
    throw new AvatarVoiceError('ASSET_LOAD', `download of ${url} failed: ${(cause as Error).message}`);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

/** `value` as an absolute URL, or a typed ASSET_LOAD error (never a TypeError or URIError). */
export function absoluteUrl(value: string | URL): string {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  try {
    return new URL(String(value), base).href;
  } catch (cause) {
    throw new AvatarVoiceError('ASSET_LOAD', `not a valid URL: ${JSON.stringify(String(value))} (${(cause as Error).message})`);
  }
}

export function abortError(): AvatarVoiceError {
  const error = new AvatarVoiceError('ABORTED', 'the operation was cancelled');
  return error;
}

async function toBytes(source: BinarySource, file: LoadProgress['file'], options: LoadOptions, limit: ByteLimit): Promise<Uint8Array> {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    checkSize(source.byteLength, limit.maxBytes, limit.code, limit.what);
    return source instanceof Uint8Array ? source : new Uint8Array(source);
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    // Blob.size is known without reading: a 2 GB file is refused before a byte is read.
    checkSize(source.size, limit.maxBytes, limit.code, limit.what);
    return new Uint8Array(await source.arrayBuffer());
  }
  if (typeof source === 'string' || source instanceof URL) return fetchLimited(absoluteUrl(source), file, options, limit);
  throw new AvatarVoiceError('INVALID_ARGUMENT', `unsupported ${file} source`);
}

/**
 * Resolves a {@link VoiceSource} to bytes and config text, within `limits`; files with an
 * `expected` digest (from a catalogue) must match it (INTEGRITY).
 */
export async function readVoiceSource(
  source: VoiceSource,
  options: LoadOptions,
  limits: VoiceSourceLimits,
  expected: { model?: FileDigest; config?: FileDigest } = {},
): Promise<{ model: Uint8Array; config: string }> {
  if (!source || source.model === undefined) throw new AvatarVoiceError('INVALID_ARGUMENT', 'a voice needs a model or a cachedId');
  const modelLimit: ByteLimit = {
    maxBytes: Math.min(options.maxModelBytes ?? Infinity, limits.maxVoiceModelBytes),
    code: 'INVALID_MODEL',
    what: 'the voice model',
  };
  const configLimit: ByteLimit = { maxBytes: limits.maxVoiceConfigBytes, code: 'INVALID_VOICE_CONFIG', what: 'the voice config' };
  // Sizes known up front are checked before anything is downloaded.
  if (typeof Blob !== 'undefined' && source.model instanceof Blob)
    checkSize(source.model.size, modelLimit.maxBytes, modelLimit.code, modelLimit.what);
  let config = source.config;
  if (config === undefined) {
    if (typeof source.model === 'string' || source.model instanceof URL) config = `${absoluteUrl(source.model)}.json`;
    else throw new AvatarVoiceError('INVALID_ARGUMENT', 'a voice given as bytes needs its config (.onnx.json) too');
  }
  let configText: string;
  if (
    typeof config === 'object' &&
    !(config instanceof URL) &&
    !(config instanceof Uint8Array) &&
    !(config instanceof ArrayBuffer) &&
    !(typeof Blob !== 'undefined' && config instanceof Blob)
  ) {
    configText = JSON.stringify(config);
    checkSize(configText.length, configLimit.maxBytes, configLimit.code, configLimit.what);
  } else if (typeof config === 'string' && config.trimStart().startsWith('{')) {
    checkSize(config.length, configLimit.maxBytes, configLimit.code, configLimit.what);
    configText = config;
  } else {
    const bytes = await toBytes(config as BinarySource, 'config', options, configLimit);
    if (expected.config) await checkDigest(bytes, expected.config, 'the voice config', String(config));
    configText = new TextDecoder().decode(bytes);
  }
  const model = await toBytes(source.model!, 'model', options, modelLimit);
  if (expected.model) await checkDigest(model, expected.model, 'the voice model', String(source.model));
  return { model, config: configText };
}
