// libFuzzer target for the model split (src/voice/model_split.h): model bytes come from users,
// and loadVoice splits every model it loads. Besides "no crash, no out-of-bounds read" it checks
// the contract: the only exception is Error(kInvalidModel); a refusal names its reason; a split
// yields models that the graph view parses again (A and B, or A, flow and decoder when B cuts
// again), non-negative margins and a positive hop, and names for the tensors that cross the cuts;
// part A outputs the prior per id (with durations) or z_p, and then says why; part A cut into a
// chain of links yields links the graph view parses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/error.h"
#include "voice/graph_chain.h"
#include "voice/model_split.h"
#include "voice/onnx_graph.h"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  avatar_voice::ModelSplit split;
  try {
    split = avatar_voice::splitPiperModel(data, size);
  } catch (const avatar_voice::Error& e) {
    require(e.code() == avatar_voice::ErrorCode::kInvalidModel);
    return 0;
  }
  if (!split.ok()) {
    require(!split.reason.empty());
    return 0;
  }
  require(!split.zInput.empty() && !split.maskInput.empty() && !split.audioOutputs.empty());
  // Part A stopped before the expansion (prior_expansion.h) only with durations, and says why not.
  if (split.expandsOutside()) {
    require(!split.priorLogScale.empty() && !split.durationOutput.empty() && split.expansionReason.empty());
  } else {
    require(!split.expansionReason.empty());
  }
  require(split.receptiveFieldFrames >= 0 && split.hopLength > 0);
  // Both parts must be models the same reader accepts (what onnxruntime gets next).
  const avatar_voice::OnnxGraphView a(split.partA.data(), split.partA.size());
  require(!a.nodes.empty());
  // Part A as a chain (graph_chain.h), 2 nodes per link so that small graphs are cut too: every
  // link parses and has nodes, or the chain says why there is none.
  avatar_voice::GraphChain chain;
  try {
    chain = avatar_voice::chainGraph(split.partA.data(), split.partA.size(), {2});
  } catch (const avatar_voice::Error& e) {
    require(e.code() == avatar_voice::ErrorCode::kInvalidModel);  // what splitPiperModel reports as a reason
    chain.reason = "thrown";
  }
  require(!chain.links.empty() || !chain.reason.empty());
  for (const avatar_voice::ChainLink& link : chain.links) {
    const avatar_voice::OnnxGraphView v(link.model.data(), link.model.size());
    require(!v.nodes.empty());
  }
  if (split.flow.empty()) {
    require(split.decoder.empty() && !split.decoderCutReason.empty());
    const avatar_voice::OnnxGraphView b(split.partB.data(), split.partB.size());
    require(!b.nodes.empty());
    return 0;
  }
  require(split.partB.empty() && split.decoderCutReason.empty() && !split.decoderInput.empty());
  require(split.flowMarginFrames >= 0 && split.decoderMarginFrames >= 0);
  require(split.flowMarginFrames + split.decoderMarginFrames >= split.receptiveFieldFrames);
  require(!split.decoderInputs.empty() && split.decoderInputs[0] == split.decoderInput);
  const avatar_voice::OnnxGraphView flow(split.flow.data(), split.flow.size());
  const avatar_voice::OnnxGraphView decoder(split.decoder.data(), split.decoder.size());
  require(!flow.nodes.empty() && !decoder.nodes.empty());
  return 0;
}
