// Item 7 of issue #21: plans that are never released stay bounded, and inference scales that are
// not finite are a typed error before a plan is made.
#include "synth/sentence_plan_store.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "error_of.h"
#include "synth/piper_voice.h"

namespace avatar_voice {
namespace {

std::vector<SentencePlan> onePlan(int32_t textStart) {
  SentencePlan s;
  s.textStart = textStart;
  return {s};
}

TEST(SentencePlanStore, PlansNeverReleasedStayBoundedOldestFirst) {
  SentencePlanStore store;
  std::vector<int> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back(store.add(onePlan(i)));
  EXPECT_EQ(store.size(), SentencePlanStore::kMaxOpenPlans);
  EXPECT_EQ(store.sentence(ids.back(), 0).textStart, 999);
  const Error evicted = errorOf([&] { store.sentence(ids.front(), 0); });
  EXPECT_EQ(evicted.code(), ErrorCode::kNotFound);
  EXPECT_NE(std::string(evicted.what()).find("evicted"), std::string::npos);
  store.release(ids.back());
  EXPECT_EQ(store.size(), SentencePlanStore::kMaxOpenPlans - 1);
  EXPECT_EQ(errorOf([&] { store.sentence(ids.back(), 0); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.sentence(ids[990], 1); }).code(), ErrorCode::kNotFound);
  EXPECT_EQ(errorOf([&] { store.sentence(ids[990], -1); }).code(), ErrorCode::kNotFound);
}

TEST(PiperVoiceScales, NonFiniteAndOutOfRangeScalesAreInvalidArguments) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NO_THROW(PiperVoice::checkScales(0.667, 1.0, 0.8));
  EXPECT_NO_THROW(PiperVoice::checkScales(0, 0.1, 0));
  struct Case { double noise, length, noiseW; const char* name; };
  for (const Case& c : {Case{0.667, inf, 0.8, "lengthScale"}, Case{0.667, -inf, 0.8, "lengthScale"},
                        Case{0.667, nan, 0.8, "lengthScale"}, Case{0.667, 0, 0.8, "lengthScale"},
                        Case{inf, 1, 0.8, "noiseScale"}, Case{nan, 1, 0.8, "noiseScale"},
                        Case{-1, 1, 0.8, "noiseScale"}, Case{0.667, 1, inf, "noiseW"},
                        Case{0.667, 1, nan, "noiseW"}}) {
    const Error e = errorOf([&] { PiperVoice::checkScales(c.noise, c.length, c.noiseW); });
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << c.name;
    EXPECT_NE(std::string(e.what()).find(c.name), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace avatar_voice
