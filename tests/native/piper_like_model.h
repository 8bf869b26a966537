// A tiny ONNX builder and a Piper-shaped graph around the model split's cuts (the prior noise
// forming z_p, a flow-like conv, the decoder's upsampling), for model_split_test.cpp and
// decoder_cut_test.cpp. No weights worth running: the tests read the structure only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "voice/model_split.h"
#include "voice/onnx_graph.h"
#include "voice/protobuf_wire.h"

namespace avatar_voice::piper_like {

using Bytes = std::vector<uint8_t>;

inline Bytes message(const std::function<void(WireWriter&)>& write) {
  Bytes out;
  WireWriter w(out);
  write(w);
  return out;
}

// --- a tiny ONNX builder (field numbers from onnx/onnx.proto) ------------------------------

struct Attr {
  std::string name;
  std::vector<int64_t> ints;  // written as INTS, or as INT when `single`
  bool single = false;
};
inline Attr ints(std::string name, std::vector<int64_t> v) { return {std::move(name), std::move(v), false}; }
inline Attr one(std::string name, int64_t v) { return {std::move(name), {v}, true}; }

inline Bytes attribute(const Attr& a) {
  return message([&](WireWriter& w) {
    w.bytesField(1, a.name);
    if (a.single) {
      w.varintField(3, static_cast<uint64_t>(a.ints[0]));
      w.varintField(20, 2);  // INT
    } else {
      for (int64_t v : a.ints) w.varintField(8, static_cast<uint64_t>(v));
      w.varintField(20, 7);  // INTS
    }
  });
}

inline Bytes tensor(const std::string& name, std::vector<int64_t> dims, int elemType,
             const std::vector<int64_t>& values = {}) {
  return message([&](WireWriter& w) {
    for (int64_t d : dims) w.varintField(1, static_cast<uint64_t>(d));
    w.varintField(2, static_cast<uint64_t>(elemType));
    if (elemType == 7) {
      for (int64_t v : values) w.varintField(7, static_cast<uint64_t>(v));
    }
    w.bytesField(8, name);
    if (elemType == 1) {  // float: zeros are enough, nothing here runs
      int64_t n = 1;
      for (int64_t d : dims) n *= d;
      w.bytesField(9, Bytes(static_cast<size_t>(n) * 4, 0));
    }
  });
}

inline Bytes valueInfo(const std::string& name, int elemType, int rank) {
  const Bytes shape = message([&](WireWriter& w) {
    for (int i = 0; i < rank; ++i) w.bytesField(1, std::string_view());
  });
  const Bytes tensorType = message([&](WireWriter& w) {
    w.varintField(1, static_cast<uint64_t>(elemType));
    w.bytesField(2, shape);
  });
  const Bytes type = message([&](WireWriter& w) { w.bytesField(1, tensorType); });
  return message([&](WireWriter& w) {
    w.bytesField(1, name);
    w.bytesField(2, type);
  });
}

struct GraphBuilder {
  std::vector<Bytes> nodes, initializers, inputs, outputs;

  void node(const std::string& op, std::vector<std::string> in, std::vector<std::string> out,
            std::vector<Attr> attrs = {}) {
    nodes.push_back(message([&](WireWriter& w) {
      for (const auto& i : in) w.bytesField(1, i);
      for (const auto& o : out) w.bytesField(2, o);
      w.bytesField(3, "n" + std::to_string(nodes.size()));
      w.bytesField(4, op);
      for (const Attr& a : attrs) w.bytesField(5, attribute(a));
    }));
  }
  void floats(const std::string& name, std::vector<int64_t> dims) { initializers.push_back(tensor(name, dims, 1)); }
  void int64s(const std::string& name, std::vector<int64_t> values) {
    initializers.push_back(tensor(name, {static_cast<int64_t>(values.size())}, 7, values));
  }

