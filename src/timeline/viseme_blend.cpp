// VisemeTimeline queries for render loops: which event is active at t, blended weights at t, and
// curves baked at a fixed frame rate. Pure functions of the immutable events.
#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.h"
#include "timeline/viseme_timeline.h"

namespace avatar_voice {
namespace {

constexpr double kMaxBakeFrames = 10'000'000.0;

// Trapezoid envelope of one event: 0 → 1 over [start − attack, start), 1 until end,
// 1 → 0 over [end, end + release).
double envelope(const VisemeEvent& e, double t, double attack, double release) {
  if (t < e.startMs) return attack > 0.0 ? std::max(0.0, (t - (e.startMs - attack)) / attack) : 0.0;
  if (t < e.endMs) return 1.0;
  return release > 0.0 ? std::max(0.0, 1.0 - (t - e.endMs) / release) : 0.0;
}

}  // namespace

int VisemeTimeline::eventIndexAt(double tMs) const {
  if (events_.empty() || !(tMs >= events_.front().startMs) || !(tMs < events_.back().endMs))
    return -1;
  // Events are contiguous with strictly increasing starts: the last start <= t holds t.
  auto it = std::upper_bound(events_.begin(), events_.end(), tMs,
                             [](double t, const VisemeEvent& e) { return t < e.startMs; });
  return static_cast<int>(std::distance(events_.begin(), it)) - 1;
}

int VisemeTimeline::visemeAt(double tMs) const {
  const int index = eventIndexAt(tMs);
  return index < 0 ? kSilenceViseme : events_[static_cast<size_t>(index)].viseme;
}

std::vector<VisemeWeight> VisemeTimeline::weightsAt(double tMs) const {
  std::vector<VisemeWeight> out;
  if (events_.empty() || !std::isfinite(tMs)) return out;
  const double attack = options_.attackMs;
  const double release = options_.releaseMs;
  if (attack == 0.0 && release == 0.0) {
    const int index = eventIndexAt(tMs);
    if (index >= 0 && events_[static_cast<size_t>(index)].weight > 0.0f)
      out.push_back({events_[static_cast<size_t>(index)].viseme,
                     events_[static_cast<size_t>(index)].weight});
    return out;
  }
  // Events whose envelope may be non-zero at t: end + release > t and start − attack <= t.
  auto first = std::upper_bound(events_.begin(), events_.end(), tMs - release,
                                [](double t, const VisemeEvent& e) { return t < e.endMs; });
  auto last = std::upper_bound(first, events_.end(), tMs + attack,
                               [](double t, const VisemeEvent& e) { return t < e.startMs; });
  double total = 0.0;
  for (auto it = first; it != last; ++it) total += envelope(*it, tMs, attack, release);
  if (total <= 0.0) return out;
  const double scale = 1.0 / std::max(1.0, total);
  std::array<double, 22> perViseme{};  // 22 = the larger set
  for (auto it = first; it != last; ++it)
    perViseme[static_cast<size_t>(it->viseme)] +=
        static_cast<double>(it->weight) * envelope(*it, tMs, attack, release) * scale;
  for (int v = 0; v < visemeCount(options_.set); ++v) {
    const double w = std::min(1.0, perViseme[static_cast<size_t>(v)]);
    if (w > 0.0) out.push_back({v, static_cast<float>(w)});
  }
  return out;
}

VisemeCurves VisemeTimeline::bake(double framesPerSecond) const {
  if (!std::isfinite(framesPerSecond) || framesPerSecond <= 0.0)
    throw Error(ErrorCode::kInvalidArgument, "framesPerSecond must be finite and > 0");
  VisemeCurves curves;
  curves.weights.resize(static_cast<size_t>(visemeCount(options_.set)));
  if (events_.empty()) return curves;
  const double from = std::max(0.0, events_.front().startMs - options_.attackMs);
  const double to = events_.back().endMs + options_.releaseMs;
  const double step = 1000.0 / framesPerSecond;
  if (!((to - from) / step + 2.0 <= kMaxBakeFrames))
    throw Error(ErrorCode::kInvalidArgument, "bake would produce more than 10 million frames");
  // from + k·step while strictly before `to`, then `to` itself: strictly increasing even when
  // rounding puts a multiple of step a hair before or after `to`.
  for (size_t k = 0;; ++k) {
    const double t = from + static_cast<double>(k) * step;
    if (!(t < to)) break;
    if (curves.timesMs.empty() || t > curves.timesMs.back()) curves.timesMs.push_back(t);
  }
  if (curves.timesMs.empty() || to > curves.timesMs.back()) curves.timesMs.push_back(to);
  const size_t count = curves.timesMs.size();
  for (std::vector<float>& row : curves.weights) row.assign(count, 0.0f);
  for (size_t k = 0; k < count; ++k)
    for (const VisemeWeight& w : weightsAt(curves.timesMs[k]))
      curves.weights[static_cast<size_t>(w.viseme)][k] = w.weight;
  return curves;
}

}  // namespace avatar_voice
