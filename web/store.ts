/**
 * The persistent store: avatars, interview sessions, presets, renders, recorded speech with its
 * phoneme timeline, assets and config — SQLite inside the wasm core, on OPFS in browsers.
 *
 * ```ts
 * const store = await av.openStore();                       // OPFS in a browser, memory in Node
 * const ada = await store.avatars.getOrCreate('Ada');
 * const s = await store.sessions.create({ avatarId: ada.id, kind: 'interview', title: 'Mock #1' });
 * const speech = await voice.synthesize('Tell me about yourself.');
 * const audio = await store.saveSpeech(speech, { text: 'Tell me about yourself.', voiceId: voice.info.sha256, sessionId: s.id });
 * await store.transaction(async (tx) => {                   // all or nothing
 *   await tx.avatars.patchState(ada.id, { emotion: 'happy' });
 *   await tx.sessions.softDelete(s.id);
 * });
 * const replay = await store.loadSpeech(audio.id);          // samples + timeline, ready to play
 * ```
 * Calls are answered by the worker; inside `transaction` no other call of this Store interleaves.
 */
import { AvatarVoiceError } from './errors.js';
import { decodeOpus, encodeOpus, opusAvailable } from './opus_audio.js';
import { checkSize } from './limits.js';
import { type PackableRow, packPhonemeRows, unpackPhonemeRows } from './packed_phoneme_rows.js';
import type {
  Asset,
  Audio,
  Avatar,
  ConfigEntry,
  Json,
  Page,
  PhonemeRow,
  Preset,
  Render,
  Session,
  StoreHealth,
  StorePersistence,
  StoreStats,
} from './store_types.js';
import type { SynthesisResult, TimedPhoneme, VisemeEvent } from './types.js';
import { visemeIdsFromNames } from './viseme_sets.js';

export type StoreCall = (method: string, params: object, bytes?: Uint8Array) => Promise<{ result: unknown; bytes?: Uint8Array }>;
type Obj = { [key: string]: Json };

/** Serialises whole transactions against single calls (one SQLite connection per worker). */
class Lock {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export interface SaveSpeechOptions {
  text: string;
  voiceId: string;
  avatarId?: number | null;
  sessionId?: number | null;
  metadata?: Obj;
  /**
   * 'pcm_f32' keeps the exact samples (default); 'wav' stores a 16-bit WAV (half the size);
   * 'opus' encodes with WebCodecs at 24 kbit/s (~1/30 of pcm_f32, lossy; same sample count, so
   * the timeline stays exact), and falls back to 'wav' where the engine cannot encode and decode
   * Opus or its encoder fails (the returned row's `format` says which was stored).
   */
  format?: 'pcm_f32' | 'wav' | 'opus';
}

export interface StoredSpeech {
  audio: Audio;
  samples: Float32Array;
  sampleRate: number;
  durationMs: number;
  phonemes: TimedPhoneme[];
  visemes: VisemeEvent[];
}

export class Store {
  /** @internal */
  constructor(
    private readonly rawCall: StoreCall,
    private readonly encodeWav: (samples: Float32Array, rate: number) => Promise<Uint8Array>,
    /** The core's maxStoreBytesIn: a bigger database to import never leaves the page. */
    private readonly maxImportBytes: number,
    /** Where the data lives and whether it survives a reload (see {@link StorePersistence}). */
    readonly persistence: StorePersistence,
    private readonly lock: Lock = new Lock(),
    private readonly inTransaction = false,
  ) {}

  private async call<T>(method: string, params: object = {}, bytes?: Uint8Array): Promise<T> {
    const go = async () => (await this.rawCall(method, params, bytes)).result as T;
    return this.inTransaction ? go() : this.lock.run(go);
  }

  private async callBytes(method: string, params: object): Promise<{ result: unknown; bytes: Uint8Array }> {
    const go = async () => {
      const r = await this.rawCall(method, params);
      return { result: r.result, bytes: r.bytes ?? new Uint8Array(0) };
    };
    return this.inTransaction ? go() : this.lock.run(go);
  }

