// libFuzzer target: a sample rate and arbitrary float bit patterns (NaN, infinities, denormals,
// huge values) → encodeWav16. Either Error(kInvalidArgument) for a rate <= 0, or a complete
// 44-byte-header PCM file whose every sample is the clipped, rounded input.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "audio/wav_encoder.h"
#include "byte_reader.h"
#include "core/error.h"

namespace {

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 |
         uint32_t{b[at + 3]} << 24;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace avatar_voice;
  fuzz::ByteReader in(data, size);
  const int32_t rate = in.i32();
  const std::vector<float> samples = in.floats(1 << 16);
  std::vector<uint8_t> wav;
  try {
    wav = encodeWav16(samples.empty() ? nullptr : samples.data(), samples.size(), rate);
  } catch (const Error& e) {
    AV_FUZZ_REQUIRE(e.code() == ErrorCode::kInvalidArgument && rate <= 0);
    return 0;
  }
  AV_FUZZ_REQUIRE(rate > 0);
  AV_FUZZ_REQUIRE(wav.size() == 44 + 2 * samples.size());
  AV_FUZZ_REQUIRE(std::equal(wav.begin(), wav.begin() + 4, "RIFF"));
  AV_FUZZ_REQUIRE(le32(wav, 4) == wav.size() - 8);
  AV_FUZZ_REQUIRE(le32(wav, 24) == static_cast<uint32_t>(rate));
  AV_FUZZ_REQUIRE(le32(wav, 28) == 2 * static_cast<uint64_t>(rate));
  AV_FUZZ_REQUIRE(le32(wav, 40) == 2 * samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    const auto got = static_cast<int16_t>(wav[44 + 2 * i] | wav[45 + 2 * i] << 8);
    const float s = samples[i];
    const double expected = std::isfinite(s) ? std::clamp(s, -1.0f, 1.0f) * 32767.0 : 0.0;
    AV_FUZZ_REQUIRE(std::fabs(got - expected) <= 0.5 + 1e-3);
  }
  return 0;
}
