#include "voice/frame_locality.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace avatar_voice {
namespace {

enum class Kind { kConstant, kShape, kPerSequence, kFrames };

struct TensorState {
  Kind kind = Kind::kConstant;
  int rank = 0;       // kFrames: rank; time is the last axis
  int64_t rate = 1;   // kFrames: samples per input frame
  double left = 0;    // kFrames: reach into earlier / later input frames
  double right = 0;
};

// Ops that combine their inputs position by position (with broadcasting).
const std::unordered_set<std::string_view>& elementwiseOps() {
  static const std::unordered_set<std::string_view> ops = {
      "Abs", "Add", "And", "Cast", "Ceil", "Clip", "Cos", "Div", "Dropout", "Elu", "Equal", "Erf",
      "Exp", "Floor", "Gelu", "Greater", "GreaterOrEqual", "HardSigmoid", "Identity", "LeakyRelu",
      "Less", "LessOrEqual", "Log", "Max", "Mean", "Min", "Mul", "Neg", "Not", "Or", "PRelu", "Pow",
      "Reciprocal", "Relu", "Round", "Selu", "Sigmoid", "Sign", "Sin", "Softplus", "Softsign",
      "Sqrt", "Sub", "Sum", "Tanh", "Where", "Xor"};
  return ops;
}

// Ops allowed on shape arithmetic and per-sequence values (no frame data involved: the
// speaker embedding's conditioning convs, channel slices of it, zeros of x's shape). Range is not
// here: positions 0..T-1 differ between a window and the whole sequence.
const std::unordered_set<std::string_view>& perSequenceOps() {
  static const std::unordered_set<std::string_view> ops = {
      "Concat", "ConstantOfShape", "Expand", "Gather", "Reshape", "Shape", "Slice", "Squeeze",
      "Unsqueeze", "Conv", "Transpose"};
  return ops;
}

constexpr int64_t kOpenEnd = std::numeric_limits<int32_t>::max();  // "to the end" in exports

class Analyzer {
 public:
  Analyzer(const OnnxGraphView& view) : view_(view) {}

  std::unordered_map<std::string_view, TensorState> states;
  std::string reason;

  void seed(const std::vector<FrameInput>& inputs) {
    for (const FrameInput& input : inputs) {
      TensorState s;
      s.kind = input.kind == FrameInputKind::kFrames ? Kind::kFrames : Kind::kPerSequence;
      s.rank = input.rank;
      states[input.name] = s;
    }
  }

  bool fail(const OnnxNode& node, const std::string& why) {
    reason = std::string(node.opType) + " node producing '" +
             std::string(node.outputs.empty() ? std::string_view() : node.outputs[0]) + "' " + why;
    return false;
  }

  bool state(std::string_view tensor, TensorState& out) {
    auto it = states.find(tensor);
    if (it != states.end()) {
      out = it->second;
      return true;
    }
    if (view_.isInitializer(tensor)) {
      out = TensorState{};
      return true;
    }
    return false;
  }

  // Normalises an axis of a rank-`rank` tensor; true when it is the time (last) axis.
  static bool isTimeAxis(int64_t axis, int rank) {
    if (axis < 0) axis += rank;
    return axis == rank - 1;
  }

  bool visit(const OnnxNode& node) {
    std::vector<TensorState> in;
    const TensorState* frames = nullptr;
    bool anyShape = false, anyPerSequence = false;
    for (std::string_view name : node.inputs) {
      TensorState s;
      if (name.empty()) {
        in.push_back(s);
        continue;
      }
      if (!state(name, s)) return fail(node, "reads '" + std::string(name) + "' from outside the part");
      in.push_back(s);
    }
    for (const TensorState& s : in) {
      if (s.kind == Kind::kFrames && !frames) frames = &s;
      anyShape |= s.kind == Kind::kShape;
      anyPerSequence |= s.kind == Kind::kPerSequence;
    }
    const std::string_view op = node.opType;
    if (!node.domain.empty() && node.domain != "ai.onnx") return fail(node, "is a custom-domain op");
    for (const OnnxAttribute& a : node.attributes)
      if (a.hasSubgraph) return fail(node, "has a subgraph");

    TensorState out;
    if (op == "Shape") {
      out.kind = Kind::kShape;
    } else if (!frames) {
      if (!anyShape && !anyPerSequence) {
        out.kind = Kind::kConstant;  // folded at load by onnxruntime; any op is fine
      } else if (elementwiseOps().count(op) || perSequenceOps().count(op)) {
        // Sizes from Shape() hold for any T; ConstantOfShape/Expand of them is the same value
        // on every frame, i.e. per-sequence data.
        out.kind = (op == "ConstantOfShape" || op == "Expand" || anyPerSequence) ? Kind::kPerSequence
                                                                                  : Kind::kShape;
      } else {
        return fail(node, "computes from the sequence length in a way that may depend on it");
      }
    } else if (!visitFrames(node, in, *frames, out)) {
      return false;
    }
    for (std::string_view name : node.outputs)
      if (!name.empty()) states[name] = out;
    return true;
  }

