// A graph cut into a chain of smaller models, run one after another, each reading the graph's
// inputs and earlier links' outputs. Why: onnxruntime's session creation grows faster than
// linearly with a graph's node count — part A of the medium test voice (5,576 nodes) takes
// ~850 ms to create in onnxruntime-web, its text encoder and duration predictor apart ~220 ms
// each, six links of it ~400 ms — and part A's creation is most of a cached voice's load. The
// chain computes exactly what the graph computes (the same nodes, in the same order).
//
//   GraphChain chain = chainGraph(partA.data(), partA.size(), {.targetNodes = 600});
//   for (const ChainLink& link : chain.links) { /* create a session of link.model */ }
//   // run: feed each link link.inputs from the graph's inputs and earlier links' outputs
//
// Where it cuts: between two nodes in file (topological) order, near equal shares of the
// non-constant nodes, at the position within reach where the fewest tensors cross (a module
// boundary, not the middle of a pattern onnxruntime would fuse), and only where every crossing
// tensor's element type is known (onnx_elem_types.h): a link's new inputs and outputs are
// declared with their type and no shape. Constants and Identity copies of initializers are
// copied into every link that reads them instead of crossing.
//
// Ownership: the links own their bytes. Throws Error(kInvalidModel) as OnnxGraphView does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace avatar_voice {

struct ChainLink {
  std::vector<uint8_t> model;
  std::vector<std::string> inputs;   // graph inputs and earlier links' outputs it reads
  std::vector<std::string> outputs;  // the graph's outputs it makes and what later links read
};

struct GraphChain {
  std::vector<ChainLink> links;  // empty when the graph is not cut (see reason)
  std::string reason;            // why not, when links is empty
};

struct ChainOptions {
  // Non-constant nodes per link aimed at; a graph with fewer than twice as many is not cut.
  size_t targetNodes = 600;
};

GraphChain chainGraph(const uint8_t* data, size_t size, const ChainOptions& options = {});

}  // namespace avatar_voice
