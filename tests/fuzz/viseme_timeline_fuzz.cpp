// libFuzzer target: random timed phonemes and options → VisemeTimeline::build.
// Every input either throws avatar_voice::Error or yields a timeline whose invariants hold
// (contiguous events on phoneme boundaries, ids in range, weights within [0, 1]).
//
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//     tests/fuzz/viseme_timeline_fuzz.cpp src/timeline/*.cpp -o viseme_timeline_fuzz
//   ./viseme_timeline_fuzz -max_total_time=60
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "timeline/viseme_timeline.h"

namespace {

using namespace avatar_voice;

// Reads bytes front to back; zeros once exhausted.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint16_t u16() { return static_cast<uint16_t>(u8() | (u8() << 8)); }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void check(bool ok) {
  if (!ok) std::abort();
}

const std::vector<std::string>& symbols() {
  static const std::vector<std::string> pool = [] {
    std::vector<std::string> s = knownPhonemes();
    for (const char* extra : {"☃", "Q", "n̩", "iː", "tʃ", "\u0361", "\xC3", "\xFF", ""})
      s.push_back(extra);
    return s;
  }();
  return pool;
}

void exercise(const VisemeTimeline& t, const std::vector<TimedPhoneme>& phonemes) {
  const std::vector<VisemeEvent>& events = t.events();
  const int count = visemeCount(t.visemeSet());
  std::set<int64_t> boundaries;
  for (const TimedPhoneme& p : phonemes) boundaries.insert({p.startSample, p.endSample});
  for (size_t k = 0; k < events.size(); ++k) {
    const VisemeEvent& e = events[k];
    check(e.viseme >= 0 && e.viseme < count);
    check(e.startSample < e.endSample);
    check(boundaries.count(e.startSample) && boundaries.count(e.endSample));
    check(e.weight >= 0.0f && e.weight <= 1.0f);
    if (k > 0) check(events[k - 1].endSample == e.startSample && events[k - 1].viseme != e.viseme);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteReader in(data, size);
  const uint8_t flags = in.u8();
  VisemeTimelineOptions options;
  options.set = (flags & 1) ? VisemeSet::kAzure22 : VisemeSet::kOculus15;
  options.keepLipContacts = (flags & 2) != 0;
  options.azureDiphthongs = (flags & 4) != 0;
  options.unknownPolicy = static_cast<UnknownPhonemePolicy>((flags >> 3) % 3);
  options.minDurationMs = in.u8();
  options.wordGapSilenceMs = in.u8() * 2.0;
  // Bits 32/64 once carried attack/release bytes (blending now lives in web/speech_cues.ts); they
  // are still read so the seed corpus keeps its meaning.
  if (flags & 32) in.u8();
  if (flags & 64) in.u8();
  options.reducedVowelWeight = in.u8() / 255.0f;
  // Mostly real rates; sometimes 0 or negative to reach the error path.
  const uint8_t rateByte = in.u8();
  const int sampleRate = rateByte == 0 ? 0 : rateByte == 1 ? -22050 : 8000 + rateByte * 100;
  const bool contiguous = (flags & 128) == 0;

  std::vector<TimedPhoneme> phonemes;
  int64_t cursor = in.u16();
  while (!in.empty() && phonemes.size() < 2048) {
    const std::string& symbol = symbols()[in.u16() % symbols().size()];
    const int64_t length = in.u8() * 16;
    int64_t start = cursor;
    if (!contiguous) start += static_cast<int8_t>(in.u8());
    phonemes.push_back({symbol, start, start + length});
    cursor = start + length;
  }

  try {
    const VisemeTimeline t = VisemeTimeline::build(phonemes, sampleRate, options);
    exercise(t, phonemes);
  } catch (const Error&) {
    // Invalid input is allowed to throw, with a typed error only.
  }
  return 0;
}
