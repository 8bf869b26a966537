/** Rows of the persistent store (src/store/README.md is the reference for every command). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Avatar {
  id: number;
  name: string;
  /** Free-form state, e.g. `{ emotion: 'happy' }`; patch it with `avatars.patchState`. */
  state: { [key: string]: Json };
  createdAt: number;
  updatedAt: number;
}

export interface Session {
  id: number;
  avatarId: number;
  /** e.g. "interview". */
  kind: string;
  title: string;
  metadata: { [key: string]: Json };
  createdAt: number;
  updatedAt: number;
  /** Set when soft-deleted; `restore` clears it, `purge` removes the row. */
  deletedAt: number | null;
}

export interface Preset {
  id: number;
  /** e.g. "question_set", "avatar_style". Names are unique per kind. */
  kind: string;
  name: string;
  data: Json;
  createdAt: number;
  updatedAt: number;
}

export interface Render {
  id: number;
  avatarId: number;
  sessionId: number | null;
  kind: string;
  mime: string;
  width: number;
  height: number;
  size: number;
  metadata: { [key: string]: Json };
  createdAt: number;
}

export interface Audio {
  id: number;
  avatarId: number | null;
  sessionId: number | null;
  text: string;
  voiceId: string;
  sampleRate: number;
  durationMs: number;
  /** How `bytes` hold the samples: raw float32, a 16-bit WAV, or Opus (web/opus_audio.ts). */
  format: 'wav' | 'pcm_f32' | 'opus';
  size: number;
  metadata: { [key: string]: Json };
  createdAt: number;
}

export interface PhonemeRow {
  audioId: number;
  idx: number;
  phoneme: string;
  startMs: number;
  endMs: number;
  viseme: string | null;
}

export interface Asset {
  id: number;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: number;
  updatedAt: number;
}

export interface ConfigEntry {
  key: string;
  value: Json;
  isDefault: boolean;
  updatedAt: number | null;
}

/** Saved audio of one format: rows and bytes of audio. */
export interface FormatUsage {
  count: number;
  bytes: number;
}

export interface StoreStats {
  rowCounts: Record<string, number>;
  /**
   * Bytes of the database file per table, its indexes included (SQLite's dbstat); "(schema)" and
   * "sqlite_sequence" are SQLite's own. With the free pages they add up to `bytes`.
   */
  tableBytes: Record<string, number>;
  /** Saved audio per format ('pcm_f32', 'wav', 'opus'): rows and bytes. */
  audioFormats: Record<string, FormatUsage>;
  deletedSessions: number;
  pageCount: number;
  pageSize: number;
  bytes: number;
  freelistCount: number;
  schemaVersion: number;
  /** Browser storage estimate for the origin (OPFS); null under Node. */
  quota?: { usage: number; quota: number } | null;
}

/**
 * Where the store's data lives and whether it outlives the page. A store that cannot persist
 * says so here (and in `health()`), so an app can tell its user before anything is lost.
 */
export interface StorePersistence {
  /**
   * 'opfs': SQLite's pages on the Origin Private File System; 'indexeddb' (where OPFS is missing):
   * the whole database image saved to IndexedDB after every committed change; 'memory': nothing kept.
   */
  storage: 'opfs' | 'indexeddb' | 'memory';
  /** Committed data is still there after a reload (OPFS, IndexedDB); false for an in-memory store. */
  survivesReload: boolean;
  /** Why the data does not survive a reload, or how it is kept when that is not OPFS; null for OPFS. */
  reason: string | null;
}

export interface StoreHealth {
  /** Where the data lives (the page adds this to the database's own checks). */
  persistence: StorePersistence;
  ok: boolean;
  quickCheck: string[];
  schemaVersion: number;
  latestSchemaVersion: number;
  journalMode: string;
  sqliteVersion: string;
  /** As in {@link StoreStats} (absent while the schema is older than this build's). */
  tableBytes?: Record<string, number>;
  audioFormats?: Record<string, FormatUsage>;
}

/** A page of a list: at most `limit` rows (1..1000, default 100) after `offset`, by id. */
export interface Page {
  limit?: number;
  offset?: number;
  /** 'asc' (default): oldest first; 'desc': newest first (a history's first page). */
  order?: 'asc' | 'desc';
}

/** Where the database lives: OPFS in browsers (default there), memory otherwise. */
export interface StoreOptions {
  /** Default: 'opfs' in a browser that has it, else 'indexeddb' in a browser, else 'memory'. */
  storage?: 'opfs' | 'indexeddb' | 'memory';
  /** File name inside OPFS `avatar-voice/` (default `avatar-voice.sqlite3`). */
  name?: string;
}

/**
 * Internal (engine ↔ page): where an opened store keeps its data; `opfsRefused`, why OPFS was
 * passed over for IndexedDB. Kept here, not in wasm_core.ts, so the public types never reach the
 * core's own declarations.
 */
export interface OpenedStore {
  storage: 'opfs' | 'indexeddb' | 'memory';
  opfsRefused: string | null;
}
