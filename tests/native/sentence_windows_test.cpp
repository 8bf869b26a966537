// sentence_windows: where a sentence's frames are cut for windowed decoding (only between words),
// how big the windows are, and which phonemes/visemes each window's chunk carries. Expectations
// are computed by hand from the spans below (hop 256).
#include "synth/sentence_windows.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "error_of.h"

namespace avatar_voice {
namespace {

constexpr int kHop = 256;

// "hi go." as Piper aligns it (frames: ^ 3, h 3, i 2, ' ' 1, g 3, o 1, . 1, $ 2 = 16 frames).
// The word gap ' ' and the pads belong to no word (span -1).
PhonemeAlignment hiGo() {
  PhonemeAlignment a;
  a.phonemes = {{"^", 0, 768, -1, -1},     {"h", 768, 1536, 0, 2},   {"i", 1536, 2048, 0, 2},
                {" ", 2048, 2304, -1, -1}, {"g", 2304, 3072, 3, 5},  {"o", 3072, 3328, 3, 5},
                {".", 3328, 3584, -1, -1}, {"$", 3584, 4096, -1, -1}};
  return a;
}

TEST(WordBoundaryFrames, CutsWhereTheWordChangesNeverInsideAWord) {
  // Before h (pad → word), before and after the gap (hi → go), before . and $ (word → nothing).
  EXPECT_EQ(wordBoundaryFrames(hiGo(), kHop), (std::vector<int64_t>{3, 8, 9, 13, 14}));
}

TEST(WordBoundaryFrames, AGapInsideOneWordIsNoCut) {
  PhonemeAlignment a = hiGo();
  a.phonemes[4].textStart = 0;  // "g" and "o" now belong to "hi": one word across the gap
  a.phonemes[4].textEnd = 2;
  a.phonemes[5].textStart = 0;
  a.phonemes[5].textEnd = 2;
  EXPECT_EQ(wordBoundaryFrames(a, kHop), (std::vector<int64_t>{3, 13, 14}));
}

TEST(WordBoundaryFrames, SkipsBoundariesOffTheFrameGridAndEmptySpans) {
  PhonemeAlignment a = hiGo();
  a.phonemes[3].endSample = 2200;  // gap ends mid-frame: the cut before "g" is not a frame
  a.phonemes[4].startSample = 2200;
  a.phonemes[7].startSample = 4096;  // an empty $ at the very end: no cut at the end
  a.phonemes[6].endSample = 4096;
  EXPECT_EQ(wordBoundaryFrames(a, kHop), (std::vector<int64_t>{3, 8, 13}));
  EXPECT_TRUE(wordBoundaryFrames(PhonemeAlignment{}, kHop).empty());
  EXPECT_EQ(errorOf([&] { wordBoundaryFrames(hiGo(), 0); }).code(), ErrorCode::kInvalidArgument);
}

TEST(PlanWindows, SmallestRunOfWordsThatReachesEachMinimum) {
  WindowPlanOptions o{4, 4, 100};
  // First ≥ 4 from 0: cut 8 (3 is too small); second ≥ 4 from 8: 13 (9 too small); then the rest.
  EXPECT_EQ(planWindows({3, 8, 9, 13, 14}, 16, o),
            (std::vector<FrameWindow>{{0, 8}, {8, 13}, {13, 16}}));
  // Defaults 12 / 48 / 128.
  EXPECT_EQ(planWindows({10, 20, 70, 90, 300}, 400),
            (std::vector<FrameWindow>{{0, 20}, {20, 70}, {70, 300}, {300, 400}}));
}

TEST(PlanWindows, LaterMinimumsDoubleUpToTheCap) {
  std::vector<int64_t> everyTen;
  for (int64_t f = 10; f < 3000; f += 10) everyTen.push_back(f);
  // 12 → 20; 48 → 70; 128 → 200; 256 → 460; 512 → 980; then 1024 (the cap) → 2010; then the rest.
  EXPECT_EQ(planWindows(everyTen, 3000),
            (std::vector<FrameWindow>{
                {0, 20}, {20, 70}, {70, 200}, {200, 460}, {460, 980}, {980, 2010}, {2010, 3000}}));
  // A later sentence after 100 frames of audio: 128, 256, 512, ...
  EXPECT_EQ(planWindows(everyTen, 1000, WindowPlanOptions{}.continuing(100)),
            (std::vector<FrameWindow>{{0, 130}, {130, 390}, {390, 910}, {910, 1000}}));
  // After 600 frames: as many first, then the rest.
  EXPECT_EQ(planWindows(everyTen, 1000, WindowPlanOptions{}.continuing(600)),
            (std::vector<FrameWindow>{{0, 600}, {600, 1000}}));
  // After 1200 frames: a 1000-frame sentence is one window.
  EXPECT_EQ(planWindows(everyTen, 1000, WindowPlanOptions{}.continuing(1200)),
            (std::vector<FrameWindow>{{0, 1000}}));
  // Decoding measured 4x real time: after 300 frames the first window may be 900 (300 x 3).
  WindowPlanOptions fast;
  fast.decodeSpeed = 4;
  EXPECT_EQ(planWindows(everyTen, 1000, fast.continuing(300)),
            (std::vector<FrameWindow>{{0, 900}, {900, 1000}}));
  // Slower than 2x (or unknown, NaN) plans as 2x; faster than 8x as 8x (after 100: 700 frames).
  fast.decodeSpeed = 1;
  EXPECT_EQ(planWindows(everyTen, 1000, fast.continuing(600)),
            (std::vector<FrameWindow>{{0, 600}, {600, 1000}}));
  fast.decodeSpeed = std::nan("");
  EXPECT_EQ(planWindows(everyTen, 1000, fast.continuing(600)),
            (std::vector<FrameWindow>{{0, 600}, {600, 1000}}));
  fast.decodeSpeed = 50;
  EXPECT_EQ(planWindows(everyTen, 1000, fast.continuing(100)),
            (std::vector<FrameWindow>{{0, 700}, {700, 1000}}));
}

TEST(PlanWindows, ALongWordStaysWholeAndNoCutsIsOneWindow) {
  EXPECT_EQ(planWindows({5, 200}, 210), (std::vector<FrameWindow>{{0, 200}, {200, 210}}));
  EXPECT_EQ(planWindows({}, 30), (std::vector<FrameWindow>{{0, 30}}));
  EXPECT_EQ(planWindows({3}, 8), (std::vector<FrameWindow>{{0, 8}}));  // no cut far enough
  EXPECT_TRUE(planWindows({}, 0).empty());
  EXPECT_EQ(errorOf([&] {
              planWindows({}, 10, WindowPlanOptions{0, 1, 1});
            }).code(),
            ErrorCode::kInvalidArgument);
}

VisemeEvent event(int viseme, int64_t start, int64_t end) {
  VisemeEvent e;
  e.viseme = viseme;
  e.startSample = start;
  e.endSample = end;
  e.startMs = start * 1000.0 / 16000;
  e.endMs = end * 1000.0 / 16000;
  return e;
}

TEST(WindowTimeline, CarriesWhatStartsInTheWindowRelativeToItsFirstSample) {
  const std::vector<VisemeEvent> visemes = {event(0, 0, 768), event(1, 768, 2304),
                                            event(2, 2304, 3584), event(0, 3584, 4096)};
  // Frames [3, 9) = samples [768, 2304): h, i and the gap; the viseme starting at 768 (ending at
  // the window's end) — the one from 2304 belongs to the next window.
  const WindowTimeline t = windowTimeline(hiGo(), visemes, 16000, 768, 2304, false);
  ASSERT_EQ(t.phonemes.size(), 3u);
  EXPECT_EQ(t.phonemes[0].phoneme, "h");
  EXPECT_EQ(t.phonemes[0].startSample, 0);
  EXPECT_EQ(t.phonemes[2].phoneme, " ");
  EXPECT_EQ(t.phonemes[2].startSample, 1280);
  EXPECT_EQ(t.phonemes[2].endSample, 1536);
  EXPECT_EQ(t.phonemes[1].textStart, 0);
  ASSERT_EQ(t.visemes.size(), 1u);
  EXPECT_EQ(t.visemes[0].startSample, 0);
  EXPECT_EQ(t.visemes[0].endSample, 1536);
  EXPECT_DOUBLE_EQ(t.visemes[0].endMs, 96.0);
  // A span may end past the window: frames [9, 13) carry g and o, and the viseme 2304–3584.
  const WindowTimeline u = windowTimeline(hiGo(), visemes, 16000, 2304, 3072, false);
  ASSERT_EQ(u.phonemes.size(), 1u);
  ASSERT_EQ(u.visemes.size(), 1u);
  EXPECT_EQ(u.visemes[0].endSample, 1280);
}

TEST(WindowTimeline, AnEmptySpanAtTheEndBelongsToTheLastWindow) {
  PhonemeAlignment a = hiGo();
  a.phonemes[7].startSample = 4096;
  a.phonemes[6].endSample = 4096;
  EXPECT_EQ(windowTimeline(a, {}, 16000, 3328, 4096, false).phonemes.size(), 1u);
  const WindowTimeline last = windowTimeline(a, {}, 16000, 3328, 4096, true);
  ASSERT_EQ(last.phonemes.size(), 2u);
  EXPECT_EQ(last.phonemes[1].startSample, 768);
  EXPECT_EQ(errorOf([&] { windowTimeline(a, {}, 16000, 10, 5, true); }).code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace avatar_voice
