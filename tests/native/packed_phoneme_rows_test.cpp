// Packed phoneme rows (AVPH): the byte layout written out by hand from the header's description
// is the oracle for both directions; then every malformed blob is a typed error, and rows that
// arrive packed are stored exactly as the same rows sent as JSON.
#include "store/packed_phoneme_rows.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "error_of.h"
#include "store/store_commands.h"

namespace avatar_voice::store {
namespace {

using nlohmann::json;

// The documented layout, built field by field (little-endian) without the code under test.
struct Blob {
  std::vector<uint8_t> bytes;
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void f64(double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    u32(static_cast<uint32_t>(bits));
    u32(static_cast<uint32_t>(bits >> 32));
  }
  void text(const std::string& s) { bytes.insert(bytes.end(), s.begin(), s.end()); }
};

// Two rows, strings "h" (0), "sil" (1), "ə" (2): {0, h, 0..41.25, sil}, {1, ə, 41.25..90, none}.
Blob twoRows(uint32_t version = 1) {
  Blob b;
  b.text("AVPH");
  b.u32(version);
  b.u32(2);                      // rows
  b.u32(3);                      // strings
  b.f64(0), b.f64(41.25);        // startMs
  b.f64(41.25), b.f64(90);       // endMs
  b.f64(0), b.f64(1);            // idx
  b.u32(0), b.u32(2);            // phoneme
  b.u32(1), b.u32(0xffffffff);   // viseme (-1 = none)
  b.u32(1), b.u32(4), b.u32(6);  // string ends: "h" | "sil" | "ə" (2 bytes)
  b.text("hsil\xc9\x99");
  return b;
}

Phoneme row(int64_t idx, std::string phoneme, double start, double end, std::string viseme) {
  Phoneme p;
  p.audioId = 1;
  p.idx = idx;
  p.phoneme = std::move(phoneme);
  p.startMs = start;
  p.endMs = end;
  p.viseme = std::move(viseme);
  return p;
}

std::string messageOf(const std::vector<uint8_t>& bytes) {
  const Error e = errorOf([&] { unpackPhonemeRows(bytes.data(), bytes.size()); });
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
  return e.what();
}

TEST(PackedPhonemeRows, UnpacksTheDocumentedLayout) {
  const Blob b = twoRows();
  const std::vector<NewPhoneme> rows = unpackPhonemeRows(b.bytes.data(), b.bytes.size());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].idx, 0);
  EXPECT_EQ(rows[0].phoneme, "h");
  EXPECT_EQ(rows[0].startMs, 0);
  EXPECT_EQ(rows[0].endMs, 41.25);
  EXPECT_EQ(rows[0].viseme, "sil");
  EXPECT_EQ(rows[1].idx, 1);
  EXPECT_EQ(rows[1].phoneme, "ə");
  EXPECT_EQ(rows[1].startMs, 41.25);
  EXPECT_EQ(rows[1].endMs, 90);
  EXPECT_EQ(rows[1].viseme, "");
}

TEST(PackedPhonemeRows, PacksToTheDocumentedLayoutWithEachStringOnce) {
  // Strings are numbered in first use order, phoneme before viseme: h, sil, ə.
  const std::vector<uint8_t> packed =
      packPhonemeRows({row(0, "h", 0, 41.25, "sil"), row(1, "ə", 41.25, 90, "")});
  EXPECT_EQ(packed, twoRows().bytes);
  const std::vector<uint8_t> repeated =
      packPhonemeRows({row(0, "a", 0, 1, "aa"), row(1, "a", 1, 2, "aa"), row(2, "a", 2, 3, "aa")});
  EXPECT_EQ(repeated.size(), 16u + 3 * 32 + 2 * 4 + 3);  // two strings, "a" and "aa"
  EXPECT_EQ(packPhonemeRows({}).size(), 16u);
}

TEST(PackedPhonemeRows, MalformedBlobsAreTypedErrors) {
  EXPECT_NE(messageOf({}).find("shorter than the header"), std::string::npos);
  Blob magic = twoRows();
  magic.bytes[0] = 'X';
  EXPECT_NE(messageOf(magic.bytes).find("no AVPH header"), std::string::npos);
  EXPECT_NE(messageOf(twoRows(2).bytes).find("version 2"), std::string::npos);
  Blob truncated = twoRows();
  truncated.bytes.resize(60);
  EXPECT_NE(messageOf(truncated.bytes).find("need"), std::string::npos);
  Blob trailing = twoRows();
  trailing.bytes.push_back('x');
  EXPECT_NE(messageOf(trailing.bytes).find("1 bytes after the last string"), std::string::npos);
  // Counts that would ask for gigabytes are refused from the header alone.
  Blob huge;
  huge.text("AVPH");
  huge.u32(1), huge.u32(0xffffffff), huge.u32(0);
  EXPECT_NE(messageOf(huge.bytes).find("over the limit"), std::string::npos);
  Blob strings;
  strings.text("AVPH");
  strings.u32(1), strings.u32(0), strings.u32(0x40000000);
  EXPECT_NE(messageOf(strings.bytes).find("need"), std::string::npos);
}

