// NFD must match Python's unicodedata.normalize("NFD", ...) exactly, because Piper's phoneme ids
// were produced from that; UTF-8 decoding must reject what Python rejects, at the same offset.
#include "text/unicode_nfd.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"

// Directory of the UCD files the tables were generated from (CMake passes the one it used), for
// the conformance test against NormalizationTest.txt of the same release.
#ifndef AV_UNICODE_DIR
#define AV_UNICODE_DIR "/usr/share/unicode"
#endif

namespace avatar_voice {
namespace {

std::string hex(std::u32string_view s) {
  std::string out;
  char buffer[16];
  for (char32_t cp : s) {
    std::snprintf(buffer, sizeof buffer, "%s%04X", out.empty() ? "" : " ",
                  static_cast<unsigned>(cp));
    out += buffer;
  }
  return out;
}

std::u32string parseHex(const std::string& text) {
  std::u32string out;
  std::istringstream in(text);
  std::string word;
  while (in >> word) out += static_cast<char32_t>(std::stoul(word, nullptr, 16));
  return out;
}

enum class CommandResult { kSucceeded, kFailed, kUnsupported };

// Collects the whole stdout of a shell command. kUnsupported when this platform cannot start
// processes at all (the same suite built with Emscripten and run under node), so callers skip.
CommandResult runCommand(const std::string& command, std::string* output) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return CommandResult::kUnsupported;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, n);
  return pclose(pipe) == 0 ? CommandResult::kSucceeded : CommandResult::kFailed;
}

TEST(UnicodeNfdTest, KnownDecompositions) {
  EXPECT_EQ(hex(toNfd(U"\u00E7")), "0063 0327");              // ç
  EXPECT_EQ(hex(toNfd(U"\u00E3")), "0061 0303");              // ã
  EXPECT_EQ(hex(toNfd(U"\u01D6")), "0075 0308 0304");         // ǖ = ü + macron, two levels
  EXPECT_EQ(hex(toNfd(U"\u212B")), "0041 030A");              // ANGSTROM SIGN via Å
  EXPECT_EQ(hex(toNfd(U"\u2126")), "03A9");                   // OHM SIGN, a singleton
  EXPECT_EQ(hex(toNfd(U"\u1F82")), "03B1 0313 0300 0345");    // four codepoints, three levels
  EXPECT_EQ(hex(toNfd(U"\u0344")), "0308 0301");              // a mark that is two marks
  EXPECT_EQ(hex(toNfd(U"\U0001D160")), "1D158 1D165 1D16E");  // supplementary tail
  EXPECT_EQ(hex(toNfd(U"\U0002F803")), "20122");              // plane-2 result
}

TEST(UnicodeNfdTest, HangulIsDecomposedArithmetically) {
  EXPECT_EQ(hex(toNfd(U"\uAC00")), "1100 1161");       // 가: LV
  EXPECT_EQ(hex(toNfd(U"\uAC01")), "1100 1161 11A8");  // 각: LVT
  EXPECT_EQ(hex(toNfd(U"\uD7A3")), "1112 1175 11C2");  // last syllable
  EXPECT_EQ(hex(toNfd(U"\uD7A4")), "D7A4");            // just past the block: unchanged
}

TEST(UnicodeNfdTest, CombiningMarksAreCanonicallyOrdered) {
  // ḋ (d + dot above, class 230) followed by dot below (220): the 220 mark moves first.
  EXPECT_EQ(hex(toNfd(U"\u1E0B\u0323")), "0064 0323 0307");
  // Marks of equal class keep their order (the sort is stable); 220 still moves before both.
  EXPECT_EQ(hex(toNfd(U"a\u0301\u0300\u0323")), "0061 0323 0301 0300");
  // Five marks of four classes (230, 240, 220, 230, 216), equal classes in input order.
  EXPECT_EQ(hex(toNfd(U"a\u0301\u0345\u0323\u0300\u031B")), "0061 031B 0323 0301 0300 0345");
  // A starter ends a run: nothing moves across "b".
  EXPECT_EQ(hex(toNfd(U"a\u0301b\u0323")), "0061 0301 0062 0323");
  // A run with no starter before it, at the very start of the text.
  EXPECT_EQ(hex(toNfd(U"\u0301\u0323x")), "0323 0301 0078");
  // A long reversed run takes the sort path rather than the already-ordered shortcut.
  std::u32string marks;
  for (int i = 0; i < 1000; ++i) marks += (i % 2 == 0) ? U'\u0301' : U'\u0323';
  const std::u32string ordered = toNfd(marks);
  EXPECT_EQ(ordered.substr(0, 500), std::u32string(500, U'\u0323'));
  EXPECT_EQ(ordered.substr(500), std::u32string(500, U'\u0301'));
}

