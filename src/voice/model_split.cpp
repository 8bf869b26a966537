#include "voice/model_split.h"

#include <algorithm>
#include <deque>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "core/error.h"
#include "voice/frame_locality.h"
#include "voice/onnx_graph.h"
#include "voice/onnx_proto.h"
#include "voice/protobuf_wire.h"

namespace avatar_voice {
namespace {

using namespace onnx_proto;  // NOLINT: the field numbers read as the proto names
constexpr int64_t kElemFloat = 1;

using NodeSet = std::vector<char>;  // one flag per node index

struct Failure {
  SplitFailure failure;
  std::string reason;
};

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// The tensor z_p = m_p + RandomNormalLike(..) * .. * ..: a RandomNormalLike whose output runs
// through one or more Mul, each the only consumer of the previous tensor, into an Add.
std::vector<std::string_view> priorNoiseSums(const OnnxGraphView& view) {
  std::vector<std::string_view> sums;
  for (const OnnxNode& node : view.nodes) {
    if (!node.isOnnxOp("RandomNormalLike") || node.outputs.size() != 1) continue;
    std::string_view tensor = node.outputs[0];
    int muls = 0;
    for (;;) {
      const std::vector<int>& users = view.consumers(tensor);
      if (users.size() != 1) break;
      const OnnxNode& user = view.nodes[static_cast<size_t>(users[0])];
      if (user.outputs.size() != 1) break;
      if (user.isOnnxOp("Mul")) {
        ++muls;
        tensor = user.outputs[0];
        continue;
      }
      if (user.isOnnxOp("Add") && muls > 0) sums.push_back(user.outputs[0]);
      break;
    }
  }
  return sums;
}

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
void tensorType(const OnnxGraphView& view, std::string_view name, int64_t& elem, int& rank) {
  elem = kElemFloat;
  rank = 3;
  const OnnxNamedField* declared = view.valueInfo(name);
  if (!declared) declared = view.graphInput(name);
  for (const OnnxNamedField& out : view.outputs)
    if (!declared && out.name == name) declared = &out;
  if (declared && declared->type) {
    WireReader type(declared->type, declared->typeSize);
    WireField f;
    while (type.next(f)) {
      if (f.number != kTypeTensor) continue;
      WireReader tensor = type.nested(f);
      WireField t;
      while (tensor.next(t)) {
        if (t.number == kTensorElemType && t.type == WireType::kVarint) elem = static_cast<int64_t>(t.value);
        if (t.number != kTensorShape) continue;
        WireReader shape = tensor.nested(t);
        WireField d;
        int dims = 0;
        while (shape.next(d)) dims += d.number == kShapeDim;
        rank = dims;
      }
    }
    return;
  }
  int64_t to = 0;
  const OnnxNode* producer = view.producerOf(name);
  if (producer && producer->isOnnxOp("Cast") && producer->intAttribute("to", to)) elem = to;
}

// A GraphProto.input/output field declaring `name` with dims left open (a window is any length).
std::vector<uint8_t> valueInfoField(const OnnxGraphView& view, uint32_t number, std::string_view name) {
  int64_t elem = 0;
  int rank = 0;
  tensorType(view, name, elem, rank);
  std::vector<uint8_t> shape, tensor, type, info, field;
  WireWriter shapeWriter(shape);
  for (int i = 0; i < rank; ++i) shapeWriter.bytesField(kShapeDim, std::string_view());
  WireWriter tensorWriter(tensor);
  tensorWriter.varintField(kTensorElemType, static_cast<uint64_t>(elem));
  tensorWriter.bytesField(kTensorShape, shape);
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

// Writes the part made of `nodes`, reading `inputs` (graph inputs kept verbatim, other tensors
// declared anew) and producing `outputs`.
std::vector<uint8_t> writePart(const OnnxGraphView& view, const NodeSet& nodes,
                               const std::vector<std::string_view>& inputs,
                               const std::vector<std::string_view>& outputs) {
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
      part.add(valueInfoField(view, kGraphInput, name));
    }
  }
  for (std::string_view name : outputs) {
    const OnnxNamedField* original = nullptr;
    for (const OnnxNamedField& out : view.outputs)
      if (out.name == name) original = &out;
    if (original) {
      part.copy(original->field);
    } else {
      part.add(valueInfoField(view, kGraphOutput, name));
    }
  }
  for (const OnnxNamedField& info : view.valueInfos)
    if (produced.count(info.name)) part.copy(info.field);
  return part.finish();
}

// Every way a well-formed graph can be out of reach of the split, checked before anything else.
bool checkSupported(const OnnxGraphView& view, Failure& failure) {
  if (view.hasSparseInitializers) {
    failure = {SplitFailure::kUnsupportedGraph, "the graph has sparse initializers"};
    return false;
  }
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    const OnnxNode& node = view.nodes[i];
    for (const OnnxAttribute& a : node.attributes) {
      if (a.hasSubgraph) {
        failure = {SplitFailure::kUnsupportedGraph,
                   std::string(node.opType) + " node has a subgraph (If/Loop/Scan are not split)"};
        return false;
      }
    }
    for (std::string_view in : node.inputs) {
      if (in.empty() || view.isInitializer(in) || view.graphInput(in)) continue;
      const int p = view.producer(in);
      if (p < 0 || static_cast<size_t>(p) >= i) {
        failure = {SplitFailure::kUnsupportedGraph,
                   "node inputs are not in topological order (" + quoted(in) + ")"};
        return false;
      }
    }
  }
  return true;
}

