/**
 * What loading a cached voice computes, kept beside it in OPFS: the timing-patched model's split
 * parts (part A, flow and decoder, or part B) and their description, so that the next load of the
 * voice (a reload, a later visit) creates its sessions straight from them instead of reading,
 * patching and cutting the whole model again. Engine side (the worker writes and reads it).
 *
 * ```ts
 * const digest = (bytes: Uint8Array) => core.partDigest(bytes);   // XXH3-128 (src/voice/part_digest.h)
 * const parts = await readCachedParts(sha256);          // null: none, stale format, incomplete
 * const session = await OrtSplitVoiceSession.create(parts.split, {}, (part) => parts.bytes[partFile(part)]!);
 * if (!(await partsIntact(parts, digest))) await deleteCachedParts(sha256);
 * void storeCachedParts(sha256, split, { modelBytes, durationOutput }, digest);   // after a model load
 * ```
 *
 * Layout: `avatar-voice/voices/<sha256>.parts/` holds one file per part and `parts.json`, written
 * last (a directory without it is incomplete and ignored). `parts.json` records each part's size
 * and XXH3-128 digest: a load digests each part as it arrives, between its sessions' creation,
 * and parts that do not match are deleted and the voice loads from its model (whose SHA-256 is
 * checked). Not SHA-256 here: hashing 60 MB with WebCrypto took ~300 ms of CPU on a returning
 * visit, which the sessions' creation needed (src/voice/part_digest.h says why XXH3 suffices).
 * PARTS_FORMAT changes whenever the split changes what it produces; other formats are ignored.
 */
import type { ModelSplitValue } from '../wasm/avatar_voice_core.js';
import type { PartName } from './part_a_chain.js';
import { type SplitDescription, described, description } from './split_description.js';
import { voiceCacheAvailable, voicesDir, writeFile } from './voice_cache.js';

/** Bump when src/voice/model_split, prior_expansion, decoder_cut or graph_chain change their output, or parts.json its fields (5: XXH3 digests). */
export const PARTS_FORMAT = 'piper-split-5';

interface PartFile {
  name: string;
  bytes: number;
  /** XXH3-128, 32 hex characters (`xxh128sum`). */
  xxh3: string;
}

/** The parts' digest: the wasm core's XXH3-128 (WasmCore.partDigest), passed in by the engine. */
export type PartDigest = (bytes: Uint8Array) => string;

interface PartsManifest {
  format: string;
  modelBytes: number;
  durationOutput: string;
  /** The split's description without its bytes (those are the files). */
  split: SplitDescription;
  files: PartFile[];
}

export interface CachedParts {
  /** The split's description; its byte fields are empty: the bytes are `bytes`, still being read. */
  split: ModelSplitValue;
  modelBytes: number;
  durationOutput: string;
  files: PartFile[];
  /** Each part file's bytes by name (a.onnx or a0.onnx, a1.onnx, ..., then flow.onnx and decoder.onnx, or b.onnx), read in parallel. */
  bytes: Record<string, Promise<Uint8Array>>;
}

const partsDirName = (id: string) => `${id}.parts`;

/**
 * The parts of cached voice `id`, or null when there are none usable (never throws). Returns as
 * soon as the description is read: the part files are still being read (`bytes`), so the first
 * session can be created while the others arrive.
 */
export async function readCachedParts(id: string): Promise<CachedParts | null> {
  if (!voiceCacheAvailable()) return null;
  try {
    const dir = await (await voicesDir()).getDirectoryHandle(partsDirName(id));
    const manifest = JSON.parse(await (await (await dir.getFileHandle('parts.json')).getFile()).text()) as PartsManifest;
    if (manifest.format !== PARTS_FORMAT) return null;
    const bytes: Record<string, Promise<Uint8Array>> = {};
    for (const f of manifest.files) {
      bytes[f.name] = (async () => new Uint8Array(await (await (await dir.getFileHandle(f.name)).getFile()).arrayBuffer()))();
      bytes[f.name]!.catch(() => undefined); // awaited by the caller; a failed read must not go unhandled meanwhile
    }
    return {
      split: described(manifest.split),
      modelBytes: manifest.modelBytes,
      durationOutput: manifest.durationOutput,
      files: manifest.files,
      bytes,
    };
  } catch {
    return null;
  }
}

/** True when every part has the size and digest recorded when it was written. */
export async function partsIntact(parts: CachedParts, digest: PartDigest): Promise<boolean> {
  const checks = parts.files.map(async (f) => {
    const bytes = await parts.bytes[f.name]!;
    return bytes.byteLength === f.bytes && digest(bytes) === f.xxh3;
  });
  return (await Promise.all(checks)).every(Boolean);
}

/** The file a part of a split is kept in (a.onnx or a0.onnx, a1.onnx, ..., flow.onnx, ...). */
export function partFile(part: PartName): string {
  return `${part}.onnx`;
}

/**
 * Writes the parts of cached voice `id` (after its model loaded and split). Best effort: a full
 * disk or a browser without writable OPFS files leaves no partial entry and loads stay as before.
 */
export async function storeCachedParts(
  id: string,
  split: ModelSplitValue,
  model: { modelBytes: number; durationOutput: string },
  digest: PartDigest,
): Promise<boolean> {
  if (!voiceCacheAvailable()) return false;
  const { partA, partB, decoderCut, partAChain } = split;
  const named: [string, Uint8Array][] = partAChain
    ? partAChain.map((link, i): [string, Uint8Array] => [partFile(`a${i}`), link.model])
    : [[partFile('a'), partA]];
  if (decoderCut) named.push([partFile('flow'), decoderCut.flow], [partFile('decoder'), decoderCut.decoder]);
  else named.push([partFile('b'), partB]);
  const voices = await voicesDir();
  try {
    const dir = await voices.getDirectoryHandle(partsDirName(id), { create: true });
    const files: PartFile[] = [];
    for (const [name, bytes] of named) {
      await writeFile(dir, name, bytes);
      files.push({ name, bytes: bytes.byteLength, xxh3: digest(bytes) });
    }
    const manifest: PartsManifest = { format: PARTS_FORMAT, ...model, split: description(split), files };
    await writeFile(dir, 'parts.json', JSON.stringify(manifest));
    return true;
  } catch {
    await deleteCachedParts(id);
    return false;
  }
}

export async function deleteCachedParts(id: string): Promise<void> {
  if (!voiceCacheAvailable()) return;
  await (await voicesDir()).removeEntry(partsDirName(id), { recursive: true }).catch(() => undefined);
}
