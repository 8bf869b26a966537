// Field numbers and enum values of onnx/onnx.proto that the wire-level ONNX code reads and writes
// (onnx_graph, onnx_timing_patch, model_split): one copy, so the three cannot disagree.
//
//   if (f.number == onnx_proto::kModelGraph) ...
//
// Also the one door into a model's bytes: findOnnxGraph() checks that the bytes are an ONNX
// ModelProto at all and returns its graph field, with messages a user who picked the wrong file
// can read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "voice/protobuf_wire.h"

namespace avatar_voice {
namespace onnx_proto {

// ModelProto
constexpr uint32_t kModelIrVersion = 1;
constexpr uint32_t kModelGraph = 7;
// GraphProto
constexpr uint32_t kGraphNode = 1;
constexpr uint32_t kGraphInitializer = 5;
constexpr uint32_t kGraphInput = 11;
constexpr uint32_t kGraphOutput = 12;
constexpr uint32_t kGraphValueInfo = 13;
constexpr uint32_t kGraphSparseInitializer = 15;
// NodeProto
constexpr uint32_t kNodeInput = 1;
constexpr uint32_t kNodeOutput = 2;
constexpr uint32_t kNodeOpType = 4;
constexpr uint32_t kNodeAttribute = 5;
constexpr uint32_t kNodeDomain = 7;
// AttributeProto
constexpr uint32_t kAttrName = 1;
constexpr uint32_t kAttrInt = 3;
constexpr uint32_t kAttrString = 4;
constexpr uint32_t kAttrTensor = 5;
constexpr uint32_t kAttrGraph = 6;
constexpr uint32_t kAttrInts = 8;
constexpr uint32_t kAttrGraphs = 11;
// TensorProto
constexpr uint32_t kTensorDataType = 2;
constexpr uint32_t kTensorInt32Data = 5;
constexpr uint32_t kTensorInt64Data = 7;
constexpr uint32_t kTensorName = 8;
constexpr uint32_t kTensorRawData = 9;
// ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto
constexpr uint32_t kValueInfoName = 1;
constexpr uint32_t kValueInfoType = 2;
constexpr uint32_t kTypeTensor = 1;
constexpr uint32_t kTensorElemType = 1;
constexpr uint32_t kTensorShape = 2;
constexpr uint32_t kShapeDim = 1;
// TensorProto.DataType
constexpr uint64_t kElemFloat = 1;
constexpr uint64_t kElemInt32 = 6;
constexpr uint64_t kElemInt64 = 7;

}  // namespace onnx_proto

// The ModelProto.graph field of `data`. Throws Error(kInvalidModel): empty or over
// limits::kMaxVoiceModelBytes, not protobuf, a known ModelProto field with the wrong wire type,
// no ir_version, no graph, or two graph fields.
WireField findOnnxGraph(const uint8_t* data, size_t size);

// What a ValueInfoProto.type payload declares of a tensor: its elem_type (absent: nullopt) and
// rank (no shape: -1). Throws Error(kInvalidModel) when the payload is not protobuf.
struct DeclaredTensorType {
  std::optional<int64_t> elem;
  int rank = -1;
};
DeclaredTensorType declaredTensorType(const uint8_t* type, size_t size);

}  // namespace avatar_voice
