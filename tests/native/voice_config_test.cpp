#include "voice/voice_config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/error.h"
#include "native_test_env.h"


namespace avatar_voice {
namespace {

using nlohmann::json;

// Shaped like a released Piper voice (en_US-lessac-medium.onnx.json), with a shortened map.
const char kSingleSpeaker[] = R"({
  "audio": {"sample_rate": 22050, "quality": "medium"},
  "espeak": {"voice": "en-us"},
  "inference": {"noise_scale": 0.667, "length_scale": 1.2, "noise_w": 0.8},
  "phoneme_type": "espeak",
  "phoneme_map": {},
  "phoneme_id_map": {"_": [0], "^": [1], "$": [2], " ": [3], "h": [20], "l": [24],
                     "o": [27], "ɛ": [61], "ʊ": [100], "ˈ": [120]},
  "num_symbols": 256,
  "num_speakers": 1,
  "speaker_id_map": {},
  "piper_version": "1.0.0",
  "language": {"code": "en_US", "family": "en", "region": "US", "name_native": "English",
               "name_english": "English", "country_english": "United States"},
  "dataset": "lessac"
})";

// Multi-speaker, LibriTTS style: some speaker names are numbers that map to other ids.
const char kMultiSpeaker[] = R"({
  "audio": {"sample_rate": 22050, "quality": "medium"},
  "espeak": {"voice": "en-us"},
  "phoneme_id_map": {"_": [0], "^": [1], "$": [2], "a": [14]},
  "num_symbols": 256,
  "num_speakers": 4,
  "speaker_id_map": {"p239": 0, "p240": 1, "3922": 2, "0": 3},
  "default_speaker_id": 1
})";

const char kMinimal[] = R"({
  "audio": {"sample_rate": 16000},
  "espeak": {"voice": "de"},
  "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}
})";

