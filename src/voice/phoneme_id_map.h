// Phonemes of one sentence -> the int64 ids a Piper VITS model takes as `input`, exactly as Piper
// builds them, plus where every id came from (for durations, visemes and word highlighting).
//
//   avatar_voice::PhonemeIdMap map(config);  // config: a parsed VoiceConfig
//   avatar_voice::PhonemeIds out = map.toIds({{"h", 0, 1}, {"ɛ", 1, 2}, {"l", 2, 3}});
//   // out.ids     == {1, 0, 20, 0, 61, 0, 24, 0, 2}   (standard map: ^ _ h _ ɛ _ l _ $)
//   // out.origins[2] == {kPhoneme, phonemeIndex 0, phonemeCount 1, ownerIndex 0, text 0..1}
//   for (const std::string& w : out.warnings) log(w);  // e.g. a phoneme the voice lacks
//
// Layout (piper1-gpl src/piper/phoneme_ids.py `phonemes_to_ids`, which training also uses):
//
//   BOS  PAD  { ids(p0) PAD }  { ids(p1) PAD }  ...  { ids(pN-1) PAD }  EOS
//
// i.e. a pad right after BOS, one pad after ALL the ids of each phoneme (not after each id), and
// no extra pad before EOS (the pad of the last phoneme is the one in front of it). An empty
// sentence gives BOS PAD EOS, as Piper's function does (Piper itself never synthesizes an empty
// sentence; callers should skip it too). BOS/PAD/EOS are the id lists of "^", "_" and "$".
// Unknown phonemes are skipped, with no pad, and reported in `warnings`: Piper does the same.
//
// Vowel clusters: when the voice config has `vowel_clusters`, runs of input phonemes such as
// "a" "ɪ" are first merged into the single key "aɪ" (longest run first, left to right), as
// piper1-gpl's _merge_known_vowel_clusters does. The mere presence of multi-codepoint keys in the
// map does NOT trigger merging: piper1-gpl writes the diphthong keys into every voice it trains,
// but only merges (in training and inference) when vowel_clusters is set, so such ids were never
// seen by other voices. Phonemes that already arrive as a multi-codepoint key are looked up as is.
//
// Input symbols must already be what the voice was trained on: single NFD codepoints from espeak
// (or whole keys); no normalization happens here. `phoneme_map` from the config is not applied:
// no Piper runtime applies it (see voice_config.h).
//
// Ownership: PhonemeIdMap copies the table out of the config; it is immutable, so toIds() may be
// called from several threads. PhonemeIds is a value that owns its vectors; nothing in it points
// into the input sentence.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "voice/voice_config.h"

namespace avatar_voice {

struct Phoneme {
  std::string symbol;      // one or more codepoints, UTF-8
  int32_t textStart = -1;  // byte offsets [textStart, textEnd) in the source text; -1 if unknown
  int32_t textEnd = -1;
};

enum class IdRole : uint8_t {
  kBos,      // the ids of "^"
  kPad,      // the ids of "_" (after BOS and after each phoneme)
  kPhoneme,  // an id of an input phoneme (or of a merged vowel cluster)
  kEos,      // the ids of "$"
};

// Where ids[i] came from. "Input" below means the sentence passed to toIds().
struct IdOrigin {
  IdRole role = IdRole::kPad;
  // kPhoneme: index of the input phoneme (the first one of a merged cluster); otherwise -1.
  int32_t phonemeIndex = -1;
  // kPhoneme: how many consecutive input phonemes from phonemeIndex this id stands for (1, or
  // the cluster length when merged); otherwise 0.
  int32_t phonemeCount = 0;
  // The input phoneme whose audio this id is part of under Piper's alignment rule
  // (voice.py: a phoneme owns its ids AND the pad that follows them). Equals phonemeIndex for
  // kPhoneme; the preceding phoneme for its pad; -1 for BOS, the pad after BOS, and EOS.
  int32_t ownerIndex = -1;
  // kPhoneme: byte span in the source text (union over a merged cluster); otherwise -1.
  int32_t textStart = -1;
  int32_t textEnd = -1;
};

struct PhonemeIds {
  std::vector<int64_t> ids;           // model input, in order
  std::vector<IdOrigin> origins;      // origins.size() == ids.size()
  std::vector<std::string> warnings;  // human-readable, one per skipped input phoneme
};

class PhonemeIdMap {
 public:
  // Takes config.phonemeIdMap and config.vowelClusters (already validated by VoiceConfig::parse).
  explicit PhonemeIdMap(const VoiceConfig& config);

  // From a bare table (e.g. a test fixture). Validates what VoiceConfig::parse validates for
  // these two fields; throws Error(kInvalidVoiceConfig) otherwise.
  explicit PhonemeIdMap(std::map<std::string, std::vector<int64_t>> table,
                        std::vector<std::vector<std::string>> vowelClusters = {});

  // One sentence -> ids in Piper's layout (see top of file). Never throws for any input.
  PhonemeIds toIds(const std::vector<Phoneme>& sentence) const;

  // The ids of one key, or nullptr if the voice does not have it.
  const std::vector<int64_t>* idsFor(const std::string& symbol) const;

  size_t size() const { return table_.size(); }
  bool mergesVowelClusters() const { return !clusters_.empty(); }

 private:
  std::map<std::string, std::vector<int64_t>> table_;
  std::set<std::vector<std::string>> clusters_;
  size_t longestCluster_ = 0;
};

}  // namespace avatar_voice
