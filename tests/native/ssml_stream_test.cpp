// SSML through a SpeechStream: <break> pauses as exact silence without a model run, <prosody rate>
// as the request's length scale, <mark>s placed at the next word's first sample (the oracle: the
// same words as plain text, aligned by the same frames), offsets into the markup, and typed
// INVALID_SSML errors with their offset before any model input exists.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "error_of.h"
#include "native_test_env.h"
#include "synth/speech_stream.h"

namespace avatar_voice {
namespace {

// 16 kHz, hop 256 (the default); the phonemes of "hi" and "go" only, ids chosen by hand.
constexpr const char* kVoice = R"({
  "audio": {"sample_rate": 16000},
  "espeak": {"voice": "en-us"},
  "num_symbols": 40,
  "inference": {"noise_scale": 0.5, "length_scale": 1.25, "noise_w": 0.75},
  "phoneme_id_map": {
    "_": [0], "^": [1], "$": [2], " ": [3], ".": [4], "!": [5], ",": [6],
    "h": [10], "ˈ": [11], "a": [12], "ɪ": [13], "ɡ": [14], "o": [15], "ʊ": [16]
  }
})";

const PiperVoice& voice() {
  static const PiperVoice v = PiperVoice::fromConfigJson(kVoice);
  return v;
}

SpeechStream ssmlStream(const std::string& markup) {
  Phonemizer phonemizer(testenv::engine());
  SpeechOptions options;
  options.ssml = true;
  return SpeechStream(voice(), phonemizer, markup, options);
}

SpeechStream textStream(const std::string& text) {
  Phonemizer phonemizer(testenv::engine());
  return SpeechStream(voice(), phonemizer, text, SpeechOptions{});
}

// The model's side of a request: two frames per id, hop 256, silent audio of exactly that length.
SpeechChunk runModel(SpeechStream& stream, const ModelRequest& request) {
  const std::vector<float> frames(request.ids.size(), 2.0f);
  return stream.finish(request.sentence, std::vector<float>(frames.size() * 2 * 256, 0.0f),
                       frames.data(), frames.size());
}

// Start sample of the first phoneme whose text starts at `textStart`.
int64_t startOfWordAt(const SpeechChunk& chunk, int32_t textStart) {
  for (const AlignedPhoneme& p : chunk.alignment.phonemes)
    if (p.textStart == textStart) return p.startSample;
  ADD_FAILURE() << "no phoneme at text offset " << textStart;
  return -1;
}

TEST(SsmlStream, ABreakIsAPauseRequestOfExactSilenceWithoutModelInput) {
  const std::string markup = "Hi.<break time=\"250ms\"/>Go!";
  SpeechStream stream = ssmlStream(markup);
  ASSERT_EQ(stream.sentenceCount(), 3u);
  const std::optional<ModelRequest> hi = stream.next();
  const std::optional<ModelRequest> pause = stream.next();
  const std::optional<ModelRequest> go = stream.next();
  ASSERT_TRUE(hi && pause && go);
  EXPECT_EQ(hi->pauseSamples, 0);
  EXPECT_FALSE(hi->ids.empty());
  EXPECT_EQ(pause->pauseSamples, 4000);  // 250 ms at 16 kHz
  EXPECT_TRUE(pause->ids.empty());
  EXPECT_EQ(go->pauseSamples, 0);

  const SpeechChunk silence = stream.finish(1, {}, nullptr, 0);
  EXPECT_TRUE(silence.pause);
  ASSERT_EQ(silence.samples.size(), 4000u);
  for (float s : silence.samples) ASSERT_EQ(s, 0.0f);
  EXPECT_EQ(silence.sentenceSamples, 4000);
  EXPECT_TRUE(silence.alignment.phonemes.empty());
  ASSERT_EQ(silence.visemes.size(), 1u);
  EXPECT_EQ(silence.visemes[0].startSample, 0);
  EXPECT_EQ(silence.visemes[0].endSample, 4000);
  // The pause's span is its element in the markup: bytes 3..24.
  EXPECT_EQ(markup.substr(silence.textStart, silence.textEnd - silence.textStart),
            "<break time=\"250ms\"/>");
}

