#include "voice/graph_chain.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "voice/onnx_elem_types.h"
#include "voice/onnx_graph.h"
#include "voice/onnx_part.h"

namespace avatar_voice {
namespace {

// Nodes every link may copy instead of reading them across a cut: they compute nothing.
bool copyable(const OnnxGraphView& view, const OnnxNode& node) {
  if (node.isOnnxOp("Constant")) return node.inputs.empty();
  return node.isOnnxOp("Identity") && node.inputs.size() == 1 && view.isInitializer(node.inputs[0]);
}

}  // namespace

GraphChain chainGraph(const uint8_t* data, size_t size, const ChainOptions& options) {
  const OnnxGraphView view(data, size);
  GraphChain result;
  const size_t n = view.nodes.size();
  std::unordered_set<std::string_view> graphOutputs;
  for (const OnnxNamedField& out : view.outputs) graphOutputs.insert(out.name);

  // The nodes that count: everything but copyable nodes (unless one makes a graph output).
  std::vector<char> copied(n, 0);
  std::vector<int> work, position(n, -1);
  for (size_t i = 0; i < n; ++i) {
    const OnnxNode& node = view.nodes[i];
    bool makesOutput = false;
    for (std::string_view o : node.outputs) makesOutput = makesOutput || graphOutputs.count(o);
    copied[i] = copyable(view, node) && !makesOutput;
    if (copied[i]) continue;
    position[i] = static_cast<int>(work.size());
    work.push_back(static_cast<int>(i));
  }
  const size_t count = work.size();
  const size_t target = std::max<size_t>(options.targetNodes, 1);
  if (count < 2 * target) {
    result.reason = std::to_string(count) + " nodes: small enough for one model";
    return result;
  }

  // Each tensor a counted node makes: its position and the last position that reads it (past the
  // end for the graph's outputs). A cut after position i is crossed by the tensors made at or
  // before i and read after it.
  std::unordered_map<std::string_view, std::pair<int, int>> span;  // tensor -> (made, last read)
  for (size_t k = 0; k < count; ++k)
    for (std::string_view o : view.nodes[static_cast<size_t>(work[k])].outputs)
      if (!o.empty()) span[o] = {static_cast<int>(k), graphOutputs.count(o) ? static_cast<int>(count) : -1};
  for (size_t k = 0; k < count; ++k) {
    for (std::string_view in : view.nodes[static_cast<size_t>(work[k])].inputs) {
      const auto it = span.find(in);
      if (it == span.end()) continue;
      if (it->second.first >= static_cast<int>(k)) {
        result.reason = "the nodes are not in topological order";
        return result;
      }
      it->second.second = std::max(it->second.second, static_cast<int>(k));
    }
  }
  const ElemTypes types = inferElemTypes(view);
  std::vector<int> crossing(count + 1, 0), untyped(count + 1, 0);  // difference arrays
  for (const auto& [tensor, s] : span) {
    if (s.second <= s.first) continue;
    crossing[static_cast<size_t>(s.first)] += 1;
    crossing[static_cast<size_t>(s.second)] -= 1;
    if (types.count(tensor)) continue;
    untyped[static_cast<size_t>(s.first)] += 1;
    untyped[static_cast<size_t>(s.second)] -= 1;
  }
  for (size_t i = 1; i <= count; ++i) {
    crossing[i] += crossing[i - 1];
    untyped[i] += untyped[i - 1];
  }

  // Cuts near equal shares, each at the narrowest typed position within a quarter share.
  const size_t links = (count + target / 2) / target;
  const size_t reach = count / (4 * links);
  std::vector<size_t> cuts;
  for (size_t j = 1; j < links; ++j) {
    const size_t aim = count * j / links - 1;  // the position a link of an equal share ends at
    const size_t lo = std::max(aim - reach, cuts.empty() ? size_t{0} : cuts.back() + 1), hi = std::min(aim + reach, count - 2);
    size_t best = count;
    for (size_t i = lo; i <= hi; ++i) {
      if (untyped[i] != 0) continue;
      const auto distance = [&](size_t x) { return x > aim ? x - aim : aim - x; };
      if (best == count || crossing[i] < crossing[best] || (crossing[i] == crossing[best] && distance(i) < distance(best))) best = i;
    }
    if (best != count) cuts.push_back(best);
  }
  if (cuts.empty()) {
    result.reason = "no cut where every crossing tensor's type is known";
    return result;
  }

  cuts.push_back(count - 1);
  size_t first = 0;
  for (size_t last : cuts) {
    NodeSet nodes(n, 0);
    for (size_t k = first; k <= last; ++k) {
      const OnnxNode& node = view.nodes[static_cast<size_t>(work[k])];
      nodes[static_cast<size_t>(work[k])] = 1;
      for (std::string_view in : node.inputs) {
        const int p = in.empty() ? -1 : view.producer(in);
        if (p >= 0 && copied[static_cast<size_t>(p)]) nodes[static_cast<size_t>(p)] = 1;
      }
    }
    ChainLink link;
    std::vector<std::string_view> inputs, outputs;
    std::unordered_set<std::string_view> seen;
    for (size_t k = first; k <= last; ++k) {
      const OnnxNode& node = view.nodes[static_cast<size_t>(work[k])];
      for (std::string_view in : node.inputs) {
        if (in.empty() || view.isInitializer(in) || !seen.insert(in).second) continue;
        const int p = view.producer(in);
        if (p >= 0 && nodes[static_cast<size_t>(p)]) continue;
        inputs.push_back(in);
        link.inputs.emplace_back(in);
      }
      for (std::string_view o : node.outputs) {
        const auto it = span.find(o);
        if (it == span.end() || it->second.second <= static_cast<int>(last)) continue;
        outputs.push_back(o);
        link.outputs.emplace_back(o);
      }
    }
    link.model = writePart(view, nodes, inputs, outputs, &types);
    result.links.push_back(std::move(link));
    first = last + 1;
  }
  return result;
}

}  // namespace avatar_voice
