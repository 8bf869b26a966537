#include "voice/part_digest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace avatar_voice::voice {
namespace {

std::string digestOf(const std::vector<uint8_t>& bytes) {
  PartDigest digest;
  digest.update(bytes.data(), bytes.size());
  return digest.hex();
}

// What xxHash's own CLI (Debian's xxhash package, scripts/setup.sh) prints for `path`.
std::string xxh128sum(const std::string& path) {
  FILE* pipe = popen(("xxh128sum '" + path + "'").c_str(), "r");
  if (!pipe) return "";
  char line[256] = {};
  const bool read = fgets(line, sizeof line, pipe) != nullptr;
  pclose(pipe);
  return read ? std::string(line).substr(0, 32) : "";
}

TEST(PartDigest, KnownValuesFromTheReferenceCli) {
  // `printf '' | xxh128sum` and `printf abc | xxh128sum` (xxHash 0.8.1).
  EXPECT_EQ(digestOf({}), "99aa06d3014798d86001c324468d497f");
  EXPECT_EQ(digestOf({'a', 'b', 'c'}), "06b05ab6733a618578af5f94892f3950");
}

TEST(PartDigest, MatchesTheReferenceCliOnALargeFileFedInUnevenPieces) {
  std::mt19937 random(23);
  std::vector<uint8_t> bytes(3 * 1024 * 1024 + 77);
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(random());
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "av_part_digest_test.bin";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const std::string expected = xxh128sum(path.string());
  std::filesystem::remove(path);
  ASSERT_EQ(expected.size(), 32u) << "xxh128sum (apt package xxhash) is needed: run scripts/setup.sh";

  EXPECT_EQ(digestOf(bytes), expected);
  PartDigest pieces;
  for (size_t at = 0, step = 1; at < bytes.size(); at += step, step = step * 3 + 1) {
    pieces.update(bytes.data() + at, std::min(step, bytes.size() - at));
  }
  EXPECT_EQ(pieces.hex(), expected);
}

TEST(PartDigest, OneFlippedBitChangesTheDigest) {
  std::vector<uint8_t> bytes(100000, 7);
  const std::string intact = digestOf(bytes);
  bytes[54321] ^= 0x10;
  EXPECT_NE(digestOf(bytes), intact);
}

}  // namespace
}  // namespace avatar_voice::voice