ModelSplit failed(Failure f) {
  ModelSplit r;
  r.failure = f.failure;
  r.reason = std::move(f.reason);
  return r;
}

}  // namespace

const char* splitFailureName(SplitFailure failure) {
  switch (failure) {
    case SplitFailure::kNone: return "none";
    case SplitFailure::kNoPriorNoise: return "no_prior_noise";
    case SplitFailure::kAmbiguousPriorNoise: return "ambiguous_prior_noise";
    case SplitFailure::kUnexpectedBoundary: return "unexpected_boundary";
    case SplitFailure::kNonLocalOperator: return "non_local_operator";
    case SplitFailure::kUnsupportedGraph: return "unsupported_graph";
  }
  return "unsupported_graph";
}

ModelSplit splitPiperModel(const uint8_t* data, size_t size) {
  if (data == nullptr && size != 0) throw Error(ErrorCode::kInvalidArgument, "splitPiperModel: null data");
  const OnnxGraphView view(data, size);
  Failure failure;
  if (!checkSupported(view, failure)) return failed(failure);

  const std::vector<std::string_view> sums = priorNoiseSums(view);
  if (sums.empty()) {
    return failed({SplitFailure::kNoPriorNoise,
                   "no RandomNormalLike -> Mul -> Add (the prior noise forming the flow's input z_p)"});
  }
  if (sums.size() > 1) {
    return failed({SplitFailure::kAmbiguousPriorNoise,
                   std::to_string(sums.size()) + " RandomNormalLike -> Mul -> Add patterns; cannot tell which is z_p"});
  }
  const std::string_view z = sums[0];

  std::unordered_set<std::string_view> graphInputs;
  for (const OnnxNamedField& in : view.inputs)
    if (!view.isInitializer(in.name)) graphInputs.insert(in.name);
  std::unordered_set<std::string_view> graphOutputs;
  for (const OnnxNamedField& out : view.outputs) graphOutputs.insert(out.name);
  const std::unordered_set<std::string_view> zSeed = {z};
  const NodeSet fromInputs = descendants(view, graphInputs);
  const NodeSet fromZ = descendants(view, zSeed);

  int ceil = -1;
  int ceilCount = 0;
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    if (view.nodes[i].isOnnxOp("Ceil") && view.nodes[i].outputs.size() == 1) {
      ++ceilCount;
      ceil = static_cast<int>(i);
    }
  }
  if (ceilCount != 1) ceil = -1;  // like the timing patch: no single Ceil, no model durations
  if (ceil >= 0 && fromZ[static_cast<size_t>(ceil)]) {
    return failed({SplitFailure::kUnexpectedBoundary, "the durations (Ceil) depend on z_p"});
  }

  // Part B: what the outputs need past z_p, then (latest first) every input-dependent node all of
  // whose consumers are already in B, so B reads as little from A as possible.
  std::vector<std::string_view> outputNames;
  for (const OnnxNamedField& out : view.outputs) outputNames.push_back(out.name);
  const NodeSet needed = ancestors(view, outputNames, zSeed);
  NodeSet inB(view.nodes.size(), 0);
  for (size_t k = view.nodes.size(); k-- > 0;) {
    if (!needed[k]) continue;
    if (fromZ[k]) {
      inB[k] = 1;
      continue;
    }
    if (!fromInputs[k] || static_cast<int>(k) == ceil) continue;
    bool onlyB = true;
    for (std::string_view out : view.nodes[k].outputs) {
      const std::vector<int>& users = view.consumers(out);
      if (graphOutputs.count(out) || users.empty()) onlyB = false;
      for (int u : users) onlyB = onlyB && inB[static_cast<size_t>(u)];
    }
    inB[k] = onlyB;
  }

  // What B still reads from A besides z_p: one mask (depends on the phoneme ids, the first
  // input) and at most one speaker tensor (does not).
  const std::unordered_set<std::string_view> textSeed = {view.inputs.empty() ? std::string_view() : view.inputs[0].name};
  const NodeSet fromText = descendants(view, textSeed);
  std::vector<std::string_view> masks, speakers;
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    if (!inB[i]) continue;
    for (std::string_view in : view.nodes[i].inputs) {
      if (in.empty() || in == z || view.isInitializer(in) || !seen.insert(in).second) continue;
      const int p = view.producer(in);
      const bool fromA = p < 0 ? graphInputs.count(in) != 0 : (!inB[static_cast<size_t>(p)] && fromInputs[static_cast<size_t>(p)]);
      if (!fromA) continue;
      (tensorIn(view, fromText, textSeed, in) ? masks : speakers).push_back(in);
    }
  }
  if (masks.size() != 1 || speakers.size() > 1) {
    std::string list;
    for (std::string_view t : masks) list += (list.empty() ? "" : ", ") + quoted(t);
    for (std::string_view t : speakers) list += (list.empty() ? "" : ", ") + quoted(t);
    return failed({SplitFailure::kUnexpectedBoundary,
                   "the flow and decoder read " + std::to_string(masks.size()) + " text-dependent and " +
                       std::to_string(speakers.size()) + " other tensors from the first part (" + list +
                       "); expected one mask and at most one speaker embedding"});
  }

  ModelSplit r;
  r.zInput = std::string(z);
  r.maskInput = std::string(masks[0]);
  if (!speakers.empty()) r.speakerInput = std::string(speakers[0]);
  std::vector<std::string_view> cut = {z, masks[0]};
  if (!speakers.empty()) cut.push_back(speakers[0]);
  const std::unordered_set<std::string_view> cutSet(cut.begin(), cut.end());

  std::vector<std::string_view> bOutputs, aOutputs = cut;
  if (ceil >= 0) {
    aOutputs.push_back(view.nodes[static_cast<size_t>(ceil)].outputs[0]);
    r.durationOutput = std::string(aOutputs.back());
  }
  for (std::string_view out : outputNames) {
    const int p = view.producer(out);
    if (p >= 0 && inB[static_cast<size_t>(p)]) {
      bOutputs.push_back(out);
      r.audioOutputs.emplace_back(out);
    } else if (p >= 0 && std::find(aOutputs.begin(), aOutputs.end(), out) == aOutputs.end()) {
      aOutputs.push_back(out);
    }
  }
  if (bOutputs.empty()) return failed({SplitFailure::kUnexpectedBoundary, "no graph output depends on z_p"});

  const NodeSet partA = ancestors(view, aOutputs, {});
  const NodeSet partB = ancestors(view, bOutputs, cutSet);
  std::vector<int> bNodes;
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    if (!partB[i]) continue;
    if (!inB[i] && fromInputs[i]) {
      return failed({SplitFailure::kUnexpectedBoundary,
                     "the flow and decoder need " + quoted(view.nodes[i].outputs[0]) + " from the first part"});
    }
    bNodes.push_back(static_cast<int>(i));
  }

  std::vector<FrameInput> frameInputs;
  for (std::string_view t : cut) {
    int64_t elem = 0;
    int rank = 0;
    tensorType(view, t, elem, rank);
    const bool perSequence = !speakers.empty() && t == speakers[0];
    frameInputs.push_back({t, perSequence ? FrameInputKind::kPerSequence : FrameInputKind::kFrames, rank});
  }
  const FrameLocality locality = analyzeFrameLocality(view, bNodes, frameInputs, bOutputs);
  if (!locality.local) return failed({SplitFailure::kNonLocalOperator, locality.reason});
  r.receptiveFieldFrames = locality.receptiveFieldFrames;
  r.receptiveLeftFrames = locality.leftFrames;
  r.receptiveRightFrames = locality.rightFrames;
  r.hopLength = locality.hopLength;

  std::vector<std::string_view> aInputs;
  std::unordered_set<std::string_view> aRead;
  for (size_t i = 0; i < view.nodes.size(); ++i)
    if (partA[i]) aRead.insert(view.nodes[i].inputs.begin(), view.nodes[i].inputs.end());
  for (const OnnxNamedField& in : view.inputs) {
    if (!aRead.count(in.name) || view.isInitializer(in.name)) continue;
    aInputs.push_back(in.name);
    r.partAInputs.emplace_back(in.name);
  }
  r.partA = writePart(view, partA, aInputs, aOutputs);
  r.partB = writePart(view, partB, cut, bOutputs);
  return r;
}

}  // namespace avatar_voice
