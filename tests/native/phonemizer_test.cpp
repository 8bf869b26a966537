// Phonemizer against the native espeak-ng CLI built from the same 1.52 source (run at test time).
#include "phonemize/phonemizer.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <string_view>
#include <string>

#include "core/error.h"
#include "native_test_env.h"
#include "text/unicode_nfd.h"

namespace avatar_voice {
namespace {

// Same normalisation on both sides: the CLI prints one line per sentence-ish chunk.
std::string collapseSpaces(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      space = false;
      out.push_back(c);
    }
  }
  return out;
}

std::string joinSymbols(const PhonemizedSentence& s) {
  std::string out;
  for (const auto& p : s.phonemes) out += p.symbol;
  return out;
}

std::string withoutStress(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    // ˈ U+02C8 = CB 88, ˌ U+02CC = CB 8C
    if (i + 1 < s.size() && s[i] == '\xCB' && (s[i + 1] == '\x88' || s[i + 1] == '\x8C')) {
      ++i;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

// Piper's phonemes as the CLI prints them: a clause terminator Piper restores (one of . , ? ! ; :
// followed by a space or the end) is the CLI's clause break; every other symbol, stress included,
// stays. The English corpus has no combining marks, so NFD (ours) and the CLI's text agree.
std::string asCliPrints(const PhonemizedText& text) {
  std::string joined;
  for (const auto& s : text.sentences) {
    if (!joined.empty()) joined += ' ';
    joined += joinSymbols(s);
  }
  std::string out;
  for (size_t i = 0; i < joined.size(); ++i) {
    const bool mark = std::string_view(".,?!;:").find(joined[i]) != std::string_view::npos;
    if (mark && (i + 1 == joined.size() || joined[i + 1] == ' ')) continue;
    out.push_back(joined[i]);
  }
  return collapseSpaces(out);
}

// The CLI prints a clause's phonemes after CalcPitches() (it is synthesizing), which puts a
// primary stress on the tonic word of some questions ("are ðˈeɪ?"). Piper reads phonemes through
// espeak_TextToPhonemes*, which never runs CalcPitches, and so do we. These sentences, and only
// these, differ from the CLI, and only by that mark (tests/js/core.test.ts pins the same two).
const std::set<std::string> kCliSynthesisStressOnly = {
    "They're not coming to the party, are they?",
    "Hmm?",
};

TEST(Phonemizer, MatchesNativeCliForEveryCorpusSentenceButThePinnedOnes) {
  const auto corpus = testenv::readLines(testenv::fixturePath("english_corpus.txt"));
  ASSERT_EQ(corpus.size(), 240u);
  Phonemizer phonemizer(testenv::engine());
  size_t identical = 0;
  for (const std::string& sentence : corpus) {
    const std::string cli = collapseSpaces(testenv::runCli(sentence, "en-us"));
    const std::string ours = asCliPrints(phonemizer.phonemize(sentence));
    if (kCliSynthesisStressOnly.count(sentence)) {
      EXPECT_NE(ours, cli) << "pinned sentence now matches: unpin it: " << sentence;
      EXPECT_EQ(withoutStress(ours), withoutStress(cli)) << "sentence: " << sentence;
      continue;
    }
    EXPECT_EQ(ours, cli) << "sentence: " << sentence;
    if (ours == cli) ++identical;
  }
  std::printf("[ corpus ] %zu/%zu identical to the espeak-ng 1.52 CLI; %zu pinned (CLI-only stress)\n",
              identical, corpus.size(), kCliSynthesisStressOnly.size());
  EXPECT_EQ(identical, corpus.size() - kCliSynthesisStressOnly.size());
}

TEST(Phonemizer, KeepsPiperPunctuationAndSplitsSentences) {
  Phonemizer phonemizer(testenv::engine());
  const PhonemizedText result = phonemizer.phonemize("Hello, world. How are you?");
  ASSERT_EQ(result.sentences.size(), 2u);
  const std::string first = joinSymbols(result.sentences[0]);
  const std::string second = joinSymbols(result.sentences[1]);
  EXPECT_NE(first.find(", "), std::string::npos) << first;
  EXPECT_EQ(first.back(), '.') << first;
  EXPECT_EQ(second.back(), '?') << second;
  // Each symbol is a single codepoint.
  for (const auto& p : result.sentences[0].phonemes) {
    const unsigned char lead = static_cast<unsigned char>(p.symbol[0]);
    const size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    EXPECT_EQ(p.symbol.size(), n) << p.symbol;
  }
}

TEST(Phonemizer, OffsetsPointIntoTheOriginalText) {
  Phonemizer phonemizer(testenv::engine());
  const std::string text = "  Good\tmorning,  friend!";
  const PhonemizedText result = phonemizer.phonemize(text);
  ASSERT_EQ(result.sentences.size(), 1u);
  const auto& phonemes = result.sentences[0].phonemes;
  ASSERT_FALSE(phonemes.empty());
  EXPECT_EQ(text.substr(phonemes.front().textStart,
                        phonemes.front().textEnd - phonemes.front().textStart),
            "Good");
  EXPECT_EQ(text.substr(phonemes.back().textStart,
                        phonemes.back().textEnd - phonemes.back().textStart),
            "friend!");
}

// espeak's clause reader keeps the second "." of a text ending in ".." for "next time"; unless
// each text starts afresh, the next one begins with "dot" (dˈɑːt). Oracle: the same text
// phonemized first, before anything could be left over (piper-phonemize in a fresh module agrees:
// "Hello there." → həlˈoʊ ðˈɛɹ.).
TEST(Phonemizer, EachTextStartsAfreshAfterATrailingEllipsis) {
  Phonemizer phonemizer(testenv::engine());
  const std::string fresh = joinSymbols(phonemizer.phonemize("Hello there.").sentences.at(0));
  EXPECT_EQ(fresh, "həlˈoʊ ðˈɛɹ.");
  for (const char* before : {"Hello. World..", "Wait..", "So.. .."}) {
    phonemizer.phonemize(before);
    EXPECT_EQ(joinSymbols(phonemizer.phonemize("Hello there.").sentences.at(0)), fresh) << before;
  }
}

TEST(Phonemizer, EmptyAndWhitespaceTextGiveNoSentences) {
  Phonemizer phonemizer(testenv::engine());
  EXPECT_TRUE(phonemizer.phonemize("").sentences.empty());
  EXPECT_TRUE(phonemizer.phonemize(" \n\t ").sentences.empty());
}

TEST(Phonemizer, RawPhonemeBlocksPassThrough) {
  Phonemizer phonemizer(testenv::engine());
  const PhonemizedText result = phonemizer.phonemize("Say [[ h ə l ˈ oʊ ]] now.");
  ASSERT_EQ(result.sentences.size(), 1u);
  const std::string joined = joinSymbols(result.sentences[0]);
  EXPECT_NE(joined.find(" h ə l ˈ oʊ "), std::string::npos) << joined;
}

TEST(Phonemizer, TypedErrors) {
  Phonemizer phonemizer(testenv::engine());
  try {
    phonemizer.phonemize("abc\xff");
    FAIL() << "invalid UTF-8 accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidUtf8);
  }
  PhonemizeOptions small;
  small.maxChars = 5;
  try {
    phonemizer.phonemize("123456", small);
    FAIL() << "long text accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kTextTooLong);
    EXPECT_NE(std::string(e.what()).find('5'), std::string::npos);
  }
  PhonemizeOptions klingon;
  klingon.voice = "tlh-nonexistent";
  try {
    phonemizer.phonemize("hello", klingon);
    FAIL() << "unknown voice accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kLanguageUnavailable);
    EXPECT_NE(std::string(e.what()).find("tlh-nonexistent"), std::string::npos);
  }
}

TEST(Phonemizer, AnyValidUtf8NeverCrashes) {
  Phonemizer phonemizer(testenv::engine());
  const char* inputs[] = {"❤️ 👍🏽 ok", "中文 文本", "مرحبا بالعالم", "ǅemal Æsir ŉ", "a\u200db",
                          "\u202eabc", "....", "?!?!", "[[", "]] [[ ]]", "(en) (", "1,000,000.5"};
  for (const char* text : inputs) {
    EXPECT_NO_THROW(phonemizer.phonemize(text)) << text;
  }
}

// Property: any valid UTF-8 phonemizes without crashing; any byte string either phonemizes or is
// rejected as INVALID_UTF8 — never another error, never a crash.
TEST(Phonemizer, RandomTextNeverCrashes) {
  Phonemizer phonemizer(testenv::engine());
  std::mt19937 rng(20261126);
  auto pick = [&](uint32_t lo, uint32_t hi) { return std::uniform_int_distribution<uint32_t>(lo, hi)(rng); };
  for (int i = 0; i < 1500; ++i) {
    std::u32string cps;
    const int length = static_cast<int>(pick(0, 60));
    for (int k = 0; k < length; ++k) {
      const uint32_t kind = pick(0, 9);
      char32_t c = kind < 5 ? pick(0x20, 0x7E)                    // ASCII text and punctuation
                   : kind < 7 ? pick(0xA0, 0x2FFF)                // Latin, IPA, Greek, symbols
                   : kind < 8 ? pick(0x1F300, 0x1FAFF)            // emoji
                              : pick(0, 0x10FFFF);                // anything
      if (c >= 0xD800 && c <= 0xDFFF) c = U'x';
      cps.push_back(c);
    }
    const std::string text = encodeUtf8(cps);
    EXPECT_NO_THROW(phonemizer.phonemize(text)) << "case " << i;
  }
  for (int i = 0; i < 500; ++i) {
    std::string bytes(pick(0, 40), '\0');
    for (char& b : bytes) b = static_cast<char>(pick(0, 255));
    try {
      phonemizer.phonemize(bytes);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidUtf8) << "case " << i << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace avatar_voice
