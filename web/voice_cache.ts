/**
 * Downloaded voices kept in the Origin Private File System (or, where it is missing or refuses the
 * page, in IndexedDB: indexeddb_directory.ts), so a second visit (or an offline one)
 * loads them without the network.
 *
 * ```ts
 * const voice = await av.loadVoice({ model: url }, { cache: true });  // network once, then OPFS
 * const cached = await av.listVoices();          // [{ id, url, sha256, modelBytes, ... }]
 * await av.deleteVoice(cached[0].id);
 * ```
 *
 * Layout: `avatar-voice/voices/<sha256>.onnx`, `<sha256>.onnx.json` and `index.json` (what is
 * cached under which URL); `<sha256>.parts/` holds what loading it computed (voice_parts_cache.ts). Every read re-hashes the model: a file that no longer matches its
 * SHA-256 is deleted and reported as `CACHE_CORRUPT`, so the caller can download it again.
 */
import { AvatarVoiceError } from './errors.js';
import { idbRoot } from './indexeddb_directory.js';

export interface CachedVoice {
  /** The model's SHA-256 (hex): the cache key. */
  id: string;
  /** Where it was downloaded from (null for voices added from files/bytes). */
  url: string | null;
  name: string;
  modelBytes: number;
  configBytes: number;
  cachedAt: number;
}

type Dir = FileSystemDirectoryHandle;

export function opfsAvailable(): boolean {
  const storage = (globalThis as { navigator?: { storage?: { getDirectory?: unknown } } }).navigator?.storage;
  return typeof storage?.getDirectory === 'function';
}

/** Whether voices can be kept here: in OPFS, else in IndexedDB (indexeddb_directory.ts). */
export function voiceCacheAvailable(): boolean {
  return opfsAvailable() || typeof indexedDB !== 'undefined';
}

let root: Promise<Dir> | null = null;

/**
 * The caches' root: OPFS where it works, else an IndexedDB folder (WebKitGTK has no OPFS; a
 * private Safari window refuses it). Chosen once per realm; the page and the worker choose alike.
 */
function cacheRoot(): Promise<Dir> {
  root ??= (async () => {
    if (opfsAvailable()) {
      try {
        return await navigator.storage.getDirectory();
      } catch {
        // refused: IndexedDB below
      }
    }
    return idbRoot() as unknown as Dir;
  })();
  return root;
}

/** Folder `name` of the package's cache folder (`avatar-voice/`), created when missing. */
export async function appDir(name: string): Promise<Dir> {
  const app = await (await cacheRoot()).getDirectoryHandle('avatar-voice', { create: true });
  return app.getDirectoryHandle(name, { create: true });
}

export function voicesDir(): Promise<Dir> {
  return appDir('voices');
}

async function readIndex(dir: Dir): Promise<CachedVoice[]> {
  try {
    const file = await (await dir.getFileHandle('index.json')).getFile();
    return JSON.parse(await file.text()) as CachedVoice[];
  } catch {
    return [];
  }
}

export async function writeFile(dir: Dir, name: string, data: Uint8Array | string): Promise<void> {
  const handle = await dir.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  try {
    await writable.write(data as FileSystemWriteChunkType);
    await writable.close();
  } catch (cause) {
    await writable.abort().catch(() => undefined);
    const quota = (cause as Error).name === 'QuotaExceededError';
    throw new AvatarVoiceError(quota ? 'QUOTA_EXCEEDED' : 'STORE', `cannot write ${name} to the voice cache: ${(cause as Error).message}`);
  }
}

async function writeIndex(dir: Dir, index: CachedVoice[]): Promise<void> {
  // Write-then-rename is not available for OPFS files everywhere: write a fresh file instead of
  // truncating the live one, then swap names, so a crash leaves the old index readable.
  await writeFile(dir, 'index.json.tmp', JSON.stringify(index));
  const tmp = await dir.getFileHandle('index.json.tmp');
  const move = (tmp as unknown as { move?: (name: string) => Promise<void> }).move;
  if (move) await move.call(tmp, 'index.json');
  else await writeFile(dir, 'index.json', JSON.stringify(index));
}

