// The phoneme → viseme table: covers Piper's whole standard phoneme_id_map and the IPA that
// espeak-ng emits for English, every id is valid, and the Azure rows match Microsoft's en-US table.
#include "timeline/viseme_map.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "native_test_env.h"

#ifndef AV_FIXTURES_DIR
#error "AV_FIXTURES_DIR must point at tests/fixtures"
#endif

namespace avatar_voice {
namespace {

// Keys of one object in the generated fixture (flat JSON: "key": [ids], ...). Only the escapes
// json.dump(ensure_ascii=False) produces for these keys (\" and \\) need handling.
std::vector<std::string> jsonObjectKeys(const std::string& json, const std::string& object) {
  const size_t open = json.find("\"" + object + "\"");
  if (open == std::string::npos) throw std::runtime_error("no " + object + " in fixture");
  size_t i = json.find('{', open) + 1;
  std::vector<std::string> keys;
  while (i < json.size() && json[i] != '}') {
    if (json[i] != '"') { ++i; continue; }
    std::string key;
    for (++i; json[i] != '"'; ++i) key += json[i] == '\\' ? json[++i] : json[i];
    keys.push_back(key);
    i = json.find(']', i) + 1;  // skip the id list
  }
  return keys;
}

std::vector<std::string> piperSymbols(const std::string& object) {
  return jsonObjectKeys(testenv::readFile(testenv::fixturePath("piper_phoneme_id_map.json")), object);
}

// Every NFD codepoint espeak-ng 1.51 (Debian) printed with `espeak-ng -q --ipa` for ~6000 English
// words (a hand-written list of tricky words plus the GPL-3 text) in voices en-us, en,
// en-gb-x-rp, en-gb-scotland, en-029, en-gb-x-gbclan, en-gb-x-gbcwmd; plus ɫ ɝ, which
// espeak-ng 1.52 and rhotic dictionaries can emit. Piper adds the punctuation and pads.
const std::vector<std::string> kEnglishInventory = {
    // consonants
    "p", "b", "t", "d", "k", "ɡ", "m", "n", "ŋ", "f", "v", "θ", "ð", "s", "z", "ʃ", "ʒ", "h",
    "ɹ", "r", "l", "ɫ", "w", "ʍ", "j", "ɾ", "ʔ", "x",
    // vowels
    "i", "ɪ", "ᵻ", "e", "ɛ", "æ", "a", "ɐ", "ə", "ɚ", "ɜ", "ɝ", "ʌ", "ɑ", "ɒ", "ɔ", "o", "ʊ",
    "u", "ʉ",
    // suprasegmentals and diacritics
    "ˈ", "ˌ", "ː", "ʲ", "\u0329", "\u0303", "\u032A", " ", ":",
    // syllabic consonants, nasal and long vowels as one string, as other front ends send them
    "n̩", "l̩", "m̩", "ɑ̃", "iː", "ɜː",
};

bool validId(VisemeSet set, int id) { return id >= 0 && id < visemeCount(set); }

TEST(VisemeMapTest, EveryPiperSymbolMapsToAValidIdInBothSets) {
  std::vector<std::string> symbols = piperSymbols("phoneme_id_map");
  ASSERT_EQ(symbols.size(), 161u);  // ids 0..160 of DEFAULT_PHONEME_ID_MAP
  for (const std::string& s : piperSymbols("diphthong_phoneme_id_map")) symbols.push_back(s);
  ASSERT_EQ(symbols.size(), 166u);
  for (const std::string& s : symbols) {
    SCOPED_TRACE("symbol '" + s + "'");
    const std::optional<PhonemeVisemes> v = lookupPhoneme(s);
    ASSERT_TRUE(v.has_value());
    EXPECT_TRUE(validId(VisemeSet::kAzure22, v->azure));
    EXPECT_TRUE(validId(VisemeSet::kOculus15, v->oculus) || v->oculus == kInheritNextViseme);
    if (v->role != PhonemeRole::kArticulated) {
      EXPECT_EQ(v->azure, kSilenceViseme);
      EXPECT_EQ(v->oculus, kSilenceViseme);
    }
  }
}

TEST(VisemeMapTest, TableKeysAreExactlyPipersSymbols) {
  std::vector<std::string> piper = piperSymbols("phoneme_id_map");
  for (const std::string& s : piperSymbols("diphthong_phoneme_id_map")) piper.push_back(s);
  const std::set<std::string> allowed(piper.begin(), piper.end());
  std::set<std::string> seen;
  for (const std::string& key : knownPhonemes()) {
    EXPECT_TRUE(seen.insert(key).second) << "duplicate row " << key;
    EXPECT_TRUE(allowed.count(key)) << "row not in Piper's map: " << key;
  }
  EXPECT_EQ(seen.size(), allowed.size());
}

TEST(VisemeMapTest, CoversTheEnglishInventoryOfEspeakNg) {
  for (const std::string& s : kEnglishInventory) {
    SCOPED_TRACE("symbol '" + s + "'");
    const std::optional<PhonemeVisemes> v = lookupPhoneme(s);
    ASSERT_TRUE(v.has_value());
    if (v->role == PhonemeRole::kArticulated) {
      EXPECT_TRUE(validId(VisemeSet::kAzure22, v->azure));
      EXPECT_TRUE(validId(VisemeSet::kOculus15, v->oculus) || v->oculus == kInheritNextViseme);
    }
  }
}

TEST(VisemeMapTest, AzureRowsFollowMicrosoftsEnUsTable) {
  const std::vector<std::pair<std::string, int>> rows = {
      {"i", 6},  {"ɪ", 6},  {"ɛ", 4},  {"æ", 1},  {"ɑ", 2},  {"ɔ", 3},  {"ʊ", 4},  {"o", 8},
      {"u", 7},  {"ʌ", 1},  {"ə", 1},  {"ɝ", 5},  {"ɚ", 1},  {"w", 7},  {"j", 6},  {"p", 21},
      {"b", 21}, {"m", 21}, {"t", 19}, {"d", 19}, {"n", 19}, {"k", 20}, {"ɡ", 20}, {"ŋ", 20},
      {"f", 18}, {"v", 18}, {"θ", 19}, {"ð", 17}, {"s", 15}, {"z", 15}, {"ʃ", 16}, {"ʒ", 16},
      {"h", 12}, {"l", 14}, {"ɹ", 13}, {"aɪ", 11}, {"aʊ", 9}, {"ɔɪ", 10}, {"eɪ", 4}, {"oʊ", 8}};
  for (const auto& [symbol, id] : rows)
    EXPECT_EQ(visemeFor(*lookupPhoneme(symbol), VisemeSet::kAzure22), id) << symbol;
  // Split diphthongs: Microsoft gives aɪ, aʊ, ɔɪ one viseme, eɪ and oʊ two (4,6 and 8,4).
  EXPECT_EQ(azureDiphthongViseme("a", "ɪ"), 11);
  EXPECT_EQ(azureDiphthongViseme("a", "ʊ"), 9);
  EXPECT_EQ(azureDiphthongViseme("ɔ", "ɪ"), 10);
  EXPECT_EQ(azureDiphthongViseme("e", "ɪ"), std::nullopt);
  EXPECT_EQ(azureDiphthongViseme("o", "ʊ"), std::nullopt);
  // tʃ and dʒ arrive as t + ʃ, d + ʒ: 19 then 16, as Microsoft lists them.
  EXPECT_EQ(visemeFor(*lookupPhoneme("t"), VisemeSet::kAzure22), 19);
  EXPECT_EQ(visemeFor(*lookupPhoneme("ʒ"), VisemeSet::kAzure22), 16);
}

TEST(VisemeMapTest, OculusRowsFollowTheOvrReference) {
  const std::vector<std::pair<std::string, int>> rows = {
      {"p", kOvrPP}, {"b", kOvrPP}, {"m", kOvrPP}, {"f", kOvrFF}, {"v", kOvrFF},
      {"θ", kOvrTH}, {"ð", kOvrTH}, {"t", kOvrDD}, {"d", kOvrDD}, {"k", kOvrKK},
      {"ɡ", kOvrKK}, {"ŋ", kOvrKK}, {"ʃ", kOvrCH}, {"ʒ", kOvrCH}, {"s", kOvrSS},
      {"z", kOvrSS}, {"n", kOvrNN}, {"l", kOvrNN}, {"ɹ", kOvrRR}, {"ɑ", kOvrAA},
      {"ɛ", kOvrE},  {"ɪ", kOvrIH}, {"o", kOvrOH}, {"ʊ", kOvrOU}, {"u", kOvrOU},
      {"w", kOvrOU}, {"ɝ", kOvrRR}, {"h", kInheritNextViseme}};
  for (const auto& [symbol, id] : rows)
    EXPECT_EQ(visemeFor(*lookupPhoneme(symbol), VisemeSet::kOculus15), id) << symbol;
}

TEST(VisemeMapTest, EveryVisemeOfBothSetsIsReachable) {
  for (VisemeSet set : {VisemeSet::kOculus15, VisemeSet::kAzure22}) {
    std::set<int> reached;
    for (const std::string& key : knownPhonemes())
      reached.insert(visemeFor(*lookupPhoneme(key), set));
    reached.erase(kInheritNextViseme);
    EXPECT_EQ(static_cast<int>(reached.size()), visemeCount(set));
  }
}

TEST(VisemeMapTest, RolesOfMarksPausesAndGaps) {
  for (const char* s : {"ˈ", "ˌ", "'", "\""})
    EXPECT_EQ(lookupPhoneme(s)->role, PhonemeRole::kPrecedingMark) << s;
  for (const char* s : {"ː", "ˑ", "˞", "ʰ", "ʲ", "ʷ", "ˤ", "\u0329", "\u0303", "3"})
    EXPECT_EQ(lookupPhoneme(s)->role, PhonemeRole::kFollowingMark) << s;
  for (const char* s : {"_", "^", "$", ".", ",", "?", "!", ";", ":", "(", ")", "#"})
    EXPECT_EQ(lookupPhoneme(s)->role, PhonemeRole::kPause) << s;
  EXPECT_EQ(lookupPhoneme(" ")->role, PhonemeRole::kWordGap);
  EXPECT_EQ(lookupPhoneme("-")->role, PhonemeRole::kWordGap);
  // Any combining mark is a following modifier, even without a row (tie bar, acute).
  EXPECT_EQ(lookupPhoneme("\u0361")->role, PhonemeRole::kFollowingMark);
  EXPECT_EQ(lookupPhoneme("\u0301")->role, PhonemeRole::kFollowingMark);
  EXPECT_TRUE(lookupPhoneme("ə")->reduced);
  EXPECT_FALSE(lookupPhoneme("ɑ")->reduced);
}

TEST(VisemeMapTest, BaseWithModifiersMapsLikeTheBase) {
  EXPECT_EQ(lookupPhoneme("n̩")->azure, 19);
  EXPECT_EQ(lookupPhoneme("l̩")->oculus, kOvrNN);
  EXPECT_EQ(lookupPhoneme("iː")->oculus, kOvrIH);
  EXPECT_EQ(lookupPhoneme("tʰʲ")->azure, 19);
  EXPECT_EQ(lookupPhoneme("tʃ"), std::nullopt);   // two bases: not a known key
  EXPECT_EQ(lookupPhoneme("ːa"), std::nullopt);   // a mark is not a base
}

TEST(VisemeMapTest, UnknownAndInvalidSymbols) {
  EXPECT_EQ(lookupPhoneme("☃"), std::nullopt);
  EXPECT_EQ(lookupPhoneme("Q"), std::nullopt);
  EXPECT_EQ(lookupPhoneme(""), std::nullopt);
  for (const std::string bad : {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF5\x80\x80\x80", "a\x80"}) {
    try {
      lookupPhoneme(bad);
      ADD_FAILURE() << "no throw";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidUtf8);
    }
  }
}

TEST(VisemeMapTest, NamesAndCounts) {
  EXPECT_EQ(visemeCount(VisemeSet::kOculus15), 15);
  EXPECT_EQ(visemeCount(VisemeSet::kAzure22), 22);
  EXPECT_STREQ(visemeName(VisemeSet::kOculus15, 0), "sil");
  EXPECT_STREQ(visemeName(VisemeSet::kOculus15, 14), "ou");
  EXPECT_STREQ(visemeName(VisemeSet::kAzure22, 21), "p_b_m");
  EXPECT_THROW(visemeName(VisemeSet::kOculus15, 15), Error);
  EXPECT_THROW(visemeName(VisemeSet::kAzure22, -1), Error);
  EXPECT_TRUE(isLipContactViseme(VisemeSet::kOculus15, kOvrPP));
  EXPECT_TRUE(isLipContactViseme(VisemeSet::kAzure22, 18));
  EXPECT_FALSE(isLipContactViseme(VisemeSet::kAzure22, 19));
}

}  // namespace
}  // namespace avatar_voice
