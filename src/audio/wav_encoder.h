// 16-bit PCM mono WAV from float samples.
//
//   std::vector<uint8_t> wav = encodeWav16(samples.data(), samples.size(), 22050);
//
// Samples are clipped to [-1, 1] and scaled by 32767 (Piper's MAX_WAV_VALUE). The result is a
// complete RIFF/WAVE file owned by the caller. Throws Error(kInvalidArgument) for a sample rate
// <= 0 or audio too long for a 4 GiB RIFF file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace avatar_voice {

std::vector<uint8_t> encodeWav16(const float* samples, size_t count, int sampleRate);

}  // namespace avatar_voice
