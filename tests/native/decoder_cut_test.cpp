// The cut between flow and decoder (src/voice/decoder_cut.h) through splitPiperModel, on the
// hand-built Piper-shaped graph of piper_like_model.h and, when generated, on the tiny test voices.
// Running the parts on windows and comparing audio is tests/js/model_split.test.ts.
#include "voice/decoder_cut.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "native_test_env.h"
#include "piper_like_model.h"
#include "voice/model_split.h"
#include "voice/onnx_graph.h"

namespace avatar_voice {
namespace {

using namespace piper_like;

ModelSplit splitAndCut(const Bytes& model) { return splitPiperModel(model.data(), model.size()); }

TEST(DecoderCut, CutsBeforeTheFirstUpsamplingAndReplacesPartB) {
  const ModelSplit s = splitAndCut(piperLikeModel());
  ASSERT_TRUE(s.ok()) << s.reason;
  EXPECT_EQ(s.decoderCutReason, "");
  EXPECT_TRUE(s.partB.empty());
  // The last tensor at one sample per frame: LeakyRelu's output, the ConvTranspose's input.
  EXPECT_EQ(s.decoderInput, "act");
  EXPECT_EQ(s.flowInputs, (std::vector<std::string>{"z_p", "mask"}));
  EXPECT_EQ(s.decoderInputs, (std::vector<std::string>{"act"}));

  const OnnxGraphView flow(s.flow.data(), s.flow.size());
  EXPECT_EQ(names(flow.inputs), (std::vector<std::string>{"z_p", "mask"}));
  EXPECT_EQ(names(flow.outputs), (std::vector<std::string>{"act"}));
  EXPECT_EQ(ops(flow), (std::vector<std::string>{"Conv", "Mul", "Slice", "LeakyRelu"}));
  const OnnxGraphView decoder(s.decoder.data(), s.decoder.size());
  EXPECT_EQ(names(decoder.inputs), (std::vector<std::string>{"act"}));
  EXPECT_EQ(names(decoder.outputs), (std::vector<std::string>{"output"}));
  EXPECT_EQ(ops(decoder), (std::vector<std::string>{"ConvTranspose", "Tanh"}));
  EXPECT_EQ(names(decoder.initializers), (std::vector<std::string>{"up_w"}));

  // Flow: Conv k3 pads 1 -> 1 frame. Decoder: ConvTranspose x8 k16 pads 4 -> 11/8 left, 4/8
  // right -> 2 frames. Together the 3 frames of the uncut B.
  EXPECT_EQ(s.flowMarginFrames, 1);
  EXPECT_EQ(s.decoderMarginFrames, 2);
  EXPECT_EQ(s.receptiveFieldFrames, 3);
  EXPECT_EQ(s.hopLength, 8);
}

TEST(DecoderCut, MultiSpeakerFlowReadsTheSpeakerEmbedding) {
  Variant v;
  v.multiSpeaker = true;
  const ModelSplit s = splitAndCut(piperLikeModel(v));
  ASSERT_TRUE(s.ok()) << s.reason;
  EXPECT_EQ(s.decoderInput, "act");
  EXPECT_EQ(s.flowInputs, (std::vector<std::string>{"z_p", "mask", "g"}));
  EXPECT_EQ(s.decoderInputs, (std::vector<std::string>{"act"}));
  const OnnxGraphView flow(s.flow.data(), s.flow.size());
  EXPECT_TRUE(contains(names(flow.initializers), "cond_b"));
}

TEST(DecoderCut, ADecoderThatReadsTheMaskKeepsPartBWhole) {
  Variant v;
  v.decoderReadsMask = true;
  const ModelSplit s = splitAndCut(piperLikeModel(v));
  ASSERT_TRUE(s.ok()) << s.reason;  // the split itself still works
  EXPECT_NE(s.decoderCutReason, "");
  EXPECT_FALSE(s.partB.empty());
  EXPECT_TRUE(s.flow.empty());
  EXPECT_TRUE(s.decoder.empty());
}

TEST(DecoderCut, BytesThatAreNotOnnxThrow) {
  const Bytes png = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
  EXPECT_THROW(cutDecoder(png.data(), png.size(), "z_p", "mask", "", {"output"}), Error);
}

TEST(DecoderCut, CutsTheGeneratedTinyVoices) {
  for (const char* name : {"test-tiny.onnx", "test-tiny-multi.onnx"}) {
    const std::string bytes = testenv::readFile(testenv::testVoicePath(name));
    if (bytes.empty()) GTEST_SKIP() << "no " << name << ": run scripts/make_test_voices.sh";
    const Bytes model(bytes.begin(), bytes.end());
    const ModelSplit s = splitAndCut(model);
    ASSERT_TRUE(s.ok()) << name << ": " << s.reason;
    ASSERT_EQ(s.decoderCutReason, "") << name;
    // Flow: 4 coupling layers x 4 WN layers x (5-1)/2 = 32 frames, plus conv_pre's 3 (k7); the
    // decoder from its first ConvTranspose on: the three upsampling stages and their ResBlocks.
    EXPECT_EQ(s.flowMarginFrames, 35) << name;
    EXPECT_LE(s.decoderMarginFrames, 9) << name << ": " << s.decoderMarginFrames;
    EXPECT_GE(s.decoderMarginFrames, 5) << name << ": " << s.decoderMarginFrames;
    EXPECT_GE(s.flowMarginFrames + s.decoderMarginFrames, s.receptiveFieldFrames) << name;
    EXPECT_EQ(s.hopLength, 256);
    const OnnxGraphView decoder(s.decoder.data(), s.decoder.size());
    ASSERT_FALSE(decoder.nodes.empty());
    EXPECT_EQ(decoder.nodes.front().opType, "ConvTranspose") << name;
    // The speaker conditioning is added before the activation: only the flow reads g.
    EXPECT_EQ(s.decoderInputs, std::vector<std::string>{s.decoderInput}) << name;
    EXPECT_EQ(s.flowInputs.size(), std::string(name) == "test-tiny.onnx" ? 2u : 3u) << name;
    EXPECT_LT(s.partA.size() + s.flow.size() + s.decoder.size(), model.size() + 8192);
  }
}

}  // namespace
}  // namespace avatar_voice
