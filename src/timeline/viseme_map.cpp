// The phoneme → viseme table. docs/visemes.md is the commentary: keep both in step.
//
// Azure ids follow Microsoft's en-US text-to-speech phonetic set (the "VisemeID" column; e.g.
// θ → 19, ð → 17, ɚ → 1, ʔ → 19 after their ar-EG row), extended by articulatory analogy to the
// rest of Piper's symbol set. OVR ids follow the Oculus viseme reference (aa "car", E "bed",
// ih "tip", oh "toe", ou "book"; nn covers n and l; CH covers ʃ ʒ tʃ dʒ).
#include "timeline/viseme_map.h"

#include <unordered_map>

#include "core/error.h"

namespace avatar_voice {
namespace {

struct Row {
  const char* symbol;
  PhonemeRole role;
  int oculus;
  int azure;
  bool reduced;
};

constexpr PhonemeRole kArt = PhonemeRole::kArticulated;
constexpr int kInherit = kInheritNextViseme;

constexpr Row art(const char* s, int ovr, int az) { return {s, kArt, ovr, az, false}; }
constexpr Row weak(const char* s, int ovr, int az) { return {s, kArt, ovr, az, true}; }
constexpr Row pause(const char* s) { return {s, PhonemeRole::kPause, kOvrSil, 0, false}; }
constexpr Row gap(const char* s) { return {s, PhonemeRole::kWordGap, kOvrSil, 0, false}; }
constexpr Row before(const char* s) { return {s, PhonemeRole::kPrecedingMark, kOvrSil, 0, false}; }
constexpr Row after(const char* s) { return {s, PhonemeRole::kFollowingMark, kOvrSil, 0, false}; }

// clang-format off
constexpr Row kRows[] = {
  // --- Pads and punctuation: silence --------------------------------------------------------
  pause("_"), pause("^"), pause("$"),
  pause("."), pause(","), pause("?"), pause("!"), pause(";"), pause(":"),
  pause("("), pause(")"), pause("#"),
  // --- Word gaps: silence only when long (VisemeTimelineOptions::wordGapSilenceMs) ----------
  gap(" "), gap("-"),
  // --- Preceding marks: stress (IPA ˈ ˌ; ' and " are the ASCII/X-SAMPA stand-ins), pitch -----
  before("ˈ"), before("ˌ"), before("'"), before("\""), before("↓"), before("↑"),
  // --- Following marks: length, rhotic hook, secondary articulations, tone digits -----------
  after("ː"), after("ˑ"), after("˞"), after("ʰ"), after("ʲ"), after("ʷ"), after("ˤ"),
  after("0"), after("1"), after("2"), after("3"), after("4"),
  after("5"), after("6"), after("7"), after("8"), after("9"),
  // Combining diacritics in Piper's map (any other U+0300–U+036F is handled by range too).
  after("\u0327"), after("\u0303"), after("\u032A"), after("\u032F"), after("\u0329"),
  after("\u033A"), after("\u033B"), after("\u031D"), after("\u030A"),

  // --- Bilabials: lips closed or nearly closed ----------------------------------------------
  art("p", kOvrPP, 21), art("b", kOvrPP, 21), art("m", kOvrPP, 21),
  art("ɓ", kOvrPP, 21), art("ʙ", kOvrPP, 21), art("ɸ", kOvrPP, 21), art("β", kOvrPP, 21),
  art("ʘ", kOvrPP, 21),
  // --- Labiodentals: upper teeth on lower lip -----------------------------------------------
  art("f", kOvrFF, 18), art("v", kOvrFF, 18), art("ɱ", kOvrFF, 18), art("ʋ", kOvrFF, 18),
  art("ⱱ", kOvrFF, 18),
  // --- Dentals: Azure puts θ with t/d/n (19) and keeps 17 for ð ----------------------------
  art("θ", kOvrTH, 19), art("ð", kOvrTH, 17),
  // --- Alveolar / retroflex stops and taps; the glottal stop stands in for t in en-US -------
  art("t", kOvrDD, 19), art("d", kOvrDD, 19), art("ɾ", kOvrDD, 19), art("ʈ", kOvrDD, 19),
  art("ɖ", kOvrDD, 19), art("ɗ", kOvrDD, 19), art("ɽ", kOvrDD, 19), art("ʔ", kOvrDD, 19),
  art("ǀ", kOvrDD, 19), art("ǃ", kOvrDD, 19),
  // --- Nasals (Azure groups n with t/d; OVR has nn) -----------------------------------------
  art("n", kOvrNN, 19), art("ɳ", kOvrNN, 19), art("ɲ", kOvrNN, 19),
  // --- Laterals -----------------------------------------------------------------------------
  art("l", kOvrNN, 14), art("ɫ", kOvrNN, 14), art("ɭ", kOvrNN, 14), art("ʎ", kOvrNN, 14),
  art("ʟ", kOvrNN, 14), art("ɬ", kOvrNN, 14), art("ɮ", kOvrNN, 14), art("ɺ", kOvrNN, 14),
  art("ǁ", kOvrNN, 14),
  // --- Velars, palatal stops, uvular stops and fricatives -----------------------------------
  art("k", kOvrKK, 20), art("g", kOvrKK, 20), art("ɡ", kOvrKK, 20), art("ŋ", kOvrKK, 20),
  art("c", kOvrKK, 20), art("ɟ", kOvrKK, 20), art("q", kOvrKK, 20), art("ɢ", kOvrKK, 20),
  art("ɠ", kOvrKK, 20), art("ʛ", kOvrKK, 20), art("ʄ", kOvrKK, 20), art("ɴ", kOvrKK, 20),
  art("x", kOvrKK, 20), art("ɣ", kOvrKK, 20), art("χ", kOvrKK, 20), art("X", kOvrKK, 20),
  art("ǂ", kOvrKK, 20),
  // --- Sibilants ----------------------------------------------------------------------------
  art("s", kOvrSS, 15), art("z", kOvrSS, 15), art("ʦ", kOvrSS, 15),
  art("ʃ", kOvrCH, 16), art("ʒ", kOvrCH, 16), art("ʂ", kOvrCH, 16), art("ʐ", kOvrCH, 16),
  art("ɕ", kOvrCH, 16), art("ʑ", kOvrCH, 16), art("ç", kOvrCH, 16), art("ɧ", kOvrCH, 16),
  // --- Glottal / pharyngeal: Azure 12; OVR borrows the next vowel's shape -------------------
  art("h", kInherit, 12), art("ɦ", kInherit, 12), art("ħ", kInherit, 12),
  art("ʕ", kInherit, 12), art("ʜ", kInherit, 12), art("ʢ", kInherit, 12),
  art("ʡ", kInherit, 12),
  // --- Rhotics ------------------------------------------------------------------------------
  art("ɹ", kOvrRR, 13), art("r", kOvrRR, 13), art("ɻ", kOvrRR, 13), art("ʀ", kOvrRR, 13),
  art("ʁ", kOvrRR, 13),
  // --- Glides -------------------------------------------------------------------------------
  art("w", kOvrOU, 7), art("ʍ", kOvrOU, 7), art("ɥ", kOvrOU, 7),
  art("j", kOvrIH, 6), art("ʝ", kOvrIH, 6), art("ɰ", kOvrIH, 6),

  // --- Close front / central vowels: spread lips --------------------------------------------
  art("i", kOvrIH, 6), art("ɪ", kOvrIH, 6), art("ɨ", kOvrIH, 6), art("ɯ", kOvrIH, 6),
  weak("ᵻ", kOvrIH, 6),
  // --- Close rounded vowels: pucker ---------------------------------------------------------
  art("u", kOvrOU, 7), art("y", kOvrOU, 7), art("ʏ", kOvrOU, 7), art("ʉ", kOvrOU, 7),
  art("ʊ", kOvrOU, 4),
  // --- Mid front / central unrounded --------------------------------------------------------
  art("e", kOvrE, 4), art("ɛ", kOvrE, 4), art("ε", kOvrE, 4), art("ɘ", kOvrE, 4),
  art("ɤ", kOvrE, 4),
  // --- Mid rounded --------------------------------------------------------------------------
  art("o", kOvrOH, 8), art("ø", kOvrOH, 8), art("ɵ", kOvrOH, 8),
  art("ɔ", kOvrOH, 3), art("œ", kOvrOH, 3), art("ɞ", kOvrOH, 3), art("ɒ", kOvrOH, 3),
  art("ɶ", kOvrOH, 3),
  // --- R-coloured / NURSE vowels ------------------------------------------------------------
  art("ɜ", kOvrRR, 5), art("ɝ", kOvrRR, 5), weak("ɚ", kOvrRR, 1),
  // --- Open and central vowels --------------------------------------------------------------
  art("æ", kOvrAA, 1), art("ʌ", kOvrAA, 1), art("a", kOvrAA, 2), art("ɑ", kOvrAA, 2),
  weak("ə", kOvrAA, 1), weak("ɐ", kOvrAA, 1),
  // --- piper1-gpl diphthong keys (vowel_clusters voices): the onset shape -------------------
  art("aɪ", kOvrAA, 11), art("aʊ", kOvrAA, 9), art("ɔɪ", kOvrOH, 10),
  art("eɪ", kOvrE, 4), art("oʊ", kOvrOH, 8),
};
// clang-format on

constexpr const char* kOculusNames[] = {"sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS",
                                        "nn",  "RR", "aa", "E",  "ih", "oh", "ou"};
constexpr const char* kAzureNames[] = {
    "silence", "ae_ax_ah", "aa", "ao", "ey_eh_uh", "er", "y_iy_ih_ix", "w_uw",
    "ow",      "aw",       "oy", "ay", "h",        "r",  "l",          "s_z",
    "sh_ch_jh_zh", "th_dh", "f_v", "d_t_n", "k_g_ng", "p_b_m"};

const std::unordered_map<std::string_view, const Row*>& rowIndex() {
  static const auto* index = [] {
    auto* map = new std::unordered_map<std::string_view, const Row*>();
    for (const Row& row : kRows) map->emplace(row.symbol, &row);
    return map;
  }();
  return *index;
}

// Decodes `text` into codepoints; false on malformed UTF-8 (overlongs, surrogates, > U+10FFFF).
bool decodeUtf8(std::string_view text, std::vector<char32_t>& out) {
  out.clear();
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    int extra;
    char32_t cp;
    if (lead < 0x80) { extra = 0; cp = lead; }
    else if (lead >= 0xC2 && lead <= 0xDF) { extra = 1; cp = lead & 0x1F; }
    else if (lead >= 0xE0 && lead <= 0xEF) { extra = 2; cp = lead & 0x0F; }
    else if (lead >= 0xF0 && lead <= 0xF4) { extra = 3; cp = lead & 0x07; }
    else return false;
    if (i + static_cast<size_t>(extra) >= text.size() && extra > 0) return false;  // truncated
    for (int k = 1; k <= extra; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      if ((byte & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (byte & 0x3F);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    out.push_back(cp);
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

bool isCombiningMark(char32_t cp) { return cp >= 0x0300 && cp <= 0x036F; }

// Byte length of the first codepoint of valid UTF-8 text.
size_t firstCodepointBytes(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

PhonemeVisemes toVisemes(const Row& row) {
  return {row.role, row.oculus, row.azure, row.reduced};
}

}  // namespace

int visemeCount(VisemeSet set) { return set == VisemeSet::kOculus15 ? 15 : 22; }

const char* visemeName(VisemeSet set, int viseme) {
  if (viseme < 0 || viseme >= visemeCount(set))
    throw Error(ErrorCode::kInvalidArgument,
                "viseme id " + std::to_string(viseme) + " is outside the set");
  return set == VisemeSet::kOculus15 ? kOculusNames[viseme] : kAzureNames[viseme];
}

bool isLipContactViseme(VisemeSet set, int viseme) {
  if (set == VisemeSet::kOculus15) return viseme == kOvrPP || viseme == kOvrFF;
  return viseme == 21 || viseme == 18;
}

std::optional<PhonemeVisemes> lookupPhoneme(std::string_view phoneme) {
  std::vector<char32_t> cps;
  if (!decodeUtf8(phoneme, cps))
    throw Error(ErrorCode::kInvalidUtf8, "phoneme is not valid UTF-8");
  if (cps.empty()) return std::nullopt;
  const auto& index = rowIndex();
  if (auto it = index.find(phoneme); it != index.end()) return toVisemes(*it->second);
  if (cps.size() == 1) {
    if (isCombiningMark(cps[0])) return PhonemeVisemes{PhonemeRole::kFollowingMark, 0, 0, false};
    return std::nullopt;
  }
  // "n̩", "iː", "t̪": an articulated base followed only by modifiers maps like the base.
  const size_t baseBytes = firstCodepointBytes(phoneme);
  auto base = index.find(phoneme.substr(0, baseBytes));
  if (base == index.end() || base->second->role != PhonemeRole::kArticulated) return std::nullopt;
  size_t offset = baseBytes;
  for (size_t k = 1; k < cps.size(); ++k) {
    const size_t bytes = firstCodepointBytes(phoneme.substr(offset));
    auto mark = index.find(phoneme.substr(offset, bytes));
    const bool following =
        isCombiningMark(cps[k]) ||
        (mark != index.end() && mark->second->role == PhonemeRole::kFollowingMark);
    if (!following) return std::nullopt;
    offset += bytes;
  }
  return toVisemes(*base->second);
}

int visemeFor(const PhonemeVisemes& visemes, VisemeSet set) {
  return set == VisemeSet::kOculus15 ? visemes.oculus : visemes.azure;
}

std::optional<int> azureDiphthongViseme(std::string_view first, std::string_view second) {
  if (first == "a" && second == "ɪ") return 11;
  if (first == "a" && second == "ʊ") return 9;
  if (first == "ɔ" && second == "ɪ") return 10;
  return std::nullopt;
}

std::vector<std::string> knownPhonemes() {
  std::vector<std::string> out;
  for (const Row& row : kRows) out.emplace_back(row.symbol);
  return out;
}

}  // namespace avatar_voice
