// Exposes a Piper voice's phoneme durations as an extra graph output, so one inference returns
// the audio AND exact per-phoneme-id timings (samples per id = frames x hop_length 256).
//
//   avatar_voice::TimingPatch patch =
//       avatar_voice::patchModelForTimings(std::move(onnxBytes));  // or (data, size)
//   session = createOrtSession(patch.model);  // onnxruntime-web gets the patched bytes
//   if (patch.timing == avatar_voice::TimingSource::kModel) {
//     // fetch patch.durationOutput too: float [1, 1, n_ids], decoder frames per phoneme id
//   } else {
//     // no usable duration tensor: timings must be estimated from the audio length
//   }
//
// Ownership: patchModelForTimings(data, size) only reads [data, data + size) during the call and
// keeps no pointer to it; the returned TimingPatch owns its bytes. The rvalue overload takes the
// caller's vector and hands the same buffer back untouched when no patch is needed, so a 130 MB
// voice is not held twice in wasm memory.
//
// Why a hand-rolled patch: a Piper graph computes durations through exactly one `Ceil` node
// (w_ceil in VITS). The tensor is internal, but marking it as a graph output is enough for
// onnxruntime to return it (this is what Piper's own patch_voice_with_alignment.py does with the
// onnx Python package). Here it is done on the wire bytes: the GraphProto gets one more `output`
// field appended and a new length prefix; every other byte (incl. the initializers that make up
// almost all of the file) is copied verbatim in one allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace avatar_voice {

enum class TimingSource {
  kModel,      // the model returns durations in the output named TimingPatch::durationOutput
  kEstimated,  // it cannot: no Ceil node, or more than one (see below)
};

struct TimingPatch {
  std::vector<uint8_t> model;  // bytes to give to onnxruntime (patched or the original)
  TimingSource timing = TimingSource::kEstimated;
  std::string durationOutput;   // name of the Ceil output, "" when timing is kEstimated
  bool alreadyPatched = false;  // the graph already listed the Ceil output; bytes are unchanged
};

// Decides and, when needed, applies the patch, looking only at the top-level graph:
// - exactly one Ceil node (default ONNX domain) whose output is not yet a graph output: the
//   output is appended as a ValueInfoProto whose type is the graph's own value_info entry for
//   that tensor when it has one, else float with 3 dynamic dims; timing = kModel.
// - exactly one Ceil node already listed as a graph output: alreadyPatched, bytes unchanged.
// - no Ceil node: bytes unchanged, kEstimated.
// - several Ceil nodes: bytes unchanged, kEstimated. We cannot tell which one is the duration
//   tensor, and returning a wrong one would give timings that look plausible but are not; an
//   honest estimate is better. (Piper's own script refuses such a model for the same reason.)
// Throws Error(ErrorCode::kInvalidModel) when the bytes are not an ONNX ModelProto ("not an ONNX
// model: ..."; empty, truncated, PNG, random bytes), when the model has no graph, and when the
// graph or a Ceil node in it is malformed; also for more than limits::kMaxVoiceModelBytes bytes.
TimingPatch patchModelForTimings(const uint8_t* data, size_t size);
TimingPatch patchModelForTimings(std::vector<uint8_t>&& model);

}  // namespace avatar_voice
