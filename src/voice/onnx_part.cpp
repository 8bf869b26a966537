#include "voice/onnx_part.h"

#include <deque>
#include <utility>

#include "voice/onnx_proto.h"
#include "voice/protobuf_wire.h"

namespace avatar_voice {

using namespace onnx_proto;  // NOLINT: the field numbers read as the proto names

namespace {

// A GraphProto.input/output field declaring `name` with dims left open (a window is any length);
// with a type from `types`, that type and no shape at all.
std::vector<uint8_t> valueInfoField(const OnnxGraphView& view, uint32_t number, std::string_view name,
                                    const ElemTypes* types) {
  int64_t elem = 0;
  int rank = 0;
  const bool declared = tensorType(view, name, elem, rank);
  bool shaped = declared || number != kGraphOutput;
  if (types) {
    const auto it = types->find(name);
    if (it != types->end()) {
      elem = it->second;
      shaped = false;
    }
  }
  std::vector<uint8_t> shape, tensor, type, info, field;
  WireWriter shapeWriter(shape);
  for (int i = 0; i < rank; ++i) shapeWriter.bytesField(kShapeDim, std::string_view());
  WireWriter tensorWriter(tensor);
  tensorWriter.varintField(kTensorElemType, static_cast<uint64_t>(elem));
  // An output whose rank nothing declares (e.g. a scalar noise scale) is left without a shape:
  // a guessed rank would contradict the runtime's shape inference.
  if (shaped) tensorWriter.bytesField(kTensorShape, shape);
  WireWriter(type).bytesField(kTypeTensor, tensor);
  WireWriter infoWriter(info);
  infoWriter.bytesField(kValueInfoName, name);
  infoWriter.bytesField(kValueInfoType, type);
  WireWriter(field).bytesField(number, info);
  return field;
}

// A new ModelProto written in one allocation: the input's bytes around its graph field, and a
// graph assembled from slices of the input (nodes, initializers: the bulk) and a few new fields.
class PartWriter {
 public:
  explicit PartWriter(const OnnxGraphView& view) : view_(view) {}

  void copy(const WireField& f) { pieces_.emplace_back(view_.data + f.begin, f.end - f.begin); }
  void add(std::vector<uint8_t> bytes) {
    owned_.push_back(std::move(bytes));
    pieces_.emplace_back(owned_.back().data(), owned_.back().size());
  }

  std::vector<uint8_t> finish() const {
    size_t graphSize = 0;
    for (const auto& piece : pieces_) graphSize += piece.second;
    const WireField& g = view_.graphField;
    std::vector<uint8_t> out;
    out.reserve(g.begin + lengthDelimitedFieldSize(kModelGraph, graphSize) + (view_.size - g.end));
    out.insert(out.end(), view_.data, view_.data + g.begin);
    WireWriter writer(out);
    writer.tag(kModelGraph, WireType::kLengthDelimited);
    writer.varint(graphSize);
    for (const auto& piece : pieces_) out.insert(out.end(), piece.first, piece.first + piece.second);
    out.insert(out.end(), view_.data + g.end, view_.data + view_.size);
    return out;
  }

 private:
  const OnnxGraphView& view_;
  std::vector<std::pair<const uint8_t*, size_t>> pieces_;
  std::deque<std::vector<uint8_t>> owned_;  // deque: pointers stay valid as it grows
};

}  // namespace

// Flags every node that (transitively) reads one of `seeds`.
NodeSet descendants(const OnnxGraphView& view, const std::unordered_set<std::string_view>& seeds) {
  NodeSet flag(view.nodes.size(), 0);
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    for (std::string_view in : view.nodes[i].inputs) {
      if (in.empty()) continue;
      const int p = view.producer(in);
      if (seeds.count(in) || (p >= 0 && flag[static_cast<size_t>(p)])) {
        flag[i] = 1;
        break;
      }
    }
  }
  return flag;
}

