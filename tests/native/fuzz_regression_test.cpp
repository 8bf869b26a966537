// Regression tests for what the sanitizer build and the fuzzers (tests/fuzz) found. Each test
// names the finding; under build/asan a regression is reported by ASan/UBSan as well as by the
// expectations.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "audio/phoneme_alignment.h"
#include "core/error.h"
#include "error_of.h"
#include "native_test_env.h"
#include "phonemize/phonemizer.h"
#include "voice/phoneme_id_map.h"

namespace avatar_voice {
namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// espeak-ng 1.52 wrote past a 200-byte stack buffer for a word stacking many "'s" suffixes
// (patches/espeak-ng-1.52.0-stacked-suffix-overflow.patch).
TEST(FuzzRegression, EspeakStackedSuffixesDoNotOverflow) {
  Phonemizer phonemizer(testenv::engine());
  for (int n : {60, 220, 600}) {
    const PhonemizedText result = phonemizer.phonemize(repeat("s'", n));
    ASSERT_EQ(result.sentences.size(), 1u) << n;
    EXPECT_FALSE(result.sentences[0].phonemes.empty()) << n;
  }
}

// espeak-ng 1.52 read before a word's buffer while adding a suffix "e" to a one-letter stem; the
// emoji expands to words that reach it (patches/espeak-ng-1.52.0-remove-ending-underflow.patch).
TEST(FuzzRegression, EspeakShortStemSuffixDoesNotReadBeforeTheWord) {
  Phonemizer phonemizer(testenv::engine());
  const PhonemizedText result = phonemizer.phonemize("\U0001F925");  // 🤥 lying face
  ASSERT_EQ(result.sentences.size(), 1u);
  EXPECT_FALSE(result.sentences[0].phonemes.empty());
}

// espeak-ng 1.52 read before the stack array of the plural suffix "s" while matching a rule with a
// letter group before it (found by phonemizer_fuzz; patches/espeak-ng-1.52.0-plural-suffix-
// underflow.patch). Under ASan the unpatched read is a stack-buffer-overflow; the expectations
// pin that the words still get their plural phonemes.
TEST(FuzzRegression, EspeakPluralSuffixDoesNotReadBeforeItsWord) {
  Phonemizer phonemizer(testenv::engine());
  for (const std::string text : {std::string("HHLIFs\n\u0485e"), std::string("HHLIFs"),
                                 std::string("IBMs MITs CESs")}) {
    const PhonemizedText result = phonemizer.phonemize(text);
    ASSERT_FALSE(result.sentences.empty()) << text;
    EXPECT_FALSE(result.sentences[0].phonemes.empty()) << text;
  }
}

// espeak-ng 1.52 set a flag on words[ix + n] for a multi-word dictionary entry ("Dr. ..." style
// entries skip the next words) without checking that the clause had that many words: a
// 589-byte text found by phonemizer_fuzz wrote past words[300] on the stack
// (patches/espeak-ng-1.52.0-skipwords-bound.patch). The input is the committed seed.
// A committed phonemizer_fuzz seed (tests/fuzz/corpus/phonemizer_fuzz/NAME).
std::string phonemizerSeed(const std::string& name) {
  const std::string seed = testenv::readFile(testenv::fuzzSeedPath("phonemizer_fuzz", name));
  EXPECT_FALSE(seed.empty()) << "fuzz regression seed missing: " << name;
  return seed;
}

TEST(FuzzRegression, EspeakSkippedWordsStayInsideTheClause) {
  const std::string text = phonemizerSeed("regression_skipwords_past_clause.txt");
  ASSERT_FALSE(text.empty());
  Phonemizer phonemizer(testenv::engine());
  const PhonemizedText result = phonemizer.phonemize(text);
  EXPECT_FALSE(result.sentences.empty());
}

// espeak-ng 1.52's multi-word look-ahead (LookupDict2) read past words[300] when a clause had
// more words than the table holds (patches/espeak-ng-1.52.0-clause-word-terminator.patch).
TEST(FuzzRegression, EspeakMultiWordLookAheadStaysInsideTheClause) {
  const std::string text = phonemizerSeed("regression_multiword_lookahead.txt");
  ASSERT_FALSE(text.empty());
  Phonemizer phonemizer(testenv::engine());
  EXPECT_FALSE(phonemizer.phonemize(text).sentences.empty());
}

// espeak-ng 1.52 copied 16 bytes after a number ("in case there is an ordinal suffix") with no
// regard for the end of the clause buffer: CI's random-seed phonemizer_fuzz run found a 551-byte
// text whose number sits at the end of a full clause (ASan: stack-buffer-overflow READ in
// TranslateClauseWithTerminator; patches/espeak-ng-1.52.0-number-suffix-bound.patch).
TEST(FuzzRegression, EspeakNumberSuffixCopyStaysInsideTheClause) {
  const std::string text = phonemizerSeed("regression_number_suffix.txt");
  ASSERT_FALSE(text.empty());
  Phonemizer phonemizer(testenv::engine());
  EXPECT_FALSE(phonemizer.phonemize(text).sentences.empty());
}

// The same number split scanned each part for its trailing space with no bound: a digit run
// longer than number_buf holds has none, and the scan read past number_buf (found by a 4-minute
// phonemizer_fuzz run right after the fix above; same patch).
TEST(FuzzRegression, EspeakLongNumberScanStaysInsideItsBuffer) {
  const std::string text = phonemizerSeed("regression_long_number_scan.txt");
  ASSERT_FALSE(text.empty());
  Phonemizer phonemizer(testenv::engine());
  EXPECT_NO_THROW(phonemizer.phonemize(text));
}

const PhonemeIdMap& idMap() {
  static const PhonemeIdMap map(std::map<std::string, std::vector<int64_t>>{
      {"^", {1}}, {"_", {0}}, {"$", {2}}, {"a", {4}}, {"h", {7, 8}}});
  return map;
}

// Durations are model output (any .onnx): a huge value overflowed int64 (llround(f) * hop, UBSan
// "signed integer overflow"); NaN, infinities and negatives must be harmless too.
TEST(FuzzRegression, AbsurdDurationsAreClampedToTheAudio) {
  const std::vector<Phoneme> phonemes = {{"h", 0, 1}, {"a", 1, 2}};
  const PhonemeIds ids = idMap().toIds(phonemes);  // ^ _ h h _ a _ $
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (float big : {3e38f, 1e19f, inf, nan, -5.0f}) {
    std::vector<float> frames(ids.ids.size(), 2.0f);
    frames[3] = big;
    const PhonemeAlignment a =
        alignPhonemes(ids, phonemes, frames.data(), frames.size(), 256, 10000);
    ASSERT_EQ(a.phonemes.size(), 4u) << big;  // ^ h a $
    EXPECT_FALSE(a.exact) << big;
    EXPECT_EQ(a.phonemes.front().startSample, 0);
    EXPECT_EQ(a.phonemes.back().endSample, 10000);
    for (size_t k = 1; k < a.phonemes.size(); ++k) {
      EXPECT_EQ(a.phonemes[k - 1].endSample, a.phonemes[k].startSample) << big;
      EXPECT_LE(a.phonemes[k].startSample, a.phonemes[k].endSample) << big;
    }
  }
  // Every frame huge: still one clamped span each, ending with the audio.
  const std::vector<float> huge(ids.ids.size(), 3e38f);
  const PhonemeAlignment all = alignPhonemes(ids, phonemes, huge.data(), huge.size(), 256, 500);
  EXPECT_EQ(all.phonemes[0].endSample, 500);
  EXPECT_EQ(all.phonemes.back().endSample, 500);
}

// Frames × hop past 2^24 samples must be computed exactly (a float product was off by a few
// samples and reported such an alignment as exact).
TEST(FuzzRegression, LongDurationsStayExact) {
  const PhonemeIds ids = idMap().toIds({});  // ^ _ $
  const std::vector<float> frames = {130324.0f, 65162.0f, 130324.0f};
  const PhonemeAlignment off = alignPhonemes(ids, {}, frames.data(), 3, 2163, 704727040);
  EXPECT_FALSE(off.exact);  // 325810 × 2163 = 704727030
  const PhonemeAlignment exact = alignPhonemes(ids, {}, frames.data(), 3, 2163, 704727030);
  EXPECT_TRUE(exact.exact);
  EXPECT_EQ(exact.phonemes[0].endSample, int64_t{195486} * 2163);
}

// Ids whose origins do not match the phonemes threw std::out_of_range (or read out of bounds in
// estimateFrames); they are a caller's bug and now a typed error.
TEST(FuzzRegression, InconsistentIdsAreATypedError) {
  const std::vector<Phoneme> phonemes = {{"a", 0, 1}};
  PhonemeIds ids = idMap().toIds(phonemes);
  const std::vector<float> frames(ids.ids.size(), 1.0f);

  PhonemeIds ownerOutside = ids;
  for (IdOrigin& o : ownerOutside.origins)
    if (o.role == IdRole::kPhoneme) o.ownerIndex = o.phonemeIndex = 7;
  PhonemeIds padOutside = ids;
  padOutside.origins[1].ownerIndex = 0;
  padOutside.origins[1].phonemeCount = 5;
  PhonemeIds fewerOrigins = ids;
  fewerOrigins.origins.pop_back();

  for (const PhonemeIds* bad : {&ownerOutside, &padOutside, &fewerOrigins}) {
    EXPECT_EQ(errorOf([&] {
                alignPhonemes(*bad, phonemes, frames.data(), frames.size(), 256, 1000);
              }).code(),
              ErrorCode::kInvalidArgument);
    EXPECT_EQ(errorOf([&] { estimateFrames(*bad, phonemes, 256, 1000); }).code(),
              ErrorCode::kInvalidArgument);
  }
}

// A sentence whose clauses all come back empty ("ॠ।1": Devanagari with no Hindi data, then a
// sentence-ending danda) was kept as a sentence with no phonemes between two others; only trailing
// empty sentences were dropped (phonemizer_fuzz invariant; the input is the committed seed).
TEST(FuzzRegression, NoSentenceWithoutPhonemes) {
  const std::string text = phonemizerSeed("regression_empty_middle_sentence.txt");
  ASSERT_FALSE(text.empty());
  Phonemizer phonemizer(testenv::engine());
  const PhonemizedText result = phonemizer.phonemize(text);
  ASSERT_FALSE(result.sentences.empty());
  for (const auto& s : result.sentences) EXPECT_FALSE(s.phonemes.empty());
}

}  // namespace
}  // namespace avatar_voice
