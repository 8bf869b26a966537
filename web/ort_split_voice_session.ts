/**
 * The two onnxruntime-web sessions of a voice split at the flow's input (src/voice/model_split.h):
 * part A (text encoder, durations, prior noise → z_p) and part B (flow + decoder, local in time).
 * Together they are the whole model, so they replace its session (memory does not double). Not
 * part of the package's public types (it holds ORT tensors). Lives where the core lives.
 *
 * ```ts
 * const split = await OrtSplitVoiceSession.create(core.splitModel(patchedModel));
 * const a = await split.runA(request);          // z_p, mask, g, durations, T (once per sentence)
 * const audio = await split.runB(a, 0, 12);      // frames [0, 12) → 12 × hop samples
 * const whole = await split.run(request);        // A then B on all frames: the unsplit model's output
 * ```
 */
import * as ort from 'onnxruntime-web/wasm';

import type { ModelSplitValue } from '../wasm/avatar_voice_core.js';
import { AvatarVoiceError } from './errors.js';
import { createSession, hasPiperInputs, notPiper, piperFeeds } from './ort_runtime.js';
import type { OrtOptions, SessionInput, SessionOutputs } from './ort_voice_session.js';

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

/** `run()` is A then B on all frames: the whole model's result (sentence chunks, synthesize()). */
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
