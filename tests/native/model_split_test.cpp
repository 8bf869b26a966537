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
#include "piper_like_model.h"
#include "voice/onnx_graph.h"
#include "voice/protobuf_wire.h"

namespace avatar_voice {
namespace {

using namespace piper_like;

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
  EXPECT_EQ(ops(b), (std::vector<std::string>{"Conv", "Mul", "Slice", "LeakyRelu", "ConvTranspose",
                                              "Tanh"}));
  EXPECT_FALSE(contains(names(b.initializers), "emb"));
  // New inputs are declared float with open dims (a window has any length).
  ASSERT_NE(b.inputs[0].type, nullptr);

  // Conv k3 pads 1: 1 frame each side; ConvTranspose x8 k16 pads 4: (15-4)/8 left, 4/8 right.
  EXPECT_DOUBLE_EQ(s.receptiveLeftFrames, 1 + 11.0 / 8);
  EXPECT_DOUBLE_EQ(s.receptiveRightFrames, 1 + 4.0 / 8);
  EXPECT_EQ(s.receptiveFieldFrames, 3);
  EXPECT_EQ(s.hopLength, 8);
  // This graph adds the noise to m_p directly (no path MatMul): z_p stays in part A, with why.
  EXPECT_FALSE(s.expandsOutside());
  EXPECT_NE(s.expansionReason, "");
}

TEST(ModelSplit, StopsPartABeforeThePriorsExpansionToFrames) {
  const ModelSplit s = split(variant(&Variant::expansion));
  ASSERT_TRUE(s.ok()) << s.reason;
  ASSERT_TRUE(s.expandsOutside()) << s.expansionReason;
  EXPECT_EQ(s.priorMean, "m");
  EXPECT_EQ(s.priorLogScale, "logs_p");
  EXPECT_EQ(s.noiseFactors, std::vector<std::string>{"noise_scale"});
  EXPECT_EQ(s.expansionReason, "");
  EXPECT_EQ(s.zInput, "z_p");  // still B's input
  const OnnxGraphView a(s.partA.data(), s.partA.size());
  EXPECT_EQ(names(a.outputs), (std::vector<std::string>{"mask", "m", "logs_p", "noise_scale", "w_ceil"}));
  EXPECT_FALSE(contains(ops(a), "MatMul"));
  EXPECT_FALSE(contains(ops(a), "RandomNormalLike"));
  const OnnxGraphView b(s.partB.data(), s.partB.size());
  EXPECT_EQ(names(b.inputs), (std::vector<std::string>{"z_p", "mask"}));

  // Asked not to, or a noise term without Exp(log scale): z_p stays in A, with the reason.
  const Bytes model = variant(&Variant::expansion);
  const ModelSplit kept = splitPiperModel(model.data(), model.size(), SplitOptions{false, false});
  EXPECT_FALSE(kept.expandsOutside());
  EXPECT_EQ(kept.expansionReason, "");
  const ModelSplit noExp = split(variant(&Variant::expansionWithoutExp));
  ASSERT_TRUE(noExp.ok()) << noExp.reason;
  EXPECT_FALSE(noExp.expandsOutside());
  EXPECT_NE(noExp.expansionReason.find("Exp"), std::string::npos) << noExp.expansionReason;
  const OnnxGraphView keptA(noExp.partA.data(), noExp.partA.size());
  EXPECT_EQ(names(keptA.outputs), (std::vector<std::string>{"z_p", "mask", "w_ceil"}));
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
    EXPECT_EQ(s.receptiveFieldFrames, 44)
        << s.receptiveLeftFrames << " / " << s.receptiveRightFrames;
    EXPECT_EQ(s.speakerInput.empty(), std::string(name) == "test-tiny.onnx");
    EXPECT_FALSE(s.durationOutput.empty());
    EXPECT_LT(s.partA.size() + s.partB.size(), model.size() + 4096);
    const OnnxGraphView b(s.partB.data(), s.partB.size());
    for (const OnnxNode& n : b.nodes) EXPECT_NE(n.opType, "RandomNormalLike");

    // Part A stops before the expansion: it outputs the mask, m_p and logs_p per id, the noise
    // scale and the durations, not z_p; it keeps the duration predictor's noise only and loses
    // the two path MatMuls (the text encoder's attention has the others).
    ASSERT_TRUE(s.expandsOutside()) << s.expansionReason;
    const OnnxGraphView a(s.partA.data(), s.partA.size());
    std::vector<std::string> want = {s.maskInput};
    if (!s.speakerInput.empty()) want.push_back(s.speakerInput);
    want.insert(want.end(), {s.priorMean, s.priorLogScale});
    want.insert(want.end(), s.noiseFactors.begin(), s.noiseFactors.end());
    want.push_back(s.durationOutput);
    EXPECT_EQ(names(a.outputs), want);
    EXPECT_EQ(s.noiseFactors.size(), 1u);
    const ModelSplit whole =
        splitPiperModel(model.data(), model.size(), SplitOptions{false, false});
    ASSERT_TRUE(whole.ok());
    EXPECT_FALSE(whole.expandsOutside());
    const OnnxGraphView oldA(whole.partA.data(), whole.partA.size());
    const auto count = [](const OnnxGraphView& v, const char* op) {
      return std::count_if(v.nodes.begin(), v.nodes.end(),
                           [&](const OnnxNode& n) { return n.opType == op; });
    };
    EXPECT_EQ(count(a, "RandomNormalLike"), 1);
    EXPECT_EQ(count(oldA, "RandomNormalLike"), 2);
    EXPECT_EQ(count(oldA, "MatMul") - count(a, "MatMul"), 2);
    EXPECT_EQ(whole.partB, s.partB);  // B does not change
  }
}

}  // namespace
}  // namespace avatar_voice
