// Finds, in a Piper (VITS) graph, the expansion of the prior to frames that forms z_p, so that a
// split can stop part A before it (model_split.h, SplitOptions::expandOutside):
//
//   attn  = path(Ceil durations)                       [1, T, n_ids]  one 1 per frame row
//   m_f   = Transpose(MatMul(attn, Transpose(m_p)))     [1, C, T]      m_p     [1, C, n_ids]
//   l_f   = Transpose(MatMul(attn, Transpose(logs_p)))  [1, C, T]      logs_p  [1, C, n_ids]
//   z_p   = m_f + RandomNormalLike(m_f) * Exp(l_f) * f1 * f2 ...    (f_i: e.g. noise_scale)
//
// The path matrix is dense: for a long sentence (433 ids, 1,549 frames) building it and the two
// MatMuls is ~13 % of part A's run, all before the first audio. Since each frame row of the path
// holds a single 1 (frame t belongs to the id whose cumulative durations first pass t), the same
// z_p frames are a gather: z[c, t] = m_p[c, k(t)] + eps[c, t] * exp(logs_p[c, k(t)]) * f1 * f2...,
// which the caller computes for just the frames a window needs (web/prior_frames.ts).
//
// Only structure is used (node names differ between exports): the Add forming z_p (found by the
// split), its Mul chain from the RandomNormalLike, one Exp operand, the other operands frame-free
// (no path to the Ceil), and on each side Transpose[0,2,1] <- MatMul(path, Transpose[0,2,1](x))
// with the same path tensor, a descendant of the Ceil. Anything else: not found, with a reason
// (the split then keeps z_p in part A, as before). Assumed, not proven from the graph: that path
// tensor is VITS's hard monotonic alignment (commons.generate_path, which every Piper export
// shares); tests/js/model_split.test.ts checks the built z_p against the graph's own, exactly.
//
// Ownership: reads the view during the call; the result's names point into the view's buffer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "voice/onnx_graph.h"

namespace avatar_voice {

struct PriorExpansion {
  bool found = false;
  std::string reason;                          // why not, when !found
  std::string_view mean;                       // m_p [1, C, n_ids]
  std::string_view logScale;                   // logs_p [1, C, n_ids]
  std::vector<std::string_view> noiseFactors;  // frame-free factors of the noise term
};

// `z`: the tensor z_p (the Add found by the split); `ceil`: index of the Ceil node (durations).
PriorExpansion findPriorExpansion(const OnnxGraphView& view, std::string_view z, int ceil);

}  // namespace avatar_voice
