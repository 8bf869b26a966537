// Builds espeak-ng data packs in the package's format (src/phonemize/espeak_data_pack.h:
// "AVESPK01", file count, then per file a 16-bit path length, the path, a 32-bit size and the
// bytes; little-endian) for the pack tests.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace avatar_voice::testenv {

template <typename Bytes>
std::vector<uint8_t> makeEspeakPack(const std::vector<std::pair<std::string, Bytes>>& files) {
  std::vector<uint8_t> out = {'A', 'V', 'E', 'S', 'P', 'K', '0', '1'};
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  u32(static_cast<uint32_t>(files.size()));
  for (const auto& [path, data] : files) {
    out.push_back(static_cast<uint8_t>(path.size()));
    out.push_back(static_cast<uint8_t>(path.size() >> 8));
    out.insert(out.end(), path.begin(), path.end());
    u32(static_cast<uint32_t>(data.size()));
    out.insert(out.end(), data.begin(), data.end());
  }
  return out;
}

}  // namespace avatar_voice::testenv
