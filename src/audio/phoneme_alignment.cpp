#include "audio/phoneme_alignment.h"

#include <cmath>
#include <string_view>

#include "core/error.h"

namespace avatar_voice {
namespace {

bool isVowel(std::string_view symbol) {
  static constexpr std::string_view kVowels[] = {"a", "e", "i", "o", "u", "æ", "ɐ", "ɑ", "ɒ", "ɔ",
                                                 "ə", "ɚ", "ɛ", "ɜ", "ɪ", "ʊ", "ʌ", "ᵻ", "ɝ", "y"};
  for (std::string_view v : kVowels)
    if (symbol == v) return true;
  return false;
}

}  // namespace

PhonemeAlignment alignPhonemes(const PhonemeIds& ids, const std::vector<Phoneme>& phonemes,
                               const float* frames, size_t frameCount, int hopLength,
                               size_t audioSamples) {
  if (frameCount != ids.ids.size())
    throw Error(ErrorCode::kInvalidModel, "the model returned " + std::to_string(frameCount) +
                                              " durations for " + std::to_string(ids.ids.size()) + " ids");
  if (hopLength <= 0) throw Error(ErrorCode::kInvalidArgument, "hop length must be positive");

  PhonemeAlignment out;
  auto span = [&](std::string symbol, int32_t ts, int32_t te) -> AlignedPhoneme& {
    out.phonemes.push_back({std::move(symbol), 0, 0, ts, te});
    return out.phonemes.back();
  };
  int64_t cursor = 0;
  int32_t currentOwner = -2;  // -2: nothing open; -1: the leading BOS span
  bool eosOpened = false;
  for (size_t i = 0; i < ids.ids.size(); ++i) {
    const IdOrigin& origin = ids.origins[i];
    const float f = frames ? frames[i] : 0.0f;
    const int64_t samples =
        std::isfinite(f) && f > 0 ? static_cast<int64_t>(std::llround(f)) * hopLength : 0;
    if (origin.role == IdRole::kEos) {
      if (!eosOpened) span("$", -1, -1).startSample = cursor;
      eosOpened = true;
    } else if (origin.ownerIndex != currentOwner || out.phonemes.empty()) {
      currentOwner = origin.ownerIndex;
      if (origin.ownerIndex < 0) {
        span("^", -1, -1).startSample = cursor;
      } else {
        const Phoneme& p = phonemes.at(static_cast<size_t>(origin.ownerIndex));
        // A merged cluster owns several input phonemes: show them as one symbol.
        std::string symbol = p.symbol;
        for (int32_t k = 1; k < origin.phonemeCount; ++k)
          symbol += phonemes.at(static_cast<size_t>(origin.ownerIndex + k)).symbol;
        AlignedPhoneme& a = span(std::move(symbol), origin.textStart, origin.textEnd);
        a.startSample = cursor;
      }
    }
    cursor += samples;
    out.phonemes.back().endSample = cursor;
  }
  const auto total = static_cast<int64_t>(audioSamples);
  if (cursor != total) {
    out.exact = false;
    // Clamp every span into the audio and let the last one end exactly with it.
    for (AlignedPhoneme& a : out.phonemes) {
      a.startSample = std::min(a.startSample, total);
      a.endSample = std::min(a.endSample, total);
    }
    if (!out.phonemes.empty()) out.phonemes.back().endSample = total;
  }
  return out;
}

std::vector<float> estimateFrames(const PhonemeIds& ids, const std::vector<Phoneme>& phonemes,
                                  int hopLength, size_t audioSamples) {
  if (hopLength <= 0) throw Error(ErrorCode::kInvalidArgument, "hop length must be positive");
  std::vector<double> weights(ids.ids.size(), 1.0);
  double sum = 0;
  for (size_t i = 0; i < ids.ids.size(); ++i) {
    const IdOrigin& o = ids.origins[i];
    if (o.role == IdRole::kPad) weights[i] = 0.5;
    if (o.role == IdRole::kPhoneme && o.phonemeIndex >= 0 &&
        isVowel(phonemes.at(static_cast<size_t>(o.phonemeIndex)).symbol))
      weights[i] = 2.0;
    sum += weights[i];
  }
  const double totalFrames = static_cast<double>(audioSamples) / hopLength;
  std::vector<float> frames(ids.ids.size(), 0.0f);
  // Whole frames, distributed so that they add up to the audio (largest remainder first).
  double assigned = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    frames[i] = static_cast<float>(std::floor(totalFrames * weights[i] / (sum > 0 ? sum : 1)));
    assigned += frames[i];
  }
  for (size_t i = 0; assigned + 1 <= totalFrames && !frames.empty(); i = (i + 1) % frames.size()) {
    frames[i] += 1;
    assigned += 1;
  }
  return frames;
}

}  // namespace avatar_voice