  readonly avatars = {
    create: (p: { name: string; state?: Obj }) => this.call<Avatar>('avatars.create', p),
    get: (id: number) => this.call<Avatar>('avatars.get', { id }),
    /** Up to 1,000 avatars in one call, in the order of `ids`; `null` where an id does not exist. */
    getMany: (ids: readonly number[]) => this.call<Array<Avatar | null>>('avatars.getMany', { ids }),
    getOrCreate: (name: string) => this.call<Avatar>('avatars.getOrCreate', { name }),
    list: (p: Page = {}) => this.call<Avatar[]>('avatars.list', p),
    update: (id: number, p: { name?: string; state?: Obj }) => this.call<Avatar>('avatars.update', { id, ...p }),
    /** JSON merge patch of the state (`null` removes a key). */
    patchState: (id: number, patch: Obj) => this.call<Avatar>('avatars.patchState', { id, patch }),
    delete: (id: number) => this.call<null>('avatars.delete', { id }),
  };

  readonly sessions = {
    create: (p: { avatarId: number; kind: string; title?: string; metadata?: Obj }) => this.call<Session>('sessions.create', p),
    get: (id: number) => this.call<Session>('sessions.get', { id }),
    /** Up to 1,000 sessions in one call, in the order of `ids`; `null` where an id does not exist. */
    getMany: (ids: readonly number[]) => this.call<Array<Session | null>>('sessions.getMany', { ids }),
    /** Live sessions; `includeDeleted` adds soft-deleted ones, `onlyDeleted` lists just those. */
    list: (p: Page & { avatarId?: number; kind?: string; includeDeleted?: boolean; onlyDeleted?: boolean } = {}) =>
      this.call<Session[]>('sessions.list', p),
    update: (id: number, p: { kind?: string; title?: string; metadata?: Obj }) => this.call<Session>('sessions.update', { id, ...p }),
    softDelete: (id: number) => this.call<Session>('sessions.softDelete', { id }),
    restore: (id: number) => this.call<Session>('sessions.restore', { id }),
    purge: (id: number) => this.call<null>('sessions.purge', { id }),
  };

  readonly presets = {
    create: (p: { kind: string; name: string; data?: Json }) => this.call<Preset>('presets.create', p),
    get: (id: number) => this.call<Preset>('presets.get', { id }),
    list: (p: Page & { kind?: string } = {}) => this.call<Preset[]>('presets.list', p),
    update: (id: number, p: { name?: string; data?: Json }) => this.call<Preset>('presets.update', { id, ...p }),
    delete: (id: number) => this.call<null>('presets.delete', { id }),
  };

  readonly renders = {
    create: (
      p: { avatarId: number; sessionId?: number | null; kind: string; mime: string; width: number; height: number; metadata?: Obj },
      bytes: Uint8Array,
    ) => this.call<Render>('renders.create', p, bytes),
    get: (id: number) => this.call<Render>('renders.get', { id }),
    getBytes: async (id: number) => (await this.callBytes('renders.getBytes', { id })).bytes,
    list: (p: Page & { avatarId?: number; sessionId?: number; kind?: string } = {}) => this.call<Render[]>('renders.list', p),
    update: (id: number, p: { kind?: string; metadata?: Obj }) => this.call<Render>('renders.update', { id, ...p }),
    delete: (id: number) => this.call<null>('renders.delete', { id }),
  };

  readonly audios = {
    create: (
      p: Omit<Audio, 'id' | 'size' | 'createdAt' | 'metadata' | 'avatarId' | 'sessionId'> & {
        avatarId?: number | null;
        sessionId?: number | null;
        metadata?: Obj;
        phonemes?: Omit<PhonemeRow, 'audioId'>[];
      },
      bytes: Uint8Array,
    ) => this.call<Audio & { phonemeCount: number }>('audios.create', p, bytes),
    get: (id: number) => this.call<Audio>('audios.get', { id }),
    /** Up to 1,000 audio rows in one call, in the order of `ids`; `null` where an id does not exist. */
    getMany: (ids: readonly number[]) => this.call<Array<Audio | null>>('audios.getMany', { ids }),
    getBytes: async (id: number) => (await this.callBytes('audios.getBytes', { id })).bytes,
    list: (p: Page & { avatarId?: number; sessionId?: number; voiceId?: string } = {}) => this.call<Audio[]>('audios.list', p),
    update: (id: number, p: { metadata?: Obj }) => this.call<Audio>('audios.update', { id, ...p }),
    delete: (id: number) => this.call<null>('audios.delete', { id }),
  };

