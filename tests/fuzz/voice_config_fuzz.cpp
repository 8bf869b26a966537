// libFuzzer entry: arbitrary bytes as a Piper voice config, then through the whole config path.
//
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc
//       tests/fuzz/voice_config_fuzz.cpp src/voice/voice_config.cpp src/voice/phoneme_id_map.cpp
//   ./a.out -max_len=65536 corpus/
//
// The only acceptable failure is a typed Error for a bad file or a bad speaker;
// ErrorCode::kInternal means a check was missed (a library exception escaped validation), so it
// aborts as a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "voice/phoneme_id_map.h"
#include "voice/voice_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using avatar_voice::Error;
  using avatar_voice::ErrorCode;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const avatar_voice::VoiceConfig config = avatar_voice::VoiceConfig::parse(bytes);
    (void)config.toJson();
    try {
      (void)config.speakerIdFor(std::string(bytes.substr(0, 8)));
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidArgument) std::abort();
    }

    // Every key of the voice, one unknown symbol and the raw input bytes as phonemes.
    const avatar_voice::PhonemeIdMap map(config);
    std::vector<avatar_voice::Phoneme> sentence;
    int32_t offset = 0;
    for (const auto& entry : config.phonemeIdMap) {
      sentence.push_back({entry.first, offset, offset + 1});
      ++offset;
    }
    sentence.push_back({"\xFF", -1, -1});
    for (size_t i = 0; i < size && i < 64; ++i)
      sentence.push_back({std::string(1, bytes[i]), -1, -1});
    const avatar_voice::PhonemeIds ids = map.toIds(sentence);
    if (ids.ids.size() != ids.origins.size() || ids.ids.size() < 3) std::abort();
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInternal) std::abort();
  }
  return 0;
}
