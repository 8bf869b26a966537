// splitPiperModel on small hand-built graphs (the shapes of a Piper graph around z_p, no weights
// worth running) and, when generated, on the tiny test voices. Running the parts and comparing
// audio is tests/js/model_split.test.ts (onnxruntime-web).
#include "voice/model_split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "core/error.h"
#include "native_test_env.h"
#include "voice/onnx_graph.h"
#include "voice/protobuf_wire.h"

namespace avatar_voice {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes message(const std::function<void(WireWriter&)>& write) {
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
Attr ints(std::string name, std::vector<int64_t> v) { return {std::move(name), std::move(v), false}; }
Attr one(std::string name, int64_t v) { return {std::move(name), {v}, true}; }

Bytes attribute(const Attr& a) {
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

Bytes tensor(const std::string& name, std::vector<int64_t> dims, int elemType,
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

Bytes valueInfo(const std::string& name, int elemType, int rank) {
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
};

// Piper's shape around the cut: embedding -> m_p -> Ceil durations -> frame mask, prior noise
// z_p = m + RandomNormalLike(m) * noise_scale; then B: Conv(k3) * mask, channel flip, LeakyRelu,
// ConvTranspose (x8, k16, pads 4) and Tanh. Expected M: ceil(1 + 11/8) = 3 frames, hop 8.
Bytes piperLikeModel(const Variant& v = {}) {
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
  if (v.noise) {
    g.node("RandomNormalLike", {"m_p"}, {"eps"});
    g.node("Mul", {"eps", "noise_scale"}, {"eps_scaled"});
  } else {
    g.node("Mul", {"m_p", "noise_scale"}, {"eps_scaled"});
  }
  g.node("Add", {"m_p", "eps_scaled"}, {"z_p"});
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
  g.node("Tanh", {"up"}, {"output"});
  return g.model();
}

std::vector<std::string> names(const std::vector<OnnxNamedField>& fields) {
  std::vector<std::string> out;
  for (const auto& f : fields) out.emplace_back(f.name);
  return out;
}

std::vector<std::string> ops(const OnnxGraphView& view) {
  std::vector<std::string> out;
  for (const auto& n : view.nodes) out.emplace_back(n.opType);
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

ModelSplit split(const Bytes& model) { return splitPiperModel(model.data(), model.size()); }

// The Piper-like model with one variation switched on.
Bytes variant(bool Variant::*flag, bool value = true) {
  Variant v;
  v.*flag = value;
  return piperLikeModel(v);
}

TEST(ModelSplit, CutsAtThePriorNoiseAndYieldsTwoParseableModels) {
  const ModelSplit s = split(piperLikeModel());
  ASSERT_TRUE(s.ok()) << s.reason;
  EXPECT_EQ(s.zInput, "z_p");
  EXPECT_EQ(s.maskInput, "mask");
  EXPECT_EQ(s.speakerInput, "");
  EXPECT_EQ(s.durationOutput, "w_ceil");
  EXPECT_EQ(s.audioOutputs, std::vector<std::string>{"output"});
  EXPECT_EQ(s.partAInputs, (std::vector<std::string>{"input", "scales"}));

  const OnnxGraphView a(s.partA.data(), s.partA.size());
  EXPECT_EQ(names(a.inputs), (std::vector<std::string>{"input", "scales"}));
  EXPECT_EQ(names(a.outputs), (std::vector<std::string>{"z_p", "mask", "w_ceil"}));
  EXPECT_TRUE(contains(ops(a), "RandomNormalLike"));
  EXPECT_FALSE(contains(ops(a), "ConvTranspose"));
  EXPECT_EQ(names(a.initializers), (std::vector<std::string>{"emb", "zero_index"}));

  const OnnxGraphView b(s.partB.data(), s.partB.size());
  EXPECT_EQ(names(b.inputs), (std::vector<std::string>{"z_p", "mask"}));
  EXPECT_EQ(names(b.outputs), (std::vector<std::string>{"output"}));
  EXPECT_EQ(ops(b), (std::vector<std::string>{"Conv", "Mul", "Slice", "LeakyRelu", "ConvTranspose", "Tanh"}));
  EXPECT_FALSE(contains(names(b.initializers), "emb"));
  // New inputs are declared float with open dims (a window has any length).
  ASSERT_NE(b.inputs[0].type, nullptr);

  // Conv k3 pads 1: 1 frame each side; ConvTranspose x8 k16 pads 4: (15-4)/8 left, 4/8 right.
  EXPECT_DOUBLE_EQ(s.receptiveLeftFrames, 1 + 11.0 / 8);
  EXPECT_DOUBLE_EQ(s.receptiveRightFrames, 1 + 4.0 / 8);
  EXPECT_EQ(s.receptiveFieldFrames, 3);
  EXPECT_EQ(s.hopLength, 8);
}

TEST(ModelSplit, MultiSpeakerPassesTheSpeakerEmbeddingAndMovesItsConditioningIntoB) {
  const ModelSplit s = split(variant(&Variant::multiSpeaker));
  ASSERT_TRUE(s.ok()) << s.reason;
  EXPECT_EQ(s.speakerInput, "g");
  EXPECT_EQ(s.partAInputs, (std::vector<std::string>{"input", "scales", "sid"}));
  const OnnxGraphView a(s.partA.data(), s.partA.size());
  EXPECT_EQ(names(a.outputs), (std::vector<std::string>{"z_p", "mask", "g", "w_ceil"}));
  const OnnxGraphView b(s.partB.data(), s.partB.size());
  EXPECT_EQ(names(b.inputs), (std::vector<std::string>{"z_p", "mask", "g"}));
  EXPECT_TRUE(contains(names(b.initializers), "cond_b"));   // B's own conditioning conv
  EXPECT_FALSE(contains(names(b.initializers), "cond_a"));  // A's
  EXPECT_EQ(s.receptiveFieldFrames, 3);
}

TEST(ModelSplit, WithoutThePriorNoisePatternSaysSo) {
  const ModelSplit s = split(variant(&Variant::noise, false));
  EXPECT_EQ(s.failure, SplitFailure::kNoPriorNoise);
  EXPECT_NE(s.reason.find("RandomNormalLike"), std::string::npos) << s.reason;
  EXPECT_TRUE(s.partA.empty());
  EXPECT_TRUE(s.partB.empty());
  EXPECT_STREQ(splitFailureName(s.failure), "no_prior_noise");
}

TEST(ModelSplit, TwoPriorNoisePatternsAreAmbiguous) {
  EXPECT_EQ(split(variant(&Variant::secondNoise)).failure, SplitFailure::kAmbiguousPriorNoise);
}

TEST(ModelSplit, AReductionOverTimeInBIsNonLocal) {
  const ModelSplit s = split(variant(&Variant::reduceOverTime));
  EXPECT_EQ(s.failure, SplitFailure::kNonLocalOperator);
  EXPECT_NE(s.reason.find("ReduceMean"), std::string::npos) << s.reason;
}

TEST(ModelSplit, ASliceAlongTimeInBIsNonLocal) {
  const ModelSplit s = split(variant(&Variant::sliceTime));
  EXPECT_EQ(s.failure, SplitFailure::kNonLocalOperator);
  EXPECT_NE(s.reason.find("time axis"), std::string::npos) << s.reason;
}

TEST(ModelSplit, BReadingMoreThanTheMaskFromAIsAnUnexpectedBoundary) {
  const ModelSplit s = split(variant(&Variant::extraBoundary));
  EXPECT_EQ(s.failure, SplitFailure::kUnexpectedBoundary);
  EXPECT_NE(s.reason.find("'w'"), std::string::npos) << s.reason;
}

TEST(ModelSplit, BytesThatAreNotOnnxThrowInvalidModel) {
  const Bytes png = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
  try {
    split(png);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  }
  EXPECT_THROW(split(Bytes{}), Error);
  Bytes truncated = piperLikeModel();
  truncated.resize(truncated.size() / 2);
  EXPECT_THROW(split(truncated), Error);
}

// The generated test voices (scripts/make_test_voices.sh), when present.
Bytes readVoice(const std::string& name) {
  const std::string bytes = testenv::readFile(testenv::testVoicePath(name));
  return Bytes(bytes.begin(), bytes.end());
}

TEST(ModelSplit, SplitsTheGeneratedTinyVoices) {
  for (const char* name : {"test-tiny.onnx", "test-tiny-multi.onnx"}) {
    const Bytes model = readVoice(name);
    if (model.empty()) GTEST_SKIP() << "no " << name << ": run scripts/make_test_voices.sh";
    const ModelSplit s = split(model);
    ASSERT_TRUE(s.ok()) << name << ": " << s.reason;
    EXPECT_EQ(s.hopLength, 256);
    // Flow: 4 coupling layers x 4 WN layers x (5-1)/2 = 32 frames; decoder conv_pre 3, the
    // three upsampling stages and their ResBlock2 stacks 8.1 more (see model_split.h).
    EXPECT_EQ(s.receptiveFieldFrames, 44) << s.receptiveLeftFrames << " / " << s.receptiveRightFrames;
    EXPECT_EQ(s.speakerInput.empty(), std::string(name) == "test-tiny.onnx");
    EXPECT_FALSE(s.durationOutput.empty());
    EXPECT_LT(s.partA.size() + s.partB.size(), model.size() + 4096);
    const OnnxGraphView b(s.partB.data(), s.partB.size());
    for (const OnnxNode& n : b.nodes) EXPECT_NE(n.opType, "RandomNormalLike");
  }
}

}  // namespace
}  // namespace avatar_voice