  bool visitFrames(const OnnxNode& node, const std::vector<TensorState>& in,
                   const TensorState& first, TensorState& out) {
    const std::string_view op = node.opType;
    out = first;
    // Every frame-data input must be at the same rate; the reach is the widest of them.
    for (const TensorState& s : in) {
      if (s.kind != Kind::kFrames) continue;
      if (s.rate != first.rate) return fail(node, "mixes tensors of different frame rates");
      out.left = std::max(out.left, s.left);
      out.right = std::max(out.right, s.right);
      out.rank = std::max(out.rank, s.rank);
    }
    if (elementwiseOps().count(op)) return true;
    if (op == "Conv" || op == "ConvTranspose") return visitConv(node, in, out);
    if (op == "Slice") return visitSlice(node, in, out);
    if (op == "Split" || op == "Concat") {
      int64_t axis = 0;
      node.intAttribute("axis", axis);
      if (isTimeAxis(axis, out.rank)) return fail(node, "cuts or joins along the time axis");
      return true;
    }
    if (op == "Unsqueeze" || op == "Squeeze") return visitSqueeze(node, in, out);
    return fail(node, "is not known to be local in time");
  }

  bool visitConv(const OnnxNode& node, const std::vector<TensorState>& in, TensorState& out) {
    if (in[0].kind != Kind::kFrames) return fail(node, "has frame-dependent weights");
    for (size_t i = 1; i < in.size(); ++i)
      if (in[i].kind == Kind::kFrames) return fail(node, "has frame-dependent weights");
    std::vector<int64_t> kernel, strides, dilations, pads, outputPadding, outputShape;
    node.ints("kernel_shape", kernel);
    if (kernel.size() != 1 || kernel[0] < 1) return fail(node, "is not a 1-D convolution with a kernel_shape");
    const OnnxAttribute* autoPad = node.attribute("auto_pad");
    if (autoPad && !autoPad->text.empty() && autoPad->text != "NOTSET") return fail(node, "uses auto_pad");
    node.ints("strides", strides);
    node.ints("dilations", dilations);
    node.ints("pads", pads);
    const int64_t stride = strides.empty() ? 1 : strides[0];
    const int64_t dilation = dilations.empty() ? 1 : dilations[0];
    const int64_t padBegin = pads.size() == 2 ? pads[0] : 0;
    const int64_t padEnd = pads.size() == 2 ? pads[1] : 0;
    const int64_t span = dilation * (kernel[0] - 1);  // input samples one output sample spans
    if (stride < 1 || dilation < 1 || padBegin < 0 || padEnd < 0) return fail(node, "has invalid attributes");
    if (node.opType == "Conv") {
      if (stride != 1) return fail(node, "has a stride (downsampling) other than 1");
      if (padBegin + padEnd != span) return fail(node, "changes the number of frames (pads do not match the kernel)");
      // Output t reads input [t - padBegin, t - padBegin + span].
      out.left += static_cast<double>(padBegin) / static_cast<double>(out.rate);
      out.right += static_cast<double>(span - padBegin) / static_cast<double>(out.rate);
      return true;
    }
    node.ints("output_padding", outputPadding);
    if (node.ints("output_shape", outputShape)) return fail(node, "sets output_shape");
    const int64_t extra = outputPadding.empty() ? 0 : outputPadding[0];
    // Output length (T-1)*stride + span + 1 + extra - pads must be stride*T: whole samples per frame.
    if (span + 1 + extra - padBegin - padEnd != stride) {
      return fail(node, "does not map each frame to exactly stride output samples");
    }
    // Output o receives input i where i*stride = o + padBegin - k*dilation, k in [0, kernel).
    out.rate *= stride;
    out.left += static_cast<double>(span - padBegin) / static_cast<double>(out.rate);
    out.right += static_cast<double>(padBegin) / static_cast<double>(out.rate);
    return true;
  }

