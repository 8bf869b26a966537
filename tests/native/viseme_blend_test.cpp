// VisemeTimeline queries for render loops: lookup at a time (half-open events), blended weights
// with attack/release smoothing, and curves baked at a fixed rate. One sample = one millisecond.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.h"
#include "timeline/viseme_timeline.h"

namespace avatar_voice {
namespace {

using Span = std::pair<std::string, int64_t>;   // symbol, length in samples
using Slot = std::tuple<int, int64_t, int64_t>;  // viseme, startSample, endSample

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

VisemeTimelineOptions smoothing(VisemeSet set, double attackMs, double releaseMs) {
  VisemeTimelineOptions o;
  o.set = set;
  o.minDurationMs = 0.0;
  o.attackMs = attackMs;
  o.releaseMs = releaseMs;
  return o;
}

float weightOf(const VisemeTimeline& t, double at, int viseme) {
  for (const VisemeWeight& w : t.weightsAt(at))
    if (w.viseme == viseme) return w.weight;
  return 0.0f;
}

TEST(VisemeBlendTest, LookupAtTimeIsHalfOpen) {
  const VisemeTimeline t = VisemeTimeline::build(spans({{"ɑ", 1000}, {"s", 1000}}, 2000), 1000);
  EXPECT_EQ(t.eventIndexAt(1999.9), -1);
  EXPECT_EQ(t.eventIndexAt(2000.0), 0);
  EXPECT_EQ(t.eventIndexAt(2999.9), 0);
  EXPECT_EQ(t.eventIndexAt(3000.0), 1);
  EXPECT_EQ(t.eventIndexAt(4000.0), -1);
  EXPECT_EQ(t.eventIndexAt(std::numeric_limits<double>::quiet_NaN()), -1);
  EXPECT_EQ(t.visemeAt(2500.0), kOvrAA);
  EXPECT_EQ(t.visemeAt(3500.0), kOvrSS);
  EXPECT_EQ(t.visemeAt(10.0), kSilenceViseme);
  const std::vector<VisemeWeight> w = t.weightsAt(3500.0);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].viseme, kOvrSS);
  EXPECT_FLOAT_EQ(w[0].weight, 1.0f);
  EXPECT_TRUE(t.weightsAt(4000.0).empty());
}

TEST(VisemeBlendTest, SmoothingCrossfadesAroundBoundariesAndNeverSumsAboveOne) {
  const VisemeTimeline t =
      VisemeTimeline::build(spans({{"ɑ", 100}, {"p", 100}}), 1000,
                            smoothing(VisemeSet::kOculus15, 40, 40));
  EXPECT_EQ(slots(t), (std::vector<Slot>{{kOvrAA, 0, 100}, {kOvrPP, 100, 200}}));  // unmoved
  EXPECT_FLOAT_EQ(weightOf(t, 50, kOvrAA), 1.0f);
  EXPECT_FLOAT_EQ(weightOf(t, 80, kOvrAA), 2.0f / 3);  // PP looks ahead: 0.5 of its envelope
  EXPECT_FLOAT_EQ(weightOf(t, 80, kOvrPP), 1.0f / 3);
  EXPECT_FLOAT_EQ(weightOf(t, 100, kOvrAA), 0.5f);
  EXPECT_FLOAT_EQ(weightOf(t, 100, kOvrPP), 0.5f);
  EXPECT_FLOAT_EQ(weightOf(t, 120, kOvrAA), 1.0f / 3);
  EXPECT_FLOAT_EQ(weightOf(t, -20, kOvrAA), 0.5f);  // attack before the first event
  EXPECT_FLOAT_EQ(weightOf(t, 230, kOvrPP), 0.25f);  // release after the last
  EXPECT_TRUE(t.weightsAt(240).empty());
  EXPECT_EQ(t.visemeAt(80), kOvrAA);  // the discrete lookup ignores smoothing
  for (double at = -50; at < 260; at += 0.5) {
    double sum = 0;
    for (const VisemeWeight& w : t.weightsAt(at)) sum += w.weight;
    EXPECT_LE(sum, 1.0 + 1e-6) << at;
  }
}

