// Cuts part B of a split Piper voice (model_split.h: flow + HiFi-GAN decoder) once more, between
// the flow and the decoder, so that a window pays the flow's wide receptive margin only in the
// cheap flow and the expensive decoder runs with its own narrow one.
//
// Why: a window of frames [s, e) needs M = 44 frames of context each side through flow and
// decoder together (32 of them in the flow's WaveNets), and the decoder is ~80 % of B's cost per
// frame. Run as one graph, every window boundary decodes 2 x 44 extra frames; cut here, it runs the
// flow on 2 x 44 extra frames and the decoder on only 2 x Md (Md = 9 for Piper): a third of the cost.
//
//   DecoderCut cut = cutDecoder(split.partB.data(), split.partB.size(), "z_p", "mask", "g", {"output"});
//   if (cut.ok()) {
//     // window [s, e): decoder frames [s - Md, e + Md] ∩ [0, T), flow frames that range ± Mf ∩ [0, T)
//     x = run(cut.flow, z_p and mask sliced to the flow frames)          -> cut.decoderInput
//     audio = run(cut.decoder, x cropped to the decoder frames [, g])    -> crop (e - s) x hop samples
//   }
//
// Where (structure only, names differ between exports): the latest tensor at one sample per frame
// (before any upsampling) through which everything the audio needs from z_p and the mask passes;
// what the decoder reads besides it may only be initializers and the speaker embedding. In Piper
// that is the activation before the first ConvTranspose (after conv_pre and the speaker
// conditioning). Both halves are proven local (frame_locality.h) and their margins computed.
//
// Ownership: reads [data, data + size) during the call; the result owns its bytes.
// Errors: a graph that does not cut returns !ok() with a reason (B then stays whole); bytes that
// are not an ONNX model throw Error(kInvalidModel).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace avatar_voice {

struct DecoderCut {
  std::string reason;  // empty when ok()

  std::vector<uint8_t> flow;     // (z_p, mask[, g]) -> decoderInput
  std::vector<uint8_t> decoder;  // (decoderInput[, g]) -> the audio outputs
  std::string decoderInput;      // the cut tensor, [1, C, T]
  std::vector<std::string> flowInputs;     // of part B's inputs, those the flow reads
  std::vector<std::string> decoderInputs;  // decoderInput, then the speaker embedding if read
  int flowMarginFrames = 0;      // Mf: flow context each side of the decoder's frames
  int decoderMarginFrames = 0;   // Md: decoder context each side of a window
  int hopLength = 0;             // audio samples per frame (the decoder's upsampling)

  bool ok() const { return reason.empty() && !flow.empty(); }
};

// `speakerInput` is "" for single-speaker voices.
DecoderCut cutDecoder(const uint8_t* data, size_t size, const std::string& zInput,
                      const std::string& maskInput, const std::string& speakerInput,
                      const std::vector<std::string>& audioOutputs);

}  // namespace avatar_voice
