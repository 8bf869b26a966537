#include "voice/voice_config.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/error.h"

namespace avatar_voice {
namespace {

using nlohmann::json;

constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

[[noreturn]] void fail(const std::string& message) {
  throw Error(ErrorCode::kInvalidVoiceConfig, message);
}

// A key as it appears in a path: phoneme_id_map["ɛ"], with JSON escaping for odd characters.
std::string keyPath(const std::string& parent, const std::string& key) {
  return parent + "[" + json(key).dump(-1, ' ', false, json::error_handler_t::replace) + "]";
}

const json* member(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// JSON integers only: 3.0 is rejected like "3", because Piper writes integers and a float here
// means the file was not produced by Piper.
bool asInt64(const json& value, int64_t& out) {
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(kInt64Max)) return false;
    out = static_cast<int64_t>(u);
    return true;
  }
  if (value.is_number_integer()) {
    out = value.get<int64_t>();
    return true;
  }
  return false;
}

int64_t intIn(const json& value, const std::string& path, int64_t min, int64_t max,
              const std::string& what) {
  int64_t out = 0;
  if (!asInt64(value, out) || out < min || out > max) fail(path + " must be " + what);
  return out;
}

std::string stringAt(const json& value, const std::string& path, bool allowEmpty) {
  if (!value.is_string()) fail(path + " must be a string");
  std::string s = value.get<std::string>();
  if (!allowEmpty && s.empty()) fail(path + " must be a non-empty string");
  return s;
}

const json* optionalObject(const json& parent, const char* key, const std::string& path) {
  const json* v = member(parent, key);
  if (v != nullptr && !v->is_object()) fail(path + " must be an object");
  return v;
}

void readOptionalString(const json* object, const char* key, const std::string& path,
                        std::string& out) {
  if (object == nullptr) return;
  if (const json* v = member(*object, key)) out = stringAt(*v, path, true);
}

double readScale(const json* inference, const char* key, double fallback, bool allowZero) {
  if (inference == nullptr) return fallback;
  const json* v = member(*inference, key);
  if (v == nullptr) return fallback;
  const std::string path = std::string("inference.") + key;
  if (!v->is_number()) fail(path + " must be a number");
  const double d = v->get<double>();
  if (!std::isfinite(d) || d < 0 || (!allowZero && d == 0)) {
    fail(path + (allowZero ? " must be >= 0" : " must be > 0"));
  }
  return d;
}

void readAudio(const json& root, VoiceConfig& c) {
  const json* audio = optionalObject(root, "audio", "audio");
  const json* rate = audio ? member(*audio, "sample_rate") : nullptr;
  if (rate == nullptr) fail("audio.sample_rate is required (a positive integer)");
  c.sampleRate =
      static_cast<int32_t>(intIn(*rate, "audio.sample_rate", 1, kInt32Max, "a positive integer"));
  readOptionalString(audio, "quality", "audio.quality", c.quality);
}

void readPhonemeIdMap(const json& root, VoiceConfig& c) {
  const json* map = member(root, "phoneme_id_map");
  if (map == nullptr) fail("phoneme_id_map is required (an object: phoneme -> [ids])");
  if (!map->is_object()) fail("phoneme_id_map must be an object (phoneme -> [ids])");
  for (const auto& item : map->items()) {
    const std::string path = keyPath("phoneme_id_map", item.key());
    if (item.key().empty()) fail("phoneme_id_map has an empty phoneme key");
    const json& ids = item.value();
    if (!ids.is_array() || ids.empty()) {
      fail(path + " must be a non-empty array of non-negative integers");
    }
    std::vector<int64_t> out;
    out.reserve(ids.size());
    for (const json& id : ids) {
      out.push_back(intIn(id, path, 0, kInt64Max, "a non-empty array of non-negative integers"));
      if (c.numSymbols > 0 && out.back() >= c.numSymbols) {
        fail(path + " has id " + std::to_string(out.back()) + ", not below num_symbols (" +
             std::to_string(c.numSymbols) + ")");
      }
    }
    c.phonemeIdMap[item.key()] = std::move(out);
  }
  for (const char* special : {"_", "^", "$"}) {
    if (c.phonemeIdMap.count(special) == 0) {
      fail(keyPath("phoneme_id_map", special) +
           " is required (Piper's pad \"_\", BOS \"^\" and EOS \"$\")");
    }
  }
}

std::vector<std::string> stringList(const json& value, const std::string& path, size_t minSize) {
  const std::string what = "an array of at least " + std::to_string(minSize) + " non-empty strings";
  if (!value.is_array() || value.size() < minSize) fail(path + " must be " + what);
  std::vector<std::string> out;
  for (const json& s : value) {
    if (!s.is_string() || s.get_ref<const std::string&>().empty()) fail(path + " must be " + what);
    out.push_back(s.get<std::string>());
  }
  return out;
}

void readPhonemeMapAndClusters(const json& root, VoiceConfig& c) {
  if (const json* map = optionalObject(root, "phoneme_map", "phoneme_map")) {
    for (const auto& item : map->items()) {
      if (item.key().empty()) fail("phoneme_map has an empty phoneme key");
      c.phonemeMap[item.key()] = stringList(item.value(), keyPath("phoneme_map", item.key()), 0);
    }
  }
  const json* clusters = member(root, "vowel_clusters");
  if (clusters == nullptr || clusters->is_null()) return;  // piper1-gpl: falsy -> no merging
  if (!clusters->is_array()) fail("vowel_clusters must be an array of phoneme arrays");
  for (size_t i = 0; i < clusters->size(); ++i) {
    const std::string path = "vowel_clusters[" + std::to_string(i) + "]";
    std::vector<std::string> cluster = stringList((*clusters)[i], path, 2);
    std::string joined;
    for (const std::string& p : cluster) joined += p;
    // Piper would log "missing phoneme" and drop the merged vowel: refuse such a voice instead.
    if (c.phonemeIdMap.count(joined) == 0) {
      fail(path + " joins to " + json(joined).dump() + ", which is not a key of phoneme_id_map");
    }
    c.vowelClusters.push_back(std::move(cluster));
  }
}

void readSpeakers(const json& root, VoiceConfig& c) {
  if (const json* n = member(root, "num_speakers")) {
    c.numSpeakers = intIn(*n, "num_speakers", 1, kInt32Max, "a positive integer");
  }
  const std::string range = "an integer in [0, " + std::to_string(c.numSpeakers - 1) +
                            "] (num_speakers is " + std::to_string(c.numSpeakers) + ")";
  if (const json* map = optionalObject(root, "speaker_id_map", "speaker_id_map")) {
    for (const auto& item : map->items()) {
      c.speakerIdMap[item.key()] =
          intIn(item.value(), keyPath("speaker_id_map", item.key()), 0, c.numSpeakers - 1, range);
    }
  }
  if (const json* d = member(root, "default_speaker_id")) {
    c.defaultSpeakerId = intIn(*d, "default_speaker_id", 0, c.numSpeakers - 1, range);
  }
}

void readDescriptive(const json& root, VoiceConfig& c) {
  if (const json* h = member(root, "hop_length")) {
    c.hopLength = static_cast<int32_t>(intIn(*h, "hop_length", 1, kInt32Max, "a positive integer"));
  }
  const json* lang = optionalObject(root, "language", "language");
  readOptionalString(lang, "code", "language.code", c.language.code);
  readOptionalString(lang, "family", "language.family", c.language.family);
  readOptionalString(lang, "region", "language.region", c.language.region);
  readOptionalString(lang, "name_native", "language.name_native", c.language.nameNative);
  readOptionalString(lang, "name_english", "language.name_english", c.language.nameEnglish);
  readOptionalString(lang, "country_english", "language.country_english",
                     c.language.countryEnglish);
  readOptionalString(&root, "piper_version", "piper_version", c.piperVersion);
  readOptionalString(&root, "dataset", "dataset", c.dataset);
}

VoiceConfig fromJson(const json& root) {
  if (!root.is_object()) fail("voice config must be a JSON object");
  VoiceConfig c;
  readAudio(root, c);

  if (const json* t = member(root, "phoneme_type"))
    c.phonemeType = stringAt(*t, "phoneme_type", false);
  const json* espeak = optionalObject(root, "espeak", "espeak");
  const json* voice = espeak ? member(*espeak, "voice") : nullptr;
  if (voice != nullptr) {
    c.espeakVoice = stringAt(*voice, "espeak.voice", c.phonemeType != "espeak");
  } else if (c.phonemeType == "espeak") {
    fail("espeak.voice is required when phoneme_type is \"espeak\" (e.g. \"en-us\")");
  }

  if (const json* n = member(root, "num_symbols")) {
    c.numSymbols = intIn(*n, "num_symbols", 1, kInt64Max, "a positive integer");
  }
  readPhonemeIdMap(root, c);
  readPhonemeMapAndClusters(root, c);

  const json* inference = optionalObject(root, "inference", "inference");
  c.noiseScale = readScale(inference, "noise_scale", c.noiseScale, true);
  c.lengthScale = readScale(inference, "length_scale", c.lengthScale, false);
  c.noiseW = readScale(inference, "noise_w", c.noiseW, true);

  readSpeakers(root, c);
  readDescriptive(root, c);
  return c;
}

json stringOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

VoiceConfig VoiceConfig::parse(std::string_view text) {
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 2: ...";
    // keep the position and reason, drop the library's id.
    std::string what = e.what();
    const size_t close = what.find("] ");
    if (what.rfind("[json.exception.", 0) == 0 && close != std::string::npos) {
      what = what.substr(close + 2);
    }
    fail("voice config is not valid JSON: " + what);
  }
  try {
    return fromJson(root);
  } catch (const json::exception& e) {
    // Every value is type-checked before it is read, so this is a bug here, not a bad file.
    throw Error(ErrorCode::kInternal, std::string("voice config: unexpected ") + e.what());
  }
}

