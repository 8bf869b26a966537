// libFuzzer target for the ONNX timing patch (and through it the protobuf wire reader).
//
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc
//       tests/fuzz/onnx_timing_patch_fuzz.cpp src/voice/onnx_timing_patch.cpp
//       src/voice/protobuf_wire.cpp -o onnx_timing_patch_fuzz      (one command)
//   ./onnx_timing_patch_fuzz -max_total_time=60 corpus/   # seed corpus: small .onnx files
//
// Model bytes come from users (any file picked in a browser), so besides "no crash, no
// out-of-bounds read" it checks the contract: the only exception is Error(kInvalidModel), an
// unpatched result is byte-identical to the input, and a patched result is itself a model that
// the patch recognises as already patched (so the appended output re-parses).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <vector>

#include "core/error.h"
#include "voice/onnx_timing_patch.h"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using avatar_voice::TimingSource;
  avatar_voice::TimingPatch patch;
  try {
    patch = avatar_voice::patchModelForTimings(data, size);
  } catch (const avatar_voice::Error& e) {
    require(e.code() == avatar_voice::ErrorCode::kInvalidModel);
    return 0;
  }

  const bool patched = patch.timing == TimingSource::kModel && !patch.alreadyPatched;
  require((patch.timing == TimingSource::kModel) == !patch.durationOutput.empty());
  if (!patched) {
    require(patch.model.size() == size && std::equal(patch.model.begin(), patch.model.end(), data));
  } else {
    require(patch.model.size() > size);
    const avatar_voice::TimingPatch again =
        avatar_voice::patchModelForTimings(patch.model.data(), patch.model.size());
    require(again.alreadyPatched && again.timing == TimingSource::kModel);
    require(again.durationOutput == patch.durationOutput);
    require(again.model == patch.model);
  }

  // The overload that takes ownership must decide exactly the same way.
  std::vector<uint8_t> owned(data, data + size);
  const avatar_voice::TimingPatch moved = avatar_voice::patchModelForTimings(std::move(owned));
  require(moved.model == patch.model && moved.timing == patch.timing &&
          moved.durationOutput == patch.durationOutput &&
          moved.alreadyPatched == patch.alreadyPatched);
  return 0;
}
