/**
 * The onnxruntime-web inference sessions of one voice's Piper model: they run the graph and
 * nothing else (the core's speech stream prepares its inputs and interprets its outputs). Lives
 * wherever the core lives: the package's worker, or Node.
 *
 * ```ts
 * const session = await OrtVoiceSession.create(patch.model, patch.durationOutput || null);
 * const { audio, frames } = await session.run(request);   // a ModelRequest of the stream
 * await session.release();
 * // A voice split at the flow's input (core.splitModel): part A once per sentence, B per window.
 * const split = await OrtSplitVoiceSession.create(splitValue);
 * const a = await split.runA(request);                     // z_p, mask, g, durations, T
 * const audio = await split.runB(a, 0, 12);                 // frames [0, 12) → 12 × hop samples
 * ```
 */
import * as ort from 'onnxruntime-web/wasm';

import { isNode, loadBytes, ortWasmFiles, type OrtWasmFiles } from './assets.js';
import type { ModelSplitValue } from '../wasm/avatar_voice_core.js';
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

const PIPER_INPUTS = ['input', 'input_lengths', 'scales'];

async function createSession(model: Uint8Array, options: OrtOptions): Promise<ort.InferenceSession> {
  await configureOrt(options);
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

/** Releases `session` when it lacks one of Piper's inputs (then the caller throws notPiper). */
async function hasPiperInputs(session: ort.InferenceSession): Promise<boolean> {
  if (PIPER_INPUTS.every((name) => session.inputNames.includes(name))) return true;
  await session.release();
  return false;
}

function notPiper(inputs: readonly string[]): AvatarVoiceError {
  const missing = PIPER_INPUTS.find((name) => !inputs.includes(name));
  return new AvatarVoiceError('INVALID_MODEL', `not a Piper voice: the model has no "${missing}" input`);
}

function piperFeeds({ ids, noiseScale, lengthScale, noiseW, speakerId }: SessionInput, multiSpeaker: boolean) {
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
    const session = await createSession(model, options);
    const inputs = session.inputNames;
    if (!(await hasPiperInputs(session))) throw notPiper(inputs);
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

/** Part A's output for one sentence: what every window of part B reads. */
export interface PartAOutput {
  /** Decoder frames per id (the Ceil output). */
  frames: Float32Array;
  /** T: the sentence's decoder frames (its audio is T × hop samples). */
  totalFrames: number;
  z: ort.Tensor;
  mask: ort.Tensor;
  /** The speaker embedding (multi-speaker voices), fed whole to every window. */
  g: ort.Tensor | null;
}

/**
 * A voice split at the flow's input (src/voice/model_split.h): part A (text encoder, durations,
 * prior noise → z_p) and part B (flow + decoder, local in time). Together they are the whole
 * model, so this replaces its session (memory does not double). `run()` is A then B on all
 * frames: the same result as the whole model (sentence mode, synthesize()).
 */
export class OrtSplitVoiceSession {
  readonly hasTiming = true;

  private constructor(
    private readonly a: ort.InferenceSession,
    private readonly b: ort.InferenceSession,
    private readonly split: ModelSplitValue,
    readonly multiSpeaker: boolean,
  ) {}

  /** Receptive margin M of part B in frames: each window is decoded with M frames of context each side. */
  get marginFrames(): number {
    return this.split.receptiveFieldFrames;
  }

  get hopLength(): number {
    return this.split.hopLength;
  }

  static async create(split: ModelSplitValue, options: OrtOptions = {}): Promise<OrtSplitVoiceSession> {
    const a = await createSession(split.partA, options);
    if (!(await hasPiperInputs(a))) throw notPiper(a.inputNames);
    let b: ort.InferenceSession;
    try {
      b = await createSession(split.partB, options);
    } catch (error) {
      await a.release();
      throw error;
    }
    return new OrtSplitVoiceSession(a, b, split, a.inputNames.includes('sid'));
  }

  async runA(request: SessionInput): Promise<PartAOutput> {
    const { zInput, maskInput, gInput, durationOutput } = this.split;
    const fetches = [zInput, maskInput, durationOutput, ...(gInput ? [gInput] : [])];
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.a.run(piperFeeds(request, this.multiSpeaker), fetches);
    } catch (cause) {
      throw new AvatarVoiceError('INVALID_MODEL', `inference failed: ${(cause as Error).message}`);
    }
    const z = out[zInput]!;
    return {
      frames: out[durationOutput]!.data as Float32Array,
      totalFrames: (z.dims as readonly number[])[2]!,
      z,
      mask: out[maskInput]!,
      g: gInput ? out[gInput]! : null,
    };
  }

  /**
   * Audio of frames [start, end) of part A's sentence: part B on [start − M, end + M] ∩ [0, T),
   * cropped to (end − start) × hop samples. Equal (≤ 1e-4) to the same samples of B on all frames.
   */
  async runB(a: PartAOutput, start: number, end: number): Promise<Float32Array> {
    const from = Math.max(0, start - this.marginFrames);
    const to = Math.min(a.totalFrames, end + this.marginFrames);
    const feeds: Record<string, ort.Tensor> = {
      [this.split.zInput]: frameSlice(a.z, from, to),
      [this.split.maskInput]: frameSlice(a.mask, from, to),
    };
    if (a.g) feeds[this.split.gInput] = a.g;
    const output = this.split.audioOutputs[0]!;
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.b.run(feeds, [output]);
    } catch (cause) {
      throw new AvatarVoiceError('INVALID_MODEL', `inference failed: ${(cause as Error).message}`);
    }
    const hop = this.split.hopLength;
    const samples = out[output]!.data as Float32Array;
    return samples.slice((start - from) * hop, (end - from) * hop);
  }

  /** The whole sentence: A, then B on all its frames (as the unsplit model). */
  async run(request: SessionInput): Promise<SessionOutputs> {
    const a = await this.runA(request);
    return { audio: await this.runB(a, 0, a.totalFrames), frames: a.frames };
  }

  async release(): Promise<void> {
    await Promise.all([this.a.release(), this.b.release()]);
  }
}

/** Frames [from, to) of a [1, C, T] tensor (time on the last axis), copied. */
function frameSlice(tensor: ort.Tensor, from: number, to: number): ort.Tensor {
  const [, channels, total] = tensor.dims as readonly number[];
  if (from === 0 && to === total) return tensor;
  const data = tensor.data as Float32Array;
  const width = to - from;
  const out = new Float32Array(channels! * width);
  for (let c = 0; c < channels!; c++) out.set(data.subarray(c * total! + from, c * total! + to), c * width);
  return new ort.Tensor('float32', out, [1, channels!, width]);
}