/**
 * Runs a read-modify-write of index.json alone: two loads in one tab, or in two tabs, would
 * otherwise both read the old index and the second write would drop the first one's entry. Web
 * Locks are per origin, so this also covers other tabs; without them (older engines) it runs as is.
 */
async function withIndexLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: { request(name: string, cb: () => Promise<T>): Promise<T> } } }).navigator?.locks;
  return locks ? locks.request('avatar-voice:voice-cache-index', fn) : fn();
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function listCachedVoices(): Promise<CachedVoice[]> {
  if (!voiceCacheAvailable()) return [];
  return readIndex(await voicesDir());
}

export async function findCachedVoice(url: string): Promise<CachedVoice | undefined> {
  return (await listCachedVoices()).find((v) => v.url === url);
}

/**
 * Reads a cached voice; a missing file removes the entry (CACHE_CORRUPT). The hash is checked by
 * the engine while it loads the voice (`loadVoice(…, expectedSha256)`), or here with `verify`.
 */
/** The config text of cached voice `id` (small: read alone when the model is not needed). */
export async function readCachedConfig(id: string): Promise<string> {
  return (await (await (await voicesDir()).getFileHandle(`${id}.onnx.json`)).getFile()).text();
}

export async function readCachedVoice(id: string, verify = true): Promise<{ model: Uint8Array; config: string }> {
  const dir = await voicesDir();
  let model: Uint8Array;
  let config: string;
  try {
    model = new Uint8Array(await (await (await dir.getFileHandle(`${id}.onnx`)).getFile()).arrayBuffer());
    config = await (await (await dir.getFileHandle(`${id}.onnx.json`)).getFile()).text();
  } catch {
    await deleteCachedVoice(id);
    throw new AvatarVoiceError('CACHE_CORRUPT', `cached voice ${id} is incomplete; it was removed, download it again`);
  }
  if (verify && (await sha256Hex(model)) !== id) {
    await deleteCachedVoice(id);
    throw new AvatarVoiceError('CACHE_CORRUPT', `cached voice ${id} does not match its SHA-256; it was removed, download it again`);
  }
  return { model, config };
}

export async function storeCachedVoice(
  model: Uint8Array,
  config: string,
  meta: { url: string | null; name: string },
): Promise<CachedVoice> {
  const dir = await voicesDir();
  const id = await sha256Hex(model);
  try {
    await writeFile(dir, `${id}.onnx`, model);
    await writeFile(dir, `${id}.onnx.json`, config);
  } catch (error) {
    // Nothing half-written stays behind.
    await dir.removeEntry(`${id}.onnx`).catch(() => undefined);
    await dir.removeEntry(`${id}.onnx.json`).catch(() => undefined);
    throw error;
  }
  const entry: CachedVoice = {
    id,
    url: meta.url,
    name: meta.name,
    modelBytes: model.byteLength,
    configBytes: new TextEncoder().encode(config).byteLength,
    cachedAt: Date.now(),
  };
  await withIndexLock(async () => {
    const index = (await readIndex(dir)).filter((v) => v.id !== id && (meta.url === null || v.url !== meta.url));
    index.push(entry);
    await writeIndex(dir, index);
  });
  return entry;
}

export async function deleteCachedVoice(id: string): Promise<boolean> {
  if (!voiceCacheAvailable()) return false;
  const dir = await voicesDir();
  return withIndexLock(async () => {
    const index = await readIndex(dir);
    const kept = index.filter((v) => v.id !== id);
    await dir.removeEntry(`${id}.onnx`).catch(() => undefined);
    await dir.removeEntry(`${id}.onnx.json`).catch(() => undefined);
    await dir.removeEntry(`${id}.parts`, { recursive: true }).catch(() => undefined); // voice_parts_cache.ts
    if (kept.length !== index.length) await writeIndex(dir, kept);
    return kept.length !== index.length;
  });
}
