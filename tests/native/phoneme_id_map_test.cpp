#include "voice/phoneme_id_map.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "native_test_env.h"
#include "voice/voice_config.h"


namespace avatar_voice {
namespace {

using nlohmann::json;
using Table = std::map<std::string, std::vector<int64_t>>;
using Ids = std::vector<int64_t>;

// tests/fixtures/piper_phoneme_id_map.json: Piper's DEFAULT_PHONEME_ID_MAP (piper1-gpl), split
// into the classic 161 entries and the 5 diphthong entries.
const json& fixture() {
  static const json doc = [] {
    const std::string text = testenv::readFile(testenv::fixturePath("piper_phoneme_id_map.json"));
    return text.empty() ? json() : json::parse(text);
  }();
  return doc;
}

// A config the way Piper writes one, around the fixture map.
VoiceConfig standardVoice(bool withDiphthongKeys, bool withVowelClusters) {
  json doc = {{"audio", {{"sample_rate", 22050}}},
              {"espeak", {{"voice", "en-us"}}},
              {"num_symbols", 256},
              {"phoneme_id_map", fixture().at("phoneme_id_map")}};
  if (withDiphthongKeys) doc["phoneme_id_map"].update(fixture().at("diphthong_phoneme_id_map"));
  if (withVowelClusters) {
    // piper1-gpl tests/__init__.py EN_US_VOWEL_CLUSTERS
    doc["vowel_clusters"] = json::parse(R"([["a","ɪ"],["a","ʊ"],["ɔ","ɪ"],["e","ɪ"],["o","ʊ"]])");
  }
  return VoiceConfig::parse(doc.dump());
}

std::vector<Phoneme> symbols(const std::vector<std::string>& list) {
  std::vector<Phoneme> out;
  for (const std::string& s : list) out.push_back({s, -1, -1});
  return out;
}

// "hello" -> espeak en-us "hɛlˈoʊ" (NFD codepoints, as Piper splits them), with byte spans.
std::vector<Phoneme> hello() {
  return {{"h", 0, 1}, {"ɛ", 1, 2}, {"l", 2, 4}, {"ˈ", -1, -1}, {"o", 4, 5}, {"ʊ", 4, 5}};
}

class PhonemeIdMapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fixture().is_object()) << "fixture not found: tests/fixtures/piper_phoneme_id_map.json";
  }
};

TEST_F(PhonemeIdMapTest, FixtureIsPipersStandardMap) {
  const PhonemeIdMap map(standardVoice(false, false));
  EXPECT_EQ(map.size(), 161u);
  EXPECT_FALSE(map.mergesVowelClusters());
  EXPECT_EQ(*map.idsFor("_"), Ids{0});
  EXPECT_EQ(*map.idsFor("^"), Ids{1});
  EXPECT_EQ(*map.idsFor("$"), Ids{2});
  EXPECT_EQ(*map.idsFor("ʷ"), Ids{160});
  EXPECT_EQ(map.idsFor("aɪ"), nullptr);
  EXPECT_EQ(fixture()["diphthong_phoneme_id_map"].size(), 5u);
}

// Expected ids by hand from the map: ^=1 _=0 h=20 ɛ=61 l=24 ˈ=120 o=27 ʊ=100 $=2.
// (Same as piper1-gpl phonemes_to_ids(list("hɛlˈoʊ")), checked when this test was written.)
TEST_F(PhonemeIdMapTest, LayoutIsBosPadThenPhonemePadThenEos) {
  const PhonemeIds out = PhonemeIdMap(standardVoice(false, false)).toIds(hello());
  EXPECT_EQ(out.ids, (Ids{1, 0, 20, 0, 61, 0, 24, 0, 120, 0, 27, 0, 100, 0, 2}));
  EXPECT_TRUE(out.warnings.empty());
}

