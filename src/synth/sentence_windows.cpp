#include "synth/sentence_windows.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "core/error.h"

namespace avatar_voice {
namespace {

using WordKey = std::pair<int32_t, int32_t>;

std::optional<WordKey> wordOf(const AlignedPhoneme& p) {
  if (p.textStart < 0 || p.textEnd < 0) return std::nullopt;
  return WordKey{p.textStart, p.textEnd};
}

}  // namespace

std::vector<int64_t> wordBoundaryFrames(const PhonemeAlignment& alignment, int hopLength) {
  if (hopLength <= 0) throw Error(ErrorCode::kInvalidArgument, "hop length must be positive");
  const std::vector<AlignedPhoneme>& phonemes = alignment.phonemes;
  const size_t n = phonemes.size();
  if (n == 0) return {};
  // nextWord[i]: the first word at or after phoneme i (nullopt: none left).
  std::vector<std::optional<WordKey>> nextWord(n + 1);
  for (size_t i = n; i-- > 0;)
    nextWord[i] = wordOf(phonemes[i]) ? wordOf(phonemes[i]) : nextWord[i + 1];
  const int64_t totalSamples = phonemes.back().endSample;
  std::vector<int64_t> cuts;
  std::optional<WordKey> lastWord;
  for (size_t i = 1; i < n; ++i) {
    if (const auto w = wordOf(phonemes[i - 1])) lastWord = w;
    // Same word on both sides (also across a gap inside it, as the Player's word rule reads it).
    if (lastWord && nextWord[i] && *lastWord == *nextWord[i]) continue;
    const int64_t sample = phonemes[i].startSample;
    if (sample <= 0 || sample >= totalSamples || sample % hopLength != 0) continue;
    const int64_t frame = sample / hopLength;
    if (cuts.empty() || cuts.back() < frame) cuts.push_back(frame);
  }
  return cuts;
}

std::vector<FrameWindow> planWindows(const std::vector<int64_t>& cuts, int64_t totalFrames,
                                     const WindowPlanOptions& options) {
  if (options.firstMinFrames < 1 || options.secondMinFrames < 1 || options.laterMinFrames < 1 ||
      options.maxMinFrames < 1)
    throw Error(ErrorCode::kInvalidArgument, "window sizes must be at least one frame");
  std::vector<FrameWindow> windows;
  size_t next = 0;                                // first cut not yet passed
  int64_t laterMin = options.laterMinFrames / 2;  // doubled before each window from the third on
  for (int64_t start = 0; start < totalFrames;) {
    if (windows.size() >= 2)
      laterMin = std::max(options.laterMinFrames, std::min(options.maxMinFrames, laterMin * 2));
    const int64_t minFrames = windows.empty()       ? options.firstMinFrames
                              : windows.size() == 1 ? options.secondMinFrames
                                                    : laterMin;
    while (next < cuts.size() && cuts[next] - start < minFrames) ++next;
    const int64_t end = next < cuts.size() && cuts[next] < totalFrames ? cuts[next] : totalFrames;
    windows.push_back(FrameWindow{start, end});
    start = end;
  }
  return windows;
}

WindowTimeline windowTimeline(const PhonemeAlignment& sentence,
                              const std::vector<VisemeEvent>& visemes, int sampleRate,
                              int64_t startSample, int64_t endSample, bool lastWindow) {
  if (sampleRate <= 0) throw Error(ErrorCode::kInvalidArgument, "sample rate must be positive");
  if (startSample < 0 || endSample < startSample)
    throw Error(ErrorCode::kInvalidArgument, "window [" + std::to_string(startSample) + ", " +
                                                 std::to_string(endSample) + ") is not a range");
  const auto inWindow = [&](int64_t start) {
    return start >= startSample && (start < endSample || (lastWindow && start == endSample));
  };
  WindowTimeline out;
  for (const AlignedPhoneme& p : sentence.phonemes) {
    if (!inWindow(p.startSample)) continue;
    AlignedPhoneme shifted = p;
    shifted.startSample -= startSample;
    shifted.endSample -= startSample;
    out.phonemes.push_back(std::move(shifted));
  }
  for (const VisemeEvent& e : visemes) {
    if (!inWindow(e.startSample)) continue;
    VisemeEvent shifted = e;
    shifted.startSample -= startSample;
    shifted.endSample -= startSample;
    shifted.startMs = static_cast<double>(shifted.startSample) * 1000.0 / sampleRate;
    shifted.endMs = static_cast<double>(shifted.endSample) * 1000.0 / sampleRate;
    out.visemes.push_back(shifted);
  }
  return out;
}

}  // namespace avatar_voice
