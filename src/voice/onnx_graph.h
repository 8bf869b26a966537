// A read-only view of an ONNX model's top-level graph, read from the wire bytes (protobuf_wire.h)
// without a protobuf library: nodes with their op, inputs, outputs and attributes, the
// initializers, graph inputs/outputs and value_info, each with the byte range it came from so a
// writer can copy it verbatim into a new graph (this is how model_split.cpp builds its two parts).
//
//   avatar_voice::OnnxGraphView view(bytes.data(), bytes.size());
//   for (const avatar_voice::OnnxNode& node : view.nodes) {
//     if (node.opType == "Conv") { std::vector<int64_t> k; node.ints("kernel_shape", k); }
//   }
//   const avatar_voice::OnnxNode* producer = view.producerOf("/Add_64_output_0");
//
// Ownership: the view keeps pointers (string_views, WireFields) into the caller's buffer; it is
// valid only while that buffer is alive and unchanged.
//
// Errors: bytes that are not an ONNX ModelProto, a missing graph or a malformed node, attribute or
// tensor throw Error(kInvalidModel), like patchModelForTimings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "voice/protobuf_wire.h"

namespace avatar_voice {

// One AttributeProto; only the values the split needs are decoded, the rest stays raw.
struct OnnxAttribute {
  std::string_view name;
  std::optional<int64_t> i;      // AttributeProto.i
  std::vector<int64_t> ints;     // AttributeProto.ints (packed or not)
  WireField tensor;              // AttributeProto.t, valid when hasTensor
  bool hasTensor = false;
  bool hasSubgraph = false;      // AttributeProto.g or .graphs: a nested graph (If, Loop, Scan)
  std::string_view text;         // AttributeProto.s
};

struct OnnxNode {
  std::string_view opType;
  std::string_view domain;  // "" or "ai.onnx" for ONNX's own operators
  std::vector<std::string_view> inputs;  // "" marks an omitted optional input
  std::vector<std::string_view> outputs;
  std::vector<OnnxAttribute> attributes;
  WireField field;  // the whole GraphProto.node field

  bool isOnnxOp(std::string_view op) const {
    return opType == op && (domain.empty() || domain == "ai.onnx");
  }
  const OnnxAttribute* attribute(std::string_view name) const;
  // The attribute's int / ints, or false when absent.
  bool intAttribute(std::string_view name, int64_t& out) const;
  bool ints(std::string_view name, std::vector<int64_t>& out) const;
};

// A named graph member copied verbatim (initializer, input, output, value_info).
struct OnnxNamedField {
  std::string_view name;
  WireField field;
  // ValueInfoProto.type payload (inputs/outputs/value_info only); null when absent.
  const uint8_t* type = nullptr;
  size_t typeSize = 0;
};

class OnnxGraphView {
 public:
  OnnxGraphView(const uint8_t* data, size_t size);

  const uint8_t* data;
  size_t size;
  WireField graphField;                  // ModelProto.graph
  std::vector<WireField> graphOtherFields;  // GraphProto fields other than the lists below
  std::vector<OnnxNode> nodes;           // in file order (ONNX requires topological order)
  std::vector<OnnxNamedField> initializers;
  std::vector<OnnxNamedField> inputs;    // may include initializers (IR < 4)
  std::vector<OnnxNamedField> outputs;
  std::vector<OnnxNamedField> valueInfos;
  bool hasSparseInitializers = false;

  // Index of the node producing `tensor`, or -1 (graph input, initializer, unknown).
  int producer(std::string_view tensor) const;
  const OnnxNode* producerOf(std::string_view tensor) const;
  bool isInitializer(std::string_view tensor) const;
  const OnnxNamedField* initializer(std::string_view tensor) const;
  const OnnxNamedField* graphInput(std::string_view tensor) const;
  const OnnxNamedField* valueInfo(std::string_view tensor) const;
  // Indices of the nodes that read `tensor`.
  const std::vector<int>& consumers(std::string_view tensor) const;

  // The values of a constant integer tensor: an initializer or the output of a Constant node
  // (attribute `value`), of type INT64 or INT32. False when `tensor` is not such a constant.
  bool constantInts(std::string_view tensor, std::vector<int64_t>& out) const;

 private:
  std::unordered_map<std::string_view, int> producers_;
  std::unordered_map<std::string_view, std::vector<int>> consumers_;
  std::unordered_map<std::string_view, size_t> initializerIndex_;
  std::unordered_map<std::string_view, size_t> inputIndex_;
  std::unordered_map<std::string_view, size_t> valueInfoIndex_;
};

// Integer values of a TensorProto payload (INT64 or INT32, raw_data or typed fields); false for
// other element types. Throws Error(kInvalidModel) if the tensor is malformed.
bool tensorInts(const WireField& tensor, std::vector<int64_t>& out);

}  // namespace avatar_voice
