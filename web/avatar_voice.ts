/**
 * The package's entry object.
 *
 * ```ts
 * import { AvatarVoice } from 'avatar-voice';
 * const av = await AvatarVoice.create();               // starts the worker, loads wasm + espeak data
 * const [sentence] = await av.phonemize('Hello there.');
 * console.log(sentence.phonemes.map((p) => p.phoneme).join(''));
 * av.dispose();
 * ```
 *
 * In a browser everything heavy runs in one dedicated module worker; under Node (tests, tools)
 * the same core runs in-process (`{ worker: false }` is the default there).
 */
import * as Comlink from 'comlink';

import { type AssetUrls, isNode, languagePackUrl, ortWasmFiles, resolveAssets } from './assets.js';
import { EngineLifecycle } from './engine_lifecycle.js';
import { LanguagePacks } from './language_packs.js';
import { AvatarVoiceError } from './errors.js';
import { installErrorTransfer } from './error_transfer.js';
import { indexedDbAvailable } from './indexeddb_image.js';
import type { OrtOptions } from './ort_voice_session.js';
import type { IdSentence, PhonemizedSentence, PhonemizeOptions, VoiceInfo } from './types.js';
import { Store } from './store.js';
import type { OpenedStore, StoreOptions, StorePersistence } from './store_types.js';
import { Voice } from './voice.js';
import {
  type CachedVoice,
  deleteCachedVoice,
  findCachedVoice,
  listCachedVoices,
  opfsAvailable,
  voiceCacheAvailable,
  readCachedConfig,
  readCachedVoice,
  sha256Hex,
  storeCachedVoice,
} from './voice_cache.js';
import { type LoadOptions, type VoiceSource, absoluteUrl, fetchLimited, readVoiceSource } from './voice_source.js';
import { type CatalogOptions, DEFAULT_CATALOG_URL, type VoiceCatalog, catalogVoice, fetchVoiceCatalog } from './voice_catalog.js';
import type { FileDigest } from './file_digest.js';
import { checkSize, checkTextLength } from './limits.js';
import type { CoreInfo, EngineApi } from './engine_api.js';

export interface CreateOptions {
  /** Run the core in a Web Worker (default: true in browsers, false under Node). */
  worker?: boolean;
  /**
   * Override where the worker script is loaded from (default: `dist/worker.js` beside this file).
   * onnxruntime's files are then looked for beside it, in `ort/`, unless `ort.wasmPaths` is given.
   */
  workerUrl?: string | URL;
  /** Override asset locations (wasm, espeak data); see {@link AssetUrls}. */
  assets?: AssetUrls;
  /** onnxruntime-web settings (threads, where its wasm lives). */
  ort?: OrtOptions;
}

export class AvatarVoice {
  private readonly backend: EngineApi;
  /** The one store this engine has open (or is opening), by its options. */
  private store: { key: string; opened: Promise<Store> } | null = null;
  private readonly languages = new LanguagePacks();
  /** The last catalogue read from each URL, for `loadVoice({ catalog })`. */
  private readonly catalogs = new Map<string, Promise<VoiceCatalog>>();

  private constructor(
    backend: EngineApi,
    /** Versions and load timings of the core. */
    readonly info: CoreInfo,
    /** Ends every pending and later call (DISPOSED, WORKER_CRASHED). */
    private readonly lifecycle: EngineLifecycle,
    private readonly worker?: Worker,
  ) {
    this.backend = lifecycle.guard(backend);
  }

  static async create(options: CreateOptions = {}): Promise<AvatarVoice> {
    const useWorker = options.worker ?? !isNode();
    // Asset URLs are resolved here, in the module a bundler processes: it copies dist/worker.js
    // alone into its assets folder, where the worker's own URL leads nowhere (see ortWasmFiles).
    // With a workerUrl of their own (a self-hosted or mirrored package) ORT stays beside it.
    const assets = resolveAssets(options.assets);
    const ort: OrtOptions = { ...options.ort };
    if (ort.wasmPaths === undefined && options.workerUrl === undefined) ort.wasmPaths = ortWasmFiles();
    const lifecycle = new EngineLifecycle();
    if (!useWorker) {
      // Loaded on demand so browser bundles of this file do not carry the engine.
      const { createEngineApi } = await import('./engine_api.js');
      const local = createEngineApi();
      return new AvatarVoice(local, await local.init(assets, ort), lifecycle);
    }
    installErrorTransfer();
    const url = options.workerUrl ?? new URL('./worker.js', import.meta.url);
    const worker = new Worker(url, { type: 'module', name: 'avatar-voice' });
    const remote = Comlink.wrap<EngineApi>(worker) as unknown as EngineApi;
    // An uncaught error in the worker leaves the engine in an unknown state (a wasm trap, an
    // allocation failure, a script that failed to load): treat it as a crash, stop the worker and
    // fail every call instead of leaving them waiting for answers that will never come.
    const crash = (detail: string) => {
      lifecycle.end(new AvatarVoiceError('WORKER_CRASHED', `the avatar-voice worker failed: ${detail}`));
      worker.terminate();
    };
    worker.addEventListener('error', (event) => crash(event.message || 'uncaught error'));
    worker.addEventListener('messageerror', () => crash('a message could not be deserialized'));
    try {
      const info = await lifecycle.guard(remote).init(assets, ort);
      return new AvatarVoice(remote, info, lifecycle, worker);
    } catch (error) {
      worker.terminate();
      throw error;
    }
  }

