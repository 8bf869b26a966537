#include "voice/onnx_proto.h"

#include <string>

#include "core/error.h"
#include "core/limits.h"

namespace avatar_voice {
namespace {

using namespace onnx_proto;  // NOLINT: the field numbers read as the proto names

[[noreturn]] void invalid(const std::string& message) {
  throw Error(ErrorCode::kInvalidModel, message);
}

// Wire type each known ModelProto field must have. Checking them makes random bytes that happen
// to parse as protobuf fail here with a clear message instead of deep inside onnxruntime.
bool modelFieldHasExpectedType(const WireField& f) {
  switch (f.number) {
    case 1:  // ir_version
    case 5:  // model_version
      return f.type == WireType::kVarint;
    case 2:   // producer_name
    case 3:   // producer_version
    case 4:   // domain
    case 6:   // doc_string
    case 7:   // graph
    case 8:   // opset_import
    case 14:  // metadata_props
    case 20:  // training_info
    case 25:  // functions
      return f.type == WireType::kLengthDelimited;
    default:
      return true;  // unknown to us, maybe newer than us: allowed, copied verbatim
  }
}

struct ModelFields {
  WireField graph;
  bool haveIrVersion = false;
  bool haveGraph = false;
};

ModelFields scanModel(const uint8_t* data, size_t size) {
  ModelFields m;
  WireReader model(data, size);
  WireField f;
  while (model.next(f)) {
    if (!modelFieldHasExpectedType(f)) {
      invalid("ModelProto field " + std::to_string(f.number) + " has the wrong wire type");
    }
    if (f.number == kModelIrVersion) m.haveIrVersion = true;
    if (f.number == kModelGraph) {
      // Protobuf would merge two graph fields; ONNX writers never emit that, and splicing a
      // merged graph is not worth the code, so it is refused instead of half-handled.
      if (m.haveGraph) invalid("ModelProto has more than one graph field");
      m.graph = f;
      m.haveGraph = true;
    }
  }
  return m;
}

}  // namespace

// Finds the graph field of the ModelProto. Errors before the graph is found mean "this is not
// ONNX at all" and say so, because that is what a user who picked the wrong file needs to read.
WireField findOnnxGraph(const uint8_t* data, size_t size) {
  if (size == 0) invalid("not an ONNX model: the input is empty");
  if (size > limits::kMaxVoiceModelBytes) {
    invalid("the model is " + std::to_string(size) + " bytes, over the limit of " +
            std::to_string(limits::kMaxVoiceModelBytes) + " bytes for a voice model");
  }
  ModelFields m;
  try {
    m = scanModel(data, size);
  } catch (const Error& e) {
    invalid(std::string("not an ONNX model: ") + e.what());
  }
  // onnxruntime refuses a model without ir_version too; it is also the cheapest check that
  // catches files that are protobuf-shaped by accident.
  if (!m.haveIrVersion) invalid("not an ONNX model: no ir_version (ModelProto field 1)");
  if (!m.haveGraph) invalid("ONNX model has no graph (ModelProto field 7)");
  return m.graph;
}

DeclaredTensorType declaredTensorType(const uint8_t* type, size_t size) {
  DeclaredTensorType declared;
  WireReader reader(type, size);
  WireField f;
  while (reader.next(f)) {
    if (f.number != kTypeTensor) continue;
    WireReader tensor = reader.nested(f);
    WireField t;
    while (tensor.next(t)) {
      if (t.number == kTensorElemType && t.type == WireType::kVarint) declared.elem = static_cast<int64_t>(t.value);
      if (t.number != kTensorShape) continue;
      WireReader shape = tensor.nested(t);
      WireField d;
      int dims = 0;
      while (shape.next(d)) dims += d.number == kShapeDim;
      declared.rank = dims;
    }
  }
  return declared;
}

}  // namespace avatar_voice
