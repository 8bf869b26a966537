// VisemeTimeline: exact boundaries, the artist's rules (marks, pauses, merges, minimum duration),
// smoothing, pull-style lookups and typed errors. Most tests use a 1000 Hz "sample rate" so that
// one sample is one millisecond and the expectations read as times.
#include "timeline/viseme_timeline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.h"

namespace avatar_voice {
namespace {

using Span = std::pair<std::string, int64_t>;           // symbol, length in samples
using Slot = std::tuple<int, int64_t, int64_t>;          // viseme, startSample, endSample

std::vector<TimedPhoneme> spans(const std::vector<Span>& items, int64_t start = 0) {
  std::vector<TimedPhoneme> out;
  for (const auto& [symbol, length] : items) {
    out.push_back({symbol, start, start + length});
    start += length;
  }
  return out;
}

std::vector<Slot> slots(const VisemeTimeline& t) {
  std::vector<Slot> out;
  for (const VisemeEvent& e : t.events()) out.emplace_back(e.viseme, e.startSample, e.endSample);
  return out;
}

VisemeTimelineOptions opts(VisemeSet set = VisemeSet::kOculus15, double minMs = 30.0) {
  VisemeTimelineOptions o;
  o.set = set;
  o.minDurationMs = minMs;
  return o;
}

VisemeTimeline ms(const std::vector<Span>& items, const VisemeTimelineOptions& o = opts()) {
  return VisemeTimeline::build(spans(items), 1000, o);
}

// Splits UTF-8 into codepoints (the way Piper hands espeak-ng IPA to its model).
std::vector<std::string> codepoints(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    out.push_back(text.substr(i, n));
    i += n;
  }
  return out;
}

ErrorCode buildError(const std::vector<TimedPhoneme>& p, int rate, const VisemeTimelineOptions& o) {
  try {
    VisemeTimeline::build(p, rate, o);
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "build did not throw";
  return ErrorCode::kInternal;
}

TEST(VisemeTimelineTest, HeaderExample) {
  const std::vector<TimedPhoneme> phonemes = {
      {"^", 0, 1280},    {"h", 1280, 2048}, {"ə", 2048, 2560}, {"l", 2560, 3584}, {"ˈ", 3584, 3840},
      {"o", 3840, 5120}, {"ʊ", 5120, 6400}, {".", 6400, 8000}, {"$", 8000, 8768}};
  const VisemeTimeline t = VisemeTimeline::build(phonemes, 22050);
  EXPECT_EQ(slots(t), (std::vector<Slot>{{kOvrSil, 0, 1280}, {kOvrAA, 1280, 2560},
                                         {kOvrNN, 2560, 3584}, {kOvrOH, 3584, 5120},
                                         {kOvrOU, 5120, 6400}, {kOvrSil, 6400, 8768}}));
  EXPECT_FLOAT_EQ(t.events()[1].weight, 0.6f);  // h borrows the reduced ə
}

TEST(VisemeTimelineTest, WithoutSmoothingBoundariesAreThePhonemeBoundariesToTheSample) {
  const auto phonemes = spans({{"^", 1280}, {"p", 1111}, {"ɑ", 2345}, {"s", 1403}, {"t", 999},
                               {"ʃ", 1021}, {".", 3001}});
  for (VisemeSet set : {VisemeSet::kOculus15, VisemeSet::kAzure22}) {
    const VisemeTimeline t = VisemeTimeline::build(phonemes, 22050, opts(set));
    ASSERT_EQ(t.events().size(), phonemes.size());
    for (size_t i = 0; i < phonemes.size(); ++i) {
      const VisemeEvent& e = t.events()[i];
      EXPECT_EQ(e.startSample, phonemes[i].startSample);
      EXPECT_EQ(e.endSample, phonemes[i].endSample);
      EXPECT_EQ(e.startMs, static_cast<double>(e.startSample) * 1000.0 / 22050);
      EXPECT_EQ(e.endMs, static_cast<double>(e.endSample) * 1000.0 / 22050);
      EXPECT_EQ(e.phonemeBegin, static_cast<int32_t>(i));
      EXPECT_EQ(e.phonemeEnd, static_cast<int32_t>(i + 1));
    }
  }
}

// Real espeak-ng en-us IPA (with Piper's pads and punctuation), hop-sized durations from a fixed
// LCG: every invariant a renderer relies on holds for every set and several option mixes.
TEST(VisemeTimelineTest, InvariantsOnEspeakSentences) {
  const std::vector<std::string> sentences = {
      "^ðə kˈæt sˈæt ɔnðə mˈæt.$",
      "^bˈʌʔn̩, bˈɑːɾəl ænd ɹˈɪðəm: maɪ tʃˈɔɪs fɚðə fjˈuːtʃɚ.$",
      "^həlˈoʊ wˈɜːld! ɐhˈɛd; ʒˈɑːnɹə, kwˈɑːsɑ̃ (bˈɑːx) ɹᵻzˈuːm?$"};
  uint32_t seed = 12345;
  auto hops = [&] {  // 1..8 hops of 256 samples
    seed = seed * 1664525u + 1013904223u;
    return int64_t{256} * (1 + (seed >> 24) % 8);
  };
  for (const std::string& ipa : sentences) {
    std::vector<Span> items;
    for (const std::string& cp : codepoints(ipa)) items.emplace_back(cp, hops());
    const auto phonemes = spans(items, 4410);
    std::set<int64_t> boundaries;
    for (const TimedPhoneme& p : phonemes) boundaries.insert({p.startSample, p.endSample});
    for (VisemeSet set : {VisemeSet::kOculus15, VisemeSet::kAzure22})
      for (double minMs : {0.0, 30.0, 60.0}) {
        VisemeTimelineOptions o = opts(set, minMs);
        const VisemeTimeline t = VisemeTimeline::build(phonemes, 22050, o);
        ASSERT_FALSE(t.events().empty());
        EXPECT_TRUE(t.unknownPhonemes().empty());
        EXPECT_EQ(t.events().front().startSample, phonemes.front().startSample);
        EXPECT_EQ(t.events().back().endSample, phonemes.back().endSample);
        EXPECT_EQ(t.events().front().phonemeBegin, 0);
        EXPECT_EQ(t.events().back().phonemeEnd, static_cast<int32_t>(phonemes.size()));
        for (size_t k = 0; k < t.events().size(); ++k) {
          const VisemeEvent& e = t.events()[k];
          EXPECT_TRUE(boundaries.count(e.startSample) && boundaries.count(e.endSample));
          EXPECT_LT(e.startSample, e.endSample);
          EXPECT_GE(e.viseme, 0);
          EXPECT_LT(e.viseme, visemeCount(set));
          const double duration = e.endMs - e.startMs;
          if (duration < minMs) {  // only lip contacts and speech islands between pauses
            const auto& ev = t.events();
            const bool silentLeft = k == 0 || ev[k - 1].viseme == kSilenceViseme;
            const bool silentRight = k + 1 == ev.size() || ev[k + 1].viseme == kSilenceViseme;
            EXPECT_TRUE(isLipContactViseme(set, e.viseme) ||
                        (e.viseme != kSilenceViseme && silentLeft && silentRight))
                << ipa << " @" << k;
          }
          if (k == 0) continue;
          const VisemeEvent& prev = t.events()[k - 1];
          EXPECT_EQ(prev.endSample, e.startSample);
          EXPECT_EQ(prev.phonemeEnd, e.phonemeBegin);
          EXPECT_NE(prev.viseme, e.viseme);
        }
      }
  }
}

TEST(VisemeTimelineTest, StressMarkGivesItsTimeToTheNextPhoneme) {
  EXPECT_EQ(slots(ms({{"k", 50}, {"ˈ", 20}, {"æ", 80}, {"t", 50}})),
            (std::vector<Slot>{{kOvrKK, 0, 50}, {kOvrAA, 50, 150}, {kOvrDD, 150, 200}}));
  EXPECT_EQ(slots(ms({{"k", 50}, {"ˌ", 20}, {"ɛ", 80}})),
            (std::vector<Slot>{{kOvrKK, 0, 50}, {kOvrE, 50, 150}}));
  // A stress mark with nothing after it falls back to the previous phoneme.
  EXPECT_EQ(slots(ms({{"ɑ", 50}, {"ˈ", 20}})), (std::vector<Slot>{{kOvrAA, 0, 70}}));
}

TEST(VisemeTimelineTest, LengthRhoticAndCombiningMarksGiveTheirTimeToThePreviousPhoneme) {
  EXPECT_EQ(slots(ms({{"b", 50}, {"ɑ", 60}, {"ː", 40}, {"ɹ", 50}, {"n", 50}, {"\u0329", 30},
                      {"ɚ", 40}, {"˞", 20}})),
            (std::vector<Slot>{{kOvrPP, 0, 50}, {kOvrAA, 50, 150}, {kOvrRR, 150, 200},
                               {kOvrNN, 200, 280}, {kOvrRR, 280, 340}}));
  // A following mark with nothing before it falls forward.
  EXPECT_EQ(slots(ms({{"ː", 20}, {"s", 50}})), (std::vector<Slot>{{kOvrSS, 0, 70}}));
}

TEST(VisemeTimelineTest, RunOfMarksIsCutAtTheFirstStressMark) {
  EXPECT_EQ(slots(ms({{"ɑ", 60}, {"ː", 30}, {"ˈ", 20}, {"ɛ", 60}})),
            (std::vector<Slot>{{kOvrAA, 0, 90}, {kOvrE, 90, 170}}));
  EXPECT_EQ(slots(ms({{"ɑ", 60}, {"ˈ", 20}, {"ː", 30}, {"ɛ", 60}})),
            (std::vector<Slot>{{kOvrAA, 0, 60}, {kOvrE, 60, 170}}));
}

TEST(VisemeTimelineTest, PunctuationAndPadsAreSilence) {
  EXPECT_EQ(slots(ms({{"^", 50}, {"m", 60}, {"ɑ", 80}, {",", 120}, {" ", 20}, {"n", 60},
                      {"o", 80}, {".", 100}, {"$", 50}})),
            (std::vector<Slot>{{kOvrSil, 0, 50}, {kOvrPP, 50, 110}, {kOvrAA, 110, 190},
                               {kOvrSil, 190, 330}, {kOvrNN, 330, 390}, {kOvrOH, 390, 470},
                               {kOvrSil, 470, 620}}));
  for (const char* p : {"_", "^", "$", ".", ",", "?", "!", ";", ":", "(", ")", "#"})
    for (VisemeSet set : {VisemeSet::kOculus15, VisemeSet::kAzure22})
      EXPECT_EQ(slots(ms({{"s", 50}, {p, 50}, {"s", 50}}, opts(set)))[1],
                (Slot{kSilenceViseme, 50, 100})) << p;
}

TEST(VisemeTimelineTest, ShortWordGapHoldsThePreviousShapeALongOneIsSilence) {
  EXPECT_EQ(slots(ms({{"ɑ", 80}, {" ", 50}, {"m", 60}})),
            (std::vector<Slot>{{kOvrAA, 0, 130}, {kOvrPP, 130, 190}}));
  EXPECT_EQ(slots(ms({{"ɑ", 80}, {"-", 50}, {"m", 60}})),
            (std::vector<Slot>{{kOvrAA, 0, 130}, {kOvrPP, 130, 190}}));
  EXPECT_EQ(slots(ms({{"ɑ", 80}, {" ", 100}, {"m", 60}})),  // threshold is inclusive
            (std::vector<Slot>{{kOvrAA, 0, 80}, {kOvrSil, 80, 180}, {kOvrPP, 180, 240}}));
  VisemeTimelineOptions o = opts();
  o.wordGapSilenceMs = 40;
  EXPECT_EQ(slots(ms({{"ɑ", 80}, {" ", 50}, {"m", 60}}, o))[1], (Slot{kOvrSil, 80, 130}));
}

TEST(VisemeTimelineTest, EqualNeighboursMergeKeepingTheStrongerWeight) {
  EXPECT_EQ(slots(ms({{"p", 40}, {"b", 40}, {"m", 40}})), (std::vector<Slot>{{kOvrPP, 0, 120}}));
  const VisemeTimeline t = ms({{"ə", 50}, {"ɑ", 50}, {"s", 50}});
  EXPECT_EQ(slots(t), (std::vector<Slot>{{kOvrAA, 0, 100}, {kOvrSS, 100, 150}}));
  EXPECT_FLOAT_EQ(t.events()[0].weight, 1.0f);
  VisemeTimelineOptions o = opts();
  o.reducedVowelWeight = 0.25f;
  EXPECT_FLOAT_EQ(ms({{"ə", 50}}, o).events()[0].weight, 0.25f);
}

TEST(VisemeTimelineTest, ShortEventMergesIntoItsLongerNeighbourPreviousOnTies) {
  EXPECT_EQ(slots(ms({{"s", 80}, {"ɪ", 20}, {"t", 50}})),
            (std::vector<Slot>{{kOvrSS, 0, 100}, {kOvrDD, 100, 150}}));
  EXPECT_EQ(slots(ms({{"s", 50}, {"ɪ", 20}, {"t", 80}})),
            (std::vector<Slot>{{kOvrSS, 0, 50}, {kOvrDD, 50, 150}}));
  EXPECT_EQ(slots(ms({{"s", 50}, {"ɪ", 20}, {"t", 50}})),
            (std::vector<Slot>{{kOvrSS, 0, 70}, {kOvrDD, 70, 120}}));
}

TEST(VisemeTimelineTest, ShortestFirstAndEqualShapesRejoin) {
  // ɪ (10) goes first, into s; then t (25) has only s left.
  EXPECT_EQ(slots(ms({{"t", 25}, {"ɪ", 10}, {"s", 100}})), (std::vector<Slot>{{kOvrSS, 0, 135}}));
  // ɪ merges into the longer s on its left, which now touches the other s: one event.
  EXPECT_EQ(slots(ms({{"s", 60}, {"ɪ", 20}, {"z", 50}})), (std::vector<Slot>{{kOvrSS, 0, 130}}));
}

TEST(VisemeTimelineTest, SpeechNeverMergesIntoSilence) {
  EXPECT_EQ(slots(ms({{".", 200}, {"ɪ", 20}, {"k", 100}})),
            (std::vector<Slot>{{kOvrSil, 0, 200}, {kOvrKK, 200, 320}}));
  // A lone short sound between pauses stays: the mouth must still move.
  EXPECT_EQ(slots(ms({{".", 100}, {"ɪ", 20}, {".", 100}})),
            (std::vector<Slot>{{kOvrSil, 0, 100}, {kOvrIH, 100, 120}, {kOvrSil, 120, 220}}));
  // A short pause does merge into speech.
  EXPECT_EQ(slots(ms({{"ɑ", 100}, {",", 20}, {"s", 60}})),
            (std::vector<Slot>{{kOvrAA, 0, 120}, {kOvrSS, 120, 180}}));
}

TEST(VisemeTimelineTest, LipContactsAreKeptUnlessDisabled) {
  EXPECT_EQ(slots(ms({{"ɑ", 100}, {"m", 15}, {"ɑ", 100}})),
            (std::vector<Slot>{{kOvrAA, 0, 100}, {kOvrPP, 100, 115}, {kOvrAA, 115, 215}}));
  EXPECT_EQ(slots(ms({{"ɑ", 100}, {"f", 15}, {"ɑ", 100}}, opts(VisemeSet::kAzure22)))[1],
            (Slot{18, 100, 115}));
  VisemeTimelineOptions o = opts();
  o.keepLipContacts = false;
  EXPECT_EQ(slots(ms({{"ɑ", 100}, {"m", 15}, {"ɑ", 100}}, o)),
            (std::vector<Slot>{{kOvrAA, 0, 215}}));
}

TEST(VisemeTimelineTest, MinDurationZeroKeepsEveryPhoneme) {
  EXPECT_EQ(slots(ms({{"s", 5}, {"ɪ", 1}, {"t", 5}}, opts(VisemeSet::kOculus15, 0.0))),
            (std::vector<Slot>{{kOvrSS, 0, 5}, {kOvrIH, 5, 6}, {kOvrDD, 6, 11}}));
}

TEST(VisemeTimelineTest, GlottalHBorrowsTheNeighbouringVowelInOvrAndIs12InAzure) {
  EXPECT_EQ(slots(ms({{"h", 40}, {"ɛ", 60}, {"l", 50}})),
            (std::vector<Slot>{{kOvrE, 0, 100}, {kOvrNN, 100, 150}}));
  EXPECT_EQ(slots(ms({{"h", 40}, {"ɛ", 60}, {"l", 50}}, opts(VisemeSet::kAzure22))),
            (std::vector<Slot>{{12, 0, 40}, {4, 40, 100}, {14, 100, 150}}));
  // Before a pause: the previous shape. Alone between pauses: silence.
  EXPECT_EQ(slots(ms({{"ɑ", 60}, {"h", 50}, {".", 100}})),
            (std::vector<Slot>{{kOvrAA, 0, 110}, {kOvrSil, 110, 210}}));
  EXPECT_EQ(slots(ms({{".", 100}, {"h", 50}, {".", 100}})), (std::vector<Slot>{{kOvrSil, 0, 250}}));
  // Across a short word gap ("the house"): the next word's vowel.
  EXPECT_EQ(slots(ms({{"ə", 60}, {" ", 10}, {"h", 40}, {"a", 60}, {"ʊ", 60}})),
            (std::vector<Slot>{{kOvrAA, 0, 170}, {kOvrOU, 170, 230}}));
}

TEST(VisemeTimelineTest, AzureSplitDiphthongsTakeMicrosoftsSingleViseme) {
  const auto az = opts(VisemeSet::kAzure22);
  EXPECT_EQ(slots(ms({{"m", 50}, {"a", 60}, {"ɪ", 60}}, az)),
            (std::vector<Slot>{{21, 0, 50}, {11, 50, 170}}));
  EXPECT_EQ(slots(ms({{"n", 50}, {"ˈ", 10}, {"a", 60}, {"ʊ", 60}}, az)),
            (std::vector<Slot>{{19, 0, 50}, {9, 50, 180}}));
  EXPECT_EQ(slots(ms({{"b", 50}, {"ɔ", 60}, {"ɪ", 60}}, az))[1], (Slot{10, 50, 170}));
  EXPECT_EQ(slots(ms({{"d", 50}, {"e", 60}, {"ɪ", 60}}, az)),
            (std::vector<Slot>{{19, 0, 50}, {4, 50, 110}, {6, 110, 170}}));
  EXPECT_EQ(slots(ms({{"aɪ", 120}}, az)), (std::vector<Slot>{{11, 0, 120}}));  // cluster key
  VisemeTimelineOptions off = az;
  off.azureDiphthongs = false;
  EXPECT_EQ(slots(ms({{"m", 50}, {"a", 60}, {"ɪ", 60}}, off)),
            (std::vector<Slot>{{21, 0, 50}, {2, 50, 110}, {6, 110, 170}}));
  EXPECT_EQ(slots(ms({{"m", 50}, {"a", 60}, {"ɪ", 60}})),  // OVR: two shapes
            (std::vector<Slot>{{kOvrPP, 0, 50}, {kOvrAA, 50, 110}, {kOvrIH, 110, 170}}));
}

TEST(VisemeTimelineTest, UnknownPhonemePolicies) {
  const std::vector<Span> items = {{"ɑ", 60}, {"☃", 40}, {"s", 60}, {"☃", 5}};
  const VisemeTimeline hold = ms(items);
  EXPECT_EQ(slots(hold), (std::vector<Slot>{{kOvrAA, 0, 100}, {kOvrSS, 100, 165}}));
  EXPECT_EQ(hold.unknownPhonemes(), std::vector<std::string>{"☃"});
  VisemeTimelineOptions o = opts(VisemeSet::kOculus15, 0.0);
  o.unknownPolicy = UnknownPhonemePolicy::kSilence;
  EXPECT_EQ(slots(ms(items, o)), (std::vector<Slot>{{kOvrAA, 0, 60}, {kOvrSil, 60, 100},
                                                    {kOvrSS, 100, 160}, {kOvrSil, 160, 165}}));
  o.unknownPolicy = UnknownPhonemePolicy::kThrow;
  EXPECT_EQ(buildError(spans(items), 1000, o), ErrorCode::kInvalidArgument);
  // An unknown first symbol falls forward.
  EXPECT_EQ(slots(ms({{"☃", 40}, {"s", 60}})), (std::vector<Slot>{{kOvrSS, 0, 100}}));
}

TEST(VisemeTimelineTest, InvalidInputThrowsTypedErrors) {
  const auto good = spans({{"s", 10}, {"ɑ", 10}});
  EXPECT_EQ(buildError(good, 0, opts()), ErrorCode::kInvalidArgument);
  EXPECT_EQ(buildError(good, -22050, opts()), ErrorCode::kInvalidArgument);
  EXPECT_EQ(buildError({{"s", 0, 10}, {"ɑ", 12, 20}}, 1000, opts()), ErrorCode::kInvalidArgument);
  EXPECT_EQ(buildError({{"s", 0, 10}, {"ɑ", 5, 20}}, 1000, opts()), ErrorCode::kInvalidArgument);
  EXPECT_EQ(buildError({{"s", 10, 5}}, 1000, opts()), ErrorCode::kInvalidArgument);
  EXPECT_EQ(buildError({{"s", -5, 5}}, 1000, opts()), ErrorCode::kInvalidArgument);
  EXPECT_EQ(buildError({{"", 0, 5}}, 1000, opts()), ErrorCode::kInvalidArgument);
  EXPECT_EQ(buildError({{"\xFF", 0, 5}}, 1000, opts()), ErrorCode::kInvalidUtf8);
  VisemeTimelineOptions o = opts();
  o.minDurationMs = -1;
  EXPECT_EQ(buildError(good, 1000, o), ErrorCode::kInvalidArgument);
  o = opts();
  o.wordGapSilenceMs = std::numeric_limits<double>::infinity();
  EXPECT_EQ(buildError(good, 1000, o), ErrorCode::kInvalidArgument);
  o = opts();
  o.reducedVowelWeight = 2.0f;
  EXPECT_EQ(buildError(good, 1000, o), ErrorCode::kInvalidArgument);
  o = opts();
  o.wordGapSilenceMs = -3;
  EXPECT_EQ(buildError(good, 1000, o), ErrorCode::kInvalidArgument);
}

TEST(VisemeTimelineTest, EmptyMarksOnlyAndZeroLengthInput) {
  const VisemeTimeline empty = VisemeTimeline::build({}, 22050);
  EXPECT_TRUE(empty.events().empty());
  EXPECT_EQ(slots(ms({{"ˈ", 30}, {"ː", 30}})), (std::vector<Slot>{{kOvrSil, 0, 60}}));
  // Zero-length spans cannot be shown: their phonemes join the previous event.
  const VisemeTimeline t = ms({{"p", 50}, {"ɪ", 0}, {"s", 50}});
  EXPECT_EQ(slots(t), (std::vector<Slot>{{kOvrPP, 0, 50}, {kOvrSS, 50, 100}}));
  EXPECT_EQ(t.events()[0].phonemeEnd, 2);
  EXPECT_EQ(t.events()[1].phonemeBegin, 2);
  EXPECT_TRUE(ms({{"ɪ", 0}, {"s", 0}}).events().empty());
}

TEST(VisemeTimelineTest, DeterministicAndChunkOffsetsKept) {
  const auto phonemes = spans(
      {{"^", 700}, {"h", 500}, {"ɛ", 900}, {"l", 300}, {"o", 1200}, {"ʊ", 800}}, 44100);
  for (VisemeSet set : {VisemeSet::kOculus15, VisemeSet::kAzure22}) {
    const VisemeTimeline a = VisemeTimeline::build(phonemes, 22050, opts(set));
    const VisemeTimeline b = VisemeTimeline::build(phonemes, 22050, opts(set));
    EXPECT_EQ(slots(a), slots(b));
    EXPECT_EQ(a.events().front().startSample, 44100);
    EXPECT_DOUBLE_EQ(a.events().front().startMs, 2000.0);
  }
}

}  // namespace
}  // namespace avatar_voice
