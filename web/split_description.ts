/**
 * A model split's description apart from its models' bytes (src/voice/model_split.h): what the
 * sessions keep once created, and what the parts cache writes beside the part files.
 *
 * ```ts
 * const kept = described(split);                        // byte fields empty: the bytes can go
 * const manifest = JSON.stringify(description(split));  // no byte fields at all
 * const again = described(JSON.parse(manifest));        // the same description, bytes empty
 * ```
 */
import type { ChainLinkValue, DecoderCutValue, ModelSplitValue } from '../wasm/avatar_voice_core.js';

export type SplitDescription = Omit<ModelSplitValue, 'partA' | 'partB' | 'decoderCut' | 'partAChain'> & {
  decoderCut: Omit<DecoderCutValue, 'flow' | 'decoder'> | null;
  partAChain: Omit<ChainLinkValue, 'model'>[] | null;
};

/** `split`'s description: every field but the models' bytes. */
export function description(split: ModelSplitValue): SplitDescription {
  const { partA: _a, partB: _b, decoderCut, partAChain, ...rest } = split;
  let cut: SplitDescription['decoderCut'] = null;
  if (decoderCut) {
    const { flow: _f, decoder: _d, ...cutRest } = decoderCut;
    cut = cutRest;
  }
  return { ...rest, decoderCut: cut, partAChain: partAChain?.map(({ inputs, outputs }) => ({ inputs, outputs })) ?? null };
}

/** A split with `split`'s description and empty models (`split`: a split value or a description). */
export function described(split: SplitDescription): ModelSplitValue {
  const none = new Uint8Array(0);
  const { decoderCut, partAChain } = split;
  return {
    ...split,
    partA: none,
    partB: none,
    decoderCut: decoderCut && { ...decoderCut, flow: none, decoder: none },
    partAChain: partAChain?.map(({ inputs, outputs }) => ({ inputs, outputs, model: none })) ?? null,
  };
}