TEST_F(PhonemeIdMapTest, OriginsNameThePhonemeAndTextOfEveryId) {
  const PhonemeIds out = PhonemeIdMap(standardVoice(false, false)).toIds(hello());
  ASSERT_EQ(out.origins.size(), out.ids.size());
  struct Expected {
    IdRole role;
    int32_t phonemeIndex, phonemeCount, ownerIndex, textStart, textEnd;
  };
  const IdRole B = IdRole::kBos, P = IdRole::kPad, X = IdRole::kPhoneme, E = IdRole::kEos;
  const Expected expected[] = {
      {B, -1, 0, -1, -1, -1}, {P, -1, 0, -1, -1, -1},  // ^ _
      {X, 0, 1, 0, 0, 1},     {P, -1, 0, 0, -1, -1},   // h _
      {X, 1, 1, 1, 1, 2},     {P, -1, 0, 1, -1, -1},   // ɛ _
      {X, 2, 1, 2, 2, 4},     {P, -1, 0, 2, -1, -1},   // l _
      {X, 3, 1, 3, -1, -1},   {P, -1, 0, 3, -1, -1},   // ˈ _
      {X, 4, 1, 4, 4, 5},     {P, -1, 0, 4, -1, -1},   // o _
      {X, 5, 1, 5, 4, 5},     {P, -1, 0, 5, -1, -1},   // ʊ _
      {E, -1, 0, -1, -1, -1},                          // $
  };
  ASSERT_EQ(out.origins.size(), std::size(expected));
  for (size_t i = 0; i < out.origins.size(); ++i) {
    const IdOrigin& o = out.origins[i];
    SCOPED_TRACE("id position " + std::to_string(i));
    EXPECT_EQ(o.role, expected[i].role);
    EXPECT_EQ(o.phonemeIndex, expected[i].phonemeIndex);
    EXPECT_EQ(o.phonemeCount, expected[i].phonemeCount);
    EXPECT_EQ(o.ownerIndex, expected[i].ownerIndex);
    EXPECT_EQ(o.textStart, expected[i].textStart);
    EXPECT_EQ(o.textEnd, expected[i].textEnd);
  }
}

TEST_F(PhonemeIdMapTest, VowelClustersMergeWhenTheConfigListsThem) {
  const PhonemeIdMap map(standardVoice(true, true));
  EXPECT_TRUE(map.mergesVowelClusters());
  const PhonemeIds out = map.toIds(hello());
  // o + ʊ -> "oʊ" = 165 (piper1-gpl: phonemes_to_ids(["h","ɛ","l","ˈ","oʊ"]))
  EXPECT_EQ(out.ids, (Ids{1, 0, 20, 0, 61, 0, 24, 0, 120, 0, 165, 0, 2}));
  const IdOrigin& merged = out.origins[10];
  EXPECT_EQ(merged.role, IdRole::kPhoneme);
  EXPECT_EQ(merged.phonemeIndex, 4);
  EXPECT_EQ(merged.phonemeCount, 2);
  EXPECT_EQ(merged.ownerIndex, 4);
  EXPECT_EQ(merged.textStart, 4);
  EXPECT_EQ(merged.textEnd, 5);
  EXPECT_EQ(out.origins[11].ownerIndex, 4);  // its pad
}

TEST_F(PhonemeIdMapTest, DiphthongKeysAloneDoNotMerge) {
  // piper1-gpl writes the diphthong keys into every voice it trains but only merges when the
  // config has vowel_clusters; such a voice never saw id 165.
  const PhonemeIds out = PhonemeIdMap(standardVoice(true, false)).toIds(hello());
  EXPECT_EQ(out.ids, (Ids{1, 0, 20, 0, 61, 0, 24, 0, 120, 0, 27, 0, 100, 0, 2}));
}

TEST_F(PhonemeIdMapTest, MultiCodepointSymbolIsLookedUpWhole) {
  const PhonemeIdMap map(standardVoice(true, false));
  const PhonemeIds out = map.toIds({{"m", 0, 1}, {"ˈ", -1, -1}, {"aɪ", 1, 2}});
  EXPECT_EQ(out.ids, (Ids{1, 0, 25, 0, 120, 0, 161, 0, 2}));
  EXPECT_EQ(out.origins[6].phonemeIndex, 2);
  EXPECT_EQ(out.origins[6].phonemeCount, 1);
}

