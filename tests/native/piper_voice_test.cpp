// PiperVoice: plan() (text → id sentences) and finish() (model output → chunk), with every
// expected value worked out by hand here rather than taken from the code under test.
#include "synth/piper_voice.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "error_of.h"
#include "native_test_env.h"

namespace avatar_voice {
namespace {

// Ids chosen by hand (not Piper's, so nothing can pass by sharing a table with the code).
constexpr const char* kConfig = R"({
  "audio": {"sample_rate": 16000},
  "espeak": {"voice": "en-us"},
  "phoneme_type": "espeak",
  "num_symbols": 40,
  "phoneme_id_map": {
    "_": [0], "^": [1], "$": [2], " ": [3], ".": [4], "!": [5],
    "h": [10], "ˈ": [11], "a": [12], "ɪ": [13], "ɡ": [14], "o": [15], "ʊ": [16]
  }
})";

PiperVoice voice() { return PiperVoice::fromConfigJson(kConfig); }

std::vector<std::string> symbols(const SentencePlan& plan) {
  std::vector<std::string> out;
  for (const Phoneme& p : plan.phonemes) out.push_back(p.symbol);
  return out;
}

TEST(PiperVoicePlan, SplitsSentencesAndLaysOutIdsLikePiper) {
  Phonemizer phonemizer(testenv::engine());
  const std::string text = "Hi. Go!";
  const std::vector<SentencePlan> plans = voice().plan(phonemizer, text);
  ASSERT_EQ(plans.size(), 2u);

  // espeak-ng 1.52 en-us: "Hi" = hˈaɪ, "Go" = ɡˈoʊ; Piper appends the clause terminator.
  EXPECT_EQ(symbols(plans[0]), (std::vector<std::string>{"h", "ˈ", "a", "ɪ", "."}));
  EXPECT_EQ(symbols(plans[1]), (std::vector<std::string>{"ɡ", "ˈ", "o", "ʊ", "!"}));
  // ^ _ then each phoneme's id followed by a pad, then $.
  EXPECT_EQ(plans[0].ids.ids, (std::vector<int64_t>{1, 0, 10, 0, 11, 0, 12, 0, 13, 0, 4, 0, 2}));
  EXPECT_EQ(plans[1].ids.ids, (std::vector<int64_t>{1, 0, 14, 0, 11, 0, 15, 0, 16, 0, 5, 0, 2}));
  EXPECT_TRUE(plans[0].ids.warnings.empty());
  // Sentence spans are byte ranges of the text (the space between sentences may go with the
  // first one: only the words matter for highlighting).
  auto span = [&](const SentencePlan& p) { return text.substr(p.textStart, p.textEnd - p.textStart); };
  EXPECT_EQ(span(plans[0]).substr(0, 3), "Hi.");
  EXPECT_LE(plans[0].textEnd, 4);
  EXPECT_EQ(span(plans[1]), "Go!");
}

TEST(PiperVoicePlan, SkipsUnknownPhonemesWithAWarningAndDropsEmptySentences) {
  Phonemizer phonemizer(testenv::engine());
  // "Hit" is hˈɪt: the voice has no "t", so it is skipped and named in a warning.
  const std::vector<SentencePlan> plans = voice().plan(phonemizer, "Hit.");
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].ids.ids, (std::vector<int64_t>{1, 0, 10, 0, 11, 0, 13, 0, 4, 0, 2}));
  ASSERT_EQ(plans[0].ids.warnings.size(), 1u);
  EXPECT_NE(plans[0].ids.warnings[0].find('t'), std::string::npos) << plans[0].ids.warnings[0];
  // A sentence made only of phonemes the voice lacks would be ^ _ $: nothing to synthesize.
  EXPECT_TRUE(voice().plan(phonemizer, "[[θθ]]").empty());
}

TEST(PiperVoicePlan, RefusesNonEspeakVoices) {
  Phonemizer phonemizer(testenv::engine());
  std::string config = kConfig;
  config.replace(config.find("\"espeak\","), 9, "\"text\",  ");
  const PiperVoice textVoice = PiperVoice::fromConfigJson(config);
  EXPECT_EQ(errorOf([&] { textVoice.plan(phonemizer, "Hi."); }).code(), ErrorCode::kInvalidVoiceConfig);
}

// A plan for "Hi." without the phonemizer: ^ _ h _ ˈ _ a _ ɪ _ . _ $ (13 ids, 5 phonemes).
SentencePlan hiPlan() {
  Phonemizer phonemizer(testenv::engine());
  return voice().plan(phonemizer, "Hi.").at(0);
}

std::vector<float> audioOf(std::initializer_list<float> head, size_t size) {
  std::vector<float> audio(head);
  audio.resize(size, 0.0f);
  return audio;
}

