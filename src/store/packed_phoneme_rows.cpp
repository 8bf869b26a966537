#include "store/packed_phoneme_rows.h"

#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"

namespace avatar_voice::store {
namespace {

constexpr char kMagic[4] = {'A', 'V', 'P', 'H'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 16;
constexpr size_t kBytesPerRow = 8 + 8 + 8 + 4 + 4;
// idx travels as f64, a JS number: integral values up to 2^53 are exact.
constexpr double kMaxExactIdx = 9007199254740992.0;

[[noreturn]] void malformed(const std::string& why) {
  throw Error(ErrorCode::kInvalidArgument, "packed phoneme rows: " + why);
}

// Explicit little-endian loads: the blob's byte order is fixed whatever the host's.
uint32_t loadU32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

double loadF64(const uint8_t* p) {
  const uint64_t bits = static_cast<uint64_t>(loadU32(p)) | static_cast<uint64_t>(loadU32(p + 4))
                                                                << 32;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

void storeU32(std::vector<uint8_t>& out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

void storeF64(std::vector<uint8_t>& out, size_t at, double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  storeU32(out, at, static_cast<uint32_t>(bits));
  storeU32(out, at + 4, static_cast<uint32_t>(bits >> 32));
}

}  // namespace

std::vector<NewPhoneme> unpackPhonemeRows(const uint8_t* data, size_t size) {
  if (size < kHeaderBytes) malformed(std::to_string(size) + " bytes is shorter than the header");
  if (std::memcmp(data, kMagic, 4) != 0) malformed("no AVPH header");
  if (loadU32(data + 4) != kVersion)
    malformed("version " + std::to_string(loadU32(data + 4)) + " is not 1");
  const uint32_t rowCount = loadU32(data + 8);
  const uint32_t stringCount = loadU32(data + 12);
  if (rowCount > kMaxPackedPhonemeRows)
    malformed(std::to_string(rowCount) + " rows is over the limit of " +
              std::to_string(kMaxPackedPhonemeRows));
  // Both counts are < 2^32, so these sums fit in 64 bits; the strings need at least their ends.
  const uint64_t tables =
      kHeaderBytes + uint64_t{rowCount} * kBytesPerRow + uint64_t{stringCount} * 4;
  if (tables > size)
    malformed(std::to_string(rowCount) + " rows and " + std::to_string(stringCount) +
              " strings need " + std::to_string(tables) + " bytes, the blob has " +
              std::to_string(size));
  const uint8_t* startMs = data + kHeaderBytes;
  const uint8_t* endMs = startMs + size_t{rowCount} * 8;
  const uint8_t* idx = endMs + size_t{rowCount} * 8;
  const uint8_t* phoneme = idx + size_t{rowCount} * 8;
  const uint8_t* viseme = phoneme + size_t{rowCount} * 4;
  const uint8_t* stringEnd = viseme + size_t{rowCount} * 4;
  const uint8_t* pool = stringEnd + size_t{stringCount} * 4;
  const size_t poolSize = size - static_cast<size_t>(tables);

  std::vector<std::string_view> strings;
  strings.reserve(stringCount);
  uint32_t begin = 0;
  for (uint32_t j = 0; j < stringCount; ++j) {
    const uint32_t end = loadU32(stringEnd + size_t{j} * 4);
    if (end < begin || end > poolSize)
      malformed("string " + std::to_string(j) + " ends at " + std::to_string(end) + ", outside " +
                std::to_string(begin) + ".." + std::to_string(poolSize));
    strings.emplace_back(reinterpret_cast<const char*>(pool) + begin, end - begin);
    begin = end;
  }
  if (begin != poolSize)
    malformed(std::to_string(poolSize - begin) + " bytes after the last string");

  std::vector<NewPhoneme> rows(rowCount);
  for (uint32_t i = 0; i < rowCount; ++i) {
    NewPhoneme& row = rows[i];
    row.startMs = loadF64(startMs + size_t{i} * 8);
    row.endMs = loadF64(endMs + size_t{i} * 8);
    const double position = loadF64(idx + size_t{i} * 8);
    // Range first: the cast of a NaN or an out-of-range double is undefined.
    if (!(position >= -kMaxExactIdx && position <= kMaxExactIdx) ||
        position != static_cast<double>(static_cast<int64_t>(position)))
      malformed("rows[" + std::to_string(i) + "].idx is not a whole number");
    row.idx = static_cast<int64_t>(position);
    const uint32_t p = loadU32(phoneme + size_t{i} * 4);
    const int32_t v = static_cast<int32_t>(loadU32(viseme + size_t{i} * 4));
    if (p >= stringCount || v < -1 || (v >= 0 && static_cast<uint32_t>(v) >= stringCount))
      malformed("rows[" + std::to_string(i) + "] names string " +
                std::to_string(p >= stringCount ? int64_t{p} : int64_t{v}) + " of " +
                std::to_string(stringCount));
    row.phoneme = std::string(strings[p]);
    if (v >= 0) row.viseme = std::string(strings[static_cast<size_t>(v)]);
  }
  return rows;
}

std::vector<uint8_t> packPhonemeRows(const std::vector<Phoneme>& rows) {
  if (rows.size() > kMaxPackedPhonemeRows)
    throw Error(ErrorCode::kInvalidArgument, std::to_string(rows.size()) +
                                                 " phoneme rows is over the packed limit of " +
                                                 std::to_string(kMaxPackedPhonemeRows));
  std::unordered_map<std::string_view, uint32_t> index;
  std::vector<std::string_view> strings;
  const auto intern = [&](const std::string& s) {
    const auto [it, added] = index.try_emplace(s, static_cast<uint32_t>(strings.size()));
    if (added) strings.push_back(s);
    return it->second;
  };
  std::vector<uint32_t> phonemeRefs(rows.size());
  std::vector<int32_t> visemeRefs(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    phonemeRefs[i] = intern(rows[i].phoneme);
    visemeRefs[i] = rows[i].viseme.empty() ? -1 : static_cast<int32_t>(intern(rows[i].viseme));
  }
  size_t poolSize = 0;
  for (std::string_view s : strings) poolSize += s.size();
  const size_t n = rows.size();
  std::vector<uint8_t> out(kHeaderBytes + n * kBytesPerRow + strings.size() * 4 + poolSize);
  std::memcpy(out.data(), kMagic, 4);
  storeU32(out, 4, kVersion);
  storeU32(out, 8, static_cast<uint32_t>(n));
  storeU32(out, 12, static_cast<uint32_t>(strings.size()));
  const size_t startAt = kHeaderBytes, endAt = startAt + n * 8, idxAt = endAt + n * 8;
  const size_t phonemeAt = idxAt + n * 8, visemeAt = phonemeAt + n * 4,
               stringEndAt = visemeAt + n * 4;
  for (size_t i = 0; i < n; ++i) {
    storeF64(out, startAt + i * 8, rows[i].startMs);
    storeF64(out, endAt + i * 8, rows[i].endMs);
    storeF64(out, idxAt + i * 8, static_cast<double>(rows[i].idx));
    storeU32(out, phonemeAt + i * 4, phonemeRefs[i]);
    storeU32(out, visemeAt + i * 4, static_cast<uint32_t>(visemeRefs[i]));
  }
  size_t poolAt = stringEndAt + strings.size() * 4, end = 0;
  for (size_t j = 0; j < strings.size(); ++j) {
    std::memcpy(out.data() + poolAt + end, strings[j].data(), strings[j].size());
    end += strings[j].size();
    storeU32(out, stringEndAt + j * 4, static_cast<uint32_t>(end));
  }
  return out;
}

}  // namespace avatar_voice::store
