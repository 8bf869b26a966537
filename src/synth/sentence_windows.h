// Windowed decoding of one sentence (issue #23): where to cut a sentence's frames so that each
// window can be decoded on its own (part B of the split model) and played as soon as it is ready,
// and which phonemes and visemes each window's chunk carries.
//
//   PhonemeAlignment alignment = ...;   // the whole sentence, from part A's Ceil durations
//   std::vector<FrameWindow> windows =
//       planWindows(wordBoundaryFrames(alignment, hop), totalFrames, WindowPlanOptions{});
//   for (const FrameWindow& w : windows) {
//     // decode frames [w.startFrame, w.endFrame) (plus the receptive margin, cropped) → audio
//     WindowTimeline t = windowTimeline(alignment, visemes, rate, w.startFrame * hop,
//                                       w.endFrame * hop, &w == &windows.back());
//   }
//
// Windows are cut only between words (a word never spans two chunks, so the Player's word cues
// stay whole): at a phoneme boundary where the word before it (the last phoneme with a text span)
// differs from the word after it (the next one with a text span); the ^ / $ pads and word gaps
// (span -1) belong to no word. Each window is the smallest run of words that reaches its minimum
// size; a single word longer than that stays whole.
//
// Ownership: plain values in and out; nothing is kept.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "audio/phoneme_alignment.h"
#include "timeline/viseme_timeline.h"

namespace avatar_voice {

struct FrameWindow {
  int64_t startFrame = 0;  // [startFrame, endFrame) of the sentence's decoder frames
  int64_t endFrame = 0;
  bool operator==(const FrameWindow& o) const {
    return startFrame == o.startFrame && endFrame == o.endFrame;
  }
};

// Minimum window sizes in decoder frames (hop 256 at 22050 Hz: 12 frames ≈ 139 ms). The first
// window is small so that audio starts at once; later ones are larger, since each window costs
// context on both sides in extra work (for Piper 9 frames of decoder and 44 of flow context: a
// 128-frame window decodes up to 146 frames, its flow runs on up to 216) and there is already
// audio playing. From the fourth window on the
// minimum doubles (256, 512, ...) up to maxMinFrames: a long sentence's later windows are long
// enough that their margins cost little.
struct WindowPlanOptions {
  int64_t firstMinFrames = 12;
  int64_t secondMinFrames = 48;
  int64_t laterMinFrames = 128;
  int64_t maxMinFrames = 1024;
  // How many times faster than real time this device decodes, as the caller measured it (2 when
  // unknown; values outside [2, 8] are taken as the nearest bound).
  double decodeSpeed = 2;

  // The plan for a sentence after the first of an utterance, when `framesBefore` decoder frames
  // of audio were produced before it: that audio is playing while this sentence decodes, so its
  // first window may be framesBefore x (s - 1) frames long (at least laterMinFrames; s the decode
  // speed), then 2x, 4x, ... Each window boundary costs decoder and flow context, so a later
  // sentence is mostly one window. Safe while decoding runs at s times real time: when this
  // sentence starts, framesBefore / s of the earlier audio has played at most, and decoding
  // framesBefore x (s - 1) frames takes the remaining framesBefore x (1 - 1/s).
  WindowPlanOptions continuing(int64_t framesBefore) const {
    const double s = std::min(8.0, std::max(2.0, decodeSpeed));  // NaN: 2 (max(2, NaN) is 2)
    const int64_t first =
        std::max(laterMinFrames, static_cast<int64_t>(static_cast<double>(framesBefore) * (s - 1)));
    return WindowPlanOptions{first, 2 * first, 4 * first, std::max(maxMinFrames, 4 * first), s};
  }
};

// Frames at which a window may start: word boundaries of `alignment` strictly inside the sentence,
// ascending, without duplicates. Boundaries that are not whole frames (an inexact alignment) are
// left out.
std::vector<int64_t> wordBoundaryFrames(const PhonemeAlignment& alignment, int hopLength);

// Consecutive windows covering [0, totalFrames), cut only at `cuts` (ascending). Empty for
// totalFrames <= 0. Throws Error(kInvalidArgument) for a minimum size < 1.
std::vector<FrameWindow> planWindows(const std::vector<int64_t>& cuts, int64_t totalFrames,
                                     const WindowPlanOptions& options = {});

// The phonemes and visemes of one window's chunk: those whose start lies in [startSample,
// endSample) (in the last window also those starting exactly at its end, e.g. an empty $), with
// sample and ms positions relative to startSample. Their end may lie past the window's end.
struct WindowTimeline {
  std::vector<AlignedPhoneme> phonemes;
  std::vector<VisemeEvent> visemes;
};

WindowTimeline windowTimeline(const PhonemeAlignment& sentence,
                              const std::vector<VisemeEvent>& visemes, int sampleRate,
                              int64_t startSample, int64_t endSample, bool lastWindow);

}  // namespace avatar_voice
