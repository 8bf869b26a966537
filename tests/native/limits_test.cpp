// Every limit of core/limits.h: enforced where the input enters, as a typed error whose message
// states the limit, and used as the default by the code that enforces it.
#include "core/limits.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audio/phoneme_alignment.h"
#include "core/error.h"
#include "error_of.h"
#include "native_test_env.h"
#include "phonemize/phonemizer.h"
#include "store/store.h"
#include "text/text_sanitizer.h"
#include "voice/onnx_timing_patch.h"

namespace avatar_voice {
namespace {

bool mentions(const Error& e, uint64_t limit) {
  return std::string(e.what()).find(std::to_string(limit)) != std::string::npos;
}

TEST(Limits, DefaultsComeFromLimitsHeader) {
  EXPECT_EQ(PhonemizeOptions{}.maxChars, limits::kMaxTextChars);
  EXPECT_EQ(SanitizeOptions{}.maxChars, limits::kMaxTextChars);
  store::Store store(":memory:");
  EXPECT_EQ(store.config().getInt64("assets.maxBytes"), limits::kDefaultMaxAssetBytes);
  EXPECT_EQ(store.config().getInt64("text.maxChars"), limits::kDefaultUtteranceChars);
}

TEST(Limits, TextOverTheDefaultLimitIsTextTooLong) {
  // Codepoints are counted, not bytes: "é" is two bytes, one character.
  const std::string atLimit(limits::kMaxTextChars, 'a');
  EXPECT_NO_THROW(sanitizeText(atLimit));
  std::string over = atLimit;
  over.replace(0, 1, "\xC3\xA9");
  over += "b";
  const Error e = errorOf([&] { sanitizeText(over); });
  EXPECT_EQ(e.code(), ErrorCode::kTextTooLong);
  EXPECT_TRUE(mentions(e, limits::kMaxTextChars)) << e.what();

  Phonemizer phonemizer(testenv::engine());
  const Error viaPhonemizer = errorOf([&] { phonemizer.phonemize(over); });
  EXPECT_EQ(viaPhonemizer.code(), ErrorCode::kTextTooLong);
  EXPECT_TRUE(mentions(viaPhonemizer, limits::kMaxTextChars)) << viaPhonemizer.what();
}

TEST(Limits, ModelOverTheLimitIsInvalidModel) {
  // Not zeroed (new[] default-initialises): the size is rejected before a byte is read, so the
  // 256 MiB are never touched and stay unmapped.
  const size_t size = limits::kMaxVoiceModelBytes + 1;
  const std::unique_ptr<uint8_t[]> bytes(new uint8_t[size]);
  const Error e = errorOf([&] { patchModelForTimings(bytes.get(), size); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
  EXPECT_TRUE(mentions(e, limits::kMaxVoiceModelBytes)) << e.what();
}

TEST(Limits, AssetOverTheDefaultLimitIsAConstraint) {
  store::Store store(":memory:");
  const std::vector<uint8_t> atLimit(static_cast<size_t>(limits::kDefaultMaxAssetBytes), 1);
  EXPECT_NO_THROW(store.assets().create("ok.bin", "application/octet-stream", atLimit));
  const std::vector<uint8_t> over(atLimit.size() + 1, 1);
  const Error e =
      errorOf([&] { store.assets().create("big.bin", "application/octet-stream", over); });
  EXPECT_EQ(e.code(), ErrorCode::kConstraint);
  EXPECT_TRUE(mentions(e, limits::kDefaultMaxAssetBytes)) << e.what();
}

TEST(Limits, SentenceAudioOverTheLimitIsInvalidArgument) {
  const PhonemeIdMap map(
      std::map<std::string, std::vector<int64_t>>{{"^", {1}}, {"_", {0}}, {"$", {2}}});
  const PhonemeIds ids = map.toIds({});
  const std::vector<float> frames(ids.ids.size(), 1.0f);
  const size_t over = limits::kMaxSentenceSamples + 1;
  const Error aligned =
      errorOf([&] { alignPhonemes(ids, {}, frames.data(), frames.size(), 256, over); });
  EXPECT_EQ(aligned.code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(mentions(aligned, limits::kMaxSentenceSamples)) << aligned.what();
  const Error estimated = errorOf([&] { estimateFrames(ids, {}, 256, over); });
  EXPECT_EQ(estimated.code(), ErrorCode::kInvalidArgument);
  EXPECT_NO_THROW(estimateFrames(ids, {}, 256, limits::kMaxSentenceSamples));
}

}  // namespace
}  // namespace avatar_voice
