// A Piper voice's `.onnx.json`, parsed and checked once, before any inference.
//
//   avatar_voice::VoiceConfig config = avatar_voice::VoiceConfig::parse(jsonText);
//   int64_t sid = config.speakerIdFor("p239");   // a name from speaker_id_map, or "12"
//   std::string summary = config.toJson();       // small JSON for the TypeScript side
//   avatar_voice::PhonemeIdMap ids(config);      // see phoneme_id_map.h
//
// Ownership: parse() only reads `json` during the call; the returned VoiceConfig is a plain value
// that owns all its strings and maps. It is immutable in use, so const methods are thread-safe.
//
// Errors: anything unusable throws Error(ErrorCode::kInvalidVoiceConfig, message) where the
// message names the JSON path ("audio.sample_rate must be a positive integer") or, for text that
// is not JSON, the parser's line/column. Unknown fields are ignored (real configs carry "dataset",
// "language.country_english", "inference.phoneme_silence", ...). Never a silent default for a
// required field; the defaults below are Piper's own (src/piper/config.py in OHF-Voice/piper1-gpl).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace avatar_voice {

// "language" block of a config; a field is empty when the config does not have it.
struct VoiceLanguage {
  std::string code;            // "en_US"
  std::string family;          // "en"
  std::string region;          // "US"
  std::string nameNative;      // "English"
  std::string nameEnglish;     // "English"
  std::string countryEnglish;  // "United States"
};

struct VoiceConfig {
  // --- audio ---
  int32_t sampleRate = 0;  // audio.sample_rate, required, > 0
  std::string quality;     // audio.quality ("x_low", "low", "medium", "high"); "" if absent

  // --- phonemes ---
  // phoneme_type: "espeak" when absent. Other values ("text", "pinyin", "hebrew", "japanese",
  // ...) are stored as-is; whether they can be phonemized is decided elsewhere.
  std::string phonemeType = "espeak";
  // espeak.voice: required when phonemeType is "espeak"; "" for other types if absent.
  std::string espeakVoice;
  // phoneme_id_map: phoneme (one or more UTF-8 codepoints) -> ids. Required, contains "_" (pad),
  // "^" (BOS) and "$" (EOS); every list is non-empty; every id is >= 0 and < numSymbols if given.
  std::map<std::string, std::vector<int64_t>> phonemeIdMap;
  // vowel_clusters (piper1-gpl >= 1.5): runs of phonemes merged into one before id mapping, e.g.
  // {"a", "ɪ"} -> "aɪ". Empty when absent. Each joined cluster is a key of phonemeIdMap.
  std::vector<std::vector<std::string>> vowelClusters;
  // phoneme_map: stored and validated only. No Piper runtime applies it (piper1-gpl never reads
  // it; rhasspy/piper parses it but does not pass it to the phonemizer), and every Piper training
  // script writes it as {}. Applying it would give ids the voice was not trained on.
  std::map<std::string, std::vector<std::string>> phonemeMap;
  int64_t numSymbols =
      0;  // num_symbols; 0 when absent (Piper requires it; we only use it to check)

  // --- inference defaults (inference.*) ---
  double noiseScale = 0.667;  // inference.noise_scale, >= 0
  double lengthScale = 1.0;   // inference.length_scale, > 0
  double noiseW = 0.8;        // inference.noise_w, >= 0

  // --- speakers ---
  int64_t numSpeakers = 1;                      // num_speakers (>= 1); 1 when absent
  std::map<std::string, int64_t> speakerIdMap;  // speaker_id_map, ids in [0, numSpeakers)
  int64_t defaultSpeakerId = 0;                 // default_speaker_id (piper1-gpl >= 1.5)

  // --- timing ---
  // hop_length: audio samples per decoder frame, used to turn per-id durations into samples.
  // Top-level only, as piper1-gpl reads and writes it; `audio.hop_length` is not consulted
  // because no Piper version writes it there. 256 when absent (every released Piper voice).
  int32_t hopLength = 256;

  // --- descriptive ---
  VoiceLanguage language;
  std::string piperVersion;  // piper_version; "" if absent
  std::string dataset;       // dataset ("lessac"); "" if absent

  // Parses and validates a whole config. Throws Error(kInvalidVoiceConfig).
  static VoiceConfig parse(std::string_view json);

  bool isMultiSpeaker() const { return numSpeakers > 1; }

  // The sid to feed the model. Accepts, in this order: a name from speaker_id_map (names win:
  // LibriTTS voices use numeric names like "3922" that map to other ids), a decimal speaker id
  // in [0, numSpeakers), or "" for defaultSpeakerId. Throws Error(kInvalidArgument) naming a few
  // valid speakers otherwise. For single-speaker voices the model takes no sid at all (Piper
  // drops it); this still returns 0 for "" or "0".
  int64_t speakerIdFor(const std::string& nameOrNumber) const;

  // Summary for the TS layer (no phoneme map):
  // {"sampleRate","quality","phonemeType","espeakVoice","numSymbols","phonemeCount",
  //  "hasVowelClusters","numSpeakers","defaultSpeakerId","speakers":[{"name","id"}] (by id),
  //  "defaults":{"noiseScale","lengthScale","noiseW"},"hopLength","piperVersion","dataset",
  //  "language":{only the fields present: "code","family","region","nameNative",...}}
  // Absent optional strings and numSymbols are null.
  std::string toJson() const;
};

}  // namespace avatar_voice
