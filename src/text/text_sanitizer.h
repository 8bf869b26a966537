// Cleans user text before it reaches espeak-ng, keeping a map back to the caller's offsets.
//
//   SanitizedText clean = sanitizeText(userText, {.maxChars = 20000});
//   // clean.text: valid UTF-8, no control characters, single spaces, trimmed
//   // clean.sourceOffset(i): byte offset in userText of byte i of clean.text
//
// Throws Error(kInvalidUtf8) naming the byte offset, Error(kTextTooLong) naming the limit.
// Empty or all-whitespace input gives an empty text (not an error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"

namespace avatar_voice {

struct SanitizeOptions {
  // Maximum number of Unicode codepoints accepted (after nothing is removed: the raw input).
  size_t maxChars = limits::kMaxTextChars;
};

struct SanitizedText {
  std::string text;
  // offsets[i] = byte offset in the original of text[i]; offsets[text.size()] = original size.
  std::vector<int32_t> offsets;
  int32_t sourceOffset(size_t cleanOffset) const {
    return offsets[cleanOffset < offsets.size() ? cleanOffset : offsets.size() - 1];
  }
};

SanitizedText sanitizeText(std::string_view input, const SanitizeOptions& options = {});

}  // namespace avatar_voice
