#include "voice/model_split.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "core/error.h"
#include "voice/decoder_cut.h"
#include "voice/frame_locality.h"
#include "voice/onnx_graph.h"
#include "voice/onnx_part.h"
#include "voice/prior_expansion.h"

namespace avatar_voice {
namespace {

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

ModelSplit splitPiperModel(const uint8_t* data, size_t size, const SplitOptions& options) {
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
  if (options.expandOutside) {
    PriorExpansion expansion = findPriorExpansion(view, z, ceil);
    if (expansion.found) {
      aOutputs.erase(aOutputs.begin());  // z_p: built by the caller
      aOutputs.push_back(expansion.mean);
      aOutputs.push_back(expansion.logScale);
      aOutputs.insert(aOutputs.end(), expansion.noiseFactors.begin(), expansion.noiseFactors.end());
      r.priorMean = std::string(expansion.mean);
      r.priorLogScale = std::string(expansion.logScale);
      for (std::string_view f : expansion.noiseFactors) r.noiseFactors.emplace_back(f);
    } else {
      r.expansionReason = std::move(expansion.reason);
    }
  }
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
  if (options.chainNodes > 0) {
    // The chain only speeds up loading: a part A it cannot cut is still a good part A.
    try {
      GraphChain chain = chainGraph(r.partA.data(), r.partA.size(), ChainOptions{options.chainNodes});
      r.partAChain = std::move(chain.links);
      r.partAChainReason = std::move(chain.reason);
    } catch (const Error& e) {
      r.partAChainReason = std::string("part A could not be cut: ") + e.what();
    }
  }
  r.partB = writePart(view, partB, cut, bOutputs);
  if (!options.cutDecoder) return r;
  DecoderCut decoderCut = cutDecoder(r.partB.data(), r.partB.size(), r.zInput, r.maskInput,
                                     r.speakerInput, r.audioOutputs);
  if (!decoderCut.ok()) {
    r.decoderCutReason = std::move(decoderCut.reason);
    return r;
  }
  r.flow = std::move(decoderCut.flow);
  r.decoder = std::move(decoderCut.decoder);
  r.decoderInput = std::move(decoderCut.decoderInput);
  r.flowInputs = std::move(decoderCut.flowInputs);
  r.decoderInputs = std::move(decoderCut.decoderInputs);
  r.flowMarginFrames = decoderCut.flowMarginFrames;
  r.decoderMarginFrames = decoderCut.decoderMarginFrames;
  std::vector<uint8_t>().swap(r.partB);  // flow + decoder are B: do not hold it twice
  return r;
}

}  // namespace avatar_voice
