#include "text/unicode_nfd.h"

#include <algorithm>  // lower_bound, upper_bound
#include <cstdint>
#include <iterator>
#include <vector>

#include "core/error.h"

namespace avatar_voice {
namespace {

// Generated at build time by scripts/gen_unicode_nfd.py (the layouts of the packed arrays are
// described there); found on the include path of the build folder.
#include "unicode_nfd_data.inc"

// Hangul syllables decompose arithmetically (Unicode section 3.12), which keeps 11,172 entries out
// of the table.
constexpr char32_t kHangulSBase = 0xAC00;
constexpr char32_t kHangulLBase = 0x1100;
constexpr char32_t kHangulVBase = 0x1161;
constexpr char32_t kHangulTBase = 0x11A7;
constexpr char32_t kHangulVCount = 21;
constexpr char32_t kHangulTCount = 28;
constexpr char32_t kHangulNCount = kHangulVCount * kHangulTCount;
constexpr char32_t kHangulSCount = 19 * kHangulNCount;

constexpr char32_t kMaxCodepoint = 0x10FFFF;

bool isScalarValue(char32_t cp) { return cp <= kMaxCodepoint && (cp < 0xD800 || cp > 0xDFFF); }

// Callers can put anything into a char32_t; rejecting non-scalars keeps every output encodable.
void requireScalarValue(char32_t cp) {
  if (!isScalarValue(cp)) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string hex;
    for (int shift = 28; shift >= 0; shift -= 4) hex += kHex[(cp >> shift) & 0xF];
    throw Error(ErrorCode::kInvalidArgument, "not a Unicode scalar value: 0x" + hex);
  }
}

uint8_t combiningClass(char32_t cp) {
  if (cp < kFirstNonStarter || cp >= kCombiningEnd) return 0;  // ASCII and IPA letters land here
  // Last range whose first codepoint is <= cp: search past every range starting at cp.
  const uint32_t probe =
      (static_cast<uint32_t>(cp) << kCombiningFirstShift) | ((1u << kCombiningFirstShift) - 1);
  const uint32_t* it =
      std::upper_bound(std::begin(kCombiningClassRanges), std::end(kCombiningClassRanges), probe);
  if (it == std::begin(kCombiningClassRanges)) return 0;
  const uint32_t range = *(it - 1);
  const char32_t first = range >> kCombiningFirstShift;
  const uint32_t countMask = (1u << (kCombiningFirstShift - kCombiningCountShift)) - 1;
  const uint32_t count = ((range >> kCombiningCountShift) & countMask) + 1;
  return cp - first < count ? static_cast<uint8_t>(range & 0xFF) : 0;
}

// Appends the full canonical decomposition of cp (or cp itself) to out.
void appendDecomposition(char32_t cp, std::u32string& out) {
  const char32_t s = cp - kHangulSBase;  // wraps for cp < kHangulSBase, so one compare suffices
  if (s < kHangulSCount) {
    out += kHangulLBase + s / kHangulNCount;
    out += kHangulVBase + (s % kHangulNCount) / kHangulTCount;
    if (s % kHangulTCount != 0) out += kHangulTBase + s % kHangulTCount;
    return;
  }
  const uint32_t key = static_cast<uint32_t>(cp) << kDecompositionKeyShift;  // cp <= 0x10FFFF fits
  const uint32_t* it =
      std::lower_bound(std::begin(kDecompositionKeys), std::end(kDecompositionKeys), key);
  if (it == std::end(kDecompositionKeys) || (*it >> kDecompositionKeyShift) != cp) {
    out += cp;
    return;
  }
  const uint32_t entry = *it;
  const uint32_t planeMask = (1u << (kDecompositionKeyShift - kDecompositionPlaneShift)) - 1;
  const char32_t plane = (entry >> kDecompositionPlaneShift) & planeMask;
  out += (plane << 16) | kDecompositionFirst[it - std::begin(kDecompositionKeys)];
  const uint32_t tail = entry & ((1u << kDecompositionPlaneShift) - 1);
  out.append(kDecompositionTails + kDecompositionTailStart[tail],
             kDecompositionTails + kDecompositionTailStart[tail + 1]);
}

// Canonical ordering: within each run of non-starters, stable-sort by combining class. Most runs
// are one mark or already ordered and are left alone without copying anything.
void orderCombiningMarks(std::u32string& s) {
  struct Mark {
    uint8_t combiningClass;
    char32_t cp;
  };
  std::vector<Mark> run;
  for (size_t i = 0; i < s.size();) {
    uint8_t previous = combiningClass(s[i]);
    if (previous == 0) {
      ++i;
      continue;
    }
    const size_t start = i;
    bool ordered = true;
    for (++i; i < s.size(); ++i) {
      const uint8_t current = combiningClass(s[i]);
      if (current == 0) break;
      ordered = ordered && previous <= current;
      previous = current;
    }
    if (ordered) continue;
    // Stable counting sort on the class: linear even for an adversarial run of thousands of marks,
    // and a fraction of the code std::stable_sort instantiates (that cost ~4.5 KB of wasm).
    size_t next[256] = {};  // first a count per class, then the next output slot for that class
    run.clear();
    for (size_t k = start; k < i; ++k) {
      run.push_back({combiningClass(s[k]), s[k]});
      ++next[run.back().combiningClass];
    }
    size_t slot = start;
    for (size_t& entry : next) {
      const size_t count = entry;
      entry = slot;
      slot += count;
    }
    for (const Mark& mark : run) s[next[mark.combiningClass]++] = mark.cp;
  }
}

// Length (1-4) of the well-formed sequence starting at utf8[i] with its value in *cp, or 0 when
// the sequence is ill-formed. Follows Unicode Table 3-7: the allowed range of the second byte
// depends on the lead byte, which is what excludes overlongs, surrogates and > U+10FFFF.
size_t decodeSequence(std::string_view utf8, size_t i, char32_t* cp) {
  const unsigned char lead = static_cast<unsigned char>(utf8[i]);
  if (lead < 0x80) {
    *cp = lead;
    return 1;
  }
  size_t length = 0;
  char32_t value = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // below: overlong
    if (lead == 0xED) high = 0x9F;  // above: UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // below: overlong
    if (lead == 0xF4) high = 0x8F;  // above: beyond U+10FFFF
  } else {
    return 0;  // continuation byte, C0/C1 (always overlong) or F5..FF
  }
  if (utf8.size() - i < length) return 0;  // truncated
  for (size_t k = 1; k < length; ++k) {
    const unsigned char byte = static_cast<unsigned char>(utf8[i + k]);
    if (byte < low || byte > high) return 0;
    low = 0x80;
    high = 0xBF;
    value = (value << 6) | (byte & 0x3F);
  }
  *cp = value;
  return length;
}