TEST(UnicodeNfdTest, AsciiAndIpaAreUnchanged) {
  const std::u32string ipa = U"həlˈoʊ wˈɜːld ɐ ə ɹ ɾ ʃ ʒ θ ð ŋ ɡ ʔ ˈ ˌ ː ˑ ɪ ʊ æ ɑ ɔ ɛ ʌ ɚ ɝ";
  EXPECT_EQ(toNfd(ipa), ipa);
  for (char32_t cp = 0; cp < 0x80; ++cp) {
    EXPECT_EQ(toNfd(std::u32string(1, cp)), std::u32string(1, cp));
  }
  // IPA Extensions and Spacing Modifier Letters have no canonical decompositions at all.
  for (char32_t cp = 0x250; cp < 0x300; ++cp) {
    EXPECT_EQ(toNfd(std::u32string(1, cp)), std::u32string(1, cp)) << hex(std::u32string(1, cp));
  }
  EXPECT_EQ(toNfd(U""), U"");
}

TEST(UnicodeNfdTest, RejectsNonScalarValues) {
  for (char32_t bad : {char32_t{0xD800}, char32_t{0xDFFF}, char32_t{0x110000}}) {
    try {
      toNfd(std::u32string(1, bad));
      ADD_FAILURE() << "no throw for " << hex(std::u32string(1, bad));
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    }
    EXPECT_THROW(encodeUtf8(bad), Error);
  }
}

TEST(Utf8Test, RoundTripsEveryScalarValue) {
  std::u32string all;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp < 0xD800 || cp > 0xDFFF) all += cp;
  }
  const std::string utf8 = encodeUtf8(all);
  EXPECT_TRUE(isValidUtf8(utf8));
  EXPECT_EQ(decodeUtf8(utf8), all);
}

TEST(Utf8Test, EncodesLengthBoundaries) {
  EXPECT_EQ(encodeUtf8(U'\u007F'), "\x7F");
  EXPECT_EQ(encodeUtf8(U'\u0080'), "\xC2\x80");
  EXPECT_EQ(encodeUtf8(U'\u07FF'), "\xDF\xBF");
  EXPECT_EQ(encodeUtf8(U'\u0800'), "\xE0\xA0\x80");
  EXPECT_EQ(encodeUtf8(U'\uD7FF'), "\xED\x9F\xBF");
  EXPECT_EQ(encodeUtf8(U'\uFFFF'), "\xEF\xBF\xBF");
  EXPECT_EQ(encodeUtf8(U'\U00010000'), "\xF0\x90\x80\x80");
  EXPECT_EQ(encodeUtf8(U'\U0010FFFF'), "\xF4\x8F\xBF\xBF");
  EXPECT_EQ(encodeUtf8(U"ç\u0327ɐ"), "\xC3\xA7\xCC\xA7\xC9\x90");
  EXPECT_EQ(decodeUtf8(std::string_view("a\0b", 3)), std::u32string(U"a\0b", 3));  // NUL is data
}

struct InvalidUtf8Case {
  const char* name;
  std::string bytes;
  size_t offset;
};

TEST(Utf8Test, RejectsIllFormedSequencesAtTheirFirstByte) {
  const std::vector<InvalidUtf8Case> cases = {
      {"lone continuation", "\x80", 0},
      {"continuation after ASCII", "ab\xBF", 2},
      {"overlong C0 80", "\xC0\x80", 0},
      {"overlong C1 BF", "x\xC1\xBF", 1},
      {"overlong 3 bytes", "\xE0\x80\x80", 0},
      {"overlong 4 bytes", "\xF0\x80\x80\x80", 0},
      {"surrogate ED A0 80", "\xED\xA0\x80", 0},
      {"surrogate ED BF BF", "ok\xED\xBF\xBF", 2},
      {"above U+10FFFF", "\xF4\x90\x80\x80", 0},
      {"F5 lead", "\xF5\x80\x80\x80", 0},
      {"FF byte", "\xFF", 0},
      {"truncated 2 bytes", "\xC3", 0},
      {"truncated 3 bytes", "a\xE2\x82", 1},
      {"truncated 4 bytes", "\xC3\xA7\xF0\x9F\x98", 2},
      {"bad continuation", "\xE2\x28\xA1", 0},
  };
  for (const InvalidUtf8Case& c : cases) {
    SCOPED_TRACE(c.name);
    size_t offset = 12345;
    EXPECT_FALSE(isValidUtf8(c.bytes, &offset));
    EXPECT_EQ(offset, c.offset);
    EXPECT_FALSE(isValidUtf8(c.bytes));  // the offset is optional
    try {
      decodeUtf8(c.bytes);
      ADD_FAILURE() << "no throw";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidUtf8);
      EXPECT_EQ(std::string(e.what()), "invalid UTF-8 at byte " + std::to_string(c.offset));
    }
  }
}

