// libFuzzer target: arbitrary bytes as an espeak-ng data pack (a user can load extra language
// packs) → readEspeakDataPack. Contract checked: the only error is kInvalidArgument; an accepted
// pack's files lie inside the buffer, back to back, exactly covering it after the header; and no
// path can leave the install folder (nothing is written: installEspeakDataPack only joins these
// validated paths to its root).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "byte_reader.h"
#include "core/error.h"
#include "phonemize/espeak_data_pack.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace avatar_voice;
  std::vector<EspeakDataFile> files;
  try {
    files = readEspeakDataPack(data, size);
  } catch (const Error& e) {
    AV_FUZZ_REQUIRE(e.code() == ErrorCode::kInvalidArgument);
    return 0;
  }
  AV_FUZZ_REQUIRE(!files.empty());
  size_t expectedEnd = 12;  // magic + count
  namespace fs = std::filesystem;
  const fs::path root = "/install/root";
  for (const EspeakDataFile& f : files) {
    expectedEnd += 2 + f.path.size() + 4;
    AV_FUZZ_REQUIRE(f.data == data + expectedEnd);
    AV_FUZZ_REQUIRE(f.size <= size - expectedEnd);
    expectedEnd += f.size;
    const fs::path target = (root / f.path).lexically_normal();
    const fs::path relative = target.lexically_relative(root);
    AV_FUZZ_REQUIRE(!relative.empty() && *relative.begin() != ".." && relative.is_relative());
    AV_FUZZ_REQUIRE(relative.generic_string() == f.path);
  }
  AV_FUZZ_REQUIRE(expectedEnd == size);
  return 0;
}
