// Language packs are user-picked files: a `*_dict` must be structurally sound before espeak-ng
// trusts its offsets (issue #21, item 6), and a pack must not replace installed files.
#include "phonemize/espeak_dictionary_layout.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/error.h"
#include "espeak_pack_builder.h"
#include "error_of.h"
#include "native_test_env.h"
#include "phonemize/espeak_data_pack.h"

namespace avatar_voice {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<uint8_t> realDictionary() {
  return readFile(fs::path(AV_ESPEAK_DATA_ROOT) / "espeak-ng-data" / "en_dict");
}

std::vector<uint8_t> makePack(const std::vector<std::pair<std::string, std::vector<uint8_t>>>& files) {
  return testenv::makeEspeakPack(files);
}

void putU32(std::vector<uint8_t>& d, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) d[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t getU32(const std::vector<uint8_t>& d, size_t at) {
  return d[at] | d[at + 1] << 8 | d[at + 2] << 16 | uint32_t(d[at + 3]) << 24;
}

// The error a pack holding `dict` as "xx_dict" gets, or kInternal when it is accepted.
ErrorCode packError(const std::vector<uint8_t>& dict) {
  const std::vector<uint8_t> pack = makePack({{"xx_dict", dict}});
  try {
    readEspeakDataPack(pack.data(), pack.size());
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("xx_dict"), std::string::npos) << e.what();
    return e.code();
  }
  return ErrorCode::kInternal;
}

TEST(EspeakDictionaryLayout, RealDictionariesAreAccepted) {
  const std::vector<uint8_t> dict = realDictionary();
  ASSERT_GT(dict.size(), 100000u);
  EXPECT_NO_THROW(requireValidEspeakDictionary(dict.data(), dict.size(), "en_dict"));
  EXPECT_EQ(packError(dict), ErrorCode::kInternal);  // accepted
}

TEST(EspeakDictionaryLayout, OffsetsAndCountsBeyondTheFileAreRejected) {
  const std::vector<uint8_t> good = realDictionary();
  const uint32_t rules = getU32(good, 4);
  ASSERT_GT(rules, 1032u);
  ASSERT_LT(rules, good.size());

  std::vector<uint8_t> d = good;
  putU32(d, 4, static_cast<uint32_t>(good.size() + 4096));  // rules past the end (< 0x8000000)
  EXPECT_EQ(packError(d), ErrorCode::kInvalidArgument);
  d = good;
  putU32(d, 0, 1023);  // hash table size
  EXPECT_EQ(packError(d), ErrorCode::kInvalidArgument);
  d = good;
  putU32(d, 4, 9);  // rules inside the hash lists
  EXPECT_EQ(packError(d), ErrorCode::kInvalidArgument);
  d = good;
  std::memset(&d[8], 0xff, rules - 8);  // entries that never end
  EXPECT_EQ(packError(d), ErrorCode::kInvalidArgument);
  d = good;
  d[9] = 0x3f;  // first entry's word longer than the entry
  if (d[8] != 0 && d[8] < 0x3f + 2) EXPECT_EQ(packError(d), ErrorCode::kInvalidArgument);
  // Cut inside the rules: their strings and groups would be walked past the buffer.
  for (size_t keep : {size_t{1033}, size_t{rules} - 1, size_t{rules} + 10, good.size() - 1}) {
    const std::vector<uint8_t> cut(good.begin(), good.begin() + keep);
    EXPECT_EQ(packError(cut), ErrorCode::kInvalidArgument) << keep;
  }
  d = std::vector<uint8_t>(good.begin(), good.begin() + rules);
  for (const int b : {6, 1, 0xff, 0, 7, 0}) d.push_back(uint8_t(b));  // group "\x01\xff": groups3[254]
  EXPECT_EQ(packError(d), ErrorCode::kInvalidArgument);
  d = std::vector<uint8_t>(good.begin(), good.begin() + rules);
  for (int g = 0; g < 121; ++g)  // 121 two-letter groups: groups2[120] overflows
    for (const int b : {6, int('a'), 'a' + g % 26, 'a' + g / 26, 0, 7}) d.push_back(uint8_t(b));
  d.push_back(0);
  EXPECT_EQ(packError(d), ErrorCode::kInvalidArgument);
}

// A dictionary with empty hash lists and the given rules section.
std::vector<uint8_t> minimalDictionary(const std::vector<uint8_t>& rules) {
  std::vector<uint8_t> d(8 + 1024, 0);
  putU32(d, 0, 1024);
  putU32(d, 4, 8 + 1024);
  d.insert(d.end(), rules.begin(), rules.end());
  return d;
}

// Findings of espeak_dictionary_fuzz, which loads every accepted dictionary into espeak-ng.
TEST(EspeakDictionaryLayout, RuleBytecodeThatIndexesFixedArraysIsRejected) {
  EXPECT_EQ(packError(minimalDictionary({6, 'a', 0, 'a', 3, 'x', 0, 7, 0})), ErrorCode::kInternal);
  // RULE_POST, RULE_LETTERGP group 80: IsLetter read tr->letter_groups[80] (an array of 8).
  EXPECT_EQ(packError(minimalDictionary({6, 'a', 0, 'a', 2, 17, 'A' + 80, 3, 'x', 0, 7, 0})),
            ErrorCode::kInvalidArgument);
  // RULE_LETTERGP2 group 100 (letterGroups[95]); a condition number used as a shift of 64+.
  EXPECT_EQ(packError(minimalDictionary({6, 'a', 0, 'a', 2, 18, 'A' + 100, 3, 'x', 0, 7, 0})),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(packError(minimalDictionary({6, 'a', 0, 5, 70, 'a', 3, 'x', 0, 7, 0})),
            ErrorCode::kInvalidArgument);
  // Group codes are fine inside the phoneme part (after RULE_PHONEMES) and as valid groups.
  EXPECT_EQ(packError(minimalDictionary({6, 'a', 0, 'a', 2, 17, 'B', 3, 17, 18, 0, 7, 0})),
            ErrorCode::kInternal);
}

// An entry's flag bytes are shift counts in LookupDict2 (espeak_dictionary_fuzz: flag 244).
TEST(EspeakDictionaryLayout, EntryFlagsThatAreTooLargeAShiftAreRejected) {
  std::vector<uint8_t> good = realDictionary();
  // The first non-empty hash list's first entry: append nothing, patch its last byte when it is a
  // flag (an entry whose phoneme string ends before its length).
  size_t p = 8;
  while (good[p] == 0) ++p;
  const size_t length = good[p];
  const size_t wordEnd = p + 2 + (good[p + 1] & 0x3f);
  size_t nul = wordEnd;
  while (good[nul] != 0) ++nul;
  std::vector<uint8_t> d = good;
  if ((good[p + 1] & 0x80) == 0 && nul + 1 < p + length) {
    d[p + length - 1] = 244;
    EXPECT_EQ(packError(d), ErrorCode::kInvalidArgument);
    d[p + length - 1] = 64;
    EXPECT_EQ(packError(d), ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(packError(good), ErrorCode::kInternal);
}

TEST(EspeakDictionaryLayout, ReplacementTableMustEndAtAPairBoundary) {
  // Rules start at 1032 (aligned): 6 at 1032, 20 at 1033, the table at (1033 + 4) & ~3 = 1036.
  std::vector<uint8_t> good = {6, 20, 0, 0, 'a', 0, 'b', 0, 0, 0, 0, 0, 7, 0};
  EXPECT_EQ(packError(minimalDictionary(good)), ErrorCode::kInternal);
  // "ab" → "" then an empty "from": FindReplacementChars walked on past the end of the file,
  // although InitGroups found 4 NUL bytes in a row.
  std::vector<uint8_t> bad = {6, 20, 0, 0, 'a', 'b', 0, 0, 0, 0, 7, 0};
  EXPECT_EQ(packError(minimalDictionary(bad)), ErrorCode::kInvalidArgument);
}

class EspeakPackInstall : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(root);
    const auto pack = makePack({{"phontab", {1, 2, 3}}, {"en_dict", realDictionary()},
                                {"lang/gmw/en-US", {'n', 'a', 'm', 'e'}}});
    ASSERT_EQ(installEspeakDataPack(pack.data(), pack.size(), root.string()), 3u);
  }
  const testenv::TempDir dir;
  const fs::path root = dir.path() / "data";
};

TEST_F(EspeakPackInstall, InstalledFilesAreNeverReplaced) {
  std::vector<uint8_t> otherDict = realDictionary();
  for (size_t i = getU32(otherDict, 4) + 2; i < otherDict.size(); ++i) {
    if (otherDict[i] >= 'a' && otherDict[i] < 'z') {  // a letter in the rules: still well formed
      ++otherDict[i];
      break;
    }
  }
  for (const auto& [path, data] : std::vector<std::pair<std::string, std::vector<uint8_t>>>{
           {"phontab", {9}}, {"en_dict", otherDict}, {"lang/gmw/en-US", {'x'}}}) {
    const auto pack = makePack({{"new_file", {1}}, {path, data}});
    const Error e = errorOf([&] { installEspeakDataPack(pack.data(), pack.size(), root.string()); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << path;
    EXPECT_NE(std::string(e.what()).find("would replace"), std::string::npos) << e.what();
    EXPECT_FALSE(fs::exists(root / "new_file")) << path;  // nothing of a rejected pack is written
  }
  EXPECT_EQ(readFile(root / "phontab"), (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(readFile(root / "en_dict"), realDictionary());
}

TEST_F(EspeakPackInstall, TheSamePackTwiceIsANoOpAndNewFilesAreAdded) {
  const auto again = makePack({{"phontab", {1, 2, 3}}, {"lang/gmw/en-US", {'n', 'a', 'm', 'e'}}});
  EXPECT_EQ(installEspeakDataPack(again.data(), again.size(), root.string()), 0u);
  const auto more = makePack({{"de_dict", realDictionary()}, {"lang/gmw/de", {'d'}}});
  EXPECT_EQ(installEspeakDataPack(more.data(), more.size(), root.string()), 2u);
  const auto twice = makePack({{"a", {1}}, {"a", {2}}});
  EXPECT_EQ(errorOf([&] { readEspeakDataPack(twice.data(), twice.size()); }).code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace avatar_voice