  /** Text → Piper phonemes per sentence (espeak-ng, Piper's procedure). */
  async phonemize(text: string, options: PhonemizeOptions = {}): Promise<PhonemizedSentence[]> {
    this.assertLive();
    checkTextLength(text, options.maxChars || this.info.limits.maxTextChars);
    return this.backend.phonemize(text, options);
  }

  /**
   * Loads a Piper voice (model + `.onnx.json`) from URLs, Files/Blobs or bytes. The model is
   * patched for exact phoneme timings and an onnxruntime session is created in the worker. The
   * espeak-ng pack of the voice's `espeak.voice` is installed too when the package ships it
   * (every language Piper has voices for: `LANGUAGE_PACKS`); LANGUAGE_UNAVAILABLE when none has it and none was loaded with
   * {@link loadLanguage}.
   */
  async loadVoice(source: VoiceSource, options: LoadOptions = {}): Promise<Voice> {
    this.assertLive();
    // onnxruntime-web starts in the worker while the model is read here (download or cache).
    this.backend.prepareVoiceRuntime().catch(() => undefined);
    // A catalogue voice is its files' URLs, and the digests the catalogue lists for them.
    let expected: { model?: FileDigest; config?: FileDigest } = {};
    if (source?.catalog !== undefined) {
      const url = options.catalogUrl ?? DEFAULT_CATALOG_URL;
      const cached = this.catalogs.get(absoluteUrl(url));
      const entry = catalogVoice(await (cached ?? this.catalog(url, { signal: options.signal })), source.catalog);
      source = { model: entry.model.url, config: entry.config.url };
      expected = { model: entry.model, config: entry.config };
    }
    // A voice in the cache loads from what its first load computed, when that was kept.
    const hit = await this.cacheHit(source, options);
    let info = hit ? await this.loadCachedParts(hit) : null;
    let cached = info !== null;
    let readMs = 0;
    if (!info) {
      const readStarted = performance.now();
      const read = await this.readVoice(source, options, hit, expected);
      readMs = performance.now() - readStarted;
      cached = read.cached;
      const { model, config, cacheId } = read;
      // Bytes this call read itself (download, file, cache) move to the worker instead of being
      // copied (60 MB for a medium voice); the caller's own bytes stay theirs.
      const callersBytes = source?.model instanceof Uint8Array || source?.model instanceof ArrayBuffer;
      const movable = this.worker && !callersBytes && model.byteOffset === 0 && model.byteLength === model.buffer.byteLength;
      const modelArg = movable ? Comlink.transfer(model, [model.buffer as ArrayBuffer]) : model;
      try {
        info = await this.backend.loadVoice(modelArg, config, cacheId);
      } catch (error) {
        // The engine found the cached model's hash wrong: the entry goes, as on a failed read.
        if (cacheId && (error as AvatarVoiceError).code === 'CACHE_CORRUPT') await deleteCachedVoice(cacheId);
        throw error;
      }
    }
    const timeout = { ms: this.info.limits.synthesisTimeoutMs, expire: (error: AvatarVoiceError) => this.end(error) };
    const loadTimings = info.loadTimings && { ...info.loadTimings, readMs: info.loadTimings.readMs + readMs };
    const voice = new Voice(
      this.backend,
      { ...info, cachedId: cached ? info.sha256 : null, loadTimings },
      this.info.limits.maxTextChars,
      timeout,
    );
    try {
      const pack = this.languages.packFor(info.espeakVoice);
      if (pack) await this.loadLanguage(pack);
    } catch (error) {
      await voice.dispose().catch(() => undefined);
      throw error;
    }
    return voice;
  }

