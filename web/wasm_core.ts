/**
 * The wasm core (the C++ core compiled with Emscripten, wasm/), loaded: the web layer's one door
 * to it. Its raw Embind surface is typed by wasm/avatar_voice_core.d.ts; this class adds input
 * checks, UTF-8 → UTF-16 offsets and typed errors. Runs wherever it is loaded: inside the
 * package's worker in a browser, or directly in Node.
 *
 * ```ts
 * const core = await loadWasmCore();
 * const sentences = core.phonemize('Hello there.', { voice: 'en-us' });
 * const voice = core.createVoice();   // a WasmVoice: delete() it
 * ```
 */
import type {
  CoreModule,
  ModelPatchValue,
  ModelSplitRefusal,
  ModelSplitValue,
  SqliteCheckValue,
  StoreReply,
  WasmVoice,
} from '../wasm/avatar_voice_core.js';
import { type AssetUrls, loadBytes, resolveAssets } from './assets.js';
import { AvatarVoiceError, unwrapCore } from './errors.js';
import { type Limits, checkSize, pageLimits } from './limits.js';
import type { VisemeSetNames } from './viseme_sets.js';
import { IndexedDbImage } from './indexeddb_image.js';
import { OpfsUnavailableError, type PooledFile, closeOpfsPool, openOpfsPool } from './opfs_pool.js';
import type { OpenedStore, StoreOptions } from './store_types.js';
import type { PhonemizedSentence, PhonemizeOptions } from './types.js';

/**
 * Nodes per link of part A's chain. onnxruntime's session creation grows faster than linearly
 * with the node count; on the medium test voice (part A: 5,576 nodes, of which 3,389 compute: the
 * rest are Constants and Identity copies of initializers, copied into each link that reads them)
 * links of ~600 create in under half of A's time, while each link adds a run boundary (~1 ms).
 */
export const A_CHAIN_NODES = 600;

const ESPEAK_ROOT = '/espeak';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface WasmCoreTimings {
  moduleMs: number;
  espeakMs: number;
}

/** Store methods that change nothing: no image to save after them. */
const READ_ONLY_STORE_CALL = /\.(get|getMany|getBytes|getByName|list|listPacked)$|^(stats|health|export)$/;

export class WasmCore {
  private image: IndexedDbImage | null = null;
  private readonly openTransactions: number[] = [];

  /** How long loading took, for benchmarks and diagnostics. */
  readonly timings: WasmCoreTimings;

  constructor(
    private readonly module: CoreModule,
    readonly espeakVersion: string,
    timings: WasmCoreTimings,
  ) {
    this.timings = timings;
  }

  /** Both viseme sets' names in id order, from the core's table. */
  get visemeSets(): VisemeSetNames {
    return this.module.visemeSets();
  }

  /** Every error code the core raises (src/core/error.h), in its order. */
  get errorCodes(): string[] {
    return this.module.errorCodes();
  }

  /** The core's limits (src/core/limits.h), under the names the web layer checks. */
  get limits(): Limits {
    return pageLimits(this.module.limits());
  }

  /** The package version compiled into the core (same as package.json). */
  get version(): string {
    return this.module.version();
  }

  /** Text → Piper phonemes per sentence (espeak-ng, Piper's procedure). */
  phonemize(text: string, options: PhonemizeOptions = {}): PhonemizedSentence[] {
    if (typeof text !== 'string') throw new AvatarVoiceError('INVALID_ARGUMENT', 'text must be a string');
    assertWellFormed(text);
    const raw = unwrapCore(this.module.phonemize(text, options.voice ?? 'en-us', options.maxChars ?? 0));
    const toUtf16 = utf8ToUtf16Offsets(text);
    return raw.map((s) => ({
      textStart: toUtf16(s.textStart),
      textEnd: toUtf16(s.textEnd),
      phonemes: s.phonemes.map((phoneme, i) => ({
        phoneme,
        textStart: toUtf16(s.phonemeTextStart[i] ?? -1),
        textEnd: toUtf16(s.phonemeTextEnd[i] ?? -1),
      })),
    }));
  }

  /** Adds an espeak-ng data pack (another language) to the loaded data. Returns the file count. */
  installEspeakData(pack: Uint8Array): number {
    checkSize(pack.byteLength, this.limits.maxLanguagePackBytes, 'TOO_LARGE', 'the espeak-ng language pack');
    return unwrapCore(this.module.installEspeakData(pack, `${ESPEAK_ROOT}/espeak-ng-data`));
  }

  /** Adds the Piper Ceil output to the model's outputs (exact phoneme timings). */
  patchModel(model: Uint8Array): ModelPatchValue {
    checkSize(model.byteLength, this.module.limits().maxVoiceModelBytes, 'INVALID_MODEL', 'the voice model');
    return unwrapCore(this.module.patchModel(model));
  }

