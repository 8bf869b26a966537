/**
 * The onnxruntime-web inference session of one voice's Piper model: runs the graph and nothing
 * else (the core's speech stream prepares its inputs and interprets its outputs). Lives wherever
 * the core lives: the package's worker, or Node.
 *
 * ```ts
 * const session = await OrtVoiceSession.create(patch.model, patch.durationOutput || null);
 * const { audio, frames } = await session.run(request);   // a ModelRequest of the stream
 * await session.release();
 * ```
 */
import * as ort from 'onnxruntime-web/wasm';

import { isNode, loadBytes, ortWasmFiles, type OrtWasmFiles } from './assets.js';
import { AvatarVoiceError } from './errors.js';

export interface OrtOptions {
  /**
   * Where `ort-wasm-simd-threaded.{mjs,wasm}` are: a folder URL (ending in `/`) or each file's URL
   * (default: the copies in the package's `dist/ort/`).
   */
  wasmPaths?: string | OrtWasmFiles;
  /** Inference threads; default: all cores when cross-origin isolated, else 1. */
  numThreads?: number;
}

/** What one run needs (a ModelRequest of wasm/avatar_voice_core.d.ts has these fields). */
export interface SessionInput {
  ids: Int32Array;
  noiseScale: number;
  lengthScale: number;
  noiseW: number;
  /** Fed as "sid" when the model has that input (multi-speaker); ignored otherwise. */
  speakerId: number;
}

export interface SessionOutputs {
  audio: Float32Array;
  /** Decoder frames per id (the Ceil output), or null when the model has none. */
  frames: Float32Array | null;
}

let configured = false;

async function configureOrt(options: OrtOptions): Promise<void> {
  if (configured) return;
  configured = true;
  const paths = options.wasmPaths ?? ortWasmFiles();
  ort.env.wasm.wasmPaths = paths;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  ort.env.wasm.numThreads = options.numThreads ?? (isolated ? cores : 1);
  if (isNode()) {
    // Node's fetch cannot read file: URLs; hand ORT its binary directly.
    ort.env.wasm.numThreads = 1;
    const wasm = typeof paths === 'string' ? new URL('ort-wasm-simd-threaded.wasm', paths).href : paths.wasm;
    ort.env.wasm.wasmBinary = await loadBytes(wasm);
  }
}

export class OrtVoiceSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly durationOutput: string | null,
    readonly multiSpeaker: boolean,
  ) {}

  static async create(model: Uint8Array, durationOutput: string | null, options: OrtOptions = {}): Promise<OrtVoiceSession> {
    await configureOrt(options);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(model, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
      });
    } catch (cause) {
      const message = (cause as Error).message;
      // ORT says this when its own wasm/glue could not be fetched or started (e.g. a wrong
      // ort.wasmPaths); the model was never looked at, so blaming it would mislead.
      if (/no available backend/i.test(message))
        throw new AvatarVoiceError('ASSET_LOAD', `onnxruntime-web could not start (check ort.wasmPaths): ${message}`);
      throw new AvatarVoiceError('INVALID_MODEL', `onnxruntime could not load the model: ${message}`);
    }
    const inputs = session.inputNames;
    for (const required of ['input', 'input_lengths', 'scales']) {
      if (!inputs.includes(required)) {
        await session.release();
        throw new AvatarVoiceError('INVALID_MODEL', `not a Piper voice: the model has no "${required}" input`);
      }
    }
    if (!session.outputNames.includes('output')) {
      await session.release();
      throw new AvatarVoiceError('INVALID_MODEL', 'not a Piper voice: the model has no "output" output');
    }
    const timing = durationOutput && session.outputNames.includes(durationOutput) ? durationOutput : null;
    return new OrtVoiceSession(session, timing, inputs.includes('sid'));
  }

  get hasTiming(): boolean {
    return this.durationOutput !== null;
  }

  async run({ ids, noiseScale, lengthScale, noiseW, speakerId }: SessionInput): Promise<SessionOutputs> {
    const input = new ort.Tensor(
      'int64',
      BigInt64Array.from(ids, (v) => BigInt(v)),
      [1, ids.length],
    );
    const feeds: Record<string, ort.Tensor> = {
      input,
      input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
      scales: new ort.Tensor('float32', Float32Array.of(noiseScale, lengthScale, noiseW), [3]),
    };
    if (this.multiSpeaker) feeds.sid = new ort.Tensor('int64', BigInt64Array.of(BigInt(speakerId)), [1]);
    const fetches = this.durationOutput ? ['output', this.durationOutput] : ['output'];
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = await this.session.run(feeds, fetches);
    } catch (cause) {
      throw new AvatarVoiceError('INVALID_MODEL', `inference failed: ${(cause as Error).message}`);
    }
    // Piper's output is [1,1,1,T] (older exports [1,1,T]): the samples are the data either way.
    const audio = results.output!.data as Float32Array;
    const frames = this.durationOutput ? (results[this.durationOutput]!.data as Float32Array) : null;
    for (const value of Object.values(results))
      if (value !== results.output && value !== results[this.durationOutput ?? '']) value.dispose();
    return { audio, frames };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
