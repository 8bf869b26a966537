#include "audio/phoneme_alignment.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/limits.h"

namespace avatar_voice {
namespace {

[[noreturn]] void invalidIds(const std::string& why) {
  throw Error(ErrorCode::kInvalidArgument, "phoneme ids do not fit their phonemes: " + why);
}

// PhonemeIdMap::toIds() always produces consistent ids; this guards the public entry points
// against any other PhonemeIds (a caller bug must be a typed error, not a read out of bounds).
void checkIds(const PhonemeIds& ids, const std::vector<Phoneme>& phonemes) {
  if (ids.origins.size() != ids.ids.size()) {
    invalidIds(std::to_string(ids.ids.size()) + " ids but " + std::to_string(ids.origins.size()) +
               " origins");
  }
  const auto count = static_cast<int64_t>(phonemes.size());
  for (const IdOrigin& o : ids.origins) {
    if (o.role == IdRole::kPhoneme &&
        (o.phonemeIndex < 0 || o.phonemeCount < 1 || o.ownerIndex != o.phonemeIndex)) {
      invalidIds("a phoneme id without its phoneme (index " + std::to_string(o.phonemeIndex) +
                 ", owner " + std::to_string(o.ownerIndex) + ")");
    }
    // The span of an owned id shows phonemes [owner, owner + max(1, phonemeCount)).
    if (o.role != IdRole::kEos && o.ownerIndex >= 0 &&
        int64_t{o.ownerIndex} + std::max(1, o.phonemeCount) > count) {
      invalidIds("owner " + std::to_string(o.ownerIndex) + " (+" + std::to_string(o.phonemeCount) +
                 ") outside " + std::to_string(count) + " phonemes");
    }
  }
}

void checkAudioLength(size_t audioSamples) {
  if (audioSamples > limits::kMaxSentenceSamples) {
    throw Error(ErrorCode::kInvalidArgument, "sentence audio of " + std::to_string(audioSamples) +
                                                 " samples is over the limit of " +
                                                 std::to_string(limits::kMaxSentenceSamples) +
                                                 " samples");
  }
}

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
                                              " durations for " + std::to_string(ids.ids.size()) +
                                              " ids");
  if (hopLength <= 0) throw Error(ErrorCode::kInvalidArgument, "hop length must be positive");
  checkIds(ids, phonemes);
  checkAudioLength(audioSamples);

  // Durations come from the model, i.e. from any .onnx file a user picked: a span longer than the
  // whole audio is clamped to "past the end" (then cut to the audio below, as any overlong total
  // is), so no value can overflow the sample arithmetic.
  const auto total = static_cast<int64_t>(audioSamples);
  const int64_t pastEnd = total + 1;
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
    // In double: frames × hop passes float's 2^24 exact integers within a few seconds of audio.
    const double wanted =
        std::isfinite(f) && f > 0 ? std::round(static_cast<double>(f)) * hopLength : 0.0;
    const int64_t samples =
        wanted < static_cast<double>(pastEnd) ? static_cast<int64_t>(wanted) : pastEnd;
    if (origin.role == IdRole::kEos) {
      if (!eosOpened) span("$", -1, -1).startSample = cursor;
      eosOpened = true;
    } else if (origin.ownerIndex != currentOwner || out.phonemes.empty()) {
      currentOwner = origin.ownerIndex;
      if (origin.ownerIndex < 0) {
        span("^", -1, -1).startSample = cursor;
      } else {
        const Phoneme& p = phonemes[static_cast<size_t>(origin.ownerIndex)];
        // A merged cluster owns several input phonemes: show them as one symbol.
        std::string symbol = p.symbol;
        for (int32_t k = 1; k < origin.phonemeCount; ++k)
          symbol += phonemes[static_cast<size_t>(origin.ownerIndex + k)].symbol;
        AlignedPhoneme& a = span(std::move(symbol), origin.textStart, origin.textEnd);
        a.startSample = cursor;
      }
    }
    cursor = std::min(cursor + samples, pastEnd);
    out.phonemes.back().endSample = cursor;
  }
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
  checkIds(ids, phonemes);
  checkAudioLength(audioSamples);
  std::vector<double> weights(ids.ids.size(), 1.0);
  double sum = 0;
  for (size_t i = 0; i < ids.ids.size(); ++i) {
    const IdOrigin& o = ids.origins[i];
    if (o.role == IdRole::kPad) weights[i] = 0.5;
    if (o.role == IdRole::kPhoneme && o.phonemeIndex >= 0 &&
        isVowel(phonemes[static_cast<size_t>(o.phonemeIndex)].symbol))
      weights[i] = 2.0;
    sum += weights[i];
  }
  const double totalFrames = static_cast<double>(audioSamples) / hopLength;
  std::vector<float> frames(ids.ids.size(), 0.0f);
  // Whole frames, distributed so that they add up to the audio: each id gets the floor of its
  // share, and the frames left over go to the largest remainders (ties: the earlier id). Handing
  // them out from the first id instead would shift every span of a long sentence early.
  std::vector<double> remainders(frames.size(), 0.0);
  double assigned = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    const double share = totalFrames * weights[i] / (sum > 0 ? sum : 1);
    frames[i] = static_cast<float>(std::floor(share));
    remainders[i] = share - std::floor(share);
    assigned += frames[i];
  }
  std::vector<size_t> order(frames.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t k = 0; k < order.size() && assigned + 1 <= totalFrames; ++k) {
    frames[order[k]] += 1;
    assigned += 1;
  }
  return frames;
}

}  // namespace avatar_voice
