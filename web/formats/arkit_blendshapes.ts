/**
 * Visemes → ARKit blendshape weights (Apple's `ARFaceAnchor.BlendShapeLocation`, the 52-shape
 * standard of Ready Player Me, VRoid "perfect sync" and most morph-target rigs), through one table:
 * {@link ARKIT_VISEME_TABLE}. Only the jaw, mouth and tongue shapes speech moves are produced.
 *
 * ```ts
 * const { frames } = toArkitFrames(await voice.synthesize(text), { fps: 60 });
 * // at 60 fps: for (const [name, w] of Object.entries(frames[i].weights)) mesh.morphTargetInfluences[dict[name]] = w;
 * player.on('blendshapes', (e) => applyToRig(e.weights));   // live, every animation frame
 * ```
 *
 * Where the numbers come from: each row describes the Oculus viseme's reference mouth (Meta's
 * "Viseme Reference" for the Oculus Lipsync SDK: e.g. PP "lips pressed together", aa "jaw open
 * wide", ou "lips rounded and protruded") in the terms Apple defines for each shape (jawOpen
 * "opening of the lower jaw", mouthPress "upward compression of the lower lip", mouthFunnel /
 * mouthPucker "contraction of both lips into an open / closed shape", mouthStretch, mouthSmile,
 * mouthRollLower "movement of the lower lip toward the inside of the mouth", tongueOut, …). The
 * weights are this package's own hand-set estimates, checked by eye on the demo's ARKit face;
 * docs/avatars.md shows the table. A frame's weight for a shape is Σ over visemes of
 * (blended viseme weight × table value), with the same attack/release blending as
 * `Player.visemeAt()` (blended weights sum to at most 1, so no shape passes its row maximum).
 */
import { AvatarVoiceError } from '../errors.js';
import { VisemeTrack, type VisemeWeight } from '../speech_cues.js';
import { type OculusViseme, requireVisemeSet } from '../viseme_sets.js';
import { type SpeechInput, speechTimeline } from './speech_timeline.js';

/** The ARKit shapes speech drives, with Apple's names. */
export const ARKIT_SPEECH_SHAPES = [
  'jawOpen',
  'mouthClose',
  'mouthFunnel',
  'mouthPucker',
  'mouthSmile_L',
  'mouthSmile_R',
  'mouthStretch_L',
  'mouthStretch_R',
  'mouthRollLower',
  'mouthRollUpper',
  'mouthShrugUpper',
  'mouthPress_L',
  'mouthPress_R',
  'mouthLowerDown_L',
  'mouthLowerDown_R',
  'mouthUpperUp_L',
  'mouthUpperUp_R',
  'tongueOut',
] as const;
export type ArkitShape = (typeof ARKIT_SPEECH_SHAPES)[number];

/** Apple's names (`mouthSmile_L`) or the camel-case ones of Ready Player Me / three.js GLBs (`mouthSmileLeft`). */
export type ArkitNaming = 'apple' | 'camel';

/** One viseme's row of the table: the shapes it moves and how far (0–1); the rest stay 0. */
export type ArkitRow = Partial<Record<ArkitShape, number>>;
const both = (left: ArkitShape, right: ArkitShape, w: number): ArkitRow => ({ [left]: w, [right]: w });

