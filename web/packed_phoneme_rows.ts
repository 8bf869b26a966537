/**
 * Phoneme rows as one binary table ("AVPH", src/store/packed_phoneme_rows.h has the layout), so a
 * timeline crosses the worker and the Embind boundary as bytes: no JSON per row to write, parse
 * and walk. Each distinct phoneme/viseme string is stored once; rows name it by index.
 */
import { AvatarVoiceError } from './errors.js';
import type { PhonemeRow } from './store_types.js';

const HEADER = 16;
const BYTES_PER_ROW = 8 + 8 + 8 + 4 + 4;
const MAGIC = 0x48505641; // "AVPH" read as a little-endian u32

export interface PackableRow {
  idx: number;
  phoneme: string;
  startMs: number;
  endMs: number;
  viseme?: string | null;
}

/** Rows → one AVPH blob. Values are checked by the core (the same rules as JSON rows). */
export function packPhonemeRows(rows: readonly PackableRow[]): Uint8Array {
  const n = rows.length;
  const index = new Map<string, number>();
  const strings: string[] = [];
  const intern = (s: string) => {
    let at = index.get(s);
    if (at === undefined) {
      at = strings.length;
      index.set(s, at);
      strings.push(s);
    }
    return at;
  };
  const phonemeRefs = new Uint32Array(n);
  const visemeRefs = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    phonemeRefs[i] = intern(r.phoneme);
    visemeRefs[i] = r.viseme ? intern(r.viseme) : -1;
  }
  const encoder = new TextEncoder();
  const encoded = strings.map((s) => encoder.encode(s));
  const poolBytes = encoded.reduce((sum, e) => sum + e.byteLength, 0);
  const stringEndAt = HEADER + n * BYTES_PER_ROW;
  const poolAt = stringEndAt + strings.length * 4;
  const buffer = new ArrayBuffer(poolAt + poolBytes);
  const header = new Uint32Array(buffer, 0, 4);
  header.set([MAGIC, 1, n, strings.length]);
  const start = new Float64Array(buffer, HEADER, n);
  const end = new Float64Array(buffer, HEADER + n * 8, n);
  const idx = new Float64Array(buffer, HEADER + n * 16, n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    start[i] = r.startMs;
    end[i] = r.endMs;
    idx[i] = r.idx;
  }
  new Uint32Array(buffer, HEADER + n * 24, n).set(phonemeRefs);
  new Int32Array(buffer, HEADER + n * 28, n).set(visemeRefs);
  const stringEnd = new Uint32Array(buffer, stringEndAt, strings.length);
  const pool = new Uint8Array(buffer, poolAt);
  let at = 0;
  for (const [j, e] of encoded.entries()) {
    pool.set(e, at);
    at += e.byteLength;
    stringEnd[j] = at;
  }
  return new Uint8Array(buffer);
}

/**
 * An AVPH blob from the core → rows of `audioId` (viseme '' where none, as the JSON rows have
 * it). Every size is checked against the bytes there are: a malformed blob is a STORE error.
 */
export function unpackPhonemeRows(bytes: Uint8Array, audioId: number): PhonemeRow[] {
  const bad = (why: string) => new AvatarVoiceError('STORE', `packed phoneme rows of audio ${audioId}: ${why}`);
  if (bytes.byteLength < HEADER) throw bad('shorter than the header');
  // Typed-array views need aligned offsets: copy once if the bytes do not start on 8.
  const own = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const view = new DataView(own.buffer, own.byteOffset, own.byteLength);
  const n = view.getUint32(8, true);
  const k = view.getUint32(12, true);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== 1) throw bad('no AVPH version 1 header');
  const poolAt = HEADER + n * BYTES_PER_ROW + k * 4;
  if (poolAt > own.byteLength) throw bad(`${n} rows and ${k} strings do not fit in ${own.byteLength} bytes`);
  const base = own.byteOffset;
  const start = new Float64Array(own.buffer, base + HEADER, n);
  const end = new Float64Array(own.buffer, base + HEADER + n * 8, n);
  const idx = new Float64Array(own.buffer, base + HEADER + n * 16, n);
  const phoneme = new Uint32Array(own.buffer, base + HEADER + n * 24, n);
  const viseme = new Int32Array(own.buffer, base + HEADER + n * 28, n);
  const stringEnd = new Uint32Array(own.buffer, base + HEADER + n * 32, k);
  const pool = own.subarray(poolAt);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const strings: string[] = [];
  let from = 0;
  for (let j = 0; j < k; j++) {
    const to = stringEnd[j]!;
    if (to < from || to > pool.byteLength) throw bad(`string ${j} ends outside the pool`);
    strings.push(decoder.decode(pool.subarray(from, to)));
    from = to;
  }
  const rows: PhonemeRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const p = strings[phoneme[i]!];
    const v = viseme[i]!;
    if (p === undefined || (v >= 0 && strings[v] === undefined)) throw bad(`row ${i} names a string outside the table`);
    rows[i] = { audioId, idx: idx[i]!, phoneme: p, startMs: start[i]!, endMs: end[i]!, viseme: v >= 0 ? strings[v]! : '' };
  }
  return rows;
}
