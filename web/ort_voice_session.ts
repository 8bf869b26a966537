/**
 * The onnxruntime-web inference session of one voice's Piper model: runs the graph and nothing
 * else (the core's speech stream prepares its inputs and interprets its outputs). Lives wherever
 * the core lives: the package's worker, or Node. A split model's two sessions are
 * ort_split_voice_session.ts.
 *
 * ```ts
 * const session = await OrtVoiceSession.create(patch.model, patch.durationOutput || null);
 * const { audio, frames } = await session.run(request);   // a ModelRequest of the stream
 * await session.release();
 * ```
 */
import type * as ort from 'onnxruntime-web/wasm';

import type { OrtWasmFiles } from './assets.js';
import { AvatarVoiceError } from './errors.js';
import { createSession, piperFeeds, piperSession, run } from './ort_runtime.js';

export interface OrtOptions {
  /**
   * Where `ort-wasm-simd-threaded.{mjs,wasm}` are: a folder URL (ending in `/`) or each file's URL
   * (default: the copies in the package's `dist/ort/`).
   */
  wasmPaths?: string | OrtWasmFiles;
  /**
   * Inference threads; default: all cores when cross-origin isolated, else 1 — and 1 in Firefox,
   * where onnxruntime-web's thread pool sometimes never finishes starting in a worker (see
   * README, "Browser support"). A value here is used as given.
   */
  numThreads?: number;
  /**
   * Start onnxruntime-web (fetch + compile its 13.6 MB wasm, start its threads) when the engine is
   * created, alongside the core, instead of at the first `loadVoice()`: the first voice then loads
   * without waiting for it (Chromium ~0.5 s, WebKit ~1.8 s on the test machine). Default false: a
   * page that only phonemizes would download it for nothing.
   */
  preload?: boolean;
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

export class OrtVoiceSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly durationOutput: string | null,
    readonly multiSpeaker: boolean,
  ) {}

  static async create(model: Uint8Array, durationOutput: string | null, options: OrtOptions = {}): Promise<OrtVoiceSession> {
    const session = await piperSession(await createSession(model, options));
    const inputs = session.inputNames;
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

  async run(request: SessionInput): Promise<SessionOutputs> {
    const feeds = piperFeeds(request, this.multiSpeaker);
    const fetches = this.durationOutput ? ['output', this.durationOutput] : ['output'];
    const results = await run(this.session, feeds, fetches);
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
