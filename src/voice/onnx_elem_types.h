// Element types of a graph's tensors, inferred forward from its inputs, initializers and the
// operators' typing rules, for the ops Piper exports use. A graph cut into a chain of models
// (graph_chain.h) must declare each crossing tensor's type, and Piper exports carry no
// value_info for their intermediate tensors.
//
//   const ElemTypes types = inferElemTypes(view);
//   auto it = types.find("/enc_p/attn.0/Equal_output_0");   // kElemBool
//
// A tensor is absent from the map when its type cannot be known here (an op outside the rules,
// or an input of unknown type): the caller must not rely on it.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "voice/onnx_graph.h"

namespace avatar_voice {

using ElemTypes = std::unordered_map<std::string_view, int64_t>;  // TensorProto.DataType

ElemTypes inferElemTypes(const OnnxGraphView& view);

}  // namespace avatar_voice