  /**
   * Splits a (timing-patched) Piper model at the flow's input for windowed decoding
   * (src/voice/model_split.h), or says why it does not split. The parts own copies of the bytes.
   * `cutDecoder`: also cut part B between flow and decoder (src/voice/decoder_cut.h), so windows
   * pay the flow's wide margin only in the flow. `expandOutside`: part A stops before the prior's
   * expansion to frames (src/voice/prior_expansion.h); web/prior_frames.ts builds z_p's frames.
   * `chainNodes`: part A also as a chain of links of about that many nodes (0: not), created
   * faster than A as one model (src/voice/graph_chain.h).
   */
  splitModel(model: Uint8Array, cutDecoder = true, expandOutside = true, chainNodes = A_CHAIN_NODES): ModelSplitValue | ModelSplitRefusal {
    return unwrapCore(this.module.splitModel(model, cutDecoder, expandOutside, chainNodes));
  }

  /** XXH3-128 of `bytes`, 32 hex characters (src/voice/part_digest.h): the cached parts' integrity digest. */
  partDigest(bytes: Uint8Array): string {
    return unwrapCore(this.module.partDigest(bytes));
  }

  /** 16-bit PCM mono WAV file bytes. */
  encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
    return unwrapCore(this.module.encodeWav(samples, sampleRate));
  }

  /** A new, empty voice handle (owned by the caller: delete() it). */
  createVoice(): WasmVoice {
    return new this.module.WasmVoice();
  }

  /**
   * Opens the store: OPFS (sync access handles, this must be a worker), IndexedDB (an in-memory
   * database whose image is saved after every committed change, where OPFS is missing) or memory.
   */
  async openStore(options: StoreOptions & { fallback?: boolean } = {}): Promise<OpenedStore> {
    const storage = options.storage ?? 'memory';
    const name = options.name ?? 'avatar-voice.sqlite3';
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(name) || name.startsWith('.'))
      throw new AvatarVoiceError('INVALID_ARGUMENT', `invalid database name "${name}"`);
    if (storage === 'opfs') {
      let files: PooledFile[];
      try {
        files = await openOpfsPool(this.module, name);
      } catch (error) {
        // Only a default choice falls back: an app that asked for OPFS hears that it failed.
        if (!(error instanceof OpfsUnavailableError && options.fallback && typeof indexedDB !== 'undefined')) throw error;
        await this.openIndexedDbStore(name);
        return { storage: 'indexeddb', opfsRefused: error.detail };
      }
      try {
        unwrapCore(this.module.storeOpen(`/${name}`, files));
      } catch (error) {
        closeOpfsPool(this.module);
        throw error;
      }
    } else if (storage === 'indexeddb') {
      await this.openIndexedDbStore(name);
    } else {
      unwrapCore(this.module.storeOpen(':memory:', []));
    }
    return { storage, opfsRefused: null };
  }

  private async openIndexedDbStore(name: string): Promise<void> {
    const image = await IndexedDbImage.open(name);
    try {
      unwrapCore(this.module.storeOpen(':memory:', []));
      const saved = await image.load();
      // Validated like any import: a damaged image is refused and stays in IndexedDB untouched.
      if (saved) this.importSavedImage(saved);
    } catch (error) {
      image.close();
      unwrapCore(this.module.storeClose());
      throw error;
    }
    this.image = image;
    this.openTransactions.length = 0;
  }

  /**
   * Imports the image IndexedDB kept; a refusal names what the image's header says (size, schema
   * version, page count), so a damaged image can be told from one of another version.
   */
  private importSavedImage(saved: Uint8Array): void {
    try {
      this.storeCall('import', {}, saved);
    } catch (error) {
      if (!(error instanceof AvatarVoiceError) || saved.length < 100) throw error;
      const header = new DataView(saved.buffer, saved.byteOffset, 100);
      const detail = `the image kept in IndexedDB has ${saved.length} bytes, schema version ${header.getUint32(60)}, ${header.getUint32(28)} pages`;
      throw new AvatarVoiceError(error.code, `${error.message} (${detail})`);
    }
  }

  closeStore(): void {
    unwrapCore(this.module.storeClose());
    closeOpfsPool(this.module);
    this.image?.close();
    this.image = null;
  }

  /**
   * storeCall, then, for an IndexedDB store, the image saved once a change is committed: after a
   * writing call outside any transaction, or the commit of the outermost one. Resolves when
   * IndexedDB holds it, so whatever a caller saw succeed survives a reload.
   */
  async storeCallDurable(method: string, params: object, bytes?: Uint8Array): Promise<{ result: unknown; bytes?: Uint8Array }> {
    const reply = this.storeCall(method, params, bytes);
    if (!this.image) return reply;
    const open = this.openTransactions;
    const txId = (params as { txId?: unknown }).txId;
    if (method === 'transaction.begin') {
      open.push((reply.result as { txId: number }).txId);
      return reply;
    }
    if (method === 'transaction.commit' || method === 'transaction.rollback') {
      const at = open.indexOf(txId as number);
      if (at >= 0) open.length = at; // the inner ones close with it
      if (method === 'transaction.rollback') return reply;
    } else if (READ_ONLY_STORE_CALL.test(method)) {
      return reply;
    }
    if (open.length === 0) {
      try {
        await this.image.save(this.storeCall('export', {}).bytes ?? new Uint8Array(0));
      } catch (error) {
        await this.revertToSavedImage(error);
        throw error;
      }
    }
    return reply;
  }

  /**
   * After IndexedDB refused to save a change (a full quota, say): the caller hears that it failed,
   * so memory goes back to the image IndexedDB holds — no later read may show the change, and a
   * reload agrees with what this tab sees.
   */
  private async revertToSavedImage(saveError: unknown): Promise<void> {
    const image = this.image!;
    try {
      const saved = await image.load();
      unwrapCore(this.module.storeClose());
      unwrapCore(this.module.storeOpen(':memory:', []));
      if (saved) this.importSavedImage(saved);
    } catch (error) {
      // Memory may now differ from IndexedDB: the store closes rather than serve either.
      this.closeStore();
      const why = (error as Error).message;
      if (saveError instanceof Error) saveError.message += `; the store was closed (its last saved state could not be restored: ${why})`;
    }
  }

  /** One store command (src/store/README.md). Bytes travel beside the JSON, never inside it. */
  storeCall(method: string, params: object, bytes?: Uint8Array): { result: unknown; bytes?: Uint8Array } {
    const json = JSON.stringify(params ?? {});
    checkSize(json.length, this.limits.maxStoreParamsBytes, 'TOO_LARGE', `the parameters of ${method}`);
    checkSize(bytes?.byteLength ?? 0, this.limits.maxStoreBytes, 'TOO_LARGE', `the bytes of ${method}`);
    // A full OPFS quota comes back as the core's own QUOTA_EXCEEDED (src/store/store_commands.h).
    const raw: StoreReply = unwrapCore(this.module.storeCall(method, json, bytes ?? null));
    return raw.bytes ? { result: JSON.parse(raw.result), bytes: raw.bytes } : { result: JSON.parse(raw.result) };
  }

  /** Opens an in-memory SQLite database inside the core and runs a query. */
  sqliteSelfCheck(): SqliteCheckValue {
    return unwrapCore(this.module.sqliteSelfCheck());
  }
}

