// The one table from Piper/espeak-ng phoneme symbols to mouth shapes (visemes), for two sets:
// Meta/Oculus OVR 15 and Microsoft/Azure 22. docs/visemes.md explains every row.
//
//   std::optional<PhonemeVisemes> v = lookupPhoneme("ʃ");       // UTF-8, one Piper phoneme
//   v->role == PhonemeRole::kArticulated;
//   visemeFor(*v, VisemeSet::kOculus15) == 6;                  // "CH"
//   visemeFor(*v, VisemeSet::kAzure22) == 16;                  // sh, ch, jh, zh
//   visemeName(VisemeSet::kOculus15, 6);                        // "CH"
//   lookupPhoneme("ˈ")->role == PhonemeRole::kPrecedingMark;    // stress: no shape of its own
//   lookupPhoneme("☃") == std::nullopt;                         // unknown: caller decides
//
// Keys are what Piper feeds its model: single codepoints after NFD (espeak-ng IPA, punctuation,
// space, the pads _ ^ $) plus the five multi-codepoint diphthong keys of piper1-gpl's map. Any
// combining mark U+0300–U+036F is a following modifier even when it has no row, and a base symbol
// followed only by modifiers in one string ("n̩", "iː") maps like its base.
//
// Everything here is constant data: no allocation after first use, safe from any thread. Returned
// strings are static.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace avatar_voice {

enum class VisemeSet {
  kOculus15,  // sil PP FF TH DD kk CH SS nn RR aa E ih oh ou  (ids 0..14)
  kAzure22,   // Microsoft viseme ids 0 (silence) .. 21 (p, b, m)
};

// Id 0 is silence in both sets.
constexpr int kSilenceViseme = 0;

// OVR 15 ids, in the order of the Oculus Lipsync SDK / OpenXR XR_META_face_tracking_visemes.
enum OculusViseme : int {
  kOvrSil = 0, kOvrPP, kOvrFF, kOvrTH, kOvrDD, kOvrKK, kOvrCH, kOvrSS,
  kOvrNN, kOvrRR, kOvrAA, kOvrE, kOvrIH, kOvrOH, kOvrOU,
};

// Marks a row whose shape is borrowed from the next articulated phoneme (OVR has no shape for
// glottal h: the lips already form the following vowel). Resolved by VisemeTimeline.
constexpr int kInheritNextViseme = -1;

// How a symbol takes part in a timeline.
enum class PhonemeRole {
  kArticulated,    // has its own mouth shape
  kPause,          // punctuation and the pads _ ^ $: always silence
  kWordGap,        // space and hyphen: silence only when long enough to be a real pause
  kPrecedingMark,  // stress marks (ˈ ˌ ' ") and pitch arrows: time goes to the NEXT phoneme
  kFollowingMark,  // length ː ˑ, rhotic ˞, secondary articulations ʰ ʲ ʷ ˤ, combining
                   // diacritics, tone digits: time goes to the PREVIOUS phoneme
};

struct PhonemeVisemes {
  PhonemeRole role;
  int oculus;    // 0..14 or kInheritNextViseme; kSilenceViseme for non-articulated roles
  int azure;     // 0..21; kSilenceViseme for non-articulated roles
  bool reduced;  // weak vowel (ə ɐ ᵻ ɚ): drawn with VisemeTimelineOptions::reducedVowelWeight
};

// Number of ids in a set: 15 or 22.
int visemeCount(VisemeSet set);

// "sil", "PP", ... for OVR; "silence", "ae_ax_ah", ..., "p_b_m" for Azure (after the SAPI 5
// SPVISEMES comments). Throws Error(kInvalidArgument) for an id outside the set.
const char* visemeName(VisemeSet set, int viseme);

// True for shapes a viewer notices when they are missing: the lip closure of p/b/m and the
// lip-to-teeth contact of f/v (OVR PP, FF; Azure 21, 18). Never merged away by default.
bool isLipContactViseme(VisemeSet set, int viseme);

// The row for one phoneme (UTF-8). std::nullopt when the symbol is unknown (the timeline's
// UnknownPhonemePolicy decides). Throws Error(kInvalidUtf8) for malformed UTF-8.
std::optional<PhonemeVisemes> lookupPhoneme(std::string_view phoneme);

// The id for `set`; may be kInheritNextViseme for OVR.
int visemeFor(const PhonemeVisemes& visemes, VisemeSet set);

// Azure documents aɪ (11), aʊ (9) and ɔɪ (10) as one viseme each, while eɪ, oʊ, ju are two
// (4→6, 8→4, 6→7). When Piper splits a diphthong into two phonemes, this gives the id that BOTH
// halves take, or std::nullopt when the pair is not one of those three.
std::optional<int> azureDiphthongViseme(std::string_view first, std::string_view second);

// Every key of the table, in table order (for tests and docs).
std::vector<std::string> knownPhonemes();

}  // namespace avatar_voice
