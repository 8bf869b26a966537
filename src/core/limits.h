// Limits on what a caller (ultimately: a web page's user) can make the core chew on, in one place.
//
//   PhonemizeOptions options;                          // options.maxChars == limits::kMaxTextChars
//   if (bytes.size() > limits::kMaxVoiceModelBytes) ...  // patchModelForTimings also checks
//
// Every limit is enforced where the input enters the core, by the code named next to it, and an
// input over it throws a typed avatar_voice::Error whose message states the limit, e.g.
// "text is longer than the limit of 100000 characters". The TypeScript layer should read the same
// numbers (see docs/security.md, "Limits") instead of keeping its own copies.
#pragma once

#include <cstddef>
#include <cstdint>

namespace avatar_voice::limits {

// Longest text phonemized or planned in one call, in Unicode codepoints of the raw input
// (before whitespace is collapsed). Default of PhonemizeOptions::maxChars,
// SanitizeOptions::maxChars and PiperVoice::plan(); a caller may pass a smaller (or, knowingly, a
// larger) value. Over it: Error(kTextTooLong). 100k chars is ~2 hours of speech; the cost is
// espeak-ng's, linear in the text.
inline constexpr size_t kMaxTextChars = 100000;

// Default of the store's config key "text.maxChars": the longest text an app lets one utterance
// be (read by the web layer, which passes it as maxChars). Kept well below kMaxTextChars so one
// request cannot keep a worker busy for minutes.
inline constexpr int64_t kDefaultUtteranceChars = 5000;

// Largest voice model (.onnx bytes) patchModelForTimings() accepts: Piper voices are 20 MB (x_low)
// to ~115 MB (high); the model is held in wasm memory (4 GiB at most) next to onnxruntime's own
// copy. Over it: Error(kInvalidModel).
inline constexpr size_t kMaxVoiceModelBytes = 256u * 1024 * 1024;

// Default of the store's config key "assets.maxBytes": the largest asset AssetRepository accepts
// (a user may raise or lower it with config.set). Over it: Error(kConstraint).
inline constexpr int64_t kDefaultMaxAssetBytes = 10 * 1024 * 1024;

// Most audio samples one sentence may have when it is aligned (alignPhonemes, estimateFrames):
// spans cross the wasm boundary as int32 and a WAV file holds at most 2^31 16-bit samples (27 h
// at 22.05 kHz, where a real sentence lasts seconds). Over it: Error(kInvalidArgument).
inline constexpr size_t kMaxSentenceSamples = 0x7fffffff;

// How long one sentence's model run may take before the caller gives up, in milliseconds.
// Inference runs in onnxruntime-web, outside the core, so the core cannot enforce this: the web
// layer must (timer around the session run; terminate and restart the worker when it fires, since
// a wasm run cannot be interrupted) and reject with a typed timeout error naming this value.
inline constexpr int32_t kSynthesisTimeoutMs = 60000;

}  // namespace avatar_voice::limits
