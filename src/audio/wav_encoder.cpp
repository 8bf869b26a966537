#include "audio/wav_encoder.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace avatar_voice {
namespace {

void putU32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void putU16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}
void putTag(std::vector<uint8_t>& out, const char* tag) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(tag[i]));
}

}  // namespace

std::vector<uint8_t> encodeWav16(const float* samples, size_t count, int sampleRate) {
  if (sampleRate <= 0)
    throw Error(ErrorCode::kInvalidArgument, "sample rate must be positive, got " + std::to_string(sampleRate));
  constexpr size_t kMaxSamples = (0xFFFFFFFFu - 36) / 2;
  if (count > kMaxSamples) throw Error(ErrorCode::kInvalidArgument, "audio too long for a WAV file");
  if (samples == nullptr && count > 0) throw Error(ErrorCode::kInvalidArgument, "null samples");
  const auto dataBytes = static_cast<uint32_t>(count * 2);
  std::vector<uint8_t> out;
  out.reserve(44 + dataBytes);
  putTag(out, "RIFF");
  putU32(out, 36 + dataBytes);
  putTag(out, "WAVE");
  putTag(out, "fmt ");
  putU32(out, 16);                                    // PCM header size
  putU16(out, 1);                                     // PCM
  putU16(out, 1);                                     // mono
  putU32(out, static_cast<uint32_t>(sampleRate));
  putU32(out, static_cast<uint32_t>(sampleRate) * 2);  // byte rate
  putU16(out, 2);                                     // block align
  putU16(out, 16);                                    // bits per sample
  putTag(out, "data");
  putU32(out, dataBytes);
  for (size_t i = 0; i < count; ++i) {
    const float s = std::isfinite(samples[i]) ? std::clamp(samples[i], -1.0f, 1.0f) : 0.0f;
    putU16(out, static_cast<uint16_t>(static_cast<int16_t>(std::lround(s * 32767.0f))));
  }
  return out;
}

}  // namespace avatar_voice
