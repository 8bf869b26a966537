/**
 * The onnxruntime-web sessions of a voice split at the flow's input (src/voice/model_split.h):
 * part A (text encoder, durations, the prior per id, from which z_p's frames are built here, or z_p
 * itself for a graph whose expansion is not found) and part B (flow + decoder, local in time),
 * B itself cut in two when it can be (src/voice/decoder_cut.h: flow, then decoder). Together
 * they are the whole model, so they replace its session (memory does not double). Not
 * part of the package's public types (it holds ORT tensors). Lives where the core lives.
 *
 * ```ts
 * const split = await OrtSplitVoiceSession.create(core.splitModel(patchedModel));
 * const a = await split.runA(request);          // z_p (or the prior it is built from), mask, g, durations, T
 * const audio = await split.runB(a, 0, 12);      // frames [0, 12) → 12 × hop samples
 * const whole = await split.run(request);        // A then B on all frames: the unsplit model's output
 * ```
 */
import * as ort from 'onnxruntime-web/wasm';

import type { DecoderCutValue, ModelSplitValue, PriorExpansionValue } from '../wasm/avatar_voice_core.js';
import { AvatarVoiceError } from './errors.js';
import { createSession, piperFeeds, run } from './ort_runtime.js';
import { PartA, type PartSource } from './part_a_chain.js';
import { described } from './split_description.js';
import { PriorFrames } from './prior_frames.js';
import type { OrtOptions, SessionInput, SessionOutputs } from './ort_voice_session.js';

/** Part A's output for one sentence: what every window of part B reads. */
export interface PartAOutput {
  /** Decoder frames per id (the Ceil output). */
  frames: Float32Array;
  /** T: the sentence's decoder frames (its audio is T × hop samples). */
  totalFrames: number;
  /** z_p's frames [from, to) as a [1, C, to − from] tensor (cut from A's z_p, or built: web/prior_frames.ts). */
  z(from: number, to: number): ort.Tensor;
  mask: ort.Tensor;
  /** The speaker embedding (multi-speaker voices), fed whole to every window. */
  g: ort.Tensor | null;
}

/** `run()` is A then B on all frames: the whole model's result (sentence chunks, synthesize()). */
export class OrtSplitVoiceSession {
  readonly hasTiming = true;

  private constructor(
    private readonly a: PartA,
    private readonly b: PartB,
    private readonly split: ModelSplitValue,
    readonly multiSpeaker: boolean,
  ) {}

  /** Receptive field of part B in frames: each window's audio depends on this many frames each side. */
  get marginFrames(): number {
    return this.split.receptiveFieldFrames;
  }

  /** Frames of context the decoder runs with each side of a window (= marginFrames when B is not cut). */
  get decoderMarginFrames(): number {
    return this.split.decoderCut?.decoderMarginFrames ?? this.split.receptiveFieldFrames;
  }

  get hopLength(): number {
    return this.split.hopLength;
  }

  /**
   * `bytes`: where each part's model comes from when not from `split` itself (e.g. files still
   * being read from the cache: each session is created as soon as its part is in).
   */
  static async create(
    split: ModelSplitValue,
    options: OrtOptions = {},
    bytes: PartSource = fromSplit(split),
  ): Promise<OrtSplitVoiceSession> {
    // The sessions keep the split's description only: the models' bytes (the size of the voice)
    // are the caller's to drop once the sessions exist.
    const kept = described(split);
    const a = await PartA.create(kept, options, bytes);
    let b: PartB;
    try {
      b = kept.decoderCut
        ? await FlowDecoder.create(kept, kept.decoderCut, options, bytes)
        : new WholeB(await createSession(await bytes('b'), options), kept);
    } catch (error) {
      await a.release();
      throw error;
    }
    return new OrtSplitVoiceSession(a, b, kept, a.inputNames.includes('sid'));
  }

  async runA(request: SessionInput): Promise<PartAOutput> {
    const { zInput, maskInput, gInput, durationOutput, expansion } = this.split;
    const prior = expansion ? [expansion.mean, expansion.logScale, ...expansion.noiseFactors] : [zInput];
    const fetches = [...prior, maskInput, durationOutput, ...(gInput ? [gInput] : [])];
    const out = await this.a.run(piperFeeds(request, this.multiSpeaker), fetches);
    const mask = out[maskInput]!;
    const frames = out[durationOutput]!.data as Float32Array;
    const totalFrames = (mask.dims as readonly number[])[2]!;
    return {
      frames,
      totalFrames,
      z: expansion ? builtFrames(out, expansion, frames, totalFrames) : (from, to) => frameSlice(out[zInput]!, from, to),
      mask,
      g: gInput ? out[gInput]! : null,
    };
  }

