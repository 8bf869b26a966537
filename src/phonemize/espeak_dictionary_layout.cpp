#include "phonemize/espeak_dictionary_layout.h"

#include <string_view>

#include "core/error.h"
#include "text/unicode_nfd.h"

namespace avatar_voice {
namespace {

// Mirrors of espeak-ng 1.52's translate.h constants (the file's layout depends on them).
constexpr uint32_t kHashLists = 1024;     // N_HASH_DICT
constexpr uint32_t kMaxRulesOffset = 0x8000000;
constexpr size_t kMaxPhonemeBytes = 160;  // N_PHONEME_BYTES: LookupDict2 asserts below it
constexpr size_t kMaxTwoLetterGroups = 120;  // N_RULE_GROUP2
constexpr size_t kMaxOffsetGroups = 128;     // groups3[]
constexpr uint8_t kGroupStart = 6, kGroupEnd = 7, kLetterGroup2 = 18, kReplacements = 20;
// Rule codes (translate.h RULE_*) that MatchRule follows with argument bytes.
constexpr uint8_t kPhonemes = 3, kCondition = 5, kLineNumber = 9, kEnding = 14, kLetterGroup = 17,
                  kDollar = 28;
constexpr int kLetterGroups = 8;        // tr->letter_groups[8], indexed by a RULE_LETTERGP group
constexpr int kLetterGroupLists = 95;   // N_LETTER_GROUPS: tr->letterGroups[], by RULE_LETTERGP2
constexpr int kConditions = 64;         // 1L << (n - 32): 32-bit long in wasm

class DictionaryWalk {
 public:
  DictionaryWalk(const uint8_t* data, size_t size, const std::string& name)
      : d_(data), size_(size), name_(name) {}

  void run() {
    // LoadDictionary refuses files up to this size itself; anything that passes it is walked.
    if (size_ <= kHashLists + 8) fail("shorter than its hash table header");
    if (u32(0) != kHashLists) fail("hash table size is not 1024");
    const uint32_t rules = u32(4);
    if (rules == 0 || rules > kMaxRulesOffset || rules >= size_) fail("rules offset outside the file");
    hashLists(rules);
    ruleGroups(rules);
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(ErrorCode::kInvalidArgument, "invalid espeak-ng dictionary " + name_ + ": " + why);
  }
  uint32_t u32(size_t at) const {
    return uint32_t(d_[at]) | uint32_t(d_[at + 1]) << 8 | uint32_t(d_[at + 2]) << 16 |
           uint32_t(d_[at + 3]) << 24;
  }
  // Offset of the NUL ending the string at `at`, which must lie before `end`.
  size_t stringEnd(size_t at, size_t end, const char* what) const {
    for (size_t i = at; i < end; ++i)
      if (d_[i] == 0) return i;
    fail(std::string("unterminated ") + what + " at byte " + std::to_string(at));
  }

  // 1024 lists of entries, each list ending with a 0 byte, all before the rules.
  void hashLists(size_t rules) const {
    size_t p = 8;
    for (uint32_t list = 0; list < kHashLists; ++list) {
      for (;;) {
        if (p >= rules) fail("hash list " + std::to_string(list) + " runs into the rules");
        const size_t length = d_[p];
        if (length == 0) break;
        entry(p, length, rules);
        p += length;
      }
      ++p;
    }
  }

  // What LookupDict2 reads of one entry: word length byte, word, phoneme string (unless the
  // "no phonemes" bit is set), all inside the entry's own length.
  void entry(size_t p, size_t length, size_t rules) const {
    const std::string at = " at byte " + std::to_string(p);
    if (length < 2 || p + length > rules) fail("entry length out of bounds" + at);
    const size_t wordEnd = p + 2 + (d_[p + 1] & 0x3f);
    if (wordEnd > p + length) fail("word longer than its entry" + at);
    size_t flags = wordEnd;
    if ((d_[p + 1] & 0x80) == 0) {
      const size_t nul = stringEnd(wordEnd, p + length, "phoneme string");
      if (nul - wordEnd >= kMaxPhonemeBytes) fail("phoneme string too long" + at);
      flags = nul + 1;
    }
    // The flag bytes after the phonemes: LookupDict2 shifts by them (1 << (flag - 100) for a
    // condition, 1L << (flag - 32) for a flag bit; long is 32 bits in wasm). Found by
    // espeak_dictionary_fuzz: flag 244 shifted an int by 112.
    for (; flags < p + length; ++flags) {
      const int flag = d_[flags];
      if (flag > 80 && flag < 100) break;  // "skip n words": the rest is the following words' text
      const bool ok = flag >= 132 ? flag - 132 < 31 : flag >= 100 ? flag - 100 < 31 : flag != 64;
      if (!ok) fail("entry flag " + std::to_string(flag) + " out of range" + at);
    }
  }