  Bytes model() const {
    const Bytes graph = message([&](WireWriter& w) {
      for (const Bytes& n : nodes) w.bytesField(1, n);
      w.bytesField(2, "test_graph");
      for (const Bytes& t : initializers) w.bytesField(5, t);
      for (const Bytes& i : inputs) w.bytesField(11, i);
      for (const Bytes& o : outputs) w.bytesField(12, o);
    });
    const Bytes opset = message([&](WireWriter& w) {
      w.bytesField(1, std::string_view());
      w.varintField(2, 15);
    });
    return message([&](WireWriter& w) {
      w.varintField(1, 8);  // ir_version
      w.bytesField(2, "model_split_test");
      w.bytesField(7, graph);
      w.bytesField(8, opset);
    });
  }
};

struct Variant {
  bool multiSpeaker = false;
  bool noise = true;          // false: z_p without RandomNormalLike
  bool secondNoise = false;   // a second RandomNormalLike -> Mul -> Add
  bool reduceOverTime = false;
  bool sliceTime = false;
  bool extraBoundary = false; // B also reads a second text-dependent tensor that A uses
  bool decoderReadsMask = false;  // the upsampled audio also reads the frame mask directly
  // z_p as VITS builds it: m_p and logs_p expanded to frames by Transpose(MatMul(path,
  // Transpose(x))), path from the durations, z_p = m_f + RandomNormalLike(m_f) * Exp(l_f) * scale
  bool expansion = false;
  bool expansionWithoutExp = false;  // the same, but the noise is not scaled by Exp(l_f)
};

// Piper's shape around the cut: embedding -> m_p -> Ceil durations -> frame mask, prior noise
// z_p = m + RandomNormalLike(m) * noise_scale; then B: Conv(k3) * mask, channel flip, LeakyRelu,
// ConvTranspose (x8, k16, pads 4) and Tanh. Expected M: ceil(1 + 11/8) = 3 frames, hop 8.
inline Bytes piperLikeModel(const Variant& v = {}) {
  GraphBuilder g;
  g.inputs = {valueInfo("input", 7, 2), valueInfo("input_lengths", 7, 1), valueInfo("scales", 1, 1)};
  if (v.multiSpeaker) g.inputs.push_back(valueInfo("sid", 7, 1));
  g.outputs = {valueInfo("output", 1, 3)};
  g.floats("emb", {16, 4});
  g.int64s("zero_index", {0});
  g.floats("conv_w", {4, 4, 3});
  g.floats("up_w", {4, 1, 16});
  g.int64s("flip_start", {-1});
  g.int64s("flip_end", {INT64_MIN});
  g.int64s("axis1", {1});
  g.int64s("step_back", {-1});

  g.node("Gather", {"emb", "input"}, {"embedded"});
  g.node("Transpose", {"embedded"}, {"m"}, {ints("perm", {0, 2, 1})});
  if (v.multiSpeaker) {
    g.floats("emb_g", {4, 2});
    g.floats("cond_a", {4, 2, 1});
    g.floats("cond_b", {4, 2, 1});
    g.int64s("axis2", {2});
    g.node("Gather", {"emb_g", "sid"}, {"speaker_row"});
    g.node("Unsqueeze", {"speaker_row", "axis2"}, {"g"});
    g.node("Conv", {"g", "cond_a"}, {"g_a"}, {ints("kernel_shape", {1})});
    g.node("Add", {"m", "g_a"}, {"m_cond"});
  }
  const std::string m = v.multiSpeaker ? "m_cond" : "m";
  g.node("Exp", {m}, {"w"});
  g.node("Ceil", {"w"}, {"w_ceil"});
  g.node("Sign", {"w_ceil"}, {"mask_bool"});
  g.node("Cast", {"mask_bool"}, {"mask"}, {one("to", 1)});
  g.node("Mul", {m, "mask"}, {"m_p"});
  g.node("Gather", {"scales", "zero_index"}, {"noise_scale"});
  if (v.expansion || v.expansionWithoutExp) {
    // VITS's m_p and logs_p come from the text encoder alone (not from the durations).
    g.node("Neg", {m}, {"logs_p"});
    g.node("Transpose", {"w_ceil"}, {"path"}, {ints("perm", {0, 2, 1})});  // stands for the path
    for (const std::string& name : {m, std::string("logs_p")}) {
      g.node("Transpose", {name}, {name + "_t"}, {ints("perm", {0, 2, 1})});
      g.node("MatMul", {"path", name + "_t"}, {name + "_mm"});
      g.node("Transpose", {name + "_mm"}, {name + "_f"}, {ints("perm", {0, 2, 1})});
    }
    const std::string mf = m + "_f";
    g.node("RandomNormalLike", {mf}, {"eps"});
    if (v.expansionWithoutExp) {
      g.node("Mul", {"eps", "noise_scale"}, {"eps_scaled"});
    } else {
      g.node("Exp", {"logs_p_f"}, {"scale_f"});
      g.node("Mul", {"eps", "scale_f"}, {"eps_spread"});
      g.node("Mul", {"eps_spread", "noise_scale"}, {"eps_scaled"});
    }
    g.node("Add", {mf, "eps_scaled"}, {"z_p"});
  } else if (v.noise) {
    g.node("RandomNormalLike", {"m_p"}, {"eps"});
    g.node("Mul", {"eps", "noise_scale"}, {"eps_scaled"});
    g.node("Add", {"m_p", "eps_scaled"}, {"z_p"});
  } else {
    g.node("Mul", {"m_p", "noise_scale"}, {"eps_scaled"});
    g.node("Add", {"m_p", "eps_scaled"}, {"z_p"});
  }
  std::string prev = "z_p";
  if (v.secondNoise) {
    g.node("RandomNormalLike", {"z_p"}, {"eps2"});
    g.node("Mul", {"eps2", "noise_scale"}, {"eps2_scaled"});
    g.node("Add", {"z_p", "eps2_scaled"}, {"z_p2"});
    prev = "z_p2";
  }
  g.node("Conv", {prev, "conv_w"}, {"h"}, {ints("kernel_shape", {3}), ints("pads", {1, 1})});
  g.node("Mul", {"h", "mask"}, {"h_masked"});
  prev = "h_masked";
  if (v.multiSpeaker) {
    g.node("Conv", {"g", "cond_b"}, {"g_b"}, {ints("kernel_shape", {1})});
    g.node("Add", {prev, "g_b"}, {"h_cond"});
    prev = "h_cond";
  }
  if (v.extraBoundary) {
    g.node("Mul", {prev, "w"}, {"h_w"});  // "w" is also read by A (Ceil)
    prev = "h_w";
  }
  if (v.reduceOverTime) {
    g.node("ReduceMean", {prev}, {"h_mean"}, {ints("axes", {2})});
    g.node("Sub", {prev, "h_mean"}, {"h_centred"});
    prev = "h_centred";
  }
  if (v.sliceTime) {
    g.int64s("time_start", {1});
    g.int64s("time_end", {INT64_MAX});
    g.int64s("axis_time", {2});
    g.node("Slice", {prev, "time_start", "time_end", "axis_time"}, {"h_shifted"});
    prev = "h_shifted";
  }
  g.node("Slice", {prev, "flip_start", "flip_end", "axis1", "step_back"}, {"flipped"});
  g.node("LeakyRelu", {"flipped"}, {"act"});
  g.node("ConvTranspose", {"act", "up_w"}, {"up"},
         {ints("kernel_shape", {16}), ints("strides", {8}), ints("pads", {4, 4})});
  std::string audio = "up";
  if (v.decoderReadsMask) {
    g.floats("up_mask_w", {1, 1, 16});
    g.node("ConvTranspose", {"mask", "up_mask_w"}, {"up_mask"},
           {ints("kernel_shape", {16}), ints("strides", {8}), ints("pads", {4, 4})});
    g.node("Add", {"up", "up_mask"}, {"up_sum"});
    audio = "up_sum";
  }
  g.node("Tanh", {audio}, {"output"});
  return g.model();
}

inline std::vector<std::string> names(const std::vector<OnnxNamedField>& fields) {
  std::vector<std::string> out;
  for (const auto& f : fields) out.emplace_back(f.name);
  return out;
}

inline std::vector<std::string> ops(const OnnxGraphView& view) {
  std::vector<std::string> out;
  for (const auto& n : view.nodes) out.emplace_back(n.opType);
  return out;
}

inline bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The split without the decoder cut (part B whole), as model_split_test.cpp checks it.
inline ModelSplit split(const Bytes& model) {
  return splitPiperModel(model.data(), model.size(), SplitOptions{false});
}

// The Piper-like model with one variation switched on.
inline Bytes variant(bool Variant::*flag, bool value = true) {
  Variant v;
  v.*flag = value;
  return piperLikeModel(v);
}

}  // namespace avatar_voice::piper_like
