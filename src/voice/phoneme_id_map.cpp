#include "voice/phoneme_id_map.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/error.h"

namespace avatar_voice {
namespace {

const char kPad[] = "_";
const char kBos[] = "^";
const char kEos[] = "$";

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if it is not well-formed.
size_t decodeUtf8(const std::string& s, size_t i, uint32_t& cp) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  size_t len = b0 < 0x80           ? 1
               : (b0 >> 5) == 0x6  ? 2
               : (b0 >> 4) == 0xE  ? 3
               : (b0 >> 3) == 0x1E ? 4
                                   : 0;
  if (len == 0 || i + len > s.size()) return 0;
  cp = len == 1 ? b0 : b0 & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// `"ʬ" (U+02AC)`: the symbol made printable (escapes for controls, quotes and bad bytes) and its
// codepoints, so a combining mark that renders as nothing is still identifiable in a log.
std::string describeSymbol(const std::string& symbol) {
  std::string shown = "\"";
  std::string codes = " (";
  char buf[16];
  bool reportedInvalid = false;
  for (size_t i = 0; i < symbol.size();) {
    uint32_t cp = 0;
    const size_t len = decodeUtf8(symbol, i, cp);
    if (len == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(symbol[i]));
      shown += buf;
      if (!reportedInvalid) codes += (codes.size() > 2 ? " " : "") + std::string("invalid UTF-8");
      reportedInvalid = true;
      ++i;
      continue;
    }
    if (cp < 0x20 || cp == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
      shown += buf;
    } else if (cp == '"' || cp == '\\') {
      shown += '\\';
      shown += static_cast<char>(cp);
    } else {
      shown.append(symbol, i, len);
    }
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    codes += (codes.size() > 2 ? " " : "") + std::string(buf);
    i += len;
  }
  return shown + "\"" + codes + ")";
}

std::string where(const Phoneme& p, size_t index) {
  if (p.textStart >= 0) return "at text offset " + std::to_string(p.textStart);
  return "at phoneme index " + std::to_string(index);
}

// One phoneme after vowel-cluster merging: its key and the input run it came from.
struct Unit {
  std::string symbol;
  int32_t first;  // input index
  int32_t count;  // input phonemes merged
  int32_t textStart;
  int32_t textEnd;
};

void validate(const std::map<std::string, std::vector<int64_t>>& table,
              const std::vector<std::vector<std::string>>& clusters) {
  auto fail = [](const std::string& m) { throw Error(ErrorCode::kInvalidVoiceConfig, m); };
  for (const char* special : {kPad, kBos, kEos}) {
    if (table.count(special) == 0) {
      fail(std::string("phoneme_id_map[\"") + special + "\"] is required");
    }
  }
  for (const auto& entry : table) {
    if (entry.first.empty()) fail("phoneme_id_map has an empty phoneme key");
    if (entry.second.empty() ||
        std::any_of(entry.second.begin(), entry.second.end(), [](int64_t id) { return id < 0; })) {
      fail("phoneme_id_map[" + describeSymbol(entry.first) +
           "] must be a non-empty array of non-negative integers");
    }
  }
  for (const auto& cluster : clusters) {
    std::string joined;
    for (const auto& p : cluster) joined += p;
    if (cluster.size() < 2 || std::any_of(cluster.begin(), cluster.end(),
                                          [](const std::string& p) { return p.empty(); })) {
      fail("vowel_clusters entries must have at least 2 non-empty phonemes");
    }
    if (table.count(joined) == 0) {
      fail("vowel_clusters entry " + describeSymbol(joined) + " is not a key of phoneme_id_map");
    }
  }
}

void append(PhonemeIds& out, const std::vector<int64_t>& ids, const IdOrigin& origin) {
  for (int64_t id : ids) {
    out.ids.push_back(id);
    out.origins.push_back(origin);
  }
}

}  // namespace

PhonemeIdMap::PhonemeIdMap(const VoiceConfig& config)
    : PhonemeIdMap(config.phonemeIdMap, config.vowelClusters) {}

PhonemeIdMap::PhonemeIdMap(std::map<std::string, std::vector<int64_t>> table,
                           std::vector<std::vector<std::string>> vowelClusters) {
  validate(table, vowelClusters);
  table_ = std::move(table);
  for (auto& cluster : vowelClusters) {
    longestCluster_ = std::max(longestCluster_, cluster.size());
    clusters_.insert(std::move(cluster));
  }
}

const std::vector<int64_t>* PhonemeIdMap::idsFor(const std::string& symbol) const {
  auto it = table_.find(symbol);
  return it == table_.end() ? nullptr : &it->second;
}

PhonemeIds PhonemeIdMap::toIds(const std::vector<Phoneme>& sentence) const {
  // 1. Vowel clusters: greedy, longest run first at each position (piper1-gpl
  //    _merge_known_vowel_clusters), only for voices whose config lists clusters.
  std::vector<Unit> units;
  units.reserve(sentence.size());
  std::vector<std::string> run;
  for (size_t i = 0; i < sentence.size();) {
    size_t taken = 1;
    const size_t maxLen = std::min(longestCluster_, sentence.size() - i);
    for (size_t n = maxLen; n >= 2; --n) {
      run.clear();
      for (size_t k = 0; k < n; ++k) run.push_back(sentence[i + k].symbol);
      if (clusters_.count(run) > 0) {
        taken = n;
        break;
      }
    }
    Unit u{"", static_cast<int32_t>(i), static_cast<int32_t>(taken), -1, -1};
    for (size_t k = i; k < i + taken; ++k) {
      const Phoneme& p = sentence[k];
      u.symbol += p.symbol;
      if (p.textStart >= 0)
        u.textStart = u.textStart < 0 ? p.textStart : std::min(u.textStart, p.textStart);
      if (p.textEnd >= 0) u.textEnd = std::max(u.textEnd, p.textEnd);
    }
    units.push_back(std::move(u));
    i += taken;
  }

  // 2. Ids: BOS PAD { ids(p) PAD } EOS.
  const std::vector<int64_t>& pad = table_.at(kPad);
  PhonemeIds out;
  out.ids.reserve(2 * units.size() + 3);
  out.origins.reserve(2 * units.size() + 3);

  IdOrigin special;  // role set below; every index -1
  special.role = IdRole::kBos;
  append(out, table_.at(kBos), special);
  special.role = IdRole::kPad;
  append(out, pad, special);

  for (const Unit& u : units) {
    const Phoneme& firstInput = sentence[static_cast<size_t>(u.first)];
    if (u.symbol.empty()) {
      out.warnings.push_back("empty phoneme skipped " + where(firstInput, u.first));
      continue;
    }
    const std::vector<int64_t>* ids = idsFor(u.symbol);
    if (ids == nullptr) {
      out.warnings.push_back("missing phoneme " + describeSymbol(u.symbol) + " " +
                             where(firstInput, u.first));
      continue;
    }
    IdOrigin origin;
    origin.role = IdRole::kPhoneme;
    origin.phonemeIndex = u.first;
    origin.phonemeCount = u.count;
    origin.ownerIndex = u.first;
    origin.textStart = u.textStart;
    origin.textEnd = u.textEnd;
    append(out, *ids, origin);

    IdOrigin padOrigin;
    padOrigin.role = IdRole::kPad;
    padOrigin.ownerIndex = u.first;
    append(out, pad, padOrigin);
  }

  special.role = IdRole::kEos;
  append(out, table_.at(kEos), special);
  return out;
}

}  // namespace avatar_voice
