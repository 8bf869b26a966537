#include "voice/onnx_timing_patch.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/limits.h"
#include "voice/onnx_proto.h"
#include "voice/protobuf_wire.h"

namespace avatar_voice {
namespace {

using namespace onnx_proto;  // NOLINT: the field numbers read as the proto names

// Protobuf messages are limited to 2 GiB; onnxruntime would refuse anything larger anyway.
constexpr uint64_t kMaxMessageSize = 0x7fffffff;

[[noreturn]] void invalid(const std::string& message) {
  throw Error(ErrorCode::kInvalidModel, message);
}

void expectLengthDelimited(const WireField& f, const char* what) {
  if (f.type != WireType::kLengthDelimited) {
    invalid(std::string(what) + " (field " + std::to_string(f.number) +
            ") is not length-delimited");
  }
}

struct NodeInfo {
  bool isCeil = false;
  std::vector<std::string_view> outputs;
};

NodeInfo readNode(const WireReader& graph, const WireField& nodeField) {
  expectLengthDelimited(nodeField, "GraphProto.node");
  WireReader node = graph.nested(nodeField);
  NodeInfo info;
  std::string_view opType;
  std::string_view domain;
  WireField f;
  while (node.next(f)) {
    if (f.number == kNodeOutput) {
      expectLengthDelimited(f, "NodeProto.output");
      info.outputs.push_back(f.text());
    } else if (f.number == kNodeOpType) {
      expectLengthDelimited(f, "NodeProto.op_type");
      opType = f.text();
    } else if (f.number == kNodeDomain) {
      expectLengthDelimited(f, "NodeProto.domain");
      domain = f.text();
    }
  }
  // A "Ceil" in a custom domain is some other operator; only ONNX's own Ceil is Piper's w_ceil.
  info.isCeil = opType == "Ceil" && (domain.empty() || domain == "ai.onnx");
  return info;
}

// Reads ValueInfoProto.name and, if present, the raw bytes of ValueInfoProto.type.
std::string_view readValueInfo(const WireReader& graph, const WireField& field,
                               const uint8_t** typeBytes, size_t* typeSize) {
  expectLengthDelimited(field, "ValueInfoProto");
  WireReader valueInfo = graph.nested(field);
  std::string_view name;
  WireField f;
  while (valueInfo.next(f)) {
    if (f.number == kValueInfoName) {
      expectLengthDelimited(f, "ValueInfoProto.name");
      name = f.text();
    } else if (f.number == kValueInfoType) {
      expectLengthDelimited(f, "ValueInfoProto.type");
      if (typeBytes) *typeBytes = f.bytes;
      if (typeSize) *typeSize = f.size;
    }
  }
  return name;
}

// TypeProto{tensor_type{elem_type: FLOAT, shape{dim{} dim{} dim{}}}}: Piper's w_ceil is
// [batch, 1, n_ids]. Dims carry no value so onnxruntime merges them with whatever it infers; a
// shape must be present because onnx.checker requires one on main-graph outputs.
std::vector<uint8_t> defaultDurationType() {
  std::vector<uint8_t> shape;
  WireWriter shapeWriter(shape);
  for (int i = 0; i < 3; ++i) shapeWriter.bytesField(kShapeDim, std::string_view());
  std::vector<uint8_t> tensor;
  WireWriter tensorWriter(tensor);
  tensorWriter.varintField(kTensorElemType, kElemFloat);
  tensorWriter.bytesField(kTensorShape, shape);
  std::vector<uint8_t> type;
  WireWriter(type).bytesField(kTypeTensor, tensor);
  return type;
}

// What to do with a model, decided without copying it.
struct Plan {
  TimingPatch result;                // everything except `model`
  bool patch = false;                // false: hand back the input bytes unchanged
  WireField graph;                   // ModelProto.graph, offsets into the input
  std::vector<uint8_t> outputField;  // the complete GraphProto.output field to append
};

Plan plan(const uint8_t* data, size_t size) {
  Plan p;
  p.graph = findOnnxGraph(data, size);
  try {
    const WireReader model(data, size);
    const WireReader graph = model.nested(p.graph);

    size_t ceilNodes = 0;
    std::string_view ceilOutput;
    std::vector<std::string_view> graphOutputs;
    {
      WireReader fields = graph;
      WireField f;
      while (fields.next(f)) {
        if (f.number == kGraphNode) {
          NodeInfo node = readNode(graph, f);
          if (!node.isCeil) continue;
          if (node.outputs.size() != 1 || node.outputs[0].empty()) {
            invalid("a Ceil node must have exactly one named output, this one has " +
                    std::to_string(node.outputs.size()));
          }
          ++ceilNodes;
          ceilOutput = node.outputs[0];
        } else if (f.number == kGraphOutput) {
          graphOutputs.push_back(readValueInfo(graph, f, nullptr, nullptr));
        }
      }
    }
    if (ceilNodes != 1) return p;  // kEstimated, unchanged (see the header for why >1 too)

    p.result.timing = TimingSource::kModel;
    p.result.durationOutput = std::string(ceilOutput);
    for (std::string_view name : graphOutputs) {
      if (name == ceilOutput) {
        p.result.alreadyPatched = true;
        return p;
      }
    }

    // Prefer the exporter's own type for the tensor (exact rank and elem type) over our guess:
    // a declared output type that contradicts the graph makes onnxruntime refuse the session.
    std::vector<uint8_t> type;
    {
      WireReader fields = graph;
      WireField f;
      while (fields.next(f) && type.empty()) {
        if (f.number != kGraphValueInfo) continue;
        const uint8_t* typeBytes = nullptr;
        size_t typeSize = 0;
        if (readValueInfo(graph, f, &typeBytes, &typeSize) == ceilOutput && typeBytes) {
          type.assign(typeBytes, typeBytes + typeSize);
        }
      }
    }
    if (type.empty()) type = defaultDurationType();

    std::vector<uint8_t> valueInfo;
    WireWriter valueInfoWriter(valueInfo);
    valueInfoWriter.bytesField(kValueInfoName, ceilOutput);
    valueInfoWriter.bytesField(kValueInfoType, type);
    WireWriter(p.outputField).bytesField(kGraphOutput, valueInfo);
    p.patch = true;
    return p;
  } catch (const Error& e) {
    invalid(std::string("malformed ONNX graph: ") + e.what());
  }
}

// One allocation of the final size; the three big slabs (before the graph's length prefix, the
// graph payload, after the graph) are bulk copies, the only new bytes are the length prefix and
// the appended output field.
std::vector<uint8_t> splice(const uint8_t* data, size_t size, const Plan& p) {
  const uint64_t newGraphSize =
      static_cast<uint64_t>(p.graph.size) + static_cast<uint64_t>(p.outputField.size());
  const uint64_t total = static_cast<uint64_t>(p.graph.tagEnd) + varintSize(newGraphSize) +
                         newGraphSize + static_cast<uint64_t>(size - p.graph.end);
  if (total > kMaxMessageSize) {
    invalid("the patched model would exceed protobuf's 2 GiB limit");
  }
  std::vector<uint8_t> out;
  out.reserve(static_cast<size_t>(total));
  out.insert(out.end(), data, data + p.graph.tagEnd);
  WireWriter(out).varint(newGraphSize);
  out.insert(out.end(), p.graph.bytes, p.graph.bytes + p.graph.size);
  out.insert(out.end(), p.outputField.begin(), p.outputField.end());
  out.insert(out.end(), data + p.graph.end, data + size);
  return out;
}

}  // namespace

TimingPatch patchModelForTimings(const uint8_t* data, size_t size) {
  if (data == nullptr && size != 0) {
    throw Error(ErrorCode::kInvalidArgument, "patchModelForTimings: null data");
  }
  Plan p = plan(data, size);
  TimingPatch result = std::move(p.result);
  result.model = p.patch ? splice(data, size, p) : std::vector<uint8_t>(data, data + size);
  return result;
}

TimingPatch patchModelForTimings(std::vector<uint8_t>&& model) {
  Plan p = plan(model.data(), model.size());
  TimingPatch result = std::move(p.result);
  if (p.patch) {
    result.model = splice(model.data(), model.size(), p);
  } else {
    result.model = std::move(model);
  }
  return result;
}

}  // namespace avatar_voice
