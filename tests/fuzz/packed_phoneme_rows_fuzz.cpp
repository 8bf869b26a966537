// libFuzzer target: arbitrary bytes as a packed phoneme table (AVPH) → unpackPhonemeRows, then
// phonemes.insertPacked into an in-memory store. The blob crosses from the page, so anything may
// arrive.
//
// Contract checked: the only errors are INVALID_ARGUMENT (malformed blob or bad row),
// INVALID_UTF8 (a string that is not UTF-8) and CONSTRAINT (duplicate idx); a blob that unpacks
// repacks to a blob that unpacks to the same rows; an insert that succeeds stores exactly the rows
// (listPacked gives them back), and one that fails stores none.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "byte_reader.h"
#include "core/error.h"
#include "store/packed_phoneme_rows.h"
#include "store/store_commands.h"

namespace {

using namespace avatar_voice;
using namespace avatar_voice::store;

// `bitwise`: times compared as bit patterns (a repack copies them, NaN included); otherwise as
// values (SQLite may store -0.0 as the integer 0; stored times are finite).
bool sameRows(const std::vector<NewPhoneme>& a, const std::vector<NewPhoneme>& b, bool bitwise) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const bool times = bitwise ? std::memcmp(&a[i].startMs, &b[i].startMs, 8) == 0 &&
                                     std::memcmp(&a[i].endMs, &b[i].endMs, 8) == 0
                               : a[i].startMs == b[i].startMs && a[i].endMs == b[i].endMs;
    if (!times || a[i].idx != b[i].idx || a[i].phoneme != b[i].phoneme ||
        a[i].viseme != b[i].viseme)
      return false;
  }
  return true;
}

std::vector<Phoneme> asStored(const std::vector<NewPhoneme>& rows) {
  std::vector<Phoneme> out;
  for (const NewPhoneme& r : rows)
    out.push_back(Phoneme{1, r.idx, r.phoneme, r.startMs, r.endMs, r.viseme});
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<NewPhoneme> rows;
  try {
    rows = unpackPhonemeRows(data, size);
  } catch (const Error& e) {
    AV_FUZZ_REQUIRE(e.code() == ErrorCode::kInvalidArgument);
    return 0;
  }
  const std::vector<uint8_t> repacked = packPhonemeRows(asStored(rows));
  AV_FUZZ_REQUIRE(sameRows(unpackPhonemeRows(repacked.data(), repacked.size()), rows, true));

  // One store for the whole run (opening one migrates the schema: too slow per input); each
  // input gets an audio of its own and deletes it, which cascades to its rows.
  static Store store(":memory:");
  static StoreCommands commands(store);
  const std::vector<uint8_t> audioBytes(4, 0);
  const int64_t audioId = commands
                              .call("audios.create",
                                    {{"text", "x"},
                                     {"voiceId", "v"},
                                     {"sampleRate", 16000},
                                     {"durationMs", 1},
                                     {"format", "pcm_f32"}},
                                    &audioBytes, nullptr)["id"]
                              .get<int64_t>();
  const std::vector<uint8_t> blob(data, data + size);
  bool inserted = false;
  try {
    commands.call("phonemes.insertPacked", {{"audioId", audioId}}, &blob, nullptr);
    inserted = true;
  } catch (const Error& e) {
    AV_FUZZ_REQUIRE(e.code() == ErrorCode::kInvalidArgument ||
                    e.code() == ErrorCode::kInvalidUtf8 || e.code() == ErrorCode::kConstraint);
  }
  std::vector<uint8_t> out;
  commands.call("phonemes.listPacked", {{"audioId", audioId}}, nullptr, &out);
  const std::vector<NewPhoneme> stored = unpackPhonemeRows(out.data(), out.size());
  commands.call("audios.delete", {{"id", audioId}}, nullptr, nullptr);
  if (!inserted) {
    AV_FUZZ_REQUIRE(stored.empty());
    return 0;
  }
  // Stored in idx order; the blob's rows may come in any order.
  std::vector<NewPhoneme> expected = rows;
  std::sort(expected.begin(), expected.end(),
            [](const NewPhoneme& a, const NewPhoneme& b) { return a.idx < b.idx; });
  AV_FUZZ_REQUIRE(sameRows(stored, expected, false));
  return 0;
}