TEST(Utf8Test, ValidTextLeavesErrorOffsetUntouched) {
  size_t offset = 7;
  EXPECT_TRUE(isValidUtf8("h\xC9\x99l\xCB\x88o\xCA\x8A", &offset));  // həlˈoʊ
  EXPECT_EQ(offset, 7u);
  EXPECT_TRUE(isValidUtf8(""));
}

// The reference itself: Python's NFD (what Piper runs) over the Latin, IPA, combining, Greek and
// extended Latin/Greek blocks, each codepoint alone and followed by marks that must be reordered.
// Python's unicodedata may be an older Unicode than our tables; these blocks did not change.
TEST(UnicodeNfdTest, MatchesPythonUnicodedata) {
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "/usr/bin/python3 not available";
  const std::string script = R"py(
import unicodedata as u
blocks = ((0xC0, 0x24F), (0x250, 0x2FF), (0x300, 0x36F), (0x370, 0x3FF), (0x1E00, 0x1FFF))
h = lambda s: " ".join("%04X" % ord(c) for c in s)
for lo, hi in blocks:
    for cp in range(lo, hi + 1):
        for s in (chr(cp), chr(cp) + "\u0301\u0323", chr(cp) + "\u0345\u0302\u031B"):
            print(h(s) + ";" + h(u.normalize("NFD", s)))
)py";
  std::string output;
  const CommandResult result = runCommand("/usr/bin/python3 -c '" + script + "'", &output);
  if (result == CommandResult::kUnsupported) GTEST_SKIP() << "cannot start processes here";
  ASSERT_EQ(result, CommandResult::kSucceeded);
  std::istringstream lines(output);
  std::string line;
  int compared = 0;
  while (std::getline(lines, line)) {
    const size_t semicolon = line.find(';');
    ASSERT_NE(semicolon, std::string::npos) << line;
    const std::u32string input = parseHex(line.substr(0, semicolon));
    EXPECT_EQ(hex(toNfd(input)), hex(parseHex(line.substr(semicolon + 1))))
        << "input " << hex(input);
    ++compared;
  }
  EXPECT_EQ(compared, 3 * (0x250 - 0xC0 + 0x300 - 0x250 + 0x370 - 0x300 + 0x400 - 0x370 + 0x200));
}

// Unicode's own conformance data (same release as the tables): NFD(c1) == NFD(c2) == NFD(c3) ==
// c3 and NFD(c4) == NFD(c5) == c5 for ~19,000 lines, including every decomposable character.
TEST(UnicodeNfdTest, PassesNormalizationTest) {
  const std::string dir = AV_UNICODE_DIR;
  std::string command;
  if (access((dir + "/NormalizationTest.txt").c_str(), R_OK) == 0) {
    command = "cat " + dir + "/NormalizationTest.txt";
  } else if (access((dir + "/NormalizationTest.txt.bz2").c_str(), R_OK) == 0) {
    command = "bzcat " + dir + "/NormalizationTest.txt.bz2";
  } else {
    GTEST_SKIP() << "no NormalizationTest.txt in " << dir;
  }
  std::string output;
  const CommandResult result = runCommand(command, &output);
  if (result == CommandResult::kUnsupported) GTEST_SKIP() << "cannot start processes here";
  ASSERT_EQ(result, CommandResult::kSucceeded) << command;
  std::istringstream lines(output);
  std::string line;
  int cases = 0;
  while (std::getline(lines, line)) {
    line = line.substr(0, line.find('#'));
    if (line.empty() || line[0] == '@') continue;
    std::vector<std::u32string> columns;
    std::istringstream fields(line);
    for (std::string field; columns.size() < 5 && std::getline(fields, field, ';');) {
      columns.push_back(parseHex(field));
    }
    ASSERT_EQ(columns.size(), 5u) << line;
    for (int source : {0, 1, 2}) EXPECT_EQ(hex(toNfd(columns[source])), hex(columns[2])) << line;
    for (int source : {3, 4}) EXPECT_EQ(hex(toNfd(columns[source])), hex(columns[4])) << line;
    ++cases;
  }
  EXPECT_GT(cases, 18000);
}

}  // namespace
}  // namespace avatar_voice
