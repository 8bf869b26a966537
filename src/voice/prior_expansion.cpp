#include "voice/prior_expansion.h"

#include <unordered_set>

#include "voice/onnx_part.h"

namespace avatar_voice {
namespace {

PriorExpansion notFound(std::string reason) {
  PriorExpansion e;
  e.reason = std::move(reason);
  return e;
}

// The input of a Transpose with perm [0, 2, 1] producing `tensor`, or "" when it is not one.
std::string_view swappedLastAxes(const OnnxGraphView& view, std::string_view tensor) {
  const OnnxNode* node = view.producerOf(tensor);
  std::vector<int64_t> perm;
  if (node == nullptr || !node->isOnnxOp("Transpose") || node->inputs.size() != 1 ||
      !node->ints("perm", perm) || perm != std::vector<int64_t>{0, 2, 1})
    return {};
  return node->inputs[0];
}

struct Expanded {
  std::string_view source;  // the [1, C, n_ids] tensor before the expansion
  std::string_view path;    // the [1, T, n_ids] path it was multiplied with
};

// `tensor` = Transpose[0,2,1](MatMul(path, Transpose[0,2,1](source))), path from the durations.
bool expandedBy(const OnnxGraphView& view, const NodeSet& fromCeil, std::string_view tensor,
                Expanded& out) {
  const std::string_view product = swappedLastAxes(view, tensor);
  const OnnxNode* matmul = product.empty() ? nullptr : view.producerOf(product);
  if (matmul == nullptr || !matmul->isOnnxOp("MatMul") || matmul->inputs.size() != 2) return false;
  const std::string_view path = matmul->inputs[0];
  if (!tensorIn(view, fromCeil, {}, path) || tensorIn(view, fromCeil, {}, matmul->inputs[1]))
    return false;
  const std::string_view source = swappedLastAxes(view, matmul->inputs[1]);
  if (source.empty()) return false;
  out = {source, path};
  return true;
}

}  // namespace

PriorExpansion findPriorExpansion(const OnnxGraphView& view, std::string_view z, int ceil) {
  if (ceil < 0) return notFound("no single Ceil: the frames of each id are unknown");
  const std::string_view durations = view.nodes[static_cast<size_t>(ceil)].outputs[0];
  const NodeSet fromCeil = descendants(view, {durations});
  const OnnxNode* add = view.producerOf(z);
  if (add == nullptr || !add->isOnnxOp("Add") || add->inputs.size() != 2)
    return notFound("z_p is not an Add");

  // Walk back along the noise term (the Add's side that reads a RandomNormalLike): Mul nodes,
  // each with the chain on one side and an Exp or a frame-free factor on the other.
  // (Not the duration predictor's noise: the durations, and so the mean's frames, depend on it.)
  const NodeSet beforeCeil = ancestors(view, {durations}, {});
  std::unordered_set<std::string_view> noiseOutputs;
  for (size_t i = 0; i < view.nodes.size(); ++i)
    if (view.nodes[i].isOnnxOp("RandomNormalLike") && !beforeCeil[i])
      noiseOutputs.insert(view.nodes[i].outputs.begin(), view.nodes[i].outputs.end());
  const NodeSet fromNoise = descendants(view, noiseOutputs);
  const auto noisy = [&](std::string_view t) { return tensorIn(view, fromNoise, noiseOutputs, t); };
  if (noisy(add->inputs[0]) == noisy(add->inputs[1]))
    return notFound("z_p does not add one noise term to a noise-free mean");
  const int side = noisy(add->inputs[0]) ? 0 : 1;
  const std::string_view meanFrames = add->inputs[static_cast<size_t>(1 - side)];
  std::string_view logFrames;
  std::vector<std::string_view> factors;
  const OnnxNode* noise = nullptr;
  for (std::string_view term = add->inputs[static_cast<size_t>(side)];;) {
    const OnnxNode* node = view.producerOf(term);
    if (node == nullptr) break;
    if (node->isOnnxOp("RandomNormalLike")) {
      noise = node;
      break;
    }
    if (!node->isOnnxOp("Mul") || node->inputs.size() != 2 ||
        noisy(node->inputs[0]) == noisy(node->inputs[1]))
      break;
    const bool leftIsChain = noisy(node->inputs[0]);
    term = node->inputs[leftIsChain ? 0 : 1];
    const std::string_view other = node->inputs[leftIsChain ? 1 : 0];
    const OnnxNode* otherNode = view.producerOf(other);
    if (otherNode != nullptr && otherNode->isOnnxOp("Exp") && otherNode->inputs.size() == 1 &&
        logFrames.empty()) {
      logFrames = otherNode->inputs[0];
    } else if (view.producer(other) >= 0 && !tensorIn(view, fromCeil, {}, other)) {
      factors.push_back(other);  // computed in part A (e.g. Gather(scales, 0)): A outputs it
    } else {
      break;
    }
  }
  if (noise == nullptr)
    return notFound("the noise term of z_p is not a chain of Mul from a RandomNormalLike");
  if (logFrames.empty()) return notFound("the noise term has no Exp(log scale) factor");
  if (noise->inputs.size() != 1 || noise->inputs[0] != meanFrames)
    return notFound("the prior noise is not shaped like the prior mean");
  for (const OnnxAttribute& a : noise->attributes)
    if (a.name == "mean" || a.name == "scale")
      return notFound("the prior noise is not a standard normal (RandomNormalLike has " +
                      std::string(a.name) + ")");

  Expanded mean, logScale;
  if (!expandedBy(view, fromCeil, meanFrames, mean) ||
      !expandedBy(view, fromCeil, logFrames, logScale))
    return notFound("the prior is not expanded to frames by Transpose(MatMul(path, Transpose(x)))");
  if (mean.path != logScale.path)
    return notFound("the prior's mean and log scale use different paths");

  PriorExpansion e;
  e.found = true;
  e.mean = mean.source;
  e.logScale = logScale.source;
  e.noiseFactors = std::move(factors);
  return e;
}

}  // namespace avatar_voice