TEST(PiperVoiceFinish, NormalisesToPeakThenAppliesVolumeThenClips) {
  const SentencePlan plan = hiPlan();
  FinishOptions options;  // normalize on, volume 1
  // Peak |-0.5| → gain 2.
  SpeechChunk chunk = voice().finish(plan, audioOf({0.25f, -0.5f, 0.1f}, 512), nullptr, 0, options);
  EXPECT_FLOAT_EQ(chunk.samples[0], 0.5f);
  EXPECT_FLOAT_EQ(chunk.samples[1], -1.0f);
  EXPECT_FLOAT_EQ(chunk.samples[2], 0.2f);
  EXPECT_EQ(chunk.sampleRate, 16000);
  EXPECT_EQ(chunk.samples.size(), 512u);

  options.volume = 0.5f;  // gain 2 × 0.5
  chunk = voice().finish(plan, audioOf({0.25f, -0.5f, 0.1f}, 512), nullptr, 0, options);
  EXPECT_FLOAT_EQ(chunk.samples[0], 0.25f);
  EXPECT_FLOAT_EQ(chunk.samples[1], -0.5f);

  options.normalize = false;  // volume only, then clip to [-1, 1]
  options.volume = 3.0f;
  chunk = voice().finish(plan, audioOf({0.25f, -0.5f, 0.1f}, 512), nullptr, 0, options);
  EXPECT_FLOAT_EQ(chunk.samples[0], 0.75f);
  EXPECT_FLOAT_EQ(chunk.samples[1], -1.0f);
  EXPECT_FLOAT_EQ(chunk.samples[2], 0.3f);
}

TEST(PiperVoiceFinish, SilenceStaysSilentAndNonFiniteSamplesBecomeZero) {
  const SentencePlan plan = hiPlan();
  SpeechChunk silent = voice().finish(plan, std::vector<float>(512, 0.0f), nullptr, 0, {});
  for (float s : silent.samples) ASSERT_EQ(s, 0.0f);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  // NaN and ±inf are dropped before the peak is taken: the peak is 0.2, gain 5.
  SpeechChunk chunk = voice().finish(plan, audioOf({nan, 0.2f, inf, -inf, -0.1f}, 512), nullptr, 0, {});
  EXPECT_EQ(chunk.samples[0], 0.0f);
  EXPECT_FLOAT_EQ(chunk.samples[1], 1.0f);
  EXPECT_EQ(chunk.samples[2], 0.0f);
  EXPECT_EQ(chunk.samples[3], 0.0f);
  EXPECT_FLOAT_EQ(chunk.samples[4], -0.5f);
}

std::vector<int64_t> ends(const SpeechChunk& chunk) {
  std::vector<int64_t> out;
  for (const AlignedPhoneme& a : chunk.alignment.phonemes) out.push_back(a.endSample);
  return out;
}

TEST(PiperVoiceFinish, ModelFramesGivePiperSpans) {
  const SentencePlan plan = hiPlan();
  //                        ^  _  h  _  ˈ  _  a  _  ɪ  _  .  _  $
  const std::vector<float> f{1, 2, 3, 0, 0, 1, 4, 1, 2, 0, 1, 1, 2};
  // Spans (frames): ^ 1+2, h 3+0, ˈ 0+1, a 4+1, ɪ 2+0, . 1+1, $ 2 → 18 frames × 256 samples.
  SpeechChunk chunk = voice().finish(plan, std::vector<float>(18 * 256, 0.1f), f.data(), f.size(), {});
  EXPECT_FALSE(chunk.estimatedTiming);
  EXPECT_TRUE(chunk.alignment.exact);
  ASSERT_EQ(chunk.alignment.phonemes.size(), 7u);
  EXPECT_EQ(chunk.alignment.phonemes[0].phoneme, "^");
  EXPECT_EQ(chunk.alignment.phonemes[3].phoneme, "a");
  EXPECT_EQ(chunk.alignment.phonemes[6].phoneme, "$");
  EXPECT_EQ(ends(chunk), (std::vector<int64_t>{768, 1536, 1792, 3072, 3584, 4096, 4608}));
  // Visemes follow the same clock: they end with the audio (16 kHz → 288 ms).
  ASSERT_FALSE(chunk.visemes.empty());
  EXPECT_NEAR(chunk.visemes.back().endMs, 4608 * 1000.0 / 16000, 1e-6);
}

TEST(PiperVoiceFinish, FramesThatDoNotFitAreInexactOrTyped) {
  const SentencePlan plan = hiPlan();
  const std::vector<float> f{1, 2, 3, 0, 0, 1, 4, 1, 2, 0, 1, 1, 2};
  // One frame more audio than the durations say: the last span absorbs it, exact is false.
  SpeechChunk chunk = voice().finish(plan, std::vector<float>(19 * 256, 0.1f), f.data(), f.size(), {});
  EXPECT_FALSE(chunk.alignment.exact);
  EXPECT_EQ(chunk.alignment.phonemes.back().startSample, 4096);
  EXPECT_EQ(chunk.alignment.phonemes.back().endSample, 19 * 256);
  // One duration short of the ids: a broken model, typed.
  EXPECT_EQ(errorOf([&] { voice().finish(plan, std::vector<float>(256), f.data(), f.size() - 1, {}); }).code(),
            ErrorCode::kInvalidModel);
}

TEST(PiperVoiceCheckIds, RejectsIdsOutsideTheEmbeddingTable) {
  PhonemeIds ids;
  ids.ids = {1, 0, 39, 0, 2};
  EXPECT_NO_THROW(voice().checkIds(ids));
  ids.ids[2] = 40;  // num_symbols is 40
  EXPECT_EQ(errorOf([&] { voice().checkIds(ids); }).code(), ErrorCode::kInvalidVoiceConfig);
}

}  // namespace
}  // namespace avatar_voice