  // The .replace table as FindReplacementChars walks it while translating text: pairs of
  // NUL-terminated UTF-8 strings (from non-empty, to possibly empty) until 4 NUL bytes at a pair
  // boundary. A table that is only terminated byte-wise (what InitGroups looks for) let that
  // walk run past the end of the file (found by espeak_dictionary_fuzz).
  void replacements(size_t p, size_t end) const {
    for (;;) {
      if (p + 4 > end) fail("unterminated replacement table");
      if (!d_[p] && !d_[p + 1] && !d_[p + 2] && !d_[p + 3]) return;
      const size_t fromEnd = stringEnd(p, end, "replacement");
      if (fromEnd == p) fail("empty replacement at byte " + std::to_string(p));
      const size_t toEnd = stringEnd(fromEnd + 1, end, "replacement");
      if (!isValidUtf8(std::string_view(reinterpret_cast<const char*>(d_ + p), toEnd - p)))
        fail("replacement is not UTF-8 at byte " + std::to_string(p));
      p = toEnd + 1;
    }
  }

  // The match part of one rule (before RULE_PHONEMES), as MatchRule reads it: the group byte
  // after RULE_LETTERGP / RULE_LETTERGP2 indexes fixed arrays (letter_groups[8],
  // letterGroups[95]) unchecked, and a condition number is a shift count.
  void rule(size_t p, size_t nul) const {
    auto argument = [&](size_t at) {
      if (at >= nul) fail("rule code without its argument at byte " + std::to_string(at));
      return static_cast<int>(d_[at]);
    };
    auto group = [](int byte) { return byte >= 'A' ? byte - 'A' : byte - 'A' + 256; };  // LetterGroupNo
    while (p < nul) {
      const uint8_t code = d_[p];
      if (code == kPhonemes) return;  // the rest are phoneme codes
      if (code == kLetterGroup || code == kLetterGroup2) {
        const int g = group(argument(p + 1));
        if (g >= (code == kLetterGroup ? kLetterGroups : kLetterGroupLists))
          fail("rule names letter group " + std::to_string(g) + " at byte " + std::to_string(p));
        p += 2;
      } else if (code == kCondition) {
        if (argument(p + 1) >= kConditions) fail("rule condition out of range at byte " + std::to_string(p));
        p += 2;
      } else if (code == kDollar) {
        argument(p + 1);
        p += 2;
      } else if (code == kLineNumber) {
        argument(p + 2);
        p += 3;
      } else if (code == kEnding) {
        argument(p + 3);
        p += 4;
      } else {
        ++p;
      }
    }
  }

  // InitGroups' walk over the rule groups, with the bounds it does not check.
  void ruleGroups(size_t p) const {
    const size_t end = size_;
    size_t twoLetter = 0;
    if (d_[p] == kGroupEnd) return;  // a dictionary without rules
    for (;;) {
      if (p >= end) fail("rule groups run past the end");
      if (d_[p] == 0) return;
      if (d_[p] != kGroupStart) fail("rule group does not start with 6 at byte " + std::to_string(p));
      ++p;
      if (p >= end) fail("rule group runs past the end");
      if (d_[p] == kReplacements) {
        p = (p + 4) & ~size_t{3};  // InitGroups aligns the address; malloc'd data is aligned
        replacements(p, end);
        for (;; ++p) {             // until 4 NUL bytes in a row
          if (p + 4 > end) fail("unterminated replacement table");
          if (!d_[p] && !d_[p + 1] && !d_[p + 2] && !d_[p + 3]) break;
        }
        for (; d_[p] != kGroupEnd; ++p)
          if (p + 1 >= end) fail("unterminated replacement group");
        ++p;
        continue;
      }
      if (d_[p] == kLetterGroup2) {
        p += 2;
      } else {
        const size_t nameEnd = stringEnd(p, end, "rule group name");
        const size_t length = nameEnd - p;
        if (length >= 2 && d_[p] == 1 && (d_[p + 1] == 0 || d_[p + 1] - 1u >= kMaxOffsetGroups))
          fail("rule group letter offset out of range");
        if (length >= 2 && d_[p] != 1 && ++twoLetter > kMaxTwoLetterGroups)
          fail("more than 120 two-letter rule groups");
        p = nameEnd + 1;
      }
      // The rules of the group: NUL-terminated strings until a 7.
      for (;;) {
        if (p >= end) fail("rule group runs past the end");
        if (d_[p] == kGroupEnd) break;
        const size_t nul = stringEnd(p, end, "rule");
        rule(p, nul);
        p = nul + 1;
      }
      ++p;
    }
  }

  const uint8_t* d_;
  size_t size_;
  std::string name_;
};

}  // namespace

void requireValidEspeakDictionary(const uint8_t* data, size_t size, const std::string& name) {
  DictionaryWalk(data, size, name).run();
}

}  // namespace avatar_voice
