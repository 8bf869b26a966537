// SpeechStream: one utterance's plans and options in the core. Everything that can refuse the
// utterance (scales, speaker, text) refuses it at construction; then one request per sentence,
// in order, and each model output back as that sentence's chunk.
#include "synth/speech_stream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "error_of.h"
#include "native_test_env.h"

namespace avatar_voice {
namespace {

// Ids chosen by hand, as in piper_voice_test.cpp; three speakers, the default is 2, and the name
// "1" maps to id 0 (LibriTTS-style numeric names win over ids).
constexpr const char* kMultiSpeaker = R"({
  "audio": {"sample_rate": 16000},
  "espeak": {"voice": "en-us"},
  "num_symbols": 40,
  "num_speakers": 3,
  "default_speaker_id": 2,
  "speaker_id_map": {"alice": 1, "1": 0},
  "inference": {"noise_scale": 0.5, "length_scale": 1.25, "noise_w": 0.75},
  "phoneme_id_map": {
    "_": [0], "^": [1], "$": [2], " ": [3], ".": [4], "!": [5],
    "h": [10], "ˈ": [11], "a": [12], "ɪ": [13], "ɡ": [14], "o": [15], "ʊ": [16]
  }
})";

std::string singleSpeakerConfig() {
  std::string config = kMultiSpeaker;
  const size_t from = config.find("\"num_speakers\"");
  const size_t to = config.find("\"inference\"");
  return config.erase(from, to - from);
}

const PiperVoice& multiVoice() {
  static const PiperVoice voice = PiperVoice::fromConfigJson(kMultiSpeaker);
  return voice;
}

const PiperVoice& singleVoice() {
  static const PiperVoice voice = PiperVoice::fromConfigJson(singleSpeakerConfig());
  return voice;
}

SpeechStream streamOf(const PiperVoice& voice, const std::string& text,
                      const SpeechOptions& options = {}) {
  Phonemizer phonemizer(testenv::engine());
  return SpeechStream(voice, phonemizer, text, options);
}

TEST(SpeechStream, HandsOutOneWholeSentenceRequestPerSentenceInOrder) {
  SpeechStream stream = streamOf(multiVoice(), "Hi. Go!");
  ASSERT_EQ(stream.sentenceCount(), 2u);
  EXPECT_FALSE(stream.done());

  const std::optional<ModelRequest> first = stream.next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->sentence, 0);
  EXPECT_EQ(first->sampleOffset, 0);
  EXPECT_TRUE(first->endsSentence);
  // ^ _ h _ ˈ _ a _ ɪ _ . _ $
  EXPECT_EQ(first->ids, (std::vector<int64_t>{1, 0, 10, 0, 11, 0, 12, 0, 13, 0, 4, 0, 2}));
  // The voice's inference defaults and default speaker.
  EXPECT_DOUBLE_EQ(first->noiseScale, 0.5);
  EXPECT_DOUBLE_EQ(first->lengthScale, 1.25);
  EXPECT_DOUBLE_EQ(first->noiseW, 0.75);
  EXPECT_EQ(first->speakerId, 2);

  const std::optional<ModelRequest> second = stream.next();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->sentence, 1);
  EXPECT_EQ(second->ids, (std::vector<int64_t>{1, 0, 14, 0, 11, 0, 15, 0, 16, 0, 5, 0, 2}));
  EXPECT_TRUE(stream.done());
  EXPECT_FALSE(stream.next().has_value());
}

TEST(SpeechStream, TextWithNothingToSayIsAnEmptyStream) {
  SpeechStream stream = streamOf(multiVoice(), "[[θθ]]");
  EXPECT_EQ(stream.sentenceCount(), 0u);
  EXPECT_TRUE(stream.done());
  EXPECT_FALSE(stream.next().has_value());
}

