// Splits a Piper (VITS) voice into two ONNX models at the flow's input, so the expensive half can
// run on windows of frames:
//   part A: text encoder, duration predictor, expansion to frames, prior noise ->
//           z_p [1, C, T] (the flow's input), the frame mask [1, 1, T], the speaker embedding g
//           (multi-speaker voices) and the Ceil durations [1, 1, n_ids] (frames per phoneme id).
//   part B: the flow (reverse) and the HiFi-GAN decoder: (z_p, mask[, g]) -> audio.
// By default part A stops before the expansion to frames (SplitOptions::expandOutside): it
// outputs the prior per phoneme id and the caller builds z_p for the frames each window needs.
// Part B is proven local in time (frame_locality.h): audio sample t depends only on z_p frames
// within receptiveFieldFrames of t / hopLength. So with z_p from ONE run of A (noise sampled
// once), B run on frames [s - M, e + M] ∩ [0, T) and cropped to [s, e) x hopLength samples gives
// the same samples as B run on all frames.
//
//   avatar_voice::ModelSplit split = avatar_voice::splitPiperModel(bytes.data(), bytes.size());
//   if (!split.ok()) { fallBackToSentences(split.reason); }   // split.failure says which case
//   a = createSession(split.partA);   // feeds: the voice's inputs (input, input_lengths, scales[, sid])
//   b = createSession(split.partB);   // feeds: split.zInput, split.maskInput[, split.speakerInput]
//   auto outA = a.run(...);           // fetch zInput, maskInput[, speakerInput], durationOutput
//   for each window [s, e): run b on outA's tensors sliced to [max(0, s-M), min(T, e+M)) on the
//     last axis; keep samples from (s - max(0, s-M)) * hop for (e - s) * hop samples.
//
// How the cut is found (node names differ between exports, so only structure is used): the one
// RandomNormalLike whose output goes through one or more Mul into an Add (z_p = m_p +
// randn_like(m_p) * exp(logs_p) * noise_scale); the duration predictor's own RandomNormalLike
// goes into Mul -> Slice and does not match. Part B is what the audio output needs beyond z_p,
// plus the nodes whose every consumer is in B (e.g. the speaker conditioning convs); what B still
// reads from A must be exactly the mask (a tensor that depends on the phoneme ids) and at most one
// speaker tensor (one that does not).
//
// The receptive field M is computed from B's graph (frame_locality.h), not measured: it is exact
// arithmetic on the conv/upsampling attributes, an upper bound for any weights, whereas a
// perturbation measurement only sees contributions above float noise and so depends on the
// weights (it would under-estimate M for a voice whose far paths happen to be weak). For Piper's
// architecture (4 coupling layers of 4 WaveNet layers, kernel 5; HiFi-GAN 8x8x4 with ResBlock2
// kernels 3/5/7) it is 43.08 frames left, 42.09 right: M = 44, hop 256. tests/js/model_split.test.ts
// measures the reach by perturbation (33-42 frames on the test voices: never beyond M, always
// well beyond M/2).
//
// Ownership: splitPiperModel reads [data, data + size) during the call only; the result owns its
// bytes. Both parts copy the ModelProto's other fields (ir_version, opset_import, ...) verbatim
// and take only the initializers they use, so together they are about the size of the input.
//
// Errors: bytes that are not an ONNX model throw Error(kInvalidModel) (as patchModelForTimings
// does); a well-formed model that cannot be split returns failure != kNone and a reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "voice/graph_chain.h"

namespace avatar_voice {

enum class SplitFailure {
  kNone,
  kNoPriorNoise,        // no RandomNormalLike -> Mul -> Add forming z_p
  kAmbiguousPriorNoise, // more than one such pattern
  kUnexpectedBoundary,  // B would need more from A than z_p, one mask and one speaker tensor
  kNonLocalOperator,    // an op in B mixes frames from far apart (or its reach is unknown)
  kUnsupportedGraph,    // subgraphs, sparse initializers, nodes out of topological order
};

// Stable lower-snake-case name, e.g. "non_local_operator" (for the binding and messages).
const char* splitFailureName(SplitFailure failure);

struct ModelSplit {
  SplitFailure failure = SplitFailure::kNone;
  std::string reason;  // empty when ok()

  std::vector<uint8_t> partA;
  std::vector<uint8_t> partB;
  std::vector<std::string> partAInputs;  // the voice's inputs A reads, in the model's order
  std::string zInput;          // z_p: A's output and B's input (same name in both)
  std::string maskInput;       // frame mask: A's output and B's input
  std::string speakerInput;    // "" for single-speaker voices
  std::string durationOutput;  // A's Ceil output (frames per id), "" when A has no single Ceil
  std::vector<std::string> audioOutputs;  // B's outputs (Piper: "output", [1, 1, 1, T*hop])
  int receptiveFieldFrames = 0;  // M: window margin in frames each side (computed from B)
  double receptiveLeftFrames = 0;
  double receptiveRightFrames = 0;
  int hopLength = 0;             // audio samples per frame (computed from B's upsampling)

  // With SplitOptions::cutDecoder and a B that cuts (decoder_cut.h): B as two models, flow and
  // decoder, and partB empty (together they are B). Otherwise flow and decoder are empty and
  // decoderCutReason says why B stays whole.
  std::vector<uint8_t> flow;
  std::vector<uint8_t> decoder;
  std::string decoderInput;                 // flow's output, decoder's input
  std::vector<std::string> flowInputs;      // of zInput, maskInput, speakerInput: what the flow reads
  std::vector<std::string> decoderInputs;   // decoderInput[, speakerInput]
  int flowMarginFrames = 0;                 // Mf
  int decoderMarginFrames = 0;              // Md
  std::string decoderCutReason;

  // With SplitOptions::expandOutside and an expansion found (prior_expansion.h): part A stops
  // before the expansion of the prior to frames. Instead of zInput it outputs priorMean and
  // priorLogScale [1, C, n_ids] and the noise's frame-free factors (scalars, e.g. noise_scale);
  // the caller builds z_p's frames with the durations (web/prior_frames.ts). maskInput, the
  // durations and the speaker embedding are A's outputs as before. Otherwise these are empty and
  // expansionReason says why z_p stays in part A.
  std::string priorMean;
  std::string priorLogScale;
  std::vector<std::string> noiseFactors;
  std::string expansionReason;

  // With SplitOptions::chainNodes and a part A large enough (graph_chain.h): part A as a chain of
  // smaller models, each created faster than their sum as one; partA is still the whole. Else
  // empty, and partAChainReason says why.
  std::vector<ChainLink> partAChain;
  std::string partAChainReason;

  bool expandsOutside() const { return !priorMean.empty(); }
  bool ok() const { return failure == SplitFailure::kNone; }
};

struct SplitOptions {
  bool cutDecoder = true;  // cut B again between flow and decoder (decoder_cut.h)
  bool expandOutside = true;  // stop part A before the expansion to frames (prior_expansion.h)
  size_t chainNodes = 600;    // cut part A into links of about this many nodes; 0: do not
};

ModelSplit splitPiperModel(const uint8_t* data, size_t size, const SplitOptions& options = {});

}  // namespace avatar_voice
