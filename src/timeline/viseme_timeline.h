// Timed Piper phonemes of one chunk → viseme events a mouth can follow.
//
//   // spans as Piper's alignments give them: contiguous, in samples, at the voice's rate
//   std::vector<TimedPhoneme> phonemes = {{"^", 0, 1280}, {"h", 1280, 2048}, {"ə", 2048, 2560},
//                                         {"l", 2560, 3584}, {"ˈ", 3584, 3840}, {"o", 3840, 5120},
//                                         {"ʊ", 5120, 6400}, {".", 6400, 8000}, {"$", 8000, 8768}};
//   VisemeTimelineOptions options;                 // OVR 15, 30 ms minimum
//   VisemeTimeline timeline = VisemeTimeline::build(phonemes, 22050, options);
//   for (const VisemeEvent& e : timeline.events())
//     play(visemeName(timeline.visemeSet(), e.viseme), e.startMs, e.endMs, e.weight);
//   // sil 0–58 ms, aa 58–116 (h borrows ə's shape), nn 116–163, oh 163–232, ou 232–290, sil …
//
// Blending the events for a render loop (attack/release, weights at a time t) is not done here:
// the Player does it on the main thread every frame (VisemeTrack in web/speech_cues.ts).
//
// Rules (docs/visemes.md has the reasons): modifiers and stress marks give their time to a
// neighbour; pauses, punctuation and the pads _ ^ $ are silence; a space is silence only when it
// lasts wordGapSilenceMs or more; equal neighbours merge; events shorter than minDurationMs merge
// into their longer neighbour (speech never into silence), except lip-contact shapes (p b m f v)
// and a lone sound between pauses. Unknown symbols: see UnknownPhonemePolicy. Event boundaries
// always fall on phoneme boundaries (startSample/endSample are exact; ms is derived from them).
//
// Ownership: a VisemeTimeline is an immutable value that owns its events; it keeps no reference
// to the input. All const methods may be called from several threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "timeline/viseme_map.h"

namespace avatar_voice {

// One phoneme as Piper aligned it: [startSample, endSample) in the chunk's audio.
struct TimedPhoneme {
  std::string phoneme;  // UTF-8, normally a single NFD codepoint
  int64_t startSample = 0;
  int64_t endSample = 0;
};

enum class UnknownPhonemePolicy {
  kHoldPrevious,  // default: the time goes to the previous phoneme (next, if it is the first)
  kSilence,       // the symbol becomes silence
  kThrow,         // build() throws Error(kInvalidArgument)
};

struct VisemeTimelineOptions {
  VisemeSet set = VisemeSet::kOculus15;
  // Events shorter than this merge into a neighbour: they would show on at most one frame of a
  // 60 Hz render loop and only make the mouth flicker. 30 ms drops Piper's 2-hop segments
  // (23 ms at 22050 Hz, hop 256) and keeps 3-hop ones (35 ms). Use 40–60 for 24/25 fps video
  // or a calmer mouth; 0 disables.
  double minDurationMs = 30.0;
  // A word gap (space, hyphen) at least this long is a pause (silence); a shorter one is held
  // by the previous shape, so the mouth does not snap shut between words.
  double wordGapSilenceMs = 100.0;
  // Never merge away p/b/m (PP, 21) and f/v (FF, 18): a missing lip closure is the one lip-sync
  // error every viewer notices.
  bool keepLipContacts = true;
  // Azure only: a+ɪ, a+ʊ, ɔ+ɪ become Microsoft's single diphthong visemes 11, 9, 10.
  bool azureDiphthongs = true;
  // Weight of reduced vowels (ə ɐ ᵻ ɚ); full articulations weigh 1.
  float reducedVowelWeight = 0.6f;
  UnknownPhonemePolicy unknownPolicy = UnknownPhonemePolicy::kHoldPrevious;
};

struct VisemeEvent {
  int viseme = kSilenceViseme;  // id in the timeline's VisemeSet
  int64_t startSample = 0;      // exact phoneme boundary
  int64_t endSample = 0;
  double startMs = 0.0;         // startSample * 1000 / sampleRate
  double endMs = 0.0;
  float weight = 1.0f;          // peak intensity 0..1
  int32_t phonemeBegin = 0;     // input phonemes [phonemeBegin, phonemeEnd) this event covers
  int32_t phonemeEnd = 0;
};

class VisemeTimeline {
 public:
  // Throws Error(kInvalidArgument) for sampleRate <= 0, a negative start, endSample <
  // startSample, spans that are not contiguous (each start must equal the previous end), an
  // empty phoneme, a bad option, or (kThrow policy) an unknown symbol; Error(kInvalidUtf8) for
  // malformed UTF-8. An empty input gives an empty timeline.
  static VisemeTimeline build(const std::vector<TimedPhoneme>& phonemes, int sampleRate,
                              const VisemeTimelineOptions& options = {});

  const std::vector<VisemeEvent>& events() const { return events_; }
  VisemeSet visemeSet() const { return options_.set; }
  int sampleRate() const { return sampleRate_; }
  const VisemeTimelineOptions& options() const { return options_; }
  // Distinct unknown symbols in order of first appearance (whatever the policy did with them).
  const std::vector<std::string>& unknownPhonemes() const { return unknown_; }


 private:
  VisemeTimelineOptions options_;
  int sampleRate_ = 0;
  std::vector<VisemeEvent> events_;
  std::vector<std::string> unknown_;
};

}  // namespace avatar_voice