int64_t VoiceConfig::speakerIdFor(const std::string& nameOrNumber) const {
  if (nameOrNumber.empty()) return defaultSpeakerId;
  auto named = speakerIdMap.find(nameOrNumber);
  if (named != speakerIdMap.end()) return named->second;

  bool digits = nameOrNumber.size() <= 18;
  for (char ch : nameOrNumber) digits = digits && ch >= '0' && ch <= '9';
  if (digits) {
    const int64_t id = std::stoll(nameOrNumber);
    if (id < numSpeakers) return id;
  }

  std::string message =
      "unknown speaker " + json(nameOrNumber).dump(-1, ' ', false, json::error_handler_t::replace);
  if (numSpeakers <= 1) {
    message += ": this voice has a single speaker (use \"\" or \"0\")";
  } else {
    message += ": this voice has " + std::to_string(numSpeakers) + " speakers, ids 0.." +
               std::to_string(numSpeakers - 1);
    if (!speakerIdMap.empty()) {
      message += ", names e.g. ";
      int shown = 0;
      for (const auto& entry : speakerIdMap) {
        if (shown == 5) break;
        message += (shown++ ? ", " : "") + json(entry.first).dump();
      }
      if (speakerIdMap.size() > 5) message += ", ...";
    }
  }
  throw Error(ErrorCode::kInvalidArgument, message);
}

