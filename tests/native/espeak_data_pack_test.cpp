#include "phonemize/espeak_data_pack.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "espeak_pack_builder.h"
#include "native_test_env.h"

namespace avatar_voice {
namespace {

std::vector<uint8_t> makePack(const std::vector<std::pair<std::string, std::string>>& files) {
  return testenv::makeEspeakPack(files);
}

ErrorCode codeOf(const std::vector<uint8_t>& pack) {
  try {
    readEspeakDataPack(pack.data(), pack.size());
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kInternal;
}

TEST(EspeakDataPack, ReadsAndInstallsFiles) {
  const auto pack = makePack({{"phontab", "abc"}, {"lang/gmw/en-US", "name English"}});
  const auto files = readEspeakDataPack(pack.data(), pack.size());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1].path, "lang/gmw/en-US");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(files[1].data), files[1].size), "name English");

  const testenv::TempDir dir;
  const auto root = dir.path() / "data";
  EXPECT_EQ(installEspeakDataPack(pack.data(), pack.size(), root.string()), 2u);
  std::ifstream in(root / "lang/gmw/en-US");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "name English");
}

TEST(EspeakDataPack, RejectsMalformedPacks) {
  const auto good = makePack({{"phontab", "abc"}});
  EXPECT_EQ(codeOf({}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(codeOf({'P', 'N', 'G'}), ErrorCode::kInvalidArgument);
  for (size_t cut = 0; cut < good.size(); ++cut) {
    std::vector<uint8_t> truncated(good.begin(), good.begin() + cut);
    EXPECT_EQ(codeOf(truncated), ErrorCode::kInvalidArgument) << "cut at " << cut;
  }
  auto trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(codeOf(trailing), ErrorCode::kInvalidArgument);
  for (const char* bad : {"../etc/passwd", "/abs", "a/../b", "a//b", "./x", "dir/"})
    EXPECT_EQ(codeOf(makePack({{bad, "x"}})), ErrorCode::kInvalidArgument) << bad;
}

TEST(EspeakDataPack, NothingIsWrittenWhenAnyEntryIsBad) {
  auto pack = makePack({{"good", "x"}, {"../bad", "y"}});
  const testenv::TempDir dir;
  const auto root = dir.path() / "data";
  EXPECT_THROW(installEspeakDataPack(pack.data(), pack.size(), root.string()), Error);
  EXPECT_FALSE(std::filesystem::exists(root / "good"));
}

}  // namespace
}  // namespace avatar_voice