TEST(SsmlStream, ProsodyRateDividesTheLengthScaleOfItsSentencesOnly) {
  SpeechStream stream = ssmlStream("<prosody rate=\"200%\">Hi.</prosody> Go!");
  const std::optional<ModelRequest> fast = stream.next();
  const std::optional<ModelRequest> normal = stream.next();
  ASSERT_TRUE(fast && normal);
  EXPECT_DOUBLE_EQ(fast->lengthScale, 0.625);  // the voice's 1.25 / 2
  EXPECT_DOUBLE_EQ(normal->lengthScale, 1.25);
}

TEST(SsmlStream, AMarkFiresAtTheFirstSampleOfTheNextWord) {
  // Oracle: the same sentence as plain text, aligned by the same frames; "go" starts at byte 3.
  SpeechStream plain = textStream("Hi go.");
  const SpeechChunk plainChunk = runModel(plain, *plain.next());
  const int64_t goStarts = startOfWordAt(plainChunk, 3);
  ASSERT_GT(goStarts, 0);

  const std::string markup = "Hi <mark name=\"m\"/>go.";
  SpeechStream stream = ssmlStream(markup);
  ASSERT_EQ(stream.sentenceCount(), 1u);
  const SpeechChunk chunk = runModel(stream, *stream.next());
  ASSERT_EQ(chunk.marks.size(), 1u);
  EXPECT_EQ(chunk.marks[0].name, "m");
  EXPECT_EQ(chunk.marks[0].sample, goStarts);
  EXPECT_EQ(chunk.marks[0].textOffset, 3);
  // "go" is highlighted where it stands in the markup (byte 19), not where it would in plain text.
  EXPECT_EQ(startOfWordAt(chunk, 19), goStarts);
}

TEST(SsmlStream, MarksBeforeABreakAndAtTheEndFireAtTheEdgesOfTheSpeech) {
  const std::string markup =
      "Hi.<mark name=\"a\"/><break time=\"100ms\"/><mark name=\"b\"/>Go!<mark name=\"c\"/>";
  SpeechStream stream = ssmlStream(markup);
  ASSERT_EQ(stream.sentenceCount(), 3u);
  const SpeechChunk hi = runModel(stream, *stream.next());
  EXPECT_TRUE(hi.marks.empty());
  stream.next();
  const SpeechChunk pause = stream.finish(1, {}, nullptr, 0);
  ASSERT_EQ(pause.marks.size(), 1u);
  EXPECT_EQ(pause.marks[0].name, "a");
  EXPECT_EQ(pause.marks[0].sample, 0);  // where the silence starts: "Hi." has ended
  const SpeechChunk go = runModel(stream, *stream.next());
  ASSERT_EQ(go.marks.size(), 2u);
  EXPECT_EQ(go.marks[0].name, "b");
  // "Go" is the sentence's first word: it starts after the ^ pad's span (ids ^ _: 2 x 2 frames).
  EXPECT_EQ(go.marks[0].sample, 4 * 256);
  EXPECT_EQ(go.marks[1].name, "c");
  EXPECT_EQ(go.marks[1].sample, go.sentenceSamples);
  EXPECT_EQ(go.marks[1].textOffset, static_cast<int32_t>(markup.rfind("<mark")));
}

TEST(SsmlStream, WindowsCarryTheMarksThatFallInThem) {
  SpeechStream stream = ssmlStream("Hi hi <mark name=\"m\"/>go go.");
  const std::optional<ModelRequest> request = stream.next();
  ASSERT_TRUE(request);
  const std::vector<float> frames(request->ids.size(), 2.0f);
  const auto total = static_cast<int64_t>(frames.size() * 2);
  // Windows of at least one frame: cut at every word boundary.
  const std::vector<FrameWindow> windows =
      stream.beginWindows(0, frames.data(), frames.size(), total, WindowPlanOptions{1, 1, 1, 1});
  ASSERT_GE(windows.size(), 4u);
  std::vector<int64_t> found;
  for (size_t w = 0; w < windows.size(); ++w) {
    const size_t n = static_cast<size_t>(windows[w].endFrame - windows[w].startFrame) * 256;
    const SpeechChunk chunk = stream.finishWindow(0, w, std::vector<float>(n, 0.0f));
    for (const ChunkMark& m : chunk.marks) found.push_back(chunk.sampleOffset + m.sample);
  }
  // The whole sentence, as one chunk, places it at the third word's start: once, same sample.
  SpeechStream whole = ssmlStream("Hi hi <mark name=\"m\"/>go go.");
  const SpeechChunk chunk = runModel(whole, *whole.next());
  ASSERT_EQ(chunk.marks.size(), 1u);
  EXPECT_EQ(found, std::vector<int64_t>{chunk.marks[0].sample});
}