TEST(PackedPhonemeRows, IndexesAndStringEndsOutsideTheirTablesAreRefused) {
  const size_t phonemeAt = 16 + 2 * 8 * 3, visemeAt = phonemeAt + 8, endsAt = visemeAt + 8;
  const auto patched = [](size_t at, uint32_t v) {
    Blob b = twoRows();
    for (int i = 0; i < 4; ++i) b.bytes[at + i] = static_cast<uint8_t>(v >> (8 * i));
    return b.bytes;
  };
  EXPECT_NE(messageOf(patched(phonemeAt, 3)).find("rows[0] names string 3 of 3"),
            std::string::npos);
  EXPECT_NE(messageOf(patched(visemeAt + 4, 0xfffffffe)).find("rows[1] names string -2"),
            std::string::npos);
  EXPECT_NE(messageOf(patched(endsAt + 4, 0)).find("string 1 ends at 0"), std::string::npos);
  EXPECT_NE(messageOf(patched(endsAt + 8, 7)).find("outside"), std::string::npos);
}

TEST(PackedPhonemeRows, IdxMustBeAWholeNumber) {
  const size_t idxAt = 16 + 2 * 8 * 2;
  for (double bad : {0.5, std::nan(""), std::numeric_limits<double>::infinity(), 1e300}) {
    Blob b = twoRows();
    uint64_t bits;
    std::memcpy(&bits, &bad, 8);
    for (int i = 0; i < 8; ++i) b.bytes[idxAt + i] = static_cast<uint8_t>(bits >> (8 * i));
    EXPECT_NE(messageOf(b.bytes).find("rows[0].idx is not a whole number"), std::string::npos)
        << bad;
  }
}

class PackedCommandsTest : public ::testing::Test {
 protected:
  int64_t newAudio() {
    const std::vector<uint8_t> bytes(8, 0);
    return commands
        .call("audios.create",
              {{"text", "hi"},
               {"voiceId", "v"},
               {"sampleRate", 16000},
               {"durationMs", 1},
               {"format", "pcm_f32"}},
              &bytes, nullptr)["id"]
        .get<int64_t>();
  }
  Store store{":memory:"};
  StoreCommands commands{store};
};

TEST_F(PackedCommandsTest, PackedRowsAreStoredLikeTheSameRowsAsJson) {
  const int64_t viaJson = newAudio(), viaPacked = newAudio();
  commands.call("phonemes.insertBatch",
                {{"audioId", viaJson},
                 {"rows",
                  {{{"phoneme", "h"}, {"startMs", 0}, {"endMs", 41.25}, {"viseme", "sil"}},
                   {{"phoneme", "ə"}, {"startMs", 41.25}, {"endMs", 90}}}}},
                nullptr, nullptr);
  const std::vector<uint8_t> blob = twoRows().bytes;
  EXPECT_EQ(commands.call("phonemes.insertPacked", {{"audioId", viaPacked}}, &blob, nullptr),
            json({{"inserted", 2}}));
  json a = commands.call("phonemes.list", {{"audioId", viaJson}}, nullptr, nullptr);
  json b = commands.call("phonemes.list", {{"audioId", viaPacked}}, nullptr, nullptr);
  for (json& r : b) r["audioId"] = viaJson;
  EXPECT_EQ(a, b);
  std::vector<uint8_t> out;
  EXPECT_EQ(commands.call("phonemes.listPacked", {{"audioId", viaJson}}, nullptr, &out),
            json({{"count", 2}}));
  EXPECT_EQ(out, blob);
}

TEST_F(PackedCommandsTest, AudiosCreateSplitsAudioAndPackedRowsAndKeepsBothOrNeither) {
  std::vector<uint8_t> blob = {1, 2, 3, 4};
  const std::vector<uint8_t> rows = twoRows().bytes;
  blob.insert(blob.end(), rows.begin(), rows.end());
  const json params = {{"text", "hi"},    {"voiceId", "v"},      {"sampleRate", 16000},
                       {"durationMs", 1}, {"format", "pcm_f32"}, {"phonemeBytes", rows.size()}};
  const json audio = commands.call("audios.create", params, &blob, nullptr);
  EXPECT_EQ(audio["size"], 4);
  EXPECT_EQ(audio["phonemeCount"], 2);
  std::vector<uint8_t> bytes;
  commands.call("audios.getBytes", {{"id", audio["id"]}}, nullptr, &bytes);
  EXPECT_EQ(bytes, std::vector<uint8_t>({1, 2, 3, 4}));

  // A bad row (end before start) stores neither the audio nor any row.
  const int64_t before = store.audios().count();
  std::vector<uint8_t> bad = blob;
  const size_t firstEnd = 4 + 16 + 2 * 8;
  const double early = -1;
  std::memcpy(&bad[firstEnd], &early, 8);  // the build hosts (x86-64, wasm) are little-endian
  EXPECT_EQ(errorOf([&] { commands.call("audios.create", params, &bad, nullptr); }).code(),
            ErrorCode::kInvalidArgument);
  json tooMany = params;
  tooMany["phonemeBytes"] = blob.size() + 1;
  const Error outside = errorOf([&] { commands.call("audios.create", tooMany, &blob, nullptr); });
  EXPECT_NE(std::string(outside.what()).find("outside the"), std::string::npos);
  json both = params;
  both["phonemes"] = json::array();
  const Error exclusive = errorOf([&] { commands.call("audios.create", both, &blob, nullptr); });
  EXPECT_NE(std::string(exclusive.what()).find("exclude each other"), std::string::npos);
  EXPECT_EQ(store.audios().count(), before);
}

}  // namespace
}  // namespace avatar_voice::store
