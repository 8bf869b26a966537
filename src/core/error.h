// Typed errors that cross every boundary of the core.
//
//   try { phonemizer.phonemize(text); }
//   catch (const avatar_voice::Error& e) { if (e.code() == ErrorCode::kTextTooLong) ... }
//
// The code is a stable string (e.g. "TEXT_TOO_LONG") so the TypeScript layer can rethrow it as an
// AvatarVoiceError with the same `code`. This enum is the only list of the codes the core raises:
// the wasm module exports it (errorCodes()) and the build writes it into the package
// (web/generated/core_tables.ts, scripts/core_tables_ts.cpp); a test checks the two agree.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace avatar_voice {

enum class ErrorCode {
  kInvalidArgument,    // a caller passed something unusable (bad option, negative size, ...)
  kInvalidUtf8,        // text is not valid UTF-8
  kTextTooLong,        // text exceeds the configured maximum length
  kEspeakInit,         // espeak-ng could not be initialised (missing or corrupt data)
  kLanguageUnavailable,// the espeak voice/language is not loaded
  kInvalidVoiceConfig, // a Piper .onnx.json is missing a field or has a wrong type
  kInvalidModel,       // model bytes are not a usable ONNX Piper graph
  kStore,              // SQLite reported an error
  kNotFound,           // an id that does not exist
  kConstraint,         // a uniqueness / foreign-key / size limit was violated
  kQuotaExceeded,      // the store's files cannot grow (a full OPFS quota); the write was undone
  kOutOfMemory,        // an allocation failed (std::bad_alloc: the wasm heap cannot grow)
  kInvalidSsml,        // SSML markup that is not well formed or has a bad value (offset() says where)
  kInternal,           // a bug: an invariant of the core did not hold. Stays the last code.
};

// Every code, in declaration order (tests/native/error_codes_test.cpp checks it is exactly
// the enum: entry i is code i, and the last one is kInternal).
inline constexpr std::array<ErrorCode, 14> kAllErrorCodes = {
    ErrorCode::kInvalidArgument, ErrorCode::kInvalidUtf8,   ErrorCode::kTextTooLong,
    ErrorCode::kEspeakInit,      ErrorCode::kLanguageUnavailable,
    ErrorCode::kInvalidVoiceConfig, ErrorCode::kInvalidModel, ErrorCode::kStore,
    ErrorCode::kNotFound,        ErrorCode::kConstraint,    ErrorCode::kQuotaExceeded,
    ErrorCode::kOutOfMemory,     ErrorCode::kInvalidSsml,   ErrorCode::kInternal,
};

// Stable, upper-snake-case name of a code, e.g. "TEXT_TOO_LONG".
inline const char* errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case ErrorCode::kInvalidUtf8: return "INVALID_UTF8";
    case ErrorCode::kTextTooLong: return "TEXT_TOO_LONG";
    case ErrorCode::kEspeakInit: return "ESPEAK_INIT";
    case ErrorCode::kLanguageUnavailable: return "LANGUAGE_UNAVAILABLE";
    case ErrorCode::kInvalidVoiceConfig: return "INVALID_VOICE_CONFIG";
    case ErrorCode::kInvalidModel: return "INVALID_MODEL";
    case ErrorCode::kStore: return "STORE";
    case ErrorCode::kNotFound: return "NOT_FOUND";
    case ErrorCode::kConstraint: return "CONSTRAINT";
    case ErrorCode::kQuotaExceeded: return "QUOTA_EXCEEDED";
    case ErrorCode::kOutOfMemory: return "OUT_OF_MEMORY";
    case ErrorCode::kInvalidSsml: return "INVALID_SSML";
    case ErrorCode::kInternal: return "INTERNAL";
  }
  return "INTERNAL";
}

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  // An error about a place in the caller's text: `offset` is its UTF-8 byte offset there.
  Error(ErrorCode code, const std::string& message, int64_t offset)
      : std::runtime_error(message), code_(code), offset_(offset) {}
  ErrorCode code() const { return code_; }
  const char* codeName() const { return errorCodeName(code_); }
  // Byte offset in the caller's text the error is about, or -1 when it is not about a place.
  int64_t offset() const { return offset_; }

 private:
  ErrorCode code_;
  int64_t offset_ = -1;
};

}  // namespace avatar_voice