TEST_F(PhonemeIdMapTest, AllFiveClustersAndNonClusters) {
  const PhonemeIdMap map(standardVoice(true, true));
  // The vowels of "my cow toy day no" (piper1-gpl's EN_US_VOWEL_CLUSTERS), then "ɪ a a": none.
  const PhonemeIds out =
      map.toIds(symbols({"a", "ɪ", "a", "ʊ", "ɔ", "ɪ", "e", "ɪ", "o", "ʊ", "ɪ", "a", "a"}));
  EXPECT_EQ(out.ids, (Ids{1, 0, 161, 0, 162, 0, 163, 0, 164, 0, 165, 0, 74, 0, 14, 0, 14, 0, 2}));
}

TEST_F(PhonemeIdMapTest, UnknownPhonemeIsSkippedWithWarning) {
  const PhonemeIdMap map(standardVoice(false, false));
  const PhonemeIds out = map.toIds({{"a", 10, 11}, {"ʬ", 12, 14}, {"b", 14, 15}});
  EXPECT_EQ(out.ids, (Ids{1, 0, 14, 0, 15, 0, 2}));  // no id and no pad for it, like Piper
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_EQ(out.warnings[0], "missing phoneme \"ʬ\" (U+02AC) at text offset 12");
  EXPECT_EQ(out.origins[4].phonemeIndex, 2);  // indexes stay those of the input

  const PhonemeIds noOffset = map.toIds(symbols({"a", "a\xCC\xA5"}));
  ASSERT_EQ(noOffset.warnings.size(), 1u);
  EXPECT_EQ(noOffset.warnings[0],
            "missing phoneme \"a\xCC\xA5\" (U+0061 U+0325) at phoneme index 1");
}

TEST_F(PhonemeIdMapTest, HostileSymbolsNeverThrow) {
  const PhonemeIdMap map(standardVoice(false, false));
  const PhonemeIds out = map.toIds(symbols({"\xFF", "\x01", "\"", "", "\xE2\x82", "\xED\xA0\x80"}));
  EXPECT_EQ(out.ids, (Ids{1, 0, 150, 0, 2}));  // only '"' (150) is in the map
  ASSERT_EQ(out.warnings.size(), 5u);
  EXPECT_EQ(out.warnings[0], "missing phoneme \"\\xFF\" (invalid UTF-8) at phoneme index 0");
  EXPECT_EQ(out.warnings[1], "missing phoneme \"\\u0001\" (U+0001) at phoneme index 1");
  EXPECT_EQ(out.warnings[2], "empty phoneme skipped at phoneme index 3");
  EXPECT_NE(out.warnings[3].find("invalid UTF-8"), std::string::npos) << out.warnings[3];
  EXPECT_NE(out.warnings[4].find("invalid UTF-8"), std::string::npos)
      << out.warnings[4];  // surrogate
}

TEST_F(PhonemeIdMapTest, MultiIdValuesGetOnePadAfterAllTheirIds) {
  // piper1-gpl: phonemes_to_ids(["x", "x"], {"_":[0],"^":[1],"$":[2],"x":[7,8]})
  //   == [1, 0, 7, 8, 0, 7, 8, 0, 2]   (libpiper's C++ pads after each id instead; training
  //   uses the Python function, so we follow it)
  const PhonemeIdMap map(Table{{"_", {0}}, {"^", {1}}, {"$", {2}}, {"x", {7, 8}}});
  const PhonemeIds out = map.toIds(symbols({"x", "x"}));
  EXPECT_EQ(out.ids, (Ids{1, 0, 7, 8, 0, 7, 8, 0, 2}));
  EXPECT_EQ(out.origins[2].phonemeIndex, 0);
  EXPECT_EQ(out.origins[3].phonemeIndex, 0);
  EXPECT_EQ(out.origins[5].phonemeIndex, 1);
}

TEST_F(PhonemeIdMapTest, MultiIdPadAndBos) {
  // phonemes_to_ids(["x"], {"_":[0,9],"^":[1],"$":[2],"x":[7]}) == [1, 0, 9, 7, 0, 9, 2]
  const PhonemeIdMap map(Table{{"_", {0, 9}}, {"^", {1}}, {"$", {2}}, {"x", {7}}});
  const PhonemeIds out = map.toIds(symbols({"x"}));
  EXPECT_EQ(out.ids, (Ids{1, 0, 9, 7, 0, 9, 2}));
  EXPECT_EQ(out.origins[5].role, IdRole::kPad);
  EXPECT_EQ(out.origins[5].ownerIndex, 0);
}