/** Emscripten's UTF-8 encoder would silently fuse a lone surrogate with its neighbour. */
export function assertWellFormed(text: string): void {
  const lone = LONE_SURROGATE.exec(text);
  if (lone) throw new AvatarVoiceError('INVALID_UTF8', `text has a lone UTF-16 surrogate at index ${lone.index}`);
}

/** Loads the wasm core and the English espeak-ng data. */
export async function loadWasmCore(assets: AssetUrls = {}): Promise<WasmCore> {
  const urls = resolveAssets(assets);
  const t0 = performance.now();
  const [factoryModule, wasmBinary, espeakPack] = await Promise.all([
    // A failed dynamic import is a TypeError naming the URL at best: report it as the asset it is.
    (import(/* @vite-ignore */ urls.coreModule) as Promise<typeof import('../wasm/avatar_voice_core.js')>).catch((cause: unknown) => {
      throw new AvatarVoiceError('ASSET_LOAD', `cannot load the core module ${urls.coreModule}: ${(cause as Error).message}`);
    }),
    loadBytes(urls.coreWasm),
    loadBytes(urls.espeakData),
  ]);
  let module: CoreModule;
  try {
    module = await factoryModule.default({ wasmBinary });
  } catch (cause) {
    throw new AvatarVoiceError('ASSET_LOAD', `the wasm core failed to start: ${(cause as Error).message}`);
  }
  const t1 = performance.now();
  unwrapCore(module.installEspeakData(espeakPack, `${ESPEAK_ROOT}/espeak-ng-data`));
  const espeakVersion = unwrapCore(module.initEspeak(ESPEAK_ROOT));
  const t2 = performance.now();
  return new WasmCore(module, espeakVersion, { moduleMs: t1 - t0, espeakMs: t2 - t1 });
}

/** Maps UTF-8 byte offsets of `text` to UTF-16 indices (what JS strings use). -1 stays -1. */
export function utf8ToUtf16Offsets(text: string): (byteOffset: number) => number {
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  if (ascii) return (b) => b;
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) ?? 0;
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) map.push(i);
    if (cp > 0xffff) i++;
  }
  map.push(text.length);
  return (b) => (b < 0 ? -1 : (map[Math.min(b, map.length - 1)] ?? text.length));
}
