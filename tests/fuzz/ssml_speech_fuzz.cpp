// libFuzzer target: arbitrary bytes as SSML → SpeechStream (parseSsml, then PiperVoice::plan of
// the script: each run through the real phonemizer, offsets mapped back into the markup, pauses,
// rates and marks), then every request finished with a made-up model output.
// Needs the compiled espeak-ng data (AV_ESPEAK_DATA_ROOT, as phonemizer_fuzz).
//
// Contract checked: the only errors are INVALID_SSML (offset inside the input), INVALID_UTF8 and
// TEXT_TOO_LONG; every sentence and phoneme span and every mark lies inside the markup; a pause
// request has no ids and its chunk is exactly its silence; a sentence's length scale is the
// voice's ÷ a rate in [0.25, 4]; each mark is placed once, inside its chunk.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "byte_reader.h"
#include "core/error.h"
#include "phonemize/espeak_engine.h"
#include "phonemize/phonemizer.h"
#include "synth/speech_stream.h"

namespace {

using namespace avatar_voice;

// Every phoneme espeak-ng's English gives, each its own id: plans keep all of them.
const PiperVoice& voice() {
  static const PiperVoice instance = PiperVoice::fromConfigJson(R"({
    "audio": {"sample_rate": 16000}, "espeak": {"voice": "en-us"}, "num_symbols": 256,
    "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8},
    "phoneme_id_map": {"_": [0], "^": [1], "$": [2], " ": [3], ".": [4], ",": [5], "?": [6],
      "!": [7], "a": [8], "b": [9], "d": [10], "e": [11], "f": [12], "h": [13], "i": [14],
      "j": [15], "k": [16], "l": [17], "m": [18], "n": [19], "o": [20], "p": [21], "r": [22],
      "s": [23], "t": [24], "u": [25], "v": [26], "w": [27], "z": [28], "ɐ": [29], "ə": [30],
      "ɪ": [31], "ʊ": [32], "ˈ": [33], "ˌ": [34], "ː": [35], "ð": [36], "θ": [37], "ʃ": [38],
      "ŋ": [39], "ɹ": [40], "ɡ": [41], "ɛ": [42], "æ": [43], "ʌ": [44], "ɔ": [45], "ɑ": [46]}
  })");
  return instance;
}

Phonemizer& phonemizer() {
  static Phonemizer instance(EspeakEngine::initialize(AV_ESPEAK_DATA_ROOT));
  return instance;
}

void checkSpan(int32_t start, int32_t end, size_t size) {
  if (start == -1 && end == -1) return;
  AV_FUZZ_REQUIRE(start >= 0 && start <= end && static_cast<size_t>(end) <= size);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)phonemizer();
  (void)voice();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string markup(reinterpret_cast<const char*>(data), size);
  SpeechOptions options;
  options.ssml = true;
  options.maxChars = 2000;  // long inputs reach the limit; the rest stays fast
  std::optional<SpeechStream> stream;
  try {
    stream.emplace(voice(), phonemizer(), markup, options);
  } catch (const Error& e) {
    AV_FUZZ_REQUIRE(e.code() == ErrorCode::kInvalidSsml || e.code() == ErrorCode::kInvalidUtf8 ||
                    e.code() == ErrorCode::kTextTooLong);
    if (e.code() == ErrorCode::kInvalidSsml)
      AV_FUZZ_REQUIRE(e.offset() >= 0 && static_cast<size_t>(e.offset()) <= size);
    return 0;
  }
  while (const std::optional<ModelRequest> request = stream->next()) {
    const SentencePlan& plan = stream->sentence(static_cast<size_t>(request->sentence));
    checkSpan(plan.textStart, plan.textEnd, size);
    for (const Phoneme& p : plan.phonemes) checkSpan(p.textStart, p.textEnd, size);
    AV_FUZZ_REQUIRE(request->lengthScale >= 0.25 - 1e-9 && request->lengthScale <= 4 + 1e-9);
    std::vector<float> frames(request->ids.size(), 1.0f);
    const std::vector<float> audio(frames.size() * 256, 0.1f);
    if (request->pauseSamples > 0) AV_FUZZ_REQUIRE(request->ids.empty());
    const SpeechChunk chunk = stream->finish(
        request->sentence, audio, frames.empty() ? nullptr : frames.data(), frames.size());
    const auto samples = static_cast<int64_t>(chunk.samples.size());
    if (request->pauseSamples > 0) {
      AV_FUZZ_REQUIRE(chunk.pause && samples == request->pauseSamples);
      for (float s : chunk.samples) AV_FUZZ_REQUIRE(s == 0.0f);
    }
    AV_FUZZ_REQUIRE(chunk.marks.size() == plan.marks.size());
    for (const ChunkMark& m : chunk.marks) {
      AV_FUZZ_REQUIRE(m.sample >= 0 && m.sample <= samples);
      AV_FUZZ_REQUIRE(m.textOffset >= 0 && static_cast<size_t>(m.textOffset) < size);
    }
  }
  return 0;
}