  readonly phonemes = {
    /**
     * All rows in one transaction: every row or none. `idx` defaults to the row's position. The
     * rows travel packed (one binary table, not JSON), so large timelines insert fast.
     */
    insertBatch: async (
      audioId: number,
      rows: Array<Omit<PhonemeRow, 'audioId' | 'idx' | 'viseme'> & { idx?: number; viseme?: string | null }>,
    ) => this.call<{ inserted: number }>('phonemes.insertPacked', { audioId }, packPhonemeRows(checkedRows(rows))),
    get: (audioId: number, idx: number) => this.call<PhonemeRow>('phonemes.get', { audioId, idx }),
    /** The whole timeline in idx order (read packed). */
    list: async (audioId: number) => unpackPhonemeRows((await this.callBytes('phonemes.listPacked', { audioId })).bytes, audioId),
    update: (audioId: number, idx: number, p: Partial<Omit<PhonemeRow, 'audioId' | 'idx'>>) =>
      this.call<PhonemeRow>('phonemes.update', { audioId, idx, ...p }),
    delete: (audioId: number, idx: number) => this.call<null>('phonemes.delete', { audioId, idx }),
    deleteAll: (audioId: number) => this.call<{ deleted: number }>('phonemes.deleteAll', { audioId }),
  };

  readonly assets = {
    create: (p: { name: string; mime: string }, bytes: Uint8Array) => this.call<Asset>('assets.create', p, bytes),
    get: (id: number) => this.call<Asset>('assets.get', { id }),
    getByName: (name: string) => this.call<Asset>('assets.getByName', { name }),
    getBytes: async (id: number) => (await this.callBytes('assets.getBytes', { id })).bytes,
    list: (p: Page = {}) => this.call<Asset[]>('assets.list', p),
    update: (id: number, p: { name?: string; mime?: string }, bytes?: Uint8Array) => this.call<Asset>('assets.update', { id, ...p }, bytes),
    delete: (id: number) => this.call<null>('assets.delete', { id }),
  };

  readonly config = {
    get: (key: string) => this.call<ConfigEntry>('config.get', { key }),
    list: () => this.call<ConfigEntry[]>('config.list'),
    set: (key: string, value: Json) => this.call<ConfigEntry>('config.set', { key, value }),
    delete: (key: string) => this.call<null>('config.delete', { key }),
  };

  /** Runs `fn` in one SQLite transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) {
      // Nested: a savepoint inside the open transaction.
      return this.runTransaction(fn);
    }
    return this.lock.run(() => this.runTransaction(fn));
  }

  private async runTransaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const { txId } = (await this.rawCall('transaction.begin', {})).result as { txId: number };
    const tx = new Store(this.rawCall, this.encodeWav, this.maxImportBytes, this.persistence, this.lock, true);
    try {
      const value = await fn(tx);
      await this.rawCall('transaction.commit', { txId });
      return value;
    } catch (error) {
      await this.rawCall('transaction.rollback', { txId }).catch(() => undefined);
      throw error;
    }
  }

  stats = async (): Promise<StoreStats> => {
    const stats = await this.call<StoreStats>('stats');
    const estimate = (globalThis as { navigator?: { storage?: { estimate?: () => Promise<{ usage?: number; quota?: number }> } } })
      .navigator?.storage?.estimate;
    const e = estimate ? await estimate.call(navigator.storage) : null;
    return { ...stats, quota: e ? { usage: e.usage ?? 0, quota: e.quota ?? 0 } : null };
  };

  health = async (): Promise<StoreHealth> => ({
    ...(await this.call<Omit<StoreHealth, 'persistence'>>('health')),
    persistence: this.persistence,
  });

  /** A complete SQLite file of everything stored. */
  exportDatabase = async (): Promise<Blob> => {
    const { bytes } = await this.callBytes('export', {});
    return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.sqlite3' });
  };

  /** Replaces everything with an exported file; on an invalid file nothing changes (CONSTRAINT/STORE). */
  importDatabase = async (file: Blob | Uint8Array): Promise<StoreStats> => {
    // Blob.size is known before reading: an oversized file never reaches the worker.
    checkSize(file instanceof Uint8Array ? file.byteLength : file.size, this.maxImportBytes, 'TOO_LARGE', 'the database to import');
    const bytes = file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
    return this.call<StoreStats>('import', {}, bytes);
  };

  /** Saves a synthesized utterance and its phoneme/viseme timeline in one transaction. */
  async saveSpeech(speech: SynthesisResult, options: SaveSpeechOptions): Promise<Audio> {
    let v = 0;
    const rows = speech.phonemes.map((p, idx) => {
      while (v + 1 < speech.visemes.length && speech.visemes[v]!.endMs <= p.startMs) v++;
      return { idx, phoneme: p.phoneme, startMs: p.startMs, endMs: p.endMs, viseme: speech.visemes[v]?.viseme ?? null };
    });
    return this.saveSamples(speech.samples, speech.sampleRate, speech.durationMs, rows, options);
  }