std::string VoiceConfig::toJson() const {
  std::vector<std::pair<int64_t, std::string>> byId;
  for (const auto& entry : speakerIdMap) byId.emplace_back(entry.second, entry.first);
  std::sort(byId.begin(), byId.end());
  json speakers = json::array();
  for (const auto& s : byId) speakers.push_back({{"name", s.second}, {"id", s.first}});

  json lang = json::object();
  const std::pair<const char*, const std::string*> fields[] = {
      {"code", &language.code},
      {"family", &language.family},
      {"region", &language.region},
      {"nameNative", &language.nameNative},
      {"nameEnglish", &language.nameEnglish},
      {"countryEnglish", &language.countryEnglish}};
  for (const auto& f : fields) {
    if (!f.second->empty()) lang[f.first] = *f.second;
  }

  json out = {
      {"sampleRate", sampleRate},
      {"quality", stringOrNull(quality)},
      {"phonemeType", phonemeType},
      {"espeakVoice", stringOrNull(espeakVoice)},
      {"numSymbols", numSymbols > 0 ? json(numSymbols) : json(nullptr)},
      {"phonemeCount", phonemeIdMap.size()},
      {"hasVowelClusters", !vowelClusters.empty()},
      {"numSpeakers", numSpeakers},
      {"defaultSpeakerId", defaultSpeakerId},
      {"speakers", std::move(speakers)},
      {"defaults", {{"noiseScale", noiseScale}, {"lengthScale", lengthScale}, {"noiseW", noiseW}}},
      {"hopLength", hopLength},
      {"piperVersion", stringOrNull(piperVersion)},
      {"dataset", stringOrNull(dataset)},
      {"language", std::move(lang)},
  };
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace avatar_voice