  bool visitSlice(const OnnxNode& node, const std::vector<TensorState>& in, TensorState& out) {
    for (size_t i = 1; i < in.size(); ++i)
      if (in[i].kind == Kind::kFrames) return fail(node, "slices by frame-dependent indices");
    std::vector<int64_t> starts, ends, axes, steps;
    const auto input = [&](size_t i) { return i < node.inputs.size() ? node.inputs[i] : std::string_view(); };
    const bool knownStarts = view_.constantInts(input(1), starts);
    const bool knownEnds = view_.constantInts(input(2), ends);
    if (!input(3).empty()) {
      if (!view_.constantInts(input(3), axes)) return fail(node, "slices axes that are not constant");
    } else if (knownStarts) {
      for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
    } else {
      return fail(node, "slices axes that are not constant");
    }
    if (!input(4).empty() && !view_.constantInts(input(4), steps)) return fail(node, "has non-constant steps");
    for (size_t i = 0; i < axes.size(); ++i) {
      if (!isTimeAxis(axes[i], out.rank)) continue;
      // Only the identity slice [0, end) with step 1 is allowed on time.
      const bool whole = knownStarts && knownEnds && i < starts.size() && i < ends.size() &&
                         starts[i] == 0 && ends[i] >= kOpenEnd && (steps.empty() || steps[i] == 1);
      if (!whole) return fail(node, "slices along the time axis");
    }
    return true;
  }

  bool visitSqueeze(const OnnxNode& node, const std::vector<TensorState>& in, TensorState& out) {
    if (in[0].kind != Kind::kFrames) return fail(node, "reshapes frame data by frame-dependent axes");
    std::vector<int64_t> axes;
    if (!node.ints("axes", axes) && !(node.inputs.size() > 1 && view_.constantInts(node.inputs[1], axes))) {
      return fail(node, "has no constant axes");
    }
    const int n = static_cast<int>(axes.size());
    if (node.opType == "Unsqueeze") {
      // Inserting an axis after time would move time off the last axis.
      for (int64_t a : axes)
        if (isTimeAxis(a, in[0].rank + n)) return fail(node, "inserts an axis after the time axis");
      out.rank = in[0].rank + n;
    } else {
      for (int64_t a : axes)
        if (isTimeAxis(a, in[0].rank)) return fail(node, "removes the time axis");
      out.rank = in[0].rank - n;
    }
    return true;
  }

 private:
  const OnnxGraphView& view_;
};

}  // namespace

std::vector<std::string_view> frameRateTensors(const OnnxGraphView& view, const std::vector<int>& nodes,
                                               const std::vector<FrameInput>& inputs) {
  Analyzer analyzer(view);
  analyzer.seed(inputs);
  std::vector<std::string_view> out;
  for (int index : nodes) {
    const OnnxNode& node = view.nodes[static_cast<size_t>(index)];
    if (!analyzer.visit(node)) return {};
    for (std::string_view name : node.outputs) {
      const auto it = analyzer.states.find(name);
      if (it != analyzer.states.end() && it->second.kind == Kind::kFrames && it->second.rate == 1)
        out.push_back(name);
    }
  }
  return out;
}

FrameLocality analyzeFrameLocality(const OnnxGraphView& view, const std::vector<int>& nodes,
                                   const std::vector<FrameInput>& inputs,
                                   const std::vector<std::string_view>& outputs) {
  Analyzer analyzer(view);
  analyzer.seed(inputs);
  FrameLocality result;
  for (int index : nodes) {
    if (!analyzer.visit(view.nodes[static_cast<size_t>(index)])) {
      result.reason = analyzer.reason;
      return result;
    }
  }
  int64_t rate = 0;
  for (std::string_view name : outputs) {
    auto it = analyzer.states.find(name);
    if (it == analyzer.states.end() || it->second.kind != Kind::kFrames) {
      result.reason = "output '" + std::string(name) + "' is not frame data";
      return result;
    }
    if (rate != 0 && it->second.rate != rate) {
      result.reason = "outputs have different sample rates";
      return result;
    }
    rate = it->second.rate;
    result.leftFrames = std::max(result.leftFrames, it->second.left);
    result.rightFrames = std::max(result.rightFrames, it->second.right);
  }
  if (rate == 0) {
    result.reason = "the part has no output";
    return result;
  }
  result.local = true;
  result.hopLength = static_cast<int>(rate);
  result.receptiveFieldFrames =
      static_cast<int>(std::ceil(std::max(result.leftFrames, result.rightFrames) - 1e-9));
  return result;
}

}  // namespace avatar_voice
