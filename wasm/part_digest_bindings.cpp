// Embind face of src/voice/part_digest.h: XXH3-128 of a Uint8Array, as xxh128sum prints it.
//
//   const hex = core.partDigest(bytes);   // 32 hex characters, or {__error} (not a Uint8Array)
//
// The bytes are copied into the wasm heap 1 MiB at a time through one reused buffer, so digesting
// a 30 MB part grows the heap by 1 MiB once, not by the part's size (fresh pages are costly).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.h"
#include "voice/part_digest.h"
#include "wasm_values.h"

namespace avatar_voice::wasm {
namespace {

using emscripten::val;

constexpr size_t kPieceBytes = 1 << 20;

val partDigest(val bytes) {
  return guarded([&] {
    if (!bytes.instanceof(val::global("Uint8Array")))
      throw Error(ErrorCode::kInvalidArgument, "partDigest: bytes must be a Uint8Array");
    static std::vector<uint8_t> piece(kPieceBytes);
    const size_t size = bytes["length"].as<size_t>();
    voice::PartDigest digest;
    for (size_t at = 0; at < size; at += kPieceBytes) {
      const size_t n = std::min(kPieceBytes, size - at);
      val(emscripten::typed_memory_view(n, piece.data())).call<void>("set", bytes.call<val>("subarray", at, at + n));
      digest.update(piece.data(), n);
    }
    return val(digest.hex());
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(avatar_voice_part_digest) {
  emscripten::function("partDigest", &partDigest);
}

}  // namespace avatar_voice::wasm
