#include "voice/onnx_graph.h"

#include <string>

#include "core/error.h"
#include "core/limits.h"
#include "voice/onnx_proto.h"

namespace avatar_voice {
namespace {

using namespace onnx_proto;  // NOLINT: the field numbers read as the proto names

[[noreturn]] void invalid(const std::string& message) {
  throw Error(ErrorCode::kInvalidModel, message);
}

std::string_view textOf(const WireField& f, const char* what) {
  if (f.type != WireType::kLengthDelimited) invalid(std::string(what) + " is not a string");
  return f.text();
}

// Repeated int64 fields arrive packed (one length-delimited run of varints) or one per field.
void appendInts(const WireField& f, std::vector<int64_t>& out) {
  if (f.type == WireType::kVarint) {
    out.push_back(static_cast<int64_t>(f.value));
    return;
  }
  if (f.type != WireType::kLengthDelimited) invalid("repeated integer field has the wrong wire type");
  // A packed run of untagged varints (same 10-byte limit as WireReader).
  size_t pos = 0;
  while (pos < f.size) {
    uint64_t value = 0;
    int i = 0;
    for (;; ++i) {
      if (i == 10 || pos >= f.size) invalid("malformed packed integers");
      const uint8_t byte = f.bytes[pos++];
      value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
      if ((byte & 0x80) == 0) break;
    }
    out.push_back(static_cast<int64_t>(value));
  }
}

OnnxAttribute readAttribute(const WireReader& node, const WireField& field) {
  WireReader reader = node.nested(field);
  OnnxAttribute a;
  WireField f;
  while (reader.next(f)) {
    switch (f.number) {
      case kAttrName: a.name = textOf(f, "AttributeProto.name"); break;
      case kAttrInt:
        if (f.type != WireType::kVarint) invalid("AttributeProto.i is not a varint");
        a.i = static_cast<int64_t>(f.value);
        break;
      case kAttrString: a.text = textOf(f, "AttributeProto.s"); break;
      case kAttrTensor:
        if (f.type != WireType::kLengthDelimited) invalid("AttributeProto.t is not a message");
        a.tensor = f;
        a.hasTensor = true;
        break;
      case kAttrGraph:
      case kAttrGraphs: a.hasSubgraph = true; break;
      case kAttrInts: appendInts(f, a.ints); break;
      default: break;
    }
  }
  return a;
}

OnnxNode readNode(const WireReader& graph, const WireField& field) {
  if (field.type != WireType::kLengthDelimited) invalid("GraphProto.node is not a message");
  WireReader reader = graph.nested(field);
  OnnxNode n;
  n.field = field;
  WireField f;
  while (reader.next(f)) {
    switch (f.number) {
      case kNodeInput: n.inputs.push_back(textOf(f, "NodeProto.input")); break;
      case kNodeOutput: n.outputs.push_back(textOf(f, "NodeProto.output")); break;
      case kNodeOpType: n.opType = textOf(f, "NodeProto.op_type"); break;
      case kNodeDomain: n.domain = textOf(f, "NodeProto.domain"); break;
      case kNodeAttribute:
        if (f.type != WireType::kLengthDelimited) invalid("NodeProto.attribute is not a message");
        n.attributes.push_back(readAttribute(reader, f));
        break;
      default: break;
    }
  }
  return n;
}

OnnxNamedField readNamed(const WireReader& graph, const WireField& field, uint32_t nameNumber,
                         bool isValueInfo, const char* what) {
  if (field.type != WireType::kLengthDelimited) invalid(std::string(what) + " is not a message");
  WireReader reader = graph.nested(field);
  OnnxNamedField named;
  named.field = field;
  WireField f;
  while (reader.next(f)) {
    if (f.number == nameNumber) {
      named.name = textOf(f, what);
    } else if (isValueInfo && f.number == kValueInfoType) {
      if (f.type != WireType::kLengthDelimited) invalid(std::string(what) + ".type is not a message");
      named.type = f.bytes;
      named.typeSize = f.size;
    }
  }
  return named;
}

}  // namespace

const OnnxAttribute* OnnxNode::attribute(std::string_view name) const {
  for (const OnnxAttribute& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

bool OnnxNode::intAttribute(std::string_view name, int64_t& out) const {
  const OnnxAttribute* a = attribute(name);
  if (!a || !a->i) return false;
  out = *a->i;
  return true;
}

bool OnnxNode::ints(std::string_view name, std::vector<int64_t>& out) const {
  const OnnxAttribute* a = attribute(name);
  if (!a) return false;
  out = a->ints;
  return true;
}

OnnxGraphView::OnnxGraphView(const uint8_t* bytes, size_t byteCount) : data(bytes), size(byteCount) {
  if (data == nullptr && size != 0) throw Error(ErrorCode::kInvalidArgument, "OnnxGraphView: null data");
  graphField = findOnnxGraph(data, size);
  try {
    const WireReader model(data, size);
    const WireReader graph = model.nested(graphField);
    WireReader fields = graph;
    WireField f;
    while (fields.next(f)) {
      switch (f.number) {
        case kGraphNode: nodes.push_back(readNode(graph, f)); break;
        case kGraphInitializer:
          initializers.push_back(readNamed(graph, f, kTensorName, false, "TensorProto"));
          break;
        case kGraphInput:
          inputs.push_back(readNamed(graph, f, kValueInfoName, true, "GraphProto.input"));
          break;
        case kGraphOutput:
          outputs.push_back(readNamed(graph, f, kValueInfoName, true, "GraphProto.output"));
          break;
        case kGraphValueInfo:
          valueInfos.push_back(readNamed(graph, f, kValueInfoName, true, "GraphProto.value_info"));
          break;
        case kGraphSparseInitializer:
          hasSparseInitializers = true;
          break;
        default: graphOtherFields.push_back(f); break;
      }
    }
  } catch (const Error& e) {
    invalid(std::string("malformed ONNX graph: ") + e.what());
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (std::string_view out : nodes[i].outputs)
      if (!out.empty()) producers_.emplace(out, static_cast<int>(i));
    for (std::string_view in : nodes[i].inputs)
      if (!in.empty()) consumers_[in].push_back(static_cast<int>(i));
  }
  for (size_t i = 0; i < initializers.size(); ++i) initializerIndex_.emplace(initializers[i].name, i);
  for (size_t i = 0; i < inputs.size(); ++i) inputIndex_.emplace(inputs[i].name, i);
  for (size_t i = 0; i < valueInfos.size(); ++i) valueInfoIndex_.emplace(valueInfos[i].name, i);
}

int OnnxGraphView::producer(std::string_view tensor) const {
  auto it = producers_.find(tensor);
  return it == producers_.end() ? -1 : it->second;
}

const OnnxNode* OnnxGraphView::producerOf(std::string_view tensor) const {
  const int i = producer(tensor);
  return i < 0 ? nullptr : &nodes[static_cast<size_t>(i)];
}

bool OnnxGraphView::isInitializer(std::string_view tensor) const {
  return initializerIndex_.count(tensor) != 0;
}

const OnnxNamedField* OnnxGraphView::initializer(std::string_view tensor) const {
  auto it = initializerIndex_.find(tensor);
  return it == initializerIndex_.end() ? nullptr : &initializers[it->second];
}

const OnnxNamedField* OnnxGraphView::graphInput(std::string_view tensor) const {
  auto it = inputIndex_.find(tensor);
  return it == inputIndex_.end() ? nullptr : &inputs[it->second];
}

const OnnxNamedField* OnnxGraphView::valueInfo(std::string_view tensor) const {
  auto it = valueInfoIndex_.find(tensor);
  return it == valueInfoIndex_.end() ? nullptr : &valueInfos[it->second];
}

const std::vector<int>& OnnxGraphView::consumers(std::string_view tensor) const {
  static const std::vector<int> kNone;
  auto it = consumers_.find(tensor);
  return it == consumers_.end() ? kNone : it->second;
}

bool OnnxGraphView::constantInts(std::string_view tensor, std::vector<int64_t>& out) const {
  if (const OnnxNamedField* init = initializer(tensor)) return tensorInts(init->field, out);
  const OnnxNode* node = producerOf(tensor);
  if (!node || !node->isOnnxOp("Constant")) return false;
  const OnnxAttribute* value = node->attribute("value");
  if (value && value->hasTensor) return tensorInts(value->tensor, out);
  if (const OnnxAttribute* ints = node->attribute("value_ints")) {
    out = ints->ints;
    return true;
  }
  if (const OnnxAttribute* scalar = node->attribute("value_int"); scalar && scalar->i) {
    out.assign(1, *scalar->i);
    return true;
  }
  return false;
}

bool tensorInts(const WireField& tensor, std::vector<int64_t>& out) {
  WireReader reader(tensor.bytes, tensor.size);
  uint64_t dataType = 0;
  const uint8_t* raw = nullptr;
  size_t rawSize = 0;
  bool haveRaw = false;
  std::vector<int64_t> typed;
  try {
    WireField f;
    while (reader.next(f)) {
      if (f.number == kTensorDataType && f.type == WireType::kVarint) {
        dataType = f.value;
      } else if (f.number == kTensorRawData && f.type == WireType::kLengthDelimited) {
        raw = f.bytes;
        rawSize = f.size;
        haveRaw = true;
      } else if (f.number == kTensorInt64Data || f.number == kTensorInt32Data) {
        appendInts(f, typed);
      }
    }
  } catch (const Error& e) {
    invalid(std::string("malformed constant tensor: ") + e.what());
  }
  if (dataType != kElemInt64 && dataType != kElemInt32) return false;
  out.clear();
  if (!haveRaw) {
    // int32_data holds sign-extended varints as int32 values; narrow them back.
    for (int64_t v : typed) out.push_back(dataType == kElemInt32 ? static_cast<int32_t>(v) : v);
    return true;
  }
  const size_t width = dataType == kElemInt64 ? 8 : 4;
  if (rawSize % width != 0) invalid("constant tensor raw_data is not a whole number of elements");
  for (size_t i = 0; i < rawSize; i += width) {
    uint64_t v = 0;
    for (size_t b = 0; b < width; ++b) v |= static_cast<uint64_t>(raw[i + b]) << (8 * b);
    out.push_back(width == 8 ? static_cast<int64_t>(v) : static_cast<int32_t>(static_cast<uint32_t>(v)));
  }
  return true;
}

}  // namespace avatar_voice