TEST(VisemeBlendTest, BakeSamplesWeightsAtAFixedRate) {
  const VisemeTimeline t =
      VisemeTimeline::build(spans({{"ɑ", 100}, {"p", 100}}), 1000,
                            smoothing(VisemeSet::kAzure22, 40, 40));
  const VisemeCurves c = t.bake(100);  // every 10 ms, from max(0, -40) to 240
  ASSERT_EQ(c.timesMs.size(), 25u);
  EXPECT_EQ(c.timesMs.front(), 0.0);
  EXPECT_EQ(c.timesMs.back(), 240.0);
  ASSERT_EQ(c.weights.size(), 22u);
  for (size_t k = 0; k < c.timesMs.size(); ++k) {
    if (k > 0) {
      EXPECT_LT(c.timesMs[k - 1], c.timesMs[k]);
    }
    std::vector<float> expected(22, 0.0f);
    for (const VisemeWeight& w : t.weightsAt(c.timesMs[k])) expected[w.viseme] = w.weight;
    for (size_t v = 0; v < 22; ++v) EXPECT_EQ(c.weights[v][k], expected[v]);
  }
  EXPECT_EQ(t.bake(7).timesMs.back(), 240.0);  // the end is always a frame
  EXPECT_THROW(t.bake(0), Error);
  EXPECT_THROW(t.bake(std::nan("")), Error);
  const VisemeCurves empty = VisemeTimeline::build({}, 1000).bake(60);
  EXPECT_TRUE(empty.timesMs.empty());
  EXPECT_EQ(empty.weights.size(), 15u);
}

TEST(VisemeBlendTest, AttackOnlyLooksAheadAndCutsAtTheEnd) {
  const VisemeTimeline t = VisemeTimeline::build(spans({{"ɑ", 100}, {"u", 100}}), 1000,
                                                 smoothing(VisemeSet::kOculus15, 50, 0));
  EXPECT_FLOAT_EQ(weightOf(t, 75, kOvrOU), 1.0f / 3);  // ou half formed 25 ms before its sound
  EXPECT_FLOAT_EQ(weightOf(t, 75, kOvrAA), 2.0f / 3);
  EXPECT_FLOAT_EQ(weightOf(t, 100, kOvrAA), 0.0f);     // no release: aa ends with its sound
  EXPECT_FLOAT_EQ(weightOf(t, 100, kOvrOU), 1.0f);
  EXPECT_TRUE(t.weightsAt(200).empty());
}

TEST(VisemeBlendTest, SilenceTakesPartSoSpeechFadesIntoAPause) {
  const VisemeTimeline t = VisemeTimeline::build(spans({{"ɑ", 100}, {".", 200}}), 1000,
                                                 smoothing(VisemeSet::kAzure22, 0, 100));
  EXPECT_FLOAT_EQ(weightOf(t, 150, 2), 1.0f / 3);  // aa at half release, sil at full
  EXPECT_FLOAT_EQ(weightOf(t, 150, kSilenceViseme), 2.0f / 3);
  EXPECT_FLOAT_EQ(weightOf(t, 250, 2), 0.0f);
}

TEST(VisemeBlendTest, EventWeightScalesTheBlendAndRampsMaySpanSeveralEvents) {
  const VisemeTimeline t = VisemeTimeline::build(
      spans({{"s", 20}, {"ə", 20}, {"t", 20}}), 1000, smoothing(VisemeSet::kOculus15, 0, 0));
  EXPECT_FLOAT_EQ(weightOf(t, 30, kOvrAA), 0.6f);  // reduced vowel, no smoothing
  const VisemeTimeline wide = VisemeTimeline::build(
      spans({{"s", 20}, {"ə", 20}, {"t", 20}}), 1000, smoothing(VisemeSet::kOculus15, 60, 60));
  // At 30 ms all three envelopes are up: s 1-10/60, ə 1, t 1-(40-30)/60 → normalised.
  const double s = 50.0 / 60, e = 1.0, d = 50.0 / 60, total = s + e + d;
  EXPECT_FLOAT_EQ(weightOf(wide, 30, kOvrSS), static_cast<float>(s / total));
  EXPECT_FLOAT_EQ(weightOf(wide, 30, kOvrAA), static_cast<float>(0.6 * e / total));
  EXPECT_FLOAT_EQ(weightOf(wide, 30, kOvrDD), static_cast<float>(d / total));
}

TEST(VisemeBlendTest, BakeWithoutSmoothingIsAStepCurve) {
  const VisemeTimeline t = VisemeTimeline::build(spans({{"ɑ", 100}, {"p", 100}}), 1000);
  const VisemeCurves c = t.bake(50);  // 20 ms
  ASSERT_EQ(c.timesMs.size(), 11u);
  EXPECT_EQ(c.weights[kOvrAA][4], 1.0f);  // 80 ms
  EXPECT_EQ(c.weights[kOvrPP][4], 0.0f);
  EXPECT_EQ(c.weights[kOvrPP][5], 1.0f);  // 100 ms
  EXPECT_EQ(c.weights[kOvrPP][10], 0.0f);  // 200 ms: after the last event, rest
}

}  // namespace
}  // namespace avatar_voice