void appendUtf8(char32_t cp, std::string& out) {
  requireScalarValue(cp);
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::u32string toNfd(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (char32_t cp : s) {
    if (cp < kFirstDecomposable) {
      out += cp;
      continue;
    }
    requireScalarValue(cp);
    appendDecomposition(cp, out);
  }
  orderCombiningMarks(out);
  return out;
}

std::u32string decodeUtf8(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    char32_t cp = 0;
    const size_t length = decodeSequence(utf8, i, &cp);
    if (length == 0) {
      throw Error(ErrorCode::kInvalidUtf8, "invalid UTF-8 at byte " + std::to_string(i));
    }
    out += cp;
    i += length;
  }
  return out;
}

bool isValidUtf8(std::string_view utf8, size_t* errorOffset) {
  for (size_t i = 0; i < utf8.size();) {
    char32_t cp = 0;
    const size_t length = decodeSequence(utf8, i, &cp);
    if (length == 0) {
      if (errorOffset != nullptr) *errorOffset = i;
      return false;
    }
    i += length;
  }
  return true;
}

std::string encodeUtf8(char32_t codepoint) {
  std::string out;
  appendUtf8(codepoint, out);
  return out;
}

std::string encodeUtf8(std::u32string_view codepoints) {
  std::string out;
  out.reserve(codepoints.size());
  for (char32_t cp : codepoints) appendUtf8(cp, out);
  return out;
}

}  // namespace avatar_voice