TEST(SpeechStream, CallerScalesReplaceTheDefaultsAndAreCheckedFirst) {
  SpeechOptions options;
  options.noiseScale = 0;
  options.lengthScale = 2;
  options.noiseW = 0;
  SpeechStream stream = streamOf(multiVoice(), "Hi.", options);
  const ModelRequest request = *stream.next();
  EXPECT_EQ(request.noiseScale, 0);
  EXPECT_EQ(request.lengthScale, 2);
  EXPECT_EQ(request.noiseW, 0);

  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    std::optional<double> noise, length, noiseW;
    const char* name;
  };
  for (const Case& c : {Case{{}, inf, {}, "lengthScale"}, Case{{}, 0, {}, "lengthScale"},
                        Case{nan, {}, {}, "noiseScale"}, Case{-1, {}, {}, "noiseScale"},
                        Case{{}, {}, -inf, "noiseW"}}) {
    SpeechOptions bad;
    bad.noiseScale = c.noise;
    bad.lengthScale = c.length;
    bad.noiseW = c.noiseW;
    // Text over the limit too: the scale is refused before the text is looked at.
    bad.maxChars = 1;
    const Error e = errorOf([&] { streamOf(multiVoice(), "Hi there.", bad); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << c.name;
    EXPECT_NE(std::string(e.what()).find(c.name), std::string::npos) << e.what();
  }
}

TEST(SpeechStream, ResolvesTheSpeakerOnceWhenCreated) {
  auto speakerOf = [](const PiperVoice& voice, const std::string& speaker) {
    SpeechOptions options;
    options.speaker = speaker;
    return streamOf(voice, "Hi.", options).next()->speakerId;
  };
  EXPECT_EQ(speakerOf(multiVoice(), ""), 2);       // default_speaker_id
  EXPECT_EQ(speakerOf(multiVoice(), "alice"), 1);  // a name
  EXPECT_EQ(speakerOf(multiVoice(), "2"), 2);      // a decimal id
  EXPECT_EQ(speakerOf(multiVoice(), "1"), 0);      // a name that looks like an id wins
  for (const std::string bad : {"3", "-1", "1.5", "bob"})
    EXPECT_EQ(errorOf([&] { speakerOf(multiVoice(), bad); }).code(), ErrorCode::kInvalidArgument)
        << bad;

  // A single-speaker model has no sid input: only the default (or 0) is accepted.
  EXPECT_EQ(speakerOf(singleVoice(), ""), 0);
  EXPECT_EQ(speakerOf(singleVoice(), "0"), 0);
  const Error e = errorOf([&] { speakerOf(singleVoice(), "2"); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(e.what()).find("single speaker"), std::string::npos) << e.what();
}

TEST(SpeechStream, FinishGivesTheRequestedSentencesChunkWithTheStreamOptions) {
  SpeechOptions options;
  options.finish.normalize = false;
  options.finish.volume = 0.5f;
  const std::string text = "Hi. Go!";
  SpeechStream stream = streamOf(multiVoice(), text, options);
  // Nothing handed out yet: no output can belong to a request.
  EXPECT_EQ(errorOf([&] { stream.finish(0, std::vector<float>(256, 0.5f), nullptr, 0); }).code(),
            ErrorCode::kInvalidArgument);
  stream.next();
  stream.next();
  const SpeechChunk chunk = stream.finish(1, std::vector<float>(4096, 0.5f), nullptr, 0);
  EXPECT_EQ(chunk.sentence, 1);
  EXPECT_EQ(chunk.sampleOffset, 0);
  EXPECT_TRUE(chunk.endsSentence);
  EXPECT_EQ(text.substr(chunk.textStart, chunk.textEnd - chunk.textStart), "Go!");
  EXPECT_TRUE(chunk.warnings.empty());
  EXPECT_EQ(chunk.sampleRate, 16000);
  EXPECT_FLOAT_EQ(chunk.samples[0], 0.25f);  // no normalisation, volume 0.5
  EXPECT_TRUE(chunk.estimatedTiming);        // no frames
  EXPECT_EQ(chunk.alignment.phonemes.back().endSample, 4096);
  for (int32_t bad : {-1, 2})
    EXPECT_EQ(errorOf([&] { stream.finish(bad, std::vector<float>(256), nullptr, 0); }).code(),
              ErrorCode::kInvalidArgument);
}

TEST(SpeechStream, ChunksCarryTheirSentencesWarnings) {
  // "Hit": the voice has no "t"; the warning names it and travels with the chunk.
  SpeechStream stream = streamOf(multiVoice(), "Hit.");
  stream.next();
  const SpeechChunk chunk = stream.finish(0, std::vector<float>(2048, 0.1f), nullptr, 0);
  ASSERT_EQ(chunk.warnings.size(), 1u);
  EXPECT_NE(chunk.warnings[0].find('t'), std::string::npos) << chunk.warnings[0];
}

// Windowed decoding: the windows of one sentence give, joined, the timeline finish() gives for
// the whole sentence, with gain = volume (no peak normalisation) and each word in one window.
TEST(SpeechStreamWindows, WindowsJoinToTheSentenceTimelineWithoutNormalisation) {
  SpeechOptions options;
  options.finish.volume = 0.5f;
  SpeechStream stream = streamOf(singleVoice(), "Hi go hi go hi go.", options);
  const std::optional<ModelRequest> request = stream.next();
  ASSERT_TRUE(request);
  // Three frames per id: phoneme boundaries on whole frames, 3 x ids frames in all.
  const std::vector<float> frames(request->ids.size(), 3.0f);
  const auto total = static_cast<int64_t>(frames.size() * 3);
  const std::vector<FrameWindow> windows =
      stream.beginWindows(0, frames.data(), frames.size(), total, WindowPlanOptions{6, 9, 12});
  ASSERT_GE(windows.size(), 3u);
  EXPECT_EQ(windows.front().startFrame, 0);
  EXPECT_EQ(windows.back().endFrame, total);
  const SpeechChunk whole = stream.finish(
      0, std::vector<float>(static_cast<size_t>(total) * 256, 0.4f), frames.data(), frames.size());
  std::vector<AlignedPhoneme> joined;
  std::vector<VisemeEvent> joinedVisemes;
  for (size_t w = 0; w < windows.size(); ++w) {
    EXPECT_GE(windows[w].endFrame - windows[w].startFrame, w == 0 ? 6 : w == 1 ? 9 : 1);
    if (w > 0) {
      EXPECT_EQ(windows[w].startFrame, windows[w - 1].endFrame);
    }
    const size_t n = static_cast<size_t>(windows[w].endFrame - windows[w].startFrame) * 256;
    const SpeechChunk chunk = stream.finishWindow(0, w, std::vector<float>(n, 0.4f));
    EXPECT_EQ(chunk.sampleOffset, windows[w].startFrame * 256);
    EXPECT_EQ(chunk.endsSentence, w + 1 == windows.size());
    EXPECT_EQ(chunk.sentenceSamples, total * 256);
    EXPECT_FLOAT_EQ(chunk.samples[0], 0.2f);  // 0.4 x volume, not normalised to 0.5
    ASSERT_FALSE(chunk.alignment.phonemes.empty());
    EXPECT_EQ(chunk.alignment.phonemes.front().startSample, 0);  // windows start at a phoneme
    for (AlignedPhoneme p : chunk.alignment.phonemes) {
      p.startSample += chunk.sampleOffset;
      p.endSample += chunk.sampleOffset;
      joined.push_back(p);
    }
    for (VisemeEvent e : chunk.visemes) {
      e.startSample += chunk.sampleOffset;
      e.endSample += chunk.sampleOffset;
      joinedVisemes.push_back(e);
    }
  }
  EXPECT_FLOAT_EQ(whole.samples[0], 0.5f);  // the sentence path normalises, then volume
  ASSERT_EQ(joined.size(), whole.alignment.phonemes.size());
  for (size_t i = 0; i < joined.size(); ++i) {
    EXPECT_EQ(joined[i].phoneme, whole.alignment.phonemes[i].phoneme);
    EXPECT_EQ(joined[i].startSample, whole.alignment.phonemes[i].startSample);
    EXPECT_EQ(joined[i].endSample, whole.alignment.phonemes[i].endSample);
    EXPECT_EQ(joined[i].textStart, whole.alignment.phonemes[i].textStart);
  }
  ASSERT_EQ(joinedVisemes.size(), whole.visemes.size());
  for (size_t i = 0; i < joinedVisemes.size(); ++i) {
    EXPECT_EQ(joinedVisemes[i].viseme, whole.visemes[i].viseme);
    EXPECT_EQ(joinedVisemes[i].startSample, whole.visemes[i].startSample);
    EXPECT_EQ(joinedVisemes[i].endSample, whole.visemes[i].endSample);
  }
}

TEST(SpeechStreamWindows, LaterSentencesGetLongerWindowsAsAudioBuildsUp) {
  SpeechStream stream = streamOf(singleVoice(), "Hi go hi go hi go. Hi go hi go hi go.");
  std::vector<size_t> counts;
  for (int32_t s = 0; s < 2; ++s) {
    const std::optional<ModelRequest> request = stream.next();
    ASSERT_TRUE(request);
    const std::vector<float> frames(request->ids.size(), 4.0f);
    const auto total = static_cast<int64_t>(frames.size() * 4);
    counts.push_back(stream
                         .beginWindows(s, frames.data(), frames.size(), total,
                                       WindowPlanOptions{8, 16, 32, 1024})
                         .size());
  }
  // The same sentence twice: several windows the first time, fewer once its audio is playing
  // (the second starts with at least half the first's frames).
  EXPECT_GT(counts[0], counts[1]);
}

TEST(SpeechStreamWindows, RefusesWhatWasNotPlannedOrDoesNotFit) {
  SpeechStream stream = streamOf(singleVoice(), "Hi go. Go hi.");
  const std::vector<float> frames(64, 2.0f);
  // Nothing handed out yet, and windowed decoding needs durations.
  EXPECT_EQ(errorOf([&] { stream.beginWindows(0, frames.data(), frames.size(), 10); }).code(),
            ErrorCode::kInvalidArgument);
  const std::optional<ModelRequest> request = stream.next();
  const std::vector<float> f(request->ids.size(), 2.0f);
  const auto total = static_cast<int64_t>(f.size() * 2);
  EXPECT_EQ(errorOf([&] { stream.beginWindows(0, nullptr, 0, total); }).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(errorOf([&] { stream.beginWindows(0, f.data(), f.size(), -1); }).code(),
            ErrorCode::kInvalidArgument);
  const std::vector<FrameWindow> windows = stream.beginWindows(0, f.data(), f.size(), total);
  ASSERT_EQ(windows.size(), 2u);  // 12 frames of "Hi" then the rest
  EXPECT_EQ(errorOf([&] { stream.finishWindow(0, 0, std::vector<float>(7)); }).code(),
            ErrorCode::kInvalidModel);
  EXPECT_EQ(errorOf([&] { stream.finishWindow(0, 2, {}); }).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(errorOf([&] { stream.finishWindow(1, 0, {}); }).code(), ErrorCode::kInvalidArgument);
  // Durations that do not add up to the frames: one window over the whole sentence.
  EXPECT_EQ(stream.beginWindows(0, f.data(), f.size(), total + 3).size(), 1u);
}

TEST(PiperVoiceScales, NonFiniteAndOutOfRangeScalesAreInvalidArguments) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NO_THROW(PiperVoice::checkScales(0.667, 1.0, 0.8));
  EXPECT_NO_THROW(PiperVoice::checkScales(0, 0.1, 0));
  struct Case {
    double noise, length, noiseW;
    const char* name;
  };
  for (const Case& c : {Case{0.667, inf, 0.8, "lengthScale"}, Case{0.667, -inf, 0.8, "lengthScale"},
                        Case{0.667, nan, 0.8, "lengthScale"}, Case{0.667, 0, 0.8, "lengthScale"},
                        Case{inf, 1, 0.8, "noiseScale"}, Case{nan, 1, 0.8, "noiseScale"},
                        Case{-1, 1, 0.8, "noiseScale"}, Case{0.667, 1, inf, "noiseW"},
                        Case{0.667, 1, nan, "noiseW"}}) {
    const Error e = errorOf([&] { PiperVoice::checkScales(c.noise, c.length, c.noiseW); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << c.name;
    EXPECT_NE(std::string(e.what()).find(c.name), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace avatar_voice
