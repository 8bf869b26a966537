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
// be. Applies to synthesis only: the worker (web/engine_api.ts) reads the key from the open store
// (this default without one), refuses longer text in JS and passes the value to
// PiperVoice::plan() as maxChars, where sanitizeText enforces it again (kTextTooLong). Phonemizing
// is bounded by kMaxTextChars. Kept well below kMaxTextChars so one request cannot keep a worker
// busy for minutes.
inline constexpr int64_t kDefaultUtteranceChars = 5000;

// Most silence the <break>s of one SSML text may add up to, in ms (PiperVoice::plan of a script;
// one break is at most 10 s, ssml_parser.cpp). Breaks cost no synthesis but memory: 100k chars
// of 10-s breaks would be 15 hours of samples. Over it: Error(kInvalidSsml) at the break that
// crosses it.
inline constexpr double kMaxPauseMsPerText = 10 * 60 * 1000;

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

// Largest espeak-ng data pack (installEspeakData): the English pack is ~0.8 MB and the largest
// espeak-ng dictionary a few MB. Checked by the wasm binding on the Uint8Array's length before
// the bytes are copied into the heap. Over it: Error(kInvalidArgument).
inline constexpr size_t kMaxEspeakDataPackBytes = 64u * 1024 * 1024;

// Largest Piper voice config (.onnx.json) text: real ones are 5-50 KB (multi-speaker maps a few
// hundred KB). Checked by the wasm binding before the copy. Over it: Error(kInvalidVoiceConfig).
inline constexpr size_t kMaxVoiceConfigBytes = 16u * 1024 * 1024;

// Largest byte input of one store command (a database image to import, an asset, an audio or a
// render), checked by the wasm binding before the copy. An import holds about four copies of the
// image at once (the caller's, SQLite's scratch copy, its serialization, the attached schema), so
// this keeps an import well inside the heap. Over it: Error(kInvalidArgument).
inline constexpr size_t kMaxStoreBytesIn = 256u * 1024 * 1024;

// The wasm heap's maximum (-sMAXIMUM_MEMORY in wasm/CMakeLists.txt). Emscripten 3.1.6's Embind
// glue addresses the heap with signed shifts (`ptr >> 2`), which break above 2 GiB. An input
// under every limit above can still be too big for what is left of the heap: the bindings copy
// it with checked C++ allocation (std::vector, never Embind's unchecked _malloc), so a heap that
// cannot grow any more is std::bad_alloc, reported as the typed error "OUT_OF_MEMORY".
inline constexpr uint64_t kMaxWasmHeapBytes = uint64_t{2} * 1024 * 1024 * 1024;

// How long one sentence's model run may take before the caller gives up, in milliseconds.
// Inference runs in onnxruntime-web, outside the core, so the core cannot enforce this: the web
// layer must (timer around the session run; terminate and restart the worker when it fires, since
// a wasm run cannot be interrupted) and reject with a typed timeout error naming this value.
inline constexpr int32_t kSynthesisTimeoutMs = 60000;

}  // namespace avatar_voice::limits