  /**
   * Saves audio that has no timeline, e.g. a spoken answer recorded from the microphone: mono
   * `samples` at `sampleRate` (3,000–768,000 Hz). Formats as for {@link saveSpeech};
   * {@link loadSpeech} gives it back with no phonemes or visemes.
   */
  async saveRecording(recording: { samples: Float32Array; sampleRate: number }, options: SaveSpeechOptions): Promise<Audio> {
    const { samples, sampleRate } = recording ?? {};
    if (!(samples instanceof Float32Array) || samples.length === 0)
      throw new AvatarVoiceError('INVALID_ARGUMENT', 'saveRecording: samples must be a non-empty Float32Array');
    if (typeof sampleRate !== 'number' || !Number.isInteger(sampleRate) || sampleRate < MIN_RATE || sampleRate > MAX_RATE)
      throw new AvatarVoiceError(
        'INVALID_ARGUMENT',
        `saveRecording: sample rate ${String(sampleRate)} is outside ${MIN_RATE}-${MAX_RATE} Hz`,
      );
    return this.saveSamples(samples, sampleRate, (samples.length / sampleRate) * 1000, [], options);
  }

  private async saveSamples(
    samples: Float32Array,
    sampleRate: number,
    durationMs: number,
    rows: PackableRow[],
    options: SaveSpeechOptions,
  ): Promise<Audio> {
    const asked = options.format ?? 'pcm_f32';
    let format = asked === 'opus' && !(await opusAvailable()) ? 'wav' : asked;
    let bytes: Uint8Array | null = null;
    if (format === 'opus') {
      // An encoder that fails (a codec error of the browser's) must not lose the speech: WAV, as
      // where there is no Opus at all; the returned row's format says which was stored.
      bytes = await encodeOpus(samples, sampleRate).catch(() => null);
      if (!bytes) format = 'wav';
    }
    bytes ??=
      format === 'wav'
        ? await this.encodeWav(samples, sampleRate)
        : new Uint8Array(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength));
    const phonemes = packPhonemeRows(rows);
    // One blob per call: the audio, then the packed timeline (`phonemeBytes` says where it starts).
    const blob = new Uint8Array(bytes.byteLength + phonemes.byteLength);
    blob.set(bytes);
    blob.set(phonemes, bytes.byteLength);
    return this.call<Audio>(
      'audios.create',
      {
        avatarId: options.avatarId ?? null,
        sessionId: options.sessionId ?? null,
        text: options.text,
        voiceId: options.voiceId,
        sampleRate,
        durationMs: Math.round(durationMs),
        format,
        metadata: options.metadata ?? {},
        phonemeBytes: phonemes.byteLength,
      },
      blob,
    );
  }

  /** An "opus" row's samples; an engine without WebCodecs Opus cannot play it back (typed error). */
  private async decodeOpusRow(audioId: number, bytes: Uint8Array): Promise<Float32Array> {
    if (!(await opusAvailable()))
      throw new AvatarVoiceError('INVALID_ARGUMENT', `audio ${audioId} is Opus, which this browser cannot decode (no WebCodecs Opus)`);
    return (await decodeOpus(bytes)).samples;
  }

  /** A saved utterance back as samples + timeline (visemes rebuilt from the stored rows). */
  async loadSpeech(audioId: number): Promise<StoredSpeech> {
    const audio = await this.audios.get(audioId);
    const bytes = await this.audios.getBytes(audioId);
    const rows = await this.phonemes.list(audioId);
    checkRate(audio.sampleRate, `audio ${audioId}`);
    if (audio.format === 'pcm_f32' && bytes.byteLength % 4 !== 0)
      throw new AvatarVoiceError('STORE', `audio ${audioId}: ${bytes.byteLength} bytes is not whole 32-bit samples`);
    const samples =
      audio.format === 'opus'
        ? await this.decodeOpusRow(audioId, bytes)
        : audio.format === 'wav'
          ? wavToFloat(bytes)
          : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const ms = 1000 / audio.sampleRate;
    const phonemes: TimedPhoneme[] = rows.map((r) => ({
      phoneme: r.phoneme,
      startMs: r.startMs,
      endMs: r.endMs,
      startSample: Math.round(r.startMs / ms),
      endSample: Math.round(r.endMs / ms),
      textStart: -1,
      textEnd: -1,
    }));
    const visemes: VisemeEvent[] = [];
    for (const r of rows) {
      const name = r.viseme ?? 'sil';
      const last = visemes.at(-1);
      if (last && last.viseme === name) last.endMs = r.endMs;
      else visemes.push({ viseme: name, id: 0, startMs: r.startMs, endMs: r.endMs, weight: 1 });
    }
    // Rows keep names; the ids come back from the core's tables for the set the names are from.
    const ids = visemeIdsFromNames(visemes.map((v) => v.viseme));
    for (const [i, v] of visemes.entries()) v.id = ids[i]!;
    return { audio, samples, sampleRate: audio.sampleRate, durationMs: audio.durationMs, phonemes, visemes };
  }
}

