// Model durations → exact sample spans per phoneme (what visemes and word highlighting follow).
//
//   // frames[i]: decoder frames of ids[i] from the patched model's Ceil output (length_scale
//   // already applied); hop: the voice's hop_length (256)
//   std::vector<AlignedPhoneme> spans = alignPhonemes(ids, phonemes, frames, hop, audio.size());
//
// Piper's rule (piper1-gpl voice.py _group_phoneme_alignments): a phoneme owns its own ids and
// the pad after them; BOS and its pad form a leading "^" span, EOS a trailing "$" span. Spans are
// contiguous from 0 and end exactly at `audioSamples`: when the model's frames × hop do not add
// up to the audio (they do for Piper exports; the check is cheap), the last span absorbs the
// difference and `exact` is false. Durations are untrusted model output: NaN, negative and huge
// values cannot overflow anything (a span is at most the audio). Throws Error(kInvalidModel) when
// there is not one duration per id, Error(kInvalidArgument) for hopLength <= 0, ids whose origins
// do not fit `phonemes` (toIds() never makes such), or audio over limits::kMaxSentenceSamples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "voice/phoneme_id_map.h"

namespace avatar_voice {

struct AlignedPhoneme {
  std::string phoneme;  // the input symbol, or "^" / "$" for the leading/trailing spans
  int64_t startSample = 0;
  int64_t endSample = 0;
  int32_t textStart = -1;  // byte span in the source text, -1 for ^ / $
  int32_t textEnd = -1;
};

struct PhonemeAlignment {
  std::vector<AlignedPhoneme> phonemes;
  bool exact = true;  // frames × hop matched the audio length exactly
};

PhonemeAlignment alignPhonemes(const PhonemeIds& ids, const std::vector<Phoneme>& phonemes,
                               const float* frames, size_t frameCount, int hopLength,
                               size_t audioSamples);

// Fallback when the model has no Ceil output: spreads `audioSamples` over the ids with fixed
// relative weights (vowels 2, other phonemes 1, pads 0.5, BOS/EOS 1) and returns per-id frames
// in the same units alignPhonemes() takes. Documented as timing "estimated".
std::vector<float> estimateFrames(const PhonemeIds& ids, const std::vector<Phoneme>& phonemes,
                                  int hopLength, size_t audioSamples);

}  // namespace avatar_voice
