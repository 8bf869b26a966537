// Phoneme rows as one binary table ("AVPH"), so a timeline crosses the worker and the Embind
// boundary as bytes instead of one JSON object per row (100k rows are ~7 MB of JSON to write,
// parse and walk; packed they are ~3.2 MB read with fixed-size loads).
//
//   std::vector<NewPhoneme> rows = unpackPhonemeRows(blob.data(), blob.size());   // validated
//   std::vector<uint8_t> blob = packPhonemeRows(repository.list(audioId));
//
// Layout, little-endian, every column aligned to its element for typed-array views in JS (idx is
// f64 because JS numbers are: whole values up to 2^53 are exact):
//   0  "AVPH"   4  u32 version (1)   8  u32 rowCount n   12  u32 stringCount k
//   16 f64 startMs[n]  f64 endMs[n]  f64 idx[n] (whole)  u32 phoneme[n]  i32 viseme[n] (-1 = none)
//      u32 stringEnd[k] (end of string j in the pool; string j starts where j-1 ends)
//      u8 pool[stringEnd[k-1]] — UTF-8, and the blob ends exactly there.
// Phonemes and visemes repeat, so each distinct string is stored once and rows name it by index.
// Any violation (magic, version, sizes, an index or end past its table) is kInvalidArgument;
// the row-level rules (non-empty phoneme, valid UTF-8, 0 <= start <= end) stay
// PhonemeRepository's, the same as for JSON rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "store/entities.h"

namespace avatar_voice::store {

// Most rows one table may hold (and so one insert): far above any utterance's timeline, low
// enough that the declared counts alone cannot ask for a huge allocation.
inline constexpr uint32_t kMaxPackedPhonemeRows = 4'000'000;

std::vector<NewPhoneme> unpackPhonemeRows(const uint8_t* data, size_t size);
std::vector<uint8_t> packPhonemeRows(const std::vector<Phoneme>& rows);

}  // namespace avatar_voice::store