  /**
   * Opens the persistent store inside the worker: SQLite on OPFS in browsers (default), in memory
   * under Node. A second tab of the same site gets STORE_LOCKED while this one holds it. One store
   * per AvatarVoice: calling this again with the same options returns the same Store (the open
   * one keeps working); other options are refused with `STORE`.
   */
  async openStore(options: StoreOptions = {}): Promise<Store> {
    this.assertLive();
    const storage = options.storage ?? (!this.worker ? 'memory' : opfsAvailable() ? 'opfs' : indexedDbAvailable() ? 'indexeddb' : 'memory');
    if (storage === 'indexeddb' && !(this.worker && indexedDbAvailable()))
      throw new AvatarVoiceError('INVALID_ARGUMENT', "storage 'indexeddb' needs a browser with IndexedDB and the engine's worker");
    // OPFS chosen by default may still refuse this page (private browsing): IndexedDB then.
    const resolved = { ...options, storage, fallback: options.storage === undefined };
    const key = JSON.stringify([storage, options.name ?? null]);
    if (this.store) {
      if (this.store.key !== key)
        throw new AvatarVoiceError(
          'STORE',
          `a store (${this.store.key}) is already open in this AvatarVoice; open ${key} with another AvatarVoice`,
        );
      return this.store.opened;
    }
    const backend = this.backend;
    const inWorker = this.worker !== undefined;
    const opened = backend.storeOpen(resolved).then(
      (where) =>
        new Store(
          (method, params, bytes) => backend.storeCall(method, params, bytes),
          (samples, rate) => backend.encodeWav(samples.slice(), rate),
          this.info.limits.maxStoreBytes,
          persistenceOf(where, options.storage, inWorker),
        ),
    );
    this.store = { key, opened };
    // A failed open (STORE_LOCKED, say) leaves nothing open: the next call may try again.
    opened.catch(() => {
      if (this.store?.opened === opened) this.store = null;
    });
    return opened;
  }

  /**
   * Makes another espeak-ng language available to phonemize and to voices whose `espeak.voice`
   * needs it (English is always loaded). The package ships a pack for every language Piper has voices for (`LANGUAGE_PACKS`: ar, ca, cmn, …, vi; Norwegian is "no"); pass
   * `source` (URL or bytes) for a self-hosted or custom pack.
   *
   * ```ts
   * await av.loadLanguage('de');
   * await av.phonemize('Guten Morgen!', { voice: 'de' });
   * ```
   */
  async loadLanguage(language: string, source?: string | URL | Uint8Array): Promise<void> {
    this.assertLive();
    if (!/^[a-z]{2,3}$/.test(language)) throw new AvatarVoiceError('INVALID_ARGUMENT', `invalid language code "${language}"`);
    const limit = { maxBytes: this.info.limits.maxLanguagePackBytes, code: 'TOO_LARGE' as const, what: `the ${language} language pack` };
    let pack: Uint8Array;
    if (source instanceof Uint8Array) {
      checkSize(source.byteLength, limit.maxBytes, limit.code, limit.what);
      pack = source;
    } else {
      pack = await fetchLimited(absoluteUrl(source ?? languagePackUrl(language)), 'config', {}, limit);
    }
    await this.backend.installLanguage(pack);
    this.languages.installed(language);
  }

  /**
   * The voices of a Piper catalogue (`voices.json`, Hugging Face's by default): key, language,
   * quality, speakers, file sizes, and whether each is saved in the voice cache. Offline, the
   * copy kept by the last successful fetch answers (`source: 'saved'`). See voice_catalog.ts.
   */
  catalog(url: string | URL = DEFAULT_CATALOG_URL, options: CatalogOptions = {}): Promise<VoiceCatalog> {
    this.assertLive();
    const key = absoluteUrl(url);
    const read = fetchVoiceCatalog(key, options, async () => {
      const ids = new Map<string, string>();
      for (const v of await listCachedVoices()) if (v.url) ids.set(v.url, v.id);
      return ids;
    });
    this.catalogs.set(key, read);
    read.catch(() => {
      if (this.catalogs.get(key) === read) this.catalogs.delete(key);
    });
    return read;
  }

  /** Voices kept in the OPFS cache (empty under Node). */
  listVoices(): Promise<CachedVoice[]> {
    return listCachedVoices();
  }

  /** Removes a cached voice; resolves false when there was none. */
  deleteVoice(id: string): Promise<boolean> {
    return deleteCachedVoice(id);
  }

  /** The cache id `source` resolves to without a download (its cachedId, or a cached URL), else null. */
  private async cacheHit(source: VoiceSource, options: LoadOptions): Promise<string | null> {
    if (source?.cachedId) return source.cachedId;
    const url = typeof source?.model === 'string' || source?.model instanceof URL ? absoluteUrl(source.model) : null;
    if (!url || !(options.cache ?? true) || !voiceCacheAvailable()) return null;
    const hit = await findCachedVoice(url);
    return hit && (!options.sha256 || options.sha256 === hit.id) ? hit.id : null;
  }

  /** Cached voice `id` from its kept parts (see voice_parts_cache.ts), or null to load its model. */
  private async loadCachedParts(id: string): Promise<VoiceInfo | null> {
    let config: string;
    try {
      config = await readCachedConfig(id);
    } catch {
      return null; // the model path reports the missing entry
    }
    return this.backend.loadCachedVoice(id, config);
  }

