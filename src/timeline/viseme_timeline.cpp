// VisemeTimeline::build — phonemes → owners (symbols that get a shape) → events.
// (Blending events over time is the web layer's: VisemeTrack in web/speech_cues.ts.)
#include "timeline/viseme_timeline.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "core/error.h"

namespace avatar_voice {
namespace {

// Where an absorbed symbol's time goes.
enum class Attach { kNone, kPrevious, kNext };

// One input phoneme after classification.
struct Unit {
  Attach attach = Attach::kNone;  // kNone: an owner (gets its own slot)
  int viseme = kSilenceViseme;    // may be kInheritNextViseme until resolved
  float weight = 1.0f;
  bool speech = false;            // articulated (not silence)
};

// A symbol that owns a slot of time, with the time of the marks it absorbed.
struct Owner {
  int64_t start;
  int64_t end;
  int viseme;
  float weight;
  bool speech;
  int32_t phonemeBegin;
  int32_t phonemeEnd;
  int32_t self;  // index of the phoneme that owns the slot; -1 for an all-marks chunk
};

[[noreturn]] void invalid(const std::string& message) {
  throw Error(ErrorCode::kInvalidArgument, message);
}

bool finiteNonNegative(double v) { return std::isfinite(v) && v >= 0.0; }

void validate(const std::vector<TimedPhoneme>& phonemes, int sampleRate,
              const VisemeTimelineOptions& o) {
  if (sampleRate <= 0) invalid("sample rate must be > 0, got " + std::to_string(sampleRate));
  if (o.set != VisemeSet::kOculus15 && o.set != VisemeSet::kAzure22) invalid("unknown viseme set");
  if (!finiteNonNegative(o.minDurationMs)) invalid("minDurationMs must be finite and >= 0");
  if (!finiteNonNegative(o.wordGapSilenceMs)) invalid("wordGapSilenceMs must be finite and >= 0");
  if (!(o.reducedVowelWeight >= 0.0f && o.reducedVowelWeight <= 1.0f))
    invalid("reducedVowelWeight must be within [0, 1]");
  if (phonemes.size() > static_cast<size_t>(INT32_MAX)) invalid("too many phonemes");
  if (o.unknownPolicy != UnknownPhonemePolicy::kHoldPrevious &&
      o.unknownPolicy != UnknownPhonemePolicy::kSilence &&
      o.unknownPolicy != UnknownPhonemePolicy::kThrow)
    invalid("unknown UnknownPhonemePolicy");
  for (size_t i = 0; i < phonemes.size(); ++i) {
    const TimedPhoneme& p = phonemes[i];
    auto fail = [i](const std::string& what) {
      invalid(what + " at phoneme " + std::to_string(i));
    };
    if (p.phoneme.empty()) fail("empty phoneme");
    if (p.startSample < 0) fail("negative startSample");
    if (p.endSample < p.startSample) fail("endSample < startSample");
    if (i > 0 && p.startSample != phonemes[i - 1].endSample)
      fail("spans are not contiguous (start " + std::to_string(p.startSample) +
           " != previous end " + std::to_string(phonemes[i - 1].endSample) + ")");
  }
}

double toMs(int64_t samples, int sampleRate) {
  return static_cast<double>(samples) * 1000.0 / sampleRate;
}

// Classifies every phoneme; fills timeline-visible unknowns.
std::vector<Unit> classify(const std::vector<TimedPhoneme>& phonemes, int sampleRate,
                           const VisemeTimelineOptions& o, std::vector<std::string>& unknown) {
  std::vector<Unit> units(phonemes.size());
  for (size_t i = 0; i < phonemes.size(); ++i) {
    const TimedPhoneme& p = phonemes[i];
    Unit& u = units[i];
    const std::optional<PhonemeVisemes> v = lookupPhoneme(p.phoneme);
    if (!v) {
      if (std::find(unknown.begin(), unknown.end(), p.phoneme) == unknown.end())
        unknown.push_back(p.phoneme);
      if (o.unknownPolicy == UnknownPhonemePolicy::kThrow)
        invalid("unknown phoneme '" + p.phoneme + "' at phoneme " + std::to_string(i));
      if (o.unknownPolicy == UnknownPhonemePolicy::kHoldPrevious) u.attach = Attach::kPrevious;
      continue;  // kSilence: an owner with the silence viseme
    }
    switch (v->role) {
      case PhonemeRole::kArticulated:
        u.viseme = visemeFor(*v, o.set);
        u.weight = v->reduced ? o.reducedVowelWeight : 1.0f;
        u.speech = true;
        break;
      case PhonemeRole::kPause:
        break;
      case PhonemeRole::kWordGap:
        if (toMs(p.endSample - p.startSample, sampleRate) < o.wordGapSilenceMs)
          u.attach = Attach::kPrevious;
        break;
      case PhonemeRole::kPrecedingMark:
        u.attach = Attach::kNext;
        break;
      case PhonemeRole::kFollowingMark:
        u.attach = Attach::kPrevious;
        break;
    }
  }
  return units;
}

// Gives every absorbed unit's time to an owner. Between two owners the run of absorbed units is
// cut once, at the first unit that attaches forward: what precedes it goes to the left owner,
// the rest to the right one (so "ː ˈ" splits, and boundaries stay on phoneme boundaries).
std::vector<Owner> absorb(const std::vector<TimedPhoneme>& phonemes,
                          const std::vector<Unit>& units) {
  std::vector<Owner> owners;
  const auto n = static_cast<int32_t>(units.size());
  int32_t runStart = 0;  // first unit not yet given to an owner
  for (int32_t i = 0; i < n; ++i) {
    if (units[i].attach != Attach::kNone) continue;
    Owner owner{phonemes[i].startSample, phonemes[i].endSample, units[i].viseme,
                units[i].weight,         units[i].speech,       i, i + 1, i};
    if (owners.empty()) {
      owner.start = phonemes[runStart].startSample;  // leading marks all go forward
      owner.phonemeBegin = runStart;
    } else {
      int32_t cut = runStart;
      while (cut < i && units[cut].attach != Attach::kNext) ++cut;
      Owner& left = owners.back();
      left.end = phonemes[cut].startSample;  // == phonemes[i].startSample when cut == i
      left.phonemeEnd = cut;
      owner.start = left.end;
      owner.phonemeBegin = cut;
    }
    owners.push_back(owner);
    runStart = i + 1;
  }
  if (owners.empty()) {
    if (n > 0) owners.push_back({phonemes.front().startSample, phonemes.back().endSample,
                                 kSilenceViseme, 1.0f, false, 0, n, -1});
    return owners;
  }
  owners.back().end = phonemes.back().endSample;  // trailing marks all go backward
  owners.back().phonemeEnd = n;
  return owners;
}

// Azure: both halves of a split a+ɪ, a+ʊ, ɔ+ɪ take Microsoft's diphthong viseme.
void applyAzureDiphthongs(const std::vector<TimedPhoneme>& phonemes, std::vector<Owner>& owners) {
  for (size_t k = 0; k + 1 < owners.size(); ++k) {
    if (!owners[k].speech || !owners[k + 1].speech) continue;  // speech owners have self >= 0
    const std::string& a = phonemes[static_cast<size_t>(owners[k].self)].phoneme;
    const std::string& b = phonemes[static_cast<size_t>(owners[k + 1].self)].phoneme;
    if (const std::optional<int> id = azureDiphthongViseme(a, b)) {
      owners[k].viseme = owners[k + 1].viseme = *id;
      ++k;  // a pair is never the start of another pair
    }
  }
}

// OVR h-class: take the next speech shape before a pause, else the previous one, else silence.
void resolveInherited(std::vector<Owner>& owners) {
  const size_t n = owners.size();
  for (size_t k = 0; k < n; ++k) {
    if (owners[k].viseme != kInheritNextViseme) continue;
    const Owner* source = nullptr;
    for (size_t j = k + 1; j < n && owners[j].speech && !source; ++j)
      if (owners[j].viseme != kInheritNextViseme) source = &owners[j];
    for (size_t j = k; j-- > 0 && owners[j].speech && !source;)
      if (owners[j].viseme != kInheritNextViseme) source = &owners[j];
    owners[k].viseme = source ? source->viseme : kSilenceViseme;
    owners[k].weight = source ? source->weight : 1.0f;
  }
}

VisemeEvent toEvent(const Owner& o) {
  VisemeEvent e;
  e.viseme = o.viseme;
  e.startSample = o.start;
  e.endSample = o.end;
  e.weight = o.weight;
  e.phonemeBegin = o.phonemeBegin;
  e.phonemeEnd = o.phonemeEnd;
  return e;
}

// `into` takes over `from`'s span (they are neighbours); `into` keeps its own shape.
void extend(VisemeEvent& into, const VisemeEvent& from) {
  into.startSample = std::min(into.startSample, from.startSample);
  into.endSample = std::max(into.endSample, from.endSample);
  into.phonemeBegin = std::min(into.phonemeBegin, from.phonemeBegin);
  into.phonemeEnd = std::max(into.phonemeEnd, from.phonemeEnd);
}

std::vector<VisemeEvent> mergeEqual(const std::vector<Owner>& owners) {
  std::vector<VisemeEvent> events;
  for (const Owner& o : owners) {
    if (!events.empty() && events.back().viseme == o.viseme) {
      extend(events.back(), toEvent(o));
      events.back().weight = std::max(events.back().weight, o.weight);
    } else {
      events.push_back(toEvent(o));
    }
  }
  return events;
}

// Zero-length events (from zero-length spans) cannot be shown: their phonemes join the previous
// event (the next one if first); then equal neighbours that now touch are merged.
void dropEmpty(std::vector<VisemeEvent>& events) {
  std::vector<VisemeEvent> kept;
  std::vector<VisemeEvent> leading;  // empty events before the first non-empty one
  for (const VisemeEvent& e : events) {
    if (e.endSample == e.startSample) {
      if (kept.empty()) leading.push_back(e);
      else extend(kept.back(), e);
    } else if (!kept.empty() && kept.back().viseme == e.viseme) {
      kept.back().weight = std::max(kept.back().weight, e.weight);
      extend(kept.back(), e);
    } else {
      kept.push_back(e);
    }
  }
  if (!kept.empty())
    for (const VisemeEvent& e : leading) extend(kept.front(), e);
  events = std::move(kept);
}

// Repeatedly merges the shortest too-short event (earliest on ties) into its longer neighbour,
// ignoring silent neighbours for a speech event (speech must not vanish into a pause). A speech
// event with only silent neighbours, and lip contacts when keepLipContacts, stay.
void mergeShort(std::vector<VisemeEvent>& events, int sampleRate, const VisemeTimelineOptions& o) {
  auto durationMs = [&](const VisemeEvent& e) {
    return toMs(e.endSample - e.startSample, sampleRate);
  };
  for (;;) {
    size_t victim = events.size();
    size_t target = events.size();
    for (size_t k = 0; k < events.size(); ++k) {
      const VisemeEvent& e = events[k];
      if (durationMs(e) >= o.minDurationMs) continue;
      if (o.keepLipContacts && isLipContactViseme(o.set, e.viseme)) continue;
      if (victim < events.size() && durationMs(e) >= durationMs(events[victim])) continue;
      const bool speech = e.viseme != kSilenceViseme;
      size_t best = events.size();
      auto consider = [&](size_t j) {
        if (speech && events[j].viseme == kSilenceViseme) return;
        // Strictly longer wins, so the previous neighbour (considered first) wins ties.
        if (best == events.size() || durationMs(events[j]) > durationMs(events[best])) best = j;
      };
      if (k > 0) consider(k - 1);
      if (k + 1 < events.size()) consider(k + 1);
      if (best == events.size()) continue;
      victim = k;
      target = best;
    }
    if (victim == events.size()) return;
    extend(events[target], events[victim]);
    events.erase(events.begin() + static_cast<std::ptrdiff_t>(victim));
    // The absorbing event now touches the victim's other neighbour, which may have its shape.
    const bool fromLeft = target < victim;
    if (!fromLeft && victim == 0) continue;
    const size_t left = fromLeft ? target : victim - 1;
    if (left + 1 < events.size() && events[left].viseme == events[left + 1].viseme) {
      events[left].weight = std::max(events[left].weight, events[left + 1].weight);
      extend(events[left], events[left + 1]);
      events.erase(events.begin() + static_cast<std::ptrdiff_t>(left + 1));
    }
  }
}

}  // namespace

VisemeTimeline VisemeTimeline::build(const std::vector<TimedPhoneme>& phonemes, int sampleRate,
                                     const VisemeTimelineOptions& options) {
  validate(phonemes, sampleRate, options);
  VisemeTimeline timeline;
  timeline.options_ = options;
  timeline.sampleRate_ = sampleRate;
  const std::vector<Unit> units = classify(phonemes, sampleRate, options, timeline.unknown_);
  std::vector<Owner> owners = absorb(phonemes, units);
  if (options.set == VisemeSet::kAzure22 && options.azureDiphthongs)
    applyAzureDiphthongs(phonemes, owners);
  resolveInherited(owners);
  timeline.events_ = mergeEqual(owners);
  dropEmpty(timeline.events_);
  if (options.minDurationMs > 0.0) mergeShort(timeline.events_, sampleRate, options);
  for (VisemeEvent& e : timeline.events_) {
    e.startMs = toMs(e.startSample, sampleRate);
    e.endMs = toMs(e.endSample, sampleRate);
  }
  return timeline;
}

}  // namespace avatar_voice