  /**
   * Audio of frames [start, end) of part A's sentence, decoded with enough context each side
   * (see the two PartB kinds) and cropped to (end − start) × hop samples. Equal (≤ 1e-4) to the
   * same samples of B on all frames.
   */
  runB(a: PartAOutput, start: number, end: number): Promise<Float32Array> {
    return this.b.run(a, start, end);
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

export type { PartSource } from './part_a_chain.js';

function fromSplit(split: ModelSplitValue): PartSource {
  return (part) => {
    if (part === 'a') return split.partA;
    if (part === 'b') return split.partB;
    if (part === 'flow') return split.decoderCut!.flow;
    if (part === 'decoder') return split.decoderCut!.decoder;
    return split.partAChain![Number(part.slice(1))]!.model;
  };
}

interface PartB {
  run(a: PartAOutput, start: number, end: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Part B as one model: the window's frames with M frames of context each side. */
class WholeB implements PartB {
  constructor(
    private readonly session: ort.InferenceSession,
    private readonly split: ModelSplitValue,
  ) {}

  async run(a: PartAOutput, start: number, end: number): Promise<Float32Array> {
    const { zInput, maskInput, gInput, receptiveFieldFrames: m, hopLength: hop } = this.split;
    const from = Math.max(0, start - m);
    const to = Math.min(a.totalFrames, end + m);
    const feeds: Record<string, ort.Tensor> = { [zInput]: a.z(from, to), [maskInput]: frameSlice(a.mask, from, to) };
    if (a.g) feeds[gInput] = a.g;
    const output = this.split.audioOutputs[0]!;
    const samples = (await run(this.session, feeds, [output]))[output]!.data as Float32Array;
    return samples.slice((start - from) * hop, (end - from) * hop);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/**
 * Part B as flow and decoder (src/voice/decoder_cut.h): the decoder runs on the window with its
 * own Md frames of context each side, the flow on those frames with Mf more each side. The
 * decoder is most of B's cost, so a window's context costs about a third of what it would in one
 * model.
 */
class FlowDecoder implements PartB {
  private constructor(
    private readonly flow: ort.InferenceSession,
    private readonly decoder: ort.InferenceSession,
    private readonly split: ModelSplitValue,
    private readonly cut: DecoderCutValue,
  ) {}

  static async create(split: ModelSplitValue, cut: DecoderCutValue, options: OrtOptions, bytes: PartSource): Promise<FlowDecoder> {
    const flow = await createSession(await bytes('flow'), options);
    try {
      return new FlowDecoder(flow, await createSession(await bytes('decoder'), options), split, cut);
    } catch (error) {
      await flow.release();
      throw error;
    }
  }

  async run(a: PartAOutput, start: number, end: number): Promise<Float32Array> {
    const { zInput, maskInput, gInput, hopLength: hop } = this.split;
    const { flowMarginFrames: mf, decoderMarginFrames: md, decoderInput } = this.cut;
    const decodeFrom = Math.max(0, start - md);
    const decodeTo = Math.min(a.totalFrames, end + md);
    const flowFrom = Math.max(0, decodeFrom - mf);
    const flowTo = Math.min(a.totalFrames, decodeTo + mf);
    const available: Record<string, ort.Tensor | null> = {
      [zInput]: a.z(flowFrom, flowTo),
      [maskInput]: frameSlice(a.mask, flowFrom, flowTo),
      [gInput]: a.g,
    };
    const x = (await run(this.flow, pick(available, this.cut.flowInputs), [decoderInput]))[decoderInput]!;
    available[decoderInput] = frameSlice(x, decodeFrom - flowFrom, decodeTo - flowFrom);
    const output = this.split.audioOutputs[0]!;
    const samples = (await run(this.decoder, pick(available, this.cut.decoderInputs), [output]))[output]!.data as Float32Array;
    return samples.slice((start - decodeFrom) * hop, (end - decodeFrom) * hop);
  }

  async release(): Promise<void> {
    await Promise.all([this.flow.release(), this.decoder.release()]);
  }
}

function pick(available: Record<string, ort.Tensor | null>, names: readonly string[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of names) {
    const tensor = available[name];
    if (!tensor) throw new AvatarVoiceError('INVALID_MODEL', `part of the split model reads "${name}", which it was not given`);
    feeds[name] = tensor;
  }
  return feeds;
}

/** z_p built from part A's prior per id (src/voice/prior_expansion.h): the frames a window needs. */
function builtFrames(
  out: SessionOutputsOf,
  expansion: PriorExpansionValue,
  durations: Float32Array,
  totalFrames: number,
): PartAOutput['z'] {
  let noiseScale = 1;
  for (const name of expansion.noiseFactors) {
    const factor = out[name]!.data as Float32Array;
    if (factor.length !== 1) throw new AvatarVoiceError('INVALID_MODEL', `noise factor "${name}" has ${factor.length} values, not 1`);
    noiseScale = Math.fround(noiseScale * factor[0]!);
  }
  const mean = out[expansion.mean]!;
  let prior: PriorFrames;
  try {
    prior = new PriorFrames(mean.data as Float32Array, out[expansion.logScale]!.data as Float32Array, durations, totalFrames, noiseScale);
  } catch (cause) {
    throw new AvatarVoiceError('INVALID_MODEL', `part A's prior does not fit its durations: ${(cause as Error).message}`);
  }
  return (from, to) => new ort.Tensor('float32', prior.frames(from, to), [1, prior.channels, to - from]);
}

type SessionOutputsOf = ort.InferenceSession.ReturnType;

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
