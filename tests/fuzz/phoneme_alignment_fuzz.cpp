// libFuzzer target: phoneme ids and model durations → alignPhonemes / estimateFrames, the step
// that turns a model's (untrusted: any .onnx can be loaded) Ceil output into sample spans.
// Two kinds of ids: the ones PhonemeIdMap::toIds builds from random phonemes (what the core
// passes), and raw random ids/origins (a caller bug must give a typed error, not a bad read).
// Frames are mostly small frame counts, sometimes arbitrary float bit patterns.
//
// Contract checked: errors are kInvalidModel / kInvalidArgument only; otherwise spans start at 0,
// are contiguous and ordered, and the last one ends exactly at the audio length; `exact` tells
// whether frames × hop added up; estimateFrames' frames add up to whole hops of the audio.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "audio/phoneme_alignment.h"
#include "byte_reader.h"
#include "core/error.h"
#include "voice/phoneme_id_map.h"

namespace {

using namespace avatar_voice;

const PhonemeIdMap& idMap(bool clusters) {
  static const std::map<std::string, std::vector<int64_t>> table = {
      {"^", {1}},  {"_", {0}},    {"$", {2}}, {" ", {3}},  {"a", {4}}, {"ɪ", {5}},
      {"aɪ", {6}}, {"h", {7, 8}}, {"ə", {9}}, {"l", {10}}, {",", {11}}};
  static const PhonemeIdMap plain(table);
  static const PhonemeIdMap merging(table, {{"a", "ɪ"}});
  return clusters ? merging : plain;
}

const char* const kSymbols[] = {"a", "ɪ", "h", "ə", "l", " ", ",", "q", "aɪ", ""};

void checkAlignment(const PhonemeAlignment& a, const PhonemeIds& ids, size_t audioSamples) {
  if (ids.ids.empty()) {
    AV_FUZZ_REQUIRE(a.phonemes.empty());
    return;
  }
  AV_FUZZ_REQUIRE(!a.phonemes.empty());
  AV_FUZZ_REQUIRE(a.phonemes.front().startSample == 0);
  AV_FUZZ_REQUIRE(a.phonemes.back().endSample == static_cast<int64_t>(audioSamples));
  for (size_t k = 0; k < a.phonemes.size(); ++k) {
    AV_FUZZ_REQUIRE(a.phonemes[k].startSample <= a.phonemes[k].endSample);
    if (k > 0) AV_FUZZ_REQUIRE(a.phonemes[k - 1].endSample == a.phonemes[k].startSample);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::ByteReader in(data, size);
  const uint8_t flags = in.u8();
  const int hop = (flags & 1) ? 256 : static_cast<int16_t>(in.u16());
  const size_t audioSamples = (flags & 2) ? static_cast<size_t>(in.u64()) : in.u32() % (1u << 24);
  const bool raw = (flags & 4) != 0;

  std::vector<Phoneme> phonemes;
  PhonemeIds ids;
  const size_t count = in.u8() % 64;
  for (size_t i = 0; i < count; ++i) {
    const int32_t start = static_cast<int8_t>(in.u8());
    phonemes.push_back({kSymbols[in.u8() % std::size(kSymbols)], start, start + in.u8() % 4});
  }
  if (raw) {
    const size_t n = in.u8() % 64;
    for (size_t i = 0; i < n; ++i) {
      ids.ids.push_back(static_cast<int8_t>(in.u8()));
      IdOrigin o;
      o.role = static_cast<IdRole>(in.u8() % 4);
      o.phonemeIndex = static_cast<int8_t>(in.u8());
      o.phonemeCount = static_cast<int8_t>(in.u8());
      o.ownerIndex = static_cast<int8_t>(in.u8());
      o.textStart = static_cast<int8_t>(in.u8());
      o.textEnd = static_cast<int8_t>(in.u8());
      // Usually as many origins as ids; sometimes one short or one over.
      if (!(flags & 8) || i + 1 < n) ids.origins.push_back(o);
    }
    if ((flags & 8) && (flags & 16)) ids.origins.push_back({}), ids.origins.push_back({});
  } else {
    ids = idMap((flags & 8) != 0).toIds(phonemes);
  }

  const bool noFrames = (flags & 32) != 0;
  const size_t frameCount = (flags & 64) ? in.u8() : ids.ids.size();
  std::vector<float> frames;
  while (!noFrames && frames.size() < frameCount) {
    const uint8_t b = in.u8();
    frames.push_back(b < 224 ? static_cast<float>(b % 16) : in.f32());
  }

  try {
    const PhonemeAlignment a =
        alignPhonemes(ids, phonemes, noFrames ? nullptr : frames.data(),
                      noFrames ? ids.ids.size() : frames.size(), hop, audioSamples);
    checkAlignment(a, ids, audioSamples);
  } catch (const Error& e) {
    AV_FUZZ_REQUIRE(e.code() == ErrorCode::kInvalidModel ||
                    e.code() == ErrorCode::kInvalidArgument);
  }

  if (!raw && hop > 0) {
    try {
      const std::vector<float> estimated = estimateFrames(ids, phonemes, hop, audioSamples);
      AV_FUZZ_REQUIRE(estimated.size() == ids.ids.size());
      double sum = 0;
      for (float f : estimated) {
        AV_FUZZ_REQUIRE(f >= 0 && f == std::floor(f));
        sum += f;
      }
      const double wholeHops = std::floor(static_cast<double>(audioSamples) / hop);
      // Frames are floats (the model's unit): whole numbers are exact below 2^24 frames, i.e.
      // 12 minutes per sentence at hop 1 and 53 hours at Piper's hop 256.
      const bool representable = wholeHops < (1 << 24);
      if (!ids.ids.empty() && representable) AV_FUZZ_REQUIRE(sum == wholeHops);
      const PhonemeAlignment a =
          alignPhonemes(ids, phonemes, estimated.data(), estimated.size(), hop, audioSamples);
      checkAlignment(a, ids, audioSamples);
      if (!ids.ids.empty() && representable)
        AV_FUZZ_REQUIRE(a.exact == (audioSamples % static_cast<size_t>(hop) == 0));
    } catch (const Error& e) {
      AV_FUZZ_REQUIRE(e.code() == ErrorCode::kInvalidArgument);
    }
  }
  return 0;
}
