// Proves that a graph (part B of a split Piper model: flow + HiFi-GAN decoder) only looks at a
// bounded neighbourhood of frames, and computes that neighbourhood (the receptive field) and the
// output samples per input frame (hop length) from the graph itself.
//
//   std::vector<FrameInput> in = {{"z_p", FrameInputKind::kFrames, 3},
//                                 {"y_mask", FrameInputKind::kFrames, 3},
//                                 {"g", FrameInputKind::kPerSequence, 3}};
//   FrameLocality f = analyzeFrameLocality(view, partBNodes, in, {"output"});
//   if (f.local) { /* window with f.receptiveFieldFrames of margin, f.hopLength samples/frame */ }
//
// How: every tensor gets a class — constant, shape arithmetic (computed from Shape(), valid for
// any length), per-sequence (no time axis or the same value on every frame, e.g. the speaker
// embedding or ConstantOfShape zeros) or frame data (time on its last axis, `rate` samples per
// input frame, depending on input frames [t - left, t + right]). Each op must be in a whitelist
// and move frame data only locally: element-wise ops, 1-D Conv (stride 1, length-preserving
// pads), 1-D ConvTranspose (output length = stride x input length), Slice/Split/Concat on a
// non-time axis. A Conv adds dilation*(kernel-1) samples of reach split by its pads; a
// ConvTranspose multiplies the rate by its stride. Anything else touching frame data
// (ReduceMean over time, MatMul, Reshape, Transpose, Pad, Range of positions, ...) makes the graph
// non-local and `reason` names the node. The result is exact arithmetic on the graph's
// attributes, an upper bound that does not depend on the weights.
//
// Ownership: reads the view only during the call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "voice/onnx_graph.h"

namespace avatar_voice {

enum class FrameInputKind {
  kFrames,       // [.., T] at one sample per frame, e.g. z_p and the frame mask
  kPerSequence,  // broadcast over time, e.g. the speaker embedding g [1, C, 1]
};

struct FrameInput {
  std::string_view name;
  FrameInputKind kind = FrameInputKind::kFrames;
  int rank = 3;
};

struct FrameLocality {
  bool local = false;
  std::string reason;       // when !local: the first offending node and why
  double leftFrames = 0;    // output sample t depends on input frames [t/hop - left, t/hop + right]
  double rightFrames = 0;
  int receptiveFieldFrames = 0;  // ceil(max(left, right)): the margin a window needs each side
  int hopLength = 0;             // output samples per input frame
};

// `nodes` are indices into view.nodes in topological order; they may read only `inputs`,
// initializers and each other's outputs. `outputs` must all be frame data at the same rate.
FrameLocality analyzeFrameLocality(const OnnxGraphView& view, const std::vector<int>& nodes,
                                   const std::vector<FrameInput>& inputs,
                                   const std::vector<std::string_view>& outputs);

// The tensors the nodes produce that are frame data at one sample per input frame (the rate of
// z_p: before any upsampling), in node order; empty when the nodes are not local (see above).
std::vector<std::string_view> frameRateTensors(const OnnxGraphView& view, const std::vector<int>& nodes,
                                               const std::vector<FrameInput>& inputs);

}  // namespace avatar_voice