/** Oculus viseme → ARKit shape weights (0–1); shapes not listed are 0. See the module comment. */
export const ARKIT_VISEME_TABLE: Readonly<Record<OculusViseme, Readonly<ArkitRow>>> = {
  sil: {},
  PP: { jawOpen: 0.05, mouthClose: 0.15, mouthRollLower: 0.3, mouthRollUpper: 0.2, ...both('mouthPress_L', 'mouthPress_R', 0.6) },
  FF: { jawOpen: 0.1, mouthRollLower: 0.6, mouthShrugUpper: 0.2, ...both('mouthUpperUp_L', 'mouthUpperUp_R', 0.25) },
  TH: { jawOpen: 0.2, tongueOut: 0.4, ...both('mouthLowerDown_L', 'mouthLowerDown_R', 0.15) },
  DD: { jawOpen: 0.2, ...both('mouthStretch_L', 'mouthStretch_R', 0.15), ...both('mouthLowerDown_L', 'mouthLowerDown_R', 0.1) },
  kk: { jawOpen: 0.25, ...both('mouthStretch_L', 'mouthStretch_R', 0.15) },
  CH: {
    jawOpen: 0.15,
    mouthFunnel: 0.5,
    mouthPucker: 0.2,
    ...both('mouthUpperUp_L', 'mouthUpperUp_R', 0.2),
    ...both('mouthLowerDown_L', 'mouthLowerDown_R', 0.2),
  },
  SS: {
    jawOpen: 0.05,
    ...both('mouthStretch_L', 'mouthStretch_R', 0.35),
    ...both('mouthSmile_L', 'mouthSmile_R', 0.2),
    ...both('mouthUpperUp_L', 'mouthUpperUp_R', 0.15),
  },
  nn: { jawOpen: 0.15, ...both('mouthStretch_L', 'mouthStretch_R', 0.1), ...both('mouthLowerDown_L', 'mouthLowerDown_R', 0.1) },
  RR: { jawOpen: 0.15, mouthFunnel: 0.3, mouthPucker: 0.2 },
  aa: {
    jawOpen: 0.7,
    ...both('mouthLowerDown_L', 'mouthLowerDown_R', 0.3),
    ...both('mouthUpperUp_L', 'mouthUpperUp_R', 0.1),
    ...both('mouthStretch_L', 'mouthStretch_R', 0.1),
  },
  E: {
    jawOpen: 0.4,
    ...both('mouthStretch_L', 'mouthStretch_R', 0.3),
    ...both('mouthSmile_L', 'mouthSmile_R', 0.15),
    ...both('mouthLowerDown_L', 'mouthLowerDown_R', 0.2),
  },
  ih: { jawOpen: 0.2, ...both('mouthSmile_L', 'mouthSmile_R', 0.35), ...both('mouthStretch_L', 'mouthStretch_R', 0.3) },
  oh: { jawOpen: 0.45, mouthFunnel: 0.6, mouthPucker: 0.2 },
  ou: { jawOpen: 0.15, mouthPucker: 0.75, mouthFunnel: 0.35 },
};

/** A shape's name in the chosen naming. */
export function arkitName(shape: ArkitShape, naming: ArkitNaming = 'apple'): string {
  return naming === 'apple' ? shape : shape.replace(/_L$/, 'Left').replace(/_R$/, 'Right');
}

/** Blended Oculus viseme weights (e.g. `player.visemeAt().weights`) → every speech shape's weight. */
export function arkitWeights(visemes: readonly VisemeWeight[], naming: ArkitNaming = 'apple'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const shape of ARKIT_SPEECH_SHAPES) out[arkitName(shape, naming)] = 0;
  for (const v of visemes) {
    const row = ARKIT_VISEME_TABLE[v.viseme as OculusViseme];
    if (!row) continue; // not an Oculus viseme: nothing to map
    for (const [shape, value] of Object.entries(row) as [ArkitShape, number][]) {
      const name = arkitName(shape, naming);
      out[name] = Math.min(1, out[name]! + v.weight * value);
    }
  }
  return out;
}

export interface ArkitFrameOptions {
  /** Frames per second (default 60). */
  fps?: number;
  /** Blending, as the Player's options (defaults 40 and 60 ms). */
  attackMs?: number;
  releaseMs?: number;
  naming?: ArkitNaming;
}

export interface ArkitFrame {
  /** Milliseconds from the start of the audio: frame i is at i × 1000 / fps. */
  timeMs: number;
  weights: Record<string, number>;
}

export interface ArkitAnimation {
  fps: number;
  /** The shapes every frame carries, in the chosen naming. */
  names: string[];
  durationMs: number;
  /** One frame per 1/fps from 0 up to the end of the audio. */
  frames: ArkitFrame[];
}

/** The whole speech as ARKit frames (Oculus visemes needed). */
export function toArkitFrames(speech: SpeechInput, options: ArkitFrameOptions = {}): ArkitAnimation {
  const fps = options.fps ?? 60;
  if (!(fps > 0 && fps <= 1000)) throw new AvatarVoiceError('INVALID_ARGUMENT', `fps ${fps} is outside (0, 1000]`);
  const naming = options.naming ?? 'apple';
  const timeline = speechTimeline(speech);
  requireVisemeSet(timeline.visemes, 'oculus', 'toArkitFrames');
  const track = new VisemeTrack();
  track.add({ visemes: [...timeline.visemes] }, 0);
  const count = Math.floor((timeline.durationMs * fps) / 1000) + 1;
  const frames: ArkitFrame[] = [];
  for (let i = 0; i < count; i++) {
    const timeMs = (i * 1000) / fps;
    const blended = track.frameAt(timeMs / 1000, options.attackMs ?? 40, options.releaseMs ?? 60).weights;
    frames.push({ timeMs, weights: arkitWeights(blended, naming) });
  }
  return { fps, names: ARKIT_SPEECH_SHAPES.map((s) => arkitName(s, naming)), durationMs: timeline.durationMs, frames };
}