// Applies `change` to kSingleSpeaker and returns the error message parse() gives.
template <typename Change>
std::string errorAfter(Change change, ErrorCode expected = ErrorCode::kInvalidVoiceConfig) {
  json doc = json::parse(kSingleSpeaker);
  change(doc);
  try {
    VoiceConfig::parse(doc.dump());
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error for " << doc.dump();
  return "";
}

std::string parseError(const std::string& text) {
  try {
    VoiceConfig::parse(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidVoiceConfig);
    EXPECT_STREQ(e.codeName(), "INVALID_VOICE_CONFIG");
    return e.what();
  }
  ADD_FAILURE() << "no error for " << text;
  return "";
}

TEST(VoiceConfigTest, ParsesSingleSpeakerVoice) {
  const VoiceConfig c = VoiceConfig::parse(kSingleSpeaker);
  EXPECT_EQ(c.sampleRate, 22050);
  EXPECT_EQ(c.quality, "medium");
  EXPECT_EQ(c.espeakVoice, "en-us");
  EXPECT_EQ(c.phonemeType, "espeak");
  EXPECT_DOUBLE_EQ(c.noiseScale, 0.667);
  EXPECT_DOUBLE_EQ(c.lengthScale, 1.2);
  EXPECT_DOUBLE_EQ(c.noiseW, 0.8);
  ASSERT_EQ(c.phonemeIdMap.size(), 10u);
  EXPECT_EQ(c.phonemeIdMap.at("ɛ"), std::vector<int64_t>{61});
  EXPECT_EQ(c.numSymbols, 256);
  EXPECT_EQ(c.numSpeakers, 1);
  EXPECT_FALSE(c.isMultiSpeaker());
  EXPECT_TRUE(c.speakerIdMap.empty());
  EXPECT_TRUE(c.phonemeMap.empty());
  EXPECT_TRUE(c.vowelClusters.empty());
  EXPECT_EQ(c.hopLength, 256);
  EXPECT_EQ(c.piperVersion, "1.0.0");
  EXPECT_EQ(c.dataset, "lessac");
  EXPECT_EQ(c.language.code, "en_US");
  EXPECT_EQ(c.language.family, "en");
  EXPECT_EQ(c.language.region, "US");
  EXPECT_EQ(c.language.nameNative, "English");
  EXPECT_EQ(c.language.nameEnglish, "English");
  EXPECT_EQ(c.language.countryEnglish, "United States");
}

TEST(VoiceConfigTest, ParsesMultiSpeakerVoice) {
  const VoiceConfig c = VoiceConfig::parse(kMultiSpeaker);
  EXPECT_TRUE(c.isMultiSpeaker());
  EXPECT_EQ(c.numSpeakers, 4);
  EXPECT_EQ(c.speakerIdMap.size(), 4u);
  EXPECT_EQ(c.speakerIdMap.at("p240"), 1);
  EXPECT_EQ(c.defaultSpeakerId, 1);
}

TEST(VoiceConfigTest, AppliesPiperDefaults) {
  const VoiceConfig c = VoiceConfig::parse(kMinimal);
  EXPECT_EQ(c.sampleRate, 16000);
  EXPECT_EQ(c.phonemeType, "espeak");
  EXPECT_DOUBLE_EQ(c.noiseScale, 0.667);
  EXPECT_DOUBLE_EQ(c.lengthScale, 1.0);
  EXPECT_DOUBLE_EQ(c.noiseW, 0.8);
  EXPECT_EQ(c.numSpeakers, 1);
  EXPECT_EQ(c.defaultSpeakerId, 0);
  EXPECT_EQ(c.hopLength, 256);
  EXPECT_EQ(c.numSymbols, 0);
  EXPECT_EQ(c.quality, "");
  EXPECT_EQ(c.piperVersion, "");
  EXPECT_EQ(c.language.code, "");
}

TEST(VoiceConfigTest, ReadsTopLevelHopLengthAndVowelClusters) {
  json doc = json::parse(kSingleSpeaker);
  doc["hop_length"] = 512;
  doc["phoneme_id_map"]["oʊ"] = {165};
  doc["vowel_clusters"] = json::array({json::array({"o", "ʊ"})});
  const VoiceConfig c = VoiceConfig::parse(doc.dump());
  EXPECT_EQ(c.hopLength, 512);
  ASSERT_EQ(c.vowelClusters.size(), 1u);
  EXPECT_EQ(c.vowelClusters[0], (std::vector<std::string>{"o", "ʊ"}));
}

TEST(VoiceConfigTest, IgnoresUnknownFields) {
  json doc = json::parse(kSingleSpeaker);
  doc["training"] = {{"epochs", 2000}, {"nested", {1, 2, {{"x", nullptr}}}}};
  doc["audio"]["hop_length"] = 512;  // not where Piper reads it: ignored like any extra field
  doc["audio"]["channels"] = 1;
  doc["inference"]["phoneme_silence"] = {{".", 0.2}};
  doc["language"]["script"] = "Latn";
  const VoiceConfig c = VoiceConfig::parse(doc.dump());
  EXPECT_EQ(c.sampleRate, 22050);
  EXPECT_EQ(c.hopLength, 256);
}

TEST(VoiceConfigTest, NonEspeakTypeNeedsNoEspeakVoice) {
  json doc = json::parse(kMinimal);
  doc.erase("espeak");
  doc["phoneme_type"] = "text";
  const VoiceConfig c = VoiceConfig::parse(doc.dump());
  EXPECT_EQ(c.phonemeType, "text");
  EXPECT_EQ(c.espeakVoice, "");

  doc["phoneme_type"] = "pinyin";  // stored as-is; phonemizing it is not this module's job
  EXPECT_EQ(VoiceConfig::parse(doc.dump()).phonemeType, "pinyin");
}

TEST(VoiceConfigTest, EachRequiredFieldMissingIsNamed) {
  struct Case {
    json::json_pointer pointer;
    std::string expected;
  };
  const Case cases[] = {
      {json::json_pointer("/audio/sample_rate"), "audio.sample_rate is required"},
      {json::json_pointer("/audio"), "audio.sample_rate is required"},
      {json::json_pointer("/espeak/voice"), "espeak.voice is required"},
      {json::json_pointer("/espeak"), "espeak.voice is required"},
      {json::json_pointer("/phoneme_id_map"), "phoneme_id_map is required"},
      {json::json_pointer("/phoneme_id_map/_"), "phoneme_id_map[\"_\"] is required"},
      {json::json_pointer("/phoneme_id_map/^"), "phoneme_id_map[\"^\"] is required"},
      {json::json_pointer("/phoneme_id_map/$"), "phoneme_id_map[\"$\"] is required"},
  };
  for (const Case& c : cases) {
    const std::string message = errorAfter([&](json& doc) {
      const std::string last = c.pointer.back();
      doc[c.pointer.parent_pointer()].erase(last);
    });
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << c.pointer.to_string() << " -> " << message;
  }
  // Also absent when phoneme_type is given explicitly as espeak.
  EXPECT_NE(errorAfter([](json& d) {
              d["espeak"].erase("voice");
              d["phoneme_type"] = "espeak";
            }).find("espeak.voice is required"),
            std::string::npos);
}

TEST(VoiceConfigTest, WrongTypesAndValuesAreNamed) {
  struct Case {
    std::string pointer;
    json value;
    std::string expected;
  };
  const Case cases[] = {
      {"/audio/sample_rate", "22050", "audio.sample_rate must be a positive integer"},
      {"/audio/sample_rate", 0, "audio.sample_rate must be a positive integer"},
      {"/audio/sample_rate", -22050, "audio.sample_rate must be a positive integer"},
      {"/audio/sample_rate", 22050.5, "audio.sample_rate must be a positive integer"},
      {"/audio/sample_rate", 22050.0, "audio.sample_rate must be a positive integer"},
      {"/audio/sample_rate", 4294967296LL, "audio.sample_rate must be a positive integer"},
      {"/audio/sample_rate", nullptr, "audio.sample_rate must be a positive integer"},
      {"/audio", json::array(), "audio must be an object"},
      {"/audio/quality", 3, "audio.quality must be a string"},
      {"/espeak", "en-us", "espeak must be an object"},
      {"/espeak/voice", 5, "espeak.voice must be a string"},
      {"/espeak/voice", "", "espeak.voice must be a non-empty string"},
      {"/phoneme_type", 1, "phoneme_type must be a string"},
      {"/phoneme_type", "", "phoneme_type must be a non-empty string"},
      {"/inference", 1, "inference must be an object"},
      {"/inference/noise_scale", "0.667", "inference.noise_scale must be a number"},
      {"/inference/noise_scale", -0.1, "inference.noise_scale must be >= 0"},
      {"/inference/length_scale", 0, "inference.length_scale must be > 0"},
      {"/inference/noise_w", true, "inference.noise_w must be a number"},
      {"/phoneme_id_map", json::array(), "phoneme_id_map must be an object"},
      {"/phoneme_id_map/h", 20, "phoneme_id_map[\"h\"] must be a non-empty array"},
      {"/phoneme_id_map/h", json::array(), "phoneme_id_map[\"h\"] must be a non-empty array"},
      {"/phoneme_id_map/h", {-1}, "phoneme_id_map[\"h\"] must be a non-empty array of non-"},
      {"/phoneme_id_map/h", {"20"}, "phoneme_id_map[\"h\"] must be a non-empty array"},
      {"/phoneme_id_map/h", {20.5}, "phoneme_id_map[\"h\"] must be a non-empty array"},
      {"/phoneme_id_map/h", {300}, "phoneme_id_map[\"h\"] has id 300, not below num_symbols (256)"},
      {"/phoneme_id_map/", {4}, "phoneme_id_map has an empty phoneme key"},
      {"/phoneme_map", json::array(), "phoneme_map must be an object"},
      {"/phoneme_map/c", "k", "phoneme_map[\"c\"] must be an array"},
      {"/vowel_clusters", "oʊ", "vowel_clusters must be an array"},
      {"/vowel_clusters", json::array({json::array({"o"})}),
       "vowel_clusters[0] must be an array of at least 2"},
      {"/vowel_clusters", json::array({json::array({"o", 1})}),
       "vowel_clusters[0] must be an array of at least 2"},
      {"/vowel_clusters", json::array({json::array({"o", "ʊ"})}),
       "vowel_clusters[0] joins to \"oʊ\", which is not a key"},
      {"/num_symbols", 0, "num_symbols must be a positive integer"},
      {"/num_speakers", 0, "num_speakers must be a positive integer"},
      {"/num_speakers", "1", "num_speakers must be a positive integer"},
      {"/speaker_id_map", json::array(), "speaker_id_map must be an object"},
      {"/speaker_id_map/alice", 1, "speaker_id_map[\"alice\"] must be an integer in [0, 0]"},
      {"/speaker_id_map/alice", "0", "speaker_id_map[\"alice\"] must be an integer"},
      {"/default_speaker_id", 1, "default_speaker_id must be an integer in [0, 0]"},
      {"/hop_length", 0, "hop_length must be a positive integer"},
      {"/language", "en", "language must be an object"},
      {"/language/code", 1, "language.code must be a string"},
      {"/language/name_english", false, "language.name_english must be a string"},
      {"/piper_version", 1.0, "piper_version must be a string"},
      {"/dataset", 7, "dataset must be a string"},
  };
  for (const Case& c : cases) {
    const std::string message =
        errorAfter([&](json& doc) { doc[json::json_pointer(c.pointer)] = c.value; });
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << c.pointer << " = " << c.value.dump() << " -> " << message;
  }
}

TEST(VoiceConfigTest, RootMustBeAnObject) {
  EXPECT_NE(parseError("[1, 2]").find("voice config must be a JSON object"), std::string::npos);
  EXPECT_NE(parseError("\"x\"").find("voice config must be a JSON object"), std::string::npos);
}

TEST(VoiceConfigTest, InvalidJsonReportsParserPosition) {
  const std::string truncated = parseError("{\"audio\": {\"sample_rate\": 22050},\n  \"espeak\": ");
  EXPECT_NE(truncated.find("voice config is not valid JSON"), std::string::npos) << truncated;
  EXPECT_NE(truncated.find("line 2, column 13"), std::string::npos) << truncated;
  EXPECT_EQ(truncated.find("[json.exception"), std::string::npos) << truncated;

  EXPECT_NE(parseError("").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parseError("{\"a\": 1,}").find("line 1, column 9"), std::string::npos);
  EXPECT_NE(parseError("{\"a\": \"\xff\"}").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parseError("{\"a\": 1e999}").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parseError(std::string(kMinimal) + " trailing").find("not valid JSON"),
            std::string::npos);
}

TEST(VoiceConfigTest, SpeakerLookupByNameNumberAndDefault) {
  const VoiceConfig c = VoiceConfig::parse(kMultiSpeaker);
  EXPECT_EQ(c.speakerIdFor("p239"), 0);
  EXPECT_EQ(c.speakerIdFor("p240"), 1);
  EXPECT_EQ(c.speakerIdFor("3922"), 2);  // a name, although it looks like a number
  EXPECT_EQ(c.speakerIdFor("0"), 3);     // names win over numbers
  EXPECT_EQ(c.speakerIdFor("2"), 2);     // not a name: a speaker id
  EXPECT_EQ(c.speakerIdFor(""), 1);      // default_speaker_id
}

TEST(VoiceConfigTest, UnknownSpeakerIsTypedAndListsNames) {
  const VoiceConfig c = VoiceConfig::parse(kMultiSpeaker);
  for (const std::string bad : {"p999", "4", "-1", "1.0", "99999999999999999999999", " p239"}) {
    try {
      c.speakerIdFor(bad);
      ADD_FAILURE() << "no error for " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      const std::string m = e.what();
      EXPECT_NE(m.find("unknown speaker"), std::string::npos) << m;
      EXPECT_NE(m.find("ids 0..3"), std::string::npos) << m;
      EXPECT_NE(m.find("\"p239\""), std::string::npos) << m;
    }
  }
}

TEST(VoiceConfigTest, SingleSpeakerLookup) {
  const VoiceConfig c = VoiceConfig::parse(kSingleSpeaker);
  EXPECT_EQ(c.speakerIdFor(""), 0);
  EXPECT_EQ(c.speakerIdFor("0"), 0);
  try {
    c.speakerIdFor("1");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("single speaker"), std::string::npos) << e.what();
  }
}