bool tensorIn(const OnnxGraphView& view, const NodeSet& flag,
              const std::unordered_set<std::string_view>& seeds, std::string_view tensor) {
  const int p = view.producer(tensor);
  return seeds.count(tensor) || (p >= 0 && flag[static_cast<size_t>(p)]);
}

// Nodes needed to compute `targets`, not looking past `stops`.
NodeSet ancestors(const OnnxGraphView& view, const std::vector<std::string_view>& targets,
                  const std::unordered_set<std::string_view>& stops) {
  NodeSet flag(view.nodes.size(), 0);
  std::vector<std::string_view> stack(targets.begin(), targets.end());
  std::unordered_set<std::string_view> seen;
  while (!stack.empty()) {
    const std::string_view t = stack.back();
    stack.pop_back();
    if (t.empty() || stops.count(t) || !seen.insert(t).second) continue;
    const int p = view.producer(t);
    if (p < 0 || flag[static_cast<size_t>(p)]) continue;
    flag[static_cast<size_t>(p)] = 1;
    for (std::string_view in : view.nodes[static_cast<size_t>(p)].inputs) stack.push_back(in);
  }
  return flag;
}

// Element type and rank of a tensor from the graph's own declarations, else from a Cast's `to`,
// else float; rank 3 (Piper's [batch, channels, frames]) when nothing says otherwise.
bool tensorType(const OnnxGraphView& view, std::string_view name, int64_t& elem, int& rank) {
  elem = kOnnxFloat;
  rank = 3;
  const OnnxNamedField* declared = view.valueInfo(name);
  if (!declared) declared = view.graphInput(name);
  for (const OnnxNamedField& out : view.outputs)
    if (!declared && out.name == name) declared = &out;
  if (declared && declared->type) {
    const DeclaredTensorType d = declaredTensorType(declared->type, declared->typeSize);
    if (d.elem) elem = *d.elem;
    if (d.rank >= 0) rank = d.rank;
    return true;
  }
  int64_t to = 0;
  const OnnxNode* producer = view.producerOf(name);
  if (producer && producer->isOnnxOp("Cast") && producer->intAttribute("to", to)) elem = to;
  return false;
}

// Writes the part made of `nodes`, reading `inputs` (graph inputs kept verbatim, other tensors
// declared anew) and producing `outputs`.
std::vector<uint8_t> writePart(const OnnxGraphView& view, const NodeSet& nodes,
                               const std::vector<std::string_view>& inputs,
                               const std::vector<std::string_view>& outputs, const ElemTypes* types) {
  PartWriter part(view);
  std::unordered_set<std::string_view> read, produced;
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    if (!nodes[i]) continue;
    part.copy(view.nodes[i].field);
    for (std::string_view in : view.nodes[i].inputs) read.insert(in);
    for (std::string_view out : view.nodes[i].outputs) produced.insert(out);
  }
  for (const WireField& f : view.graphOtherFields) part.copy(f);
  for (const OnnxNamedField& init : view.initializers)
    if (read.count(init.name)) part.copy(init.field);
  for (const OnnxNamedField& in : view.inputs)  // IR < 4 lists initializers as inputs too
    if (view.isInitializer(in.name) && read.count(in.name)) part.copy(in.field);
  for (std::string_view name : inputs) {
    if (const OnnxNamedField* original = view.graphInput(name)) {
      part.copy(original->field);
    } else {
      part.add(valueInfoField(view, kGraphInput, name, types));
    }
  }
  for (std::string_view name : outputs) {
    const OnnxNamedField* original = nullptr;
    for (const OnnxNamedField& out : view.outputs)
      if (out.name == name) original = &out;
    if (original) {
      part.copy(original->field);
    } else {
      part.add(valueInfoField(view, kGraphOutput, name, types));
    }
  }
  for (const OnnxNamedField& info : view.valueInfos)
    if (produced.count(info.name)) part.copy(info.field);
  return part.finish();
}

}  // namespace avatar_voice