TEST_F(PhonemeIdMapTest, EmptySentenceIsBosPadEos) {
  // piper1-gpl phonemes_to_ids([]) == [1, 0, 2]
  const PhonemeIds out = PhonemeIdMap(standardVoice(false, false)).toIds({});
  EXPECT_EQ(out.ids, (Ids{1, 0, 2}));
  ASSERT_EQ(out.origins.size(), 3u);
  EXPECT_EQ(out.origins[0].role, IdRole::kBos);
  EXPECT_EQ(out.origins[1].role, IdRole::kPad);
  EXPECT_EQ(out.origins[2].role, IdRole::kEos);
  EXPECT_TRUE(out.warnings.empty());

  const PhonemeIds allUnknown = PhonemeIdMap(standardVoice(false, false)).toIds(symbols({"ʬ"}));
  EXPECT_EQ(allUnknown.ids, (Ids{1, 0, 2}));
  EXPECT_EQ(allUnknown.warnings.size(), 1u);
}

TEST_F(PhonemeIdMapTest, LongestClusterWinsAndRunsDoNotOverlap) {
  const PhonemeIdMap map(Table{{"_", {0}},
                               {"^", {1}},
                               {"$", {2}},
                               {"a", {3}},
                               {"b", {4}},
                               {"c", {5}},
                               {"ab", {6}},
                               {"abc", {7}},
                               {"bc", {8}}},
                         {{"a", "b"}, {"a", "b", "c"}, {"b", "c"}});
  const PhonemeIds out = map.toIds(
      {{"a", 0, 1}, {"b", 1, 2}, {"c", 2, 3}, {"b", 3, 4}, {"c", 4, 5}, {"a", 5, 6}, {"b", 6, 7}});
  EXPECT_EQ(out.ids, (Ids{1, 0, 7, 0, 8, 0, 6, 0, 2}));
  EXPECT_EQ(out.origins[2].phonemeCount, 3);
  EXPECT_EQ(out.origins[2].textStart, 0);
  EXPECT_EQ(out.origins[2].textEnd, 3);
  EXPECT_EQ(out.origins[4].phonemeIndex, 3);
  EXPECT_EQ(out.origins[6].phonemeIndex, 5);
}

// The code PhonemeIdMap's constructor throws, or nullopt when it accepts the table.
std::optional<ErrorCode> errorCodeFor(const Table& table,
                                      std::vector<std::vector<std::string>> clusters = {}) {
  try {
    PhonemeIdMap map(table, std::move(clusters));
  } catch (const Error& e) {
    return e.code();
  }
  return std::nullopt;
}

TEST_F(PhonemeIdMapTest, InvalidTablesAreRejected) {
  const ErrorCode bad = ErrorCode::kInvalidVoiceConfig;
  const Table ok{{"_", {0}}, {"^", {1}}, {"$", {2}}, {"a", {3}}};
  EXPECT_EQ(errorCodeFor(ok), std::nullopt);
  EXPECT_EQ(errorCodeFor(Table{{"_", {0}}, {"^", {1}}}), bad);             // no "$"
  EXPECT_EQ(errorCodeFor(Table{{"_", {}}, {"^", {1}}, {"$", {2}}}), bad);  // empty ids
  EXPECT_EQ(errorCodeFor(Table{{"_", {0}}, {"^", {-1}}, {"$", {2}}}), bad);
  Table emptyKey = ok;
  emptyKey[""] = {4};
  EXPECT_EQ(errorCodeFor(emptyKey), bad);
  EXPECT_EQ(errorCodeFor(ok, {{"a", "b"}}), bad);  // "ab" not a key
  EXPECT_EQ(errorCodeFor(ok, {{"a"}}), bad);       // a cluster of one
}

}  // namespace
}  // namespace avatar_voice
