// Graph queries and part writing shared by the model splits (model_split.h, decoder_cut.h): which
// nodes read or feed which tensors, and writing a subset of a graph's nodes as a model of its own.
//
//   NodeSet part = ancestors(view, {"output"}, {"z_p"});       // what "output" needs past z_p
//   std::vector<uint8_t> model = writePart(view, part, {"z_p"}, {"output"});
//
// A written part copies the ModelProto's other fields (ir_version, opset_import, ...) and the
// nodes, initializers and value_info it uses verbatim from the input; inputs that were not graph
// inputs are declared anew with their element type and open dims (a window has any length).
//
// Ownership: every function reads the view only during the call; written parts own their bytes.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "voice/onnx_elem_types.h"
#include "voice/onnx_graph.h"

namespace avatar_voice {

using NodeSet = std::vector<char>;  // one flag per node index of a view

constexpr int64_t kOnnxFloat = 1;  // TensorProto.DataType FLOAT

// Flags every node that (transitively) reads one of `seeds`.
NodeSet descendants(const OnnxGraphView& view, const std::unordered_set<std::string_view>& seeds);

// True when `tensor` is one of `seeds` or produced by a flagged node.
bool tensorIn(const OnnxGraphView& view, const NodeSet& flag,
              const std::unordered_set<std::string_view>& seeds, std::string_view tensor);

// Nodes needed to compute `targets`, not looking past `stops`.
NodeSet ancestors(const OnnxGraphView& view, const std::vector<std::string_view>& targets,
                  const std::unordered_set<std::string_view>& stops);

// Element type and rank of a tensor from the graph's own declarations, else from a Cast's `to`,
// else float; rank 3 (Piper's [batch, channels, frames]) when nothing says otherwise. True when
// the graph declares the tensor (the rank is then the declared one, not a guess).
bool tensorType(const OnnxGraphView& view, std::string_view name, int64_t& elem, int& rank);

// The model made of `nodes`, reading `inputs` (graph inputs kept verbatim, other tensors declared
// anew) and producing `outputs`. A new declaration takes its element type from `types` when that
// holds the tensor, with no shape (graph_chain.h: any type, any rank); else from tensorType().
std::vector<uint8_t> writePart(const OnnxGraphView& view, const NodeSet& nodes,
                               const std::vector<std::string_view>& inputs,
                               const std::vector<std::string_view>& outputs,
                               const ElemTypes* types = nullptr);

}  // namespace avatar_voice