TEST(SsmlStream, OffsetsPointIntoTheMarkup) {
  const std::string markup = "<speak>Hi <sub alias=\"go\">HI</sub>.</speak>";
  SpeechStream stream = ssmlStream(markup);
  const SpeechChunk chunk = runModel(stream, *stream.next());
  EXPECT_EQ(chunk.textStart, 7);  // "Hi" after <speak>
  EXPECT_EQ(markup.substr(chunk.textStart, 2), "Hi");
  // The alias is spoken ("go": ɡ ˈ o ʊ) and highlights the text it stands for: "HI" at byte 26,
  // through the "." that ends its word (espeak's words carry their punctuation, as in plain text).
  bool sawAlias = false;
  for (const AlignedPhoneme& p : chunk.alignment.phonemes)
    if (p.phoneme == "ɡ") {
      sawAlias = true;
      EXPECT_EQ(p.textStart, 26);
      EXPECT_EQ(markup.substr(p.textStart, p.textEnd - p.textStart), "HI</sub>.");
    }
  EXPECT_TRUE(sawAlias);
}

// A year-first date is spoken month first; the sentence still spans the whole date and every
// phoneme span is ordered (an inverted span was ssml_speech_fuzz's CI finding).
TEST(SsmlStream, ADateSpokenOutOfSourceOrderKeepsOrderedSpans) {
  const std::string markup = "<say-as interpret-as=\"date\" format=\"ymd\">2026/12/3</say-as>. Go";
  SpeechStream stream = ssmlStream(markup);
  const SpeechChunk chunk = runModel(stream, *stream.next());
  EXPECT_EQ(markup.substr(chunk.textStart, chunk.textEnd - chunk.textStart),
            "2026/12/3</say-as>. ");  // words carry their punctuation and space, as in plain text
  ASSERT_FALSE(chunk.alignment.phonemes.empty());
  for (const AlignedPhoneme& p : chunk.alignment.phonemes) {
    if (p.textStart < 0) continue;
    EXPECT_LE(p.textStart, p.textEnd) << p.phoneme;
    EXPECT_GE(p.textStart, 41);
    EXPECT_LE(p.textEnd, 61);
  }
}

TEST(SsmlStream, MalformedMarkupIsRefusedWithItsOffsetBeforeAnyModelInput) {
  Phonemizer phonemizer(testenv::engine());
  SpeechOptions options;
  options.ssml = true;
  const Error e = errorOf([&] { SpeechStream(voice(), phonemizer, "Hi <s>go.", options); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidSsml);
  EXPECT_EQ(e.offset(), 3);  // the unclosed <s>
  // The same text without ssml is plain text: "<s>" is read, nothing refused.
  EXPECT_NO_THROW(textStream("Hi <s>go."));
}

TEST(SsmlStream, BreaksAddingUpToMoreThanTenMinutesAreRefusedAtTheOneThatCrossesIt) {
  // 60 breaks of 10 s are the limit; the 61st crosses it.
  std::string markup = "Hi.";
  for (int i = 0; i < 60; ++i) markup += "<break time=\"10s\"/>";
  EXPECT_NO_THROW(ssmlStream(markup));
  const size_t crossing = markup.size();
  markup += "<break time=\"1ms\"/>Go!";
  const Error e = errorOf([&] { ssmlStream(markup); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidSsml);
  EXPECT_EQ(e.offset(), static_cast<int64_t>(crossing));
}

}  // namespace
}  // namespace avatar_voice