TEST(VoiceConfigTest, ToJsonSummarizesForTypeScript) {
  const json single = json::parse(VoiceConfig::parse(kSingleSpeaker).toJson());
  EXPECT_EQ(single["sampleRate"], 22050);
  EXPECT_EQ(single["quality"], "medium");
  EXPECT_EQ(single["espeakVoice"], "en-us");
  EXPECT_EQ(single["phonemeType"], "espeak");
  EXPECT_EQ(single["numSymbols"], 256);
  EXPECT_EQ(single["phonemeCount"], 10);
  EXPECT_EQ(single["hasVowelClusters"], false);
  EXPECT_EQ(single["numSpeakers"], 1);
  EXPECT_EQ(single["speakers"], json::array());
  EXPECT_DOUBLE_EQ(single["defaults"]["noiseScale"].get<double>(), 0.667);
  EXPECT_DOUBLE_EQ(single["defaults"]["lengthScale"].get<double>(), 1.2);
  EXPECT_DOUBLE_EQ(single["defaults"]["noiseW"].get<double>(), 0.8);
  EXPECT_EQ(single["hopLength"], 256);
  EXPECT_EQ(single["piperVersion"], "1.0.0");
  EXPECT_EQ(single["language"]["nameNative"], "English");
  EXPECT_EQ(single.count("phonemeIdMap"), 0u);

  const json multi = json::parse(VoiceConfig::parse(kMultiSpeaker).toJson());
  EXPECT_EQ(multi["numSpeakers"], 4);
  EXPECT_EQ(multi["defaultSpeakerId"], 1);
  EXPECT_EQ(multi["speakers"], json::parse(R"([{"name":"p239","id":0},{"name":"p240","id":1},
                                               {"name":"3922","id":2},{"name":"0","id":3}])"));
  EXPECT_TRUE(multi["quality"] == "medium");
  EXPECT_TRUE(multi["piperVersion"].is_null());
  EXPECT_EQ(multi["language"], json::object());
}

TEST(VoiceConfigTest, ParsesStandardPiperMapFixture) {
  const std::string text = testenv::readFile(testenv::fixturePath("piper_phoneme_id_map.json"));
  ASSERT_FALSE(text.empty()) << "fixture not found: tests/fixtures/piper_phoneme_id_map.json";
  const json fixture = json::parse(text);

  json doc = json::parse(kSingleSpeaker);
  doc["phoneme_id_map"] = fixture["phoneme_id_map"];
  const VoiceConfig c = VoiceConfig::parse(doc.dump());
  EXPECT_EQ(c.phonemeIdMap.size(), 161u);
  EXPECT_EQ(c.phonemeIdMap.at("\""), std::vector<int64_t>{150});
  EXPECT_EQ(c.phonemeIdMap.at("\xCC\xA7"), std::vector<int64_t>{140});  // U+0327 combining cedilla
}

}  // namespace
}  // namespace avatar_voice
