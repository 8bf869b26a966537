/**
 * onnxruntime-web set-up shared by the voice sessions (ort_voice_session.ts, the whole model;
 * ort_split_voice_session.ts, a split one): configuring ORT once, creating a session with typed
 * errors, checking and feeding Piper's inputs. Internal: kept out of the public types because its
 * signatures name ORT's own types.
 *
 * ```ts
 * const session = await piperSession(await createSession(modelBytes, {}));
 * const out = await run(session, piperFeeds(request, session.inputNames.includes('sid')), ['output']);
 * ```
 */
import * as ort from 'onnxruntime-web/wasm';

import { isNode, loadBytes, ortWasmFiles } from './assets.js';
import { AvatarVoiceError } from './errors.js';
import type { OrtOptions, SessionInput } from './ort_voice_session.js';

let configured = false;

/** How long onnxruntime-web may take to start (fetch + compile its wasm, spawn its threads). */
export const ORT_START_TIMEOUT_MS = 60_000;
let started: Promise<void> | null = null;

/**
 * A 70-byte ONNX model (one Identity node): creating a session of it starts onnxruntime-web (its
 * wasm fetched and compiled, its threads spawned) without a voice.
 */
const STARTER_MODEL = 'CAgSADo6ChAKAXgSAXkiCElkZW50aXR5EgR3YXJtWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ==';

/**
 * Starts onnxruntime-web once, so that a voice load can begin it before the model is even read:
 * on a reload its start (fetch + compile of its 13.6 MB wasm, thread pool) then overlaps reading
 * the model from the cache and cutting it. Never rejects: a runtime that cannot start is reported
 * by the session that needed it.
 */
export function startOrt(options: OrtOptions): Promise<void> {
  started ??= (async () => {
    await configureOrt(options);
    try {
      const bytes = Uint8Array.from(atob(STARTER_MODEL), (c) => c.charCodeAt(0));
      await (await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] })).release();
    } catch {
      // createSession reports it, with the model's context
    }
  })();
  return started;
}

const PIPER_INPUTS = ['input', 'input_lengths', 'scales'];

export async function createSession(model: Uint8Array, options: OrtOptions): Promise<ort.InferenceSession> {
  await startOrt(options);
  try {
    return await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  } catch (cause) {
    const message = (cause as Error).message;
    // ORT says this when its own wasm/glue could not be fetched or started (e.g. a wrong
    // ort.wasmPaths); the model was never looked at, so blaming it would mislead.
    if (/no available backend/i.test(message))
      throw new AvatarVoiceError('ASSET_LOAD', `onnxruntime-web could not start (check ort.wasmPaths): ${message}`);
    throw new AvatarVoiceError('INVALID_MODEL', `onnxruntime could not load the model: ${message}`);
  }
}

/** The inference threads onnxruntime-web was configured with. */
export function ortThreads(): number {
  return ort.env.wasm.numThreads ?? 1;
}

/** Throws INVALID_MODEL when `inputs` (a model's input names) lack one of Piper's. */
export function assertPiperInputs(inputs: readonly string[]): void {
  const missing = PIPER_INPUTS.find((name) => !inputs.includes(name));
  if (missing !== undefined) throw new AvatarVoiceError('INVALID_MODEL', `not a Piper voice: the model has no "${missing}" input`);
}

/** `session`, or released and INVALID_MODEL when it lacks one of Piper's inputs. */
export async function piperSession(session: ort.InferenceSession): Promise<ort.InferenceSession> {
  try {
    assertPiperInputs(session.inputNames);
  } catch (error) {
    await session.release();
    throw error;
  }
  return session;
}

/** `session.run` with a failure reported as INVALID_MODEL (the model could not compute). */
export async function run(
  session: ort.InferenceSession,
  feeds: Record<string, ort.Tensor>,
  fetches: string[],
): Promise<Record<string, ort.Tensor>> {
  try {
    return await session.run(feeds, fetches);
  } catch (cause) {
    throw new AvatarVoiceError('INVALID_MODEL', `inference failed: ${(cause as Error).message}`);
  }
}

export function piperFeeds({ ids, noiseScale, lengthScale, noiseW, speakerId }: SessionInput, multiSpeaker: boolean) {
  const feeds: Record<string, ort.Tensor> = {
    input: new ort.Tensor(
      'int64',
      BigInt64Array.from(ids, (v) => BigInt(v)),
      [1, ids.length],
    ),
    input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
    scales: new ort.Tensor('float32', Float32Array.of(noiseScale, lengthScale, noiseW), [3]),
  };
  if (multiSpeaker) feeds.sid = new ort.Tensor('int64', BigInt64Array.of(BigInt(speakerId)), [1]);
  return feeds;
}

export async function configureOrt(options: OrtOptions): Promise<void> {
  if (configured) return;
  configured = true;
  const paths = options.wasmPaths ?? ortWasmFiles();
  ort.env.wasm.wasmPaths = paths;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number; userAgent?: string } }).navigator;
  const cores = nav?.hardwareConcurrency ?? 1;
  // Firefox (ESR 153 here): with a thread pool, about 1 cold start in 8 never finishes — the pool's
  // worker loads its script and ORT's init waits forever (tests/browser/ort_start.browser.test.ts).
  // One thread never hung in the same runs.
  const firefox = /\bFirefox\//.test(nav?.userAgent ?? '');
  ort.env.wasm.numThreads = options.numThreads ?? (isolated && !firefox ? cores : 1);
  // A start that still hangs (threads forced on in Firefox, say) becomes ORT's own "backend
  // initializing failed due to timeout", reported by createSession as ASSET_LOAD.
  ort.env.wasm.initTimeout = ORT_START_TIMEOUT_MS;
  if (isNode()) {
    // Node's fetch cannot read file: URLs; hand ORT its binary directly.
    ort.env.wasm.numThreads = 1;
    const wasm = typeof paths === 'string' ? new URL('ort-wasm-simd-threaded.wasm', paths).href : paths.wasm;
    ort.env.wasm.wasmBinary = await loadBytes(wasm);
  }
}
