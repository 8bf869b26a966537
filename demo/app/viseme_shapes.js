// The 15 Oculus visemes as mouth parameters for the SVG face, and how a blend of weights becomes
// one mouth. Parameters are 0..1:
//   open   jaw/lip opening          width  corner-to-corner spread    round  pucker (narrow, forward)
//   teeth  upper teeth visible      tongue tongue visible              press  lips pressed together
//   tuck   lower lip under the upper teeth (F, V)

// The set's names come from the package (OCULUS_VISEMES, the core's table); this file only draws them.
import { OCULUS_VISEMES } from 'avatar-voice';

const p = (open, width, round, teeth, tongue, press = 0, tuck = 0) => ({ open, width, round, teeth, tongue, press, tuck });

export const MOUTH_SHAPES = {
  sil: p(0.0, 0.45, 0.1, 0.0, 0.0),
  PP: p(0.0, 0.42, 0.15, 0.0, 0.0, 1),
  FF: p(0.14, 0.5, 0.05, 1.0, 0.0, 0, 1),
  TH: p(0.24, 0.52, 0.0, 0.8, 1.0),
  DD: p(0.3, 0.56, 0.0, 0.6, 0.55),
  kk: p(0.42, 0.55, 0.05, 0.4, 0.25),
  CH: p(0.26, 0.32, 0.6, 0.9, 0.0),
  SS: p(0.12, 0.66, 0.0, 1.0, 0.0),
  nn: p(0.2, 0.52, 0.05, 0.5, 0.7),
  RR: p(0.26, 0.34, 0.6, 0.3, 0.2),
  aa: p(1.0, 0.62, 0.0, 0.35, 0.3),
  E: p(0.56, 0.76, 0.0, 0.55, 0.15),
  ih: p(0.36, 0.7, 0.0, 0.65, 0.1),
  oh: p(0.68, 0.32, 0.85, 0.15, 0.1),
  ou: p(0.34, 0.2, 1.0, 0.0, 0.0),
};

const KEYS = Object.keys(MOUTH_SHAPES.sil);
for (const name of OCULUS_VISEMES) if (!MOUTH_SHAPES[name]) throw new Error(`no mouth shape for the viseme "${name}"`);

/**
 * Weighted mouth: Σ wᵢ·shapeᵢ plus the rest of the unit weight as silence. `weights` is
 * [{ viseme, weight }] (the Player's blended weights); unknown names are ignored.
 */
export function blendMouth(weights) {
  const out = { ...MOUTH_SHAPES.sil };
  let used = 0;
  for (const k of KEYS) out[k] = 0;
  for (const { viseme, weight } of weights) {
    const shape = MOUTH_SHAPES[viseme];
    if (!shape || !(weight > 0)) continue;
    for (const k of KEYS) out[k] += shape[k] * weight;
    used += weight;
  }
  const rest = Math.max(0, 1 - used);
  for (const k of KEYS) out[k] += MOUTH_SHAPES.sil[k] * rest;
  return out;
}

/** Moves `current` toward `target` by the fraction `amount` (0..1), in place. */
export function approach(current, target, amount) {
  for (const k of Object.keys(target)) current[k] += (target[k] - current[k]) * amount;
  return current;
}
