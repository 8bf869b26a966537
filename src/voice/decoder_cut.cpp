#include "voice/decoder_cut.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "voice/frame_locality.h"
#include "voice/onnx_graph.h"
#include "voice/onnx_part.h"

namespace avatar_voice {
namespace {

// Candidates tried, latest first: Piper's cut is the last frame-rate tensor, so a graph that
// needs more than a few is not Piper-shaped, and the bound keeps the search linear-ish.
constexpr size_t kMaxCandidates = 64;

std::vector<int> flagged(const NodeSet& set) {
  std::vector<int> out;
  for (size_t i = 0; i < set.size(); ++i)
    if (set[i]) out.push_back(static_cast<int>(i));
  return out;
}

// What the decoder (the nodes `part`) reads from outside itself must be `cut`, initializers or
// the speaker embedding: anything else would come from the flow at the flow's window length.
bool readsOnly(const OnnxGraphView& view, const NodeSet& part, std::string_view cut,
               std::string_view speaker) {
  for (size_t i = 0; i < view.nodes.size(); ++i) {
    if (!part[i]) continue;
    for (std::string_view in : view.nodes[i].inputs) {
      if (in.empty() || in == cut || view.isInitializer(in) || (!speaker.empty() && in == speaker)) continue;
      const int p = view.producer(in);
      if (p < 0 || !part[static_cast<size_t>(p)]) return false;
    }
  }
  return true;
}

// Every tensor name the nodes `part` read.
std::unordered_set<std::string_view> namesRead(const OnnxGraphView& view, const std::vector<int>& part) {
  std::unordered_set<std::string_view> read;
  for (int n : part) {
    const OnnxNode& node = view.nodes[static_cast<size_t>(n)];
    read.insert(node.inputs.begin(), node.inputs.end());
  }
  return read;
}

}  // namespace

DecoderCut cutDecoder(const uint8_t* data, size_t size, const std::string& zInput,
                      const std::string& maskInput, const std::string& speakerInput,
                      const std::vector<std::string>& audioOutputs) {
  const OnnxGraphView view(data, size);
  DecoderCut result;
  std::vector<int> all(view.nodes.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);

  const auto frameInput = [&](std::string_view name, FrameInputKind kind) {
    int64_t elem = 0;
    int rank = 0;
    tensorType(view, name, elem, rank);
    return FrameInput{name, kind, rank};
  };
  std::vector<FrameInput> bInputs = {frameInput(zInput, FrameInputKind::kFrames),
                                     frameInput(maskInput, FrameInputKind::kFrames)};
  if (!speakerInput.empty()) bInputs.push_back(frameInput(speakerInput, FrameInputKind::kPerSequence));
  std::vector<std::string_view> outputs(audioOutputs.begin(), audioOutputs.end());
  std::unordered_set<std::string_view> graphOutputs(outputs.begin(), outputs.end());
  std::unordered_set<std::string_view> stops;
  for (const FrameInput& in : bInputs) stops.insert(in.name);

  const std::vector<std::string_view> candidates = frameRateTensors(view, all, bInputs);
  size_t tried = 0;
  for (auto it = candidates.rbegin(); it != candidates.rend() && tried < kMaxCandidates; ++it) {
    const std::string_view cut = *it;
    if (graphOutputs.count(cut)) continue;
    ++tried;
    const NodeSet decoder = ancestors(view, outputs, {cut});
    if (!readsOnly(view, decoder, cut, speakerInput)) continue;
    const NodeSet flow = ancestors(view, {cut}, stops);
    const std::vector<int> flowNodes = flagged(flow), decoderNodes = flagged(decoder);
    if (flowNodes.empty() || decoderNodes.empty()) continue;

    std::vector<FrameInput> flowReads;
    const auto flowRead = namesRead(view, flowNodes);
    for (const FrameInput& in : bInputs)
      if (flowRead.count(in.name)) flowReads.push_back(in);
    std::vector<FrameInput> decoderReads = {frameInput(cut, FrameInputKind::kFrames)};
    if (!speakerInput.empty() && namesRead(view, decoderNodes).count(speakerInput)) decoderReads.push_back(bInputs.back());

    const FrameLocality f = analyzeFrameLocality(view, flowNodes, flowReads, {cut});
    const FrameLocality d = analyzeFrameLocality(view, decoderNodes, decoderReads, outputs);
    if (!f.local || f.hopLength != 1 || !d.local) continue;

    std::vector<std::string_view> flowInputNames, decoderInputNames;
    for (const FrameInput& in : flowReads) {
      flowInputNames.push_back(in.name);
      result.flowInputs.emplace_back(in.name);
    }
    for (const FrameInput& in : decoderReads) {
      decoderInputNames.push_back(in.name);
      result.decoderInputs.emplace_back(in.name);
    }
    result.decoderInput = std::string(cut);
    result.flowMarginFrames = f.receptiveFieldFrames;
    result.decoderMarginFrames = d.receptiveFieldFrames;
    result.hopLength = d.hopLength;
    result.flow = writePart(view, flow, flowInputNames, {cut});
    result.decoder = writePart(view, decoder, decoderInputNames, outputs);
    return result;
  }
  result.reason = "no tensor at the frame rate through which all the decoder reads from the flow passes";
  return result;
}

}  // namespace avatar_voice