  /**
   * The voice's bytes; `cacheId` when they come from the cache unverified (the engine checks them)
   * or were just put in it (the engine then keeps its parts beside them). `hit` is what
   * {@link cacheHit} found for `source`.
   */
  private async readVoice(
    source: VoiceSource,
    options: LoadOptions,
    hit: string | null,
    expected: { model?: FileDigest; config?: FileDigest },
  ): Promise<{ model: Uint8Array; config: string; cached: boolean; cacheId?: string }> {
    if (hit) return { ...(await readCachedVoice(hit, false)), cached: true, cacheId: hit };
    const url = typeof source?.model === 'string' || source?.model instanceof URL ? absoluteUrl(source.model) : null;
    const useCache = (options.cache ?? url !== null) && voiceCacheAvailable();
    const { model, config } = await readVoiceSource(source, options, this.info.limits, expected);
    if (options.sha256 && (await sha256Hex(model)) !== options.sha256.toLowerCase())
      throw new AvatarVoiceError('INTEGRITY', `the downloaded model does not match the expected SHA-256 ${options.sha256}`);
    if (useCache) {
      const name = url ? fileNameOf(url) : 'voice';
      const entry = await storeCachedVoice(model, config, { url, name });
      return { model, config, cached: true, cacheId: entry.id };
    }
    return { model, config, cached: false };
  }

  /**
   * Text → the exact id sequences a Piper voice takes, per sentence (Piper's procedure), without
   * running the model. `config` is the voice's `.onnx.json` (text or parsed object).
   */
  async phonemizeToIds(text: string, config: string | object, options: { maxChars?: number } = {}): Promise<IdSentence[]> {
    this.assertLive();
    checkTextLength(text, options.maxChars || this.info.limits.maxTextChars);
    return this.backend.phonemizeToIds(text, typeof config === 'string' ? config : JSON.stringify(config), options.maxChars);
  }

  /** Opens an in-memory SQLite database in the core and runs a query (a health probe). */
  async sqliteSelfCheck(): Promise<{ version: string; sum: number }> {
    this.assertLive();
    return this.backend.sqliteSelfCheck();
  }

  /**
   * Stops the worker and frees the core. Calls still in flight (a `Player.speak`, a Store call,
   * a voice load) and every later call of this object, its voices and its store reject with
   * code `DISPOSED`.
   */
  dispose(): void {
    this.end(new AvatarVoiceError('DISPOSED', 'this AvatarVoice was disposed'));
  }

  /** Fails every pending and later call with `error` and stops the worker. */
  private end(error: AvatarVoiceError): void {
    this.lifecycle.end(error);
    this.worker?.terminate();
  }

  /** Why this engine can no longer be used (`DISPOSED`, `WORKER_CRASHED`), or null. */
  get failure(): AvatarVoiceError | null {
    return this.lifecycle.error;
  }

  private assertLive(): void {
    if (this.lifecycle.error) throw this.lifecycle.error;
  }
}

/** The voice's name from its URL's last segment; a malformed escape (`100%.onnx`) stays as it is. */
function fileNameOf(url: string): string {
  const last = new URL(url).pathname.split('/').pop() || 'voice';
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // not percent-encoded text: keep the raw segment
  }
  return name.replace(/\.onnx$/, '') || 'voice';
}

/** Where an opened store's data lives and why, for `Store.persistence`. */
function persistenceOf(where: OpenedStore, requested: StoreOptions['storage'], inWorker: boolean): StorePersistence {
  const { storage, opfsRefused } = where;
  if (storage === 'opfs') return { storage, survivesReload: true, reason: null };
  if (storage === 'indexeddb') {
    const why = opfsRefused
      ? `the Origin Private File System refused this page (${opfsRefused}; WebKit does so in private browsing)`
      : requested === 'indexeddb'
        ? "IndexedDB on request (storage: 'indexeddb')"
        : 'this browser has no Origin Private File System';
    return {
      storage,
      survivesReload: true,
      reason: `${why}: the database is kept in IndexedDB, saved whole after every committed change (slower writes for a large database)`,
    };
  }
  return { storage, survivesReload: false, reason: memoryStoreReason(requested, inWorker) };
}

/** Why a store is in memory, for `Store.persistence.reason`. */
function memoryStoreReason(requested: StoreOptions['storage'], inWorker: boolean): string {
  if (requested === 'memory') return "opened in memory on request (storage: 'memory'): nothing is kept after the page closes";
  if (!inWorker) return 'no worker and no Origin Private File System here (Node): the store is in memory';
  return 'this browser has neither an Origin Private File System (navigator.storage.getDirectory) nor IndexedDB: the store is in memory and nothing is kept after a reload';
}
