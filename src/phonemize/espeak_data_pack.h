// espeak-ng data shipped as one file ("data pack") and unpacked into a folder before
// EspeakEngine::initialize(). English ships with the package; other languages are extra packs.
//
//   std::vector<EspeakDataFile> files = readEspeakDataPack(bytes, size);   // validates everything
//   installEspeakDataPack(bytes, size, "/espeak-ng-data");                 // writes the files
//
// Format (little endian), written by scripts/pack_espeak_data.mjs:
//   "AVESPK01" | u32 fileCount | fileCount × (u16 pathLength | path | u32 size | bytes)
// Paths are relative, '/'-separated, without "." or ".." segments. The returned spans point into
// the caller's buffer (valid while it is).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace avatar_voice {

struct EspeakDataFile {
  std::string path;
  const uint8_t* data;
  size_t size;
};

// Throws Error(kInvalidArgument) describing the first problem (bad magic, truncation, bad path,
// a path given twice, a `*_dict` file whose offsets or counts espeak-ng would trust beyond its
// bytes: see espeak_dictionary_layout.h).
std::vector<EspeakDataFile> readEspeakDataPack(const uint8_t* bytes, size_t size);

// Validates the whole pack first, then writes every file under `root` (creating folders).
// A file that already exists under `root` is never replaced: with the same bytes it is skipped,
// with other bytes the whole pack is rejected (kInvalidArgument) before anything is written, so a
// language pack cannot swap phontab, en_dict or an installed voice file.
// Returns the number of files written. Throws Error(kInvalidArgument) / Error(kInternal) on I/O.
size_t installEspeakDataPack(const uint8_t* bytes, size_t size, const std::string& root);

}  // namespace avatar_voice
