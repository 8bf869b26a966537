/**
 * Turns what a user has (a URL, a File/Blob, bytes) into model bytes and config text, with
 * download progress and cancellation.
 */
import { loadBytes, isNode } from './assets.js';
import { AvatarVoiceError } from './errors.js';

export type BinarySource = string | URL | Blob | ArrayBuffer | Uint8Array;

export interface VoiceSource {
  /** The `.onnx` model. Not needed with `cachedId`. */
  model?: BinarySource;
  /** Load a voice from the OPFS cache by its id (see AvatarVoice.listVoices). */
  cachedId?: string;
  /**
   * The Piper `.onnx.json`: its text, the parsed object, or where to get it. Default: the model's
   * URL + ".json" when the model is a URL.
   */
  config?: BinarySource | Record<string, unknown>;
}

export interface LoadProgress {
  /** Which file: the model or its config. */
  file: 'model' | 'config';
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
}

async function fetchWithProgress(url: string, file: LoadProgress['file'], options: LoadOptions): Promise<Uint8Array> {
  if (isNode() && url.startsWith('file:')) return loadBytes(url);
  let response: Response;
  try {
    response = await fetch(url, { signal: options.signal });
  } catch (cause) {
    if (options.signal?.aborted) throw abortError();
    throw new AvatarVoiceError('ASSET_LOAD', `cannot download ${url}: ${(cause as Error).message}`);
  }
  if (!response.ok) throw new AvatarVoiceError('ASSET_LOAD', `cannot download ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || null;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let loaded = 0;
  options.onProgress?.({ file, loadedBytes: 0, totalBytes: total });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      loaded += value.byteLength;
      options.onProgress?.({ file, loadedBytes: loaded, totalBytes: total });
    }
  } catch (cause) {
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

export function abortError(): AvatarVoiceError {
  const error = new AvatarVoiceError('ABORTED', 'the operation was cancelled');
  return error;
}

async function toBytes(source: BinarySource, file: LoadProgress['file'], options: LoadOptions): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  if (typeof source === 'string' || source instanceof URL) {
    const base = (globalThis as { location?: { href: string } }).location?.href;
    return fetchWithProgress(new URL(String(source), base).href, file, options);
  }
  throw new AvatarVoiceError('INVALID_ARGUMENT', `unsupported ${file} source`);
}

/** Resolves a {@link VoiceSource} to bytes and config text. */
export async function readVoiceSource(source: VoiceSource, options: LoadOptions = {}): Promise<{ model: Uint8Array; config: string }> {
  if (!source || source.model === undefined) throw new AvatarVoiceError('INVALID_ARGUMENT', 'a voice needs a model or a cachedId');
  let config = source.config;
  if (config === undefined) {
    if (typeof source.model === 'string' || source.model instanceof URL) config = `${String(source.model)}.json`;
    else throw new AvatarVoiceError('INVALID_ARGUMENT', 'a voice given as bytes needs its config (.onnx.json) too');
  }
  const configText =
    typeof config === 'object' && !(config instanceof URL) && !(config instanceof Uint8Array) &&
    !(config instanceof ArrayBuffer) && !(typeof Blob !== 'undefined' && config instanceof Blob)
      ? JSON.stringify(config)
      : typeof config === 'string' && config.trimStart().startsWith('{')
        ? config
        : new TextDecoder().decode(await toBytes(config as BinarySource, 'config', options));
  const model = await toBytes(source.model!, 'model', options);
  return { model, config: configText };
}
