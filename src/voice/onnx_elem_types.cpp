#include "voice/onnx_elem_types.h"

#include <string>
#include <unordered_set>

#include "core/error.h"
#include "voice/onnx_proto.h"
#include "voice/protobuf_wire.h"

namespace avatar_voice {
namespace {

constexpr int64_t kFloat = 1;
constexpr int64_t kInt64 = 7;
constexpr int64_t kBool = 9;

// The elem_type of a ValueInfoProto.type payload, or 0 (also when malformed: then unknown).
int64_t declaredElem(const OnnxNamedField& field) try {
  return field.type ? declaredTensorType(field.type, field.typeSize).elem.value_or(0) : 0;
} catch (const Error&) {
  return 0;
}

// The data_type of a TensorProto payload, or 0 (also when malformed).
int64_t tensorElem(const WireField& tensorField) try {
  WireReader reader(tensorField.bytes, tensorField.size);
  WireField f;
  while (reader.next(f))
    if (f.number == onnx_proto::kTensorDataType && f.type == WireType::kVarint) return static_cast<int64_t>(f.value);
  return 0;
} catch (const Error&) {
  return 0;
}

// Ops whose outputs all have the type of their first input.
const std::unordered_set<std::string_view>& sameAsFirstInput() {
  static const std::unordered_set<std::string_view> ops = {
      "Abs", "Add", "AveragePool", "BatchNormalization", "Ceil", "Clip", "Concat", "Conv",
      "ConvTranspose", "Cos", "CumSum", "DepthToSpace", "Div", "Dropout", "Elu", "Erf", "Exp",
      "Expand", "Flatten", "Floor", "Gather", "GatherElements", "GatherND", "Gelu", "Gemm",
      "HardSigmoid", "Identity", "InstanceNormalization", "LayerNormalization", "LeakyRelu", "Log",
      "LogSoftmax", "MatMul", "Max", "MaxPool", "Mean", "Min", "Mod", "Mul", "Neg", "Pad", "Pow",
      "PRelu", "Range", "Reciprocal", "ReduceL2", "ReduceLogSumExp", "ReduceMax", "ReduceMean",
      "ReduceMin", "ReduceProd", "ReduceSum", "ReduceSumSquare", "Relu", "Reshape", "Resize",
      "Round", "ScatterElements", "ScatterND", "Selu", "Sigmoid", "Sign", "Sin", "Slice",
      "Softmax", "Softplus", "Softsign", "SpaceToDepth", "Split", "Sqrt", "Squeeze", "Sub", "Sum",
      "Tanh", "Tile", "Transpose", "Trilu", "Unsqueeze"};
  return ops;
}

// Ops whose inputs all share one type (T): any typed input gives the output's.
const std::unordered_set<std::string_view>& allInputsAlike() {
  static const std::unordered_set<std::string_view> ops = {"Add", "Concat", "Div", "Max", "Mean", "Min", "Mod", "Mul", "Sub", "Sum"};
  return ops;
}

const std::unordered_set<std::string_view>& boolOutput() {
  static const std::unordered_set<std::string_view> ops = {
      "And", "Equal", "Greater", "GreaterOrEqual", "IsInf", "IsNaN", "Less", "LessOrEqual", "Not", "Or", "Xor"};
  return ops;
}

}  // namespace

ElemTypes inferElemTypes(const OnnxGraphView& view) {
  ElemTypes types;
  for (const OnnxNamedField& init : view.initializers)
    if (const int64_t e = tensorElem(init.field)) types[init.name] = e;
  for (const OnnxNamedField& in : view.inputs)
    if (const int64_t e = declaredElem(in)) types.emplace(in.name, e);
  for (const OnnxNamedField& info : view.valueInfos)
    if (const int64_t e = declaredElem(info)) types.emplace(info.name, e);
  for (const OnnxNamedField& out : view.outputs)
    if (const int64_t e = declaredElem(out)) types.emplace(out.name, e);
  const auto typeOf = [&](std::string_view t) -> int64_t {
    const auto it = types.find(t);
    return it == types.end() ? 0 : it->second;
  };
  for (const OnnxNode& node : view.nodes) {
    if (!node.domain.empty() && node.domain != "ai.onnx") continue;
    const std::string_view op = node.opType;
    int64_t elem = 0;
    int64_t attr = 0;
    if (op == "Cast") {
      if (node.intAttribute("to", attr)) elem = attr;
    } else if (op == "Constant") {
      const OnnxAttribute* value = node.attribute("value");
      if (value && value->hasTensor) elem = tensorElem(value->tensor);
    } else if (op == "ConstantOfShape") {
      const OnnxAttribute* value = node.attribute("value");
      elem = value && value->hasTensor ? tensorElem(value->tensor) : kFloat;
    } else if (op == "Shape" || op == "Size" || op == "NonZero" || op == "ArgMax" || op == "ArgMin") {
      elem = kInt64;
    } else if (boolOutput().count(op)) {
      elem = kBool;
    } else if (op == "RandomNormalLike" || op == "RandomUniformLike") {
      elem = node.intAttribute("dtype", attr) ? attr : (node.inputs.empty() ? 0 : typeOf(node.inputs[0]));
    } else if (op == "RandomNormal" || op == "RandomUniform") {
      elem = node.intAttribute("dtype", attr) ? attr : kFloat;
    } else if (op == "Where") {
      elem = node.inputs.size() > 1 ? typeOf(node.inputs[1]) : 0;
    } else if (allInputsAlike().count(op)) {
      for (std::string_view in : node.inputs)
        if (!in.empty() && (elem = typeOf(in)) != 0) break;
    } else if (sameAsFirstInput().count(op)) {
      elem = node.inputs.empty() ? 0 : typeOf(node.inputs[0]);
    }
    if (elem == 0) continue;
    // Dropout's second output (mask) is bool; every other multi-output op here is homogeneous.
    for (size_t k = 0; k < node.outputs.size(); ++k)
      if (!node.outputs[k].empty()) types.emplace(node.outputs[k], op == "Dropout" && k == 1 ? kBool : elem);
  }
  return types;
}

}  // namespace avatar_voice