/**
 * Plain-JS callers can pass anything: a field of the wrong type is named here, as the core names
 * a bad value (a packed table could only carry it as a coerced number or string).
 */
function checkedRows(
  rows: ReadonlyArray<{ idx?: number; phoneme: string; startMs: number; endMs: number; viseme?: string | null }>,
): PackableRow[] {
  if (!Array.isArray(rows)) throw new AvatarVoiceError('INVALID_ARGUMENT', 'phonemes.insertBatch: rows must be an array');
  return rows.map((r, i) => {
    const where = `phonemes.insertBatch: rows[${i}]`;
    if (typeof r !== 'object' || r === null) throw new AvatarVoiceError('INVALID_ARGUMENT', `${where} must be an object`);
    if (typeof r.phoneme !== 'string') throw new AvatarVoiceError('INVALID_ARGUMENT', `${where}.phoneme must be a string`);
    for (const key of ['startMs', 'endMs'] as const)
      if (typeof r[key] !== 'number') throw new AvatarVoiceError('INVALID_ARGUMENT', `${where}.${key} must be a number`);
    if (r.idx !== undefined && !Number.isSafeInteger(r.idx))
      throw new AvatarVoiceError('INVALID_ARGUMENT', `${where}.idx must be a whole number`);
    if (r.viseme !== undefined && r.viseme !== null && typeof r.viseme !== 'string')
      throw new AvatarVoiceError('INVALID_ARGUMENT', `${where}.viseme must be a string or null`);
    return { idx: r.idx ?? i, phoneme: r.phoneme, startMs: r.startMs, endMs: r.endMs, viseme: r.viseme ?? null };
  });
}

/** Web Audio's range (createBuffer throws outside it); a stored rate outside it cannot be played. */
const MIN_RATE = 3000;
const MAX_RATE = 768000;

function checkRate(rate: unknown, what: string): number {
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < MIN_RATE || rate > MAX_RATE)
    throw new AvatarVoiceError('STORE', `${what}: sample rate ${String(rate)} is outside ${MIN_RATE}-${MAX_RATE} Hz`);
  return rate;
}

/**
 * 16-bit mono PCM WAV → samples. The bytes come from a stored row (an import can carry anything),
 * so every field is checked against the bytes there are, chunk by chunk: a header that claims more
 * data than the file holds is an error, never a huge allocation or a read past the end.
 */
export function wavToFloat(wav: Uint8Array): Float32Array {
  const bad = (why: string) => new AvatarVoiceError('STORE', `stored WAV is malformed: ${why}`);
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  if (wav.byteLength < 12 || view.getUint32(0, false) !== 0x52494646 || view.getUint32(8, false) !== 0x57415645)
    throw bad('no RIFF/WAVE header');
  let format: { channels: number; rate: number; bits: number; tag: number } | null = null;
  for (let pos = 12; pos + 8 <= wav.byteLength; ) {
    const id = view.getUint32(pos, false);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (size > wav.byteLength - body) throw bad(`chunk at ${pos} claims ${size} bytes, ${wav.byteLength - body} left`);
    if (id === 0x666d7420 /* "fmt " */) {
      if (size < 16) throw bad('fmt chunk too short');
      format = {
        tag: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 0x64617461 /* "data" */) {
      if (!format) throw bad('data before fmt');
      if (format.tag !== 1 || format.channels !== 1 || format.bits !== 16)
        throw bad(`only 16-bit mono PCM is stored (format ${format.tag}, ${format.channels} channels, ${format.bits} bits)`);
      checkRate(format.rate, 'stored WAV');
      const count = Math.floor(size / 2);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(body + i * 2, true) / 32767;
      return out;
    }
    pos = body + size + (size & 1);
  }
  throw bad('no data chunk');
}
