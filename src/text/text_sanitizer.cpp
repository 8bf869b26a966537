#include "text/text_sanitizer.h"

#include "core/error.h"
#include "text/unicode_nfd.h"

namespace avatar_voice {
namespace {

bool isSpace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v' ||
         c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// C0/C1 controls, plus the BOM/zero-width no-break space: invisible, and espeak would either read
// them as separators or choke on them. Zero-width joiners stay (they are part of emoji sequences).
bool isControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xFEFF; }

size_t utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

}  // namespace

SanitizedText sanitizeText(std::string_view input, const SanitizeOptions& options) {
  size_t bad = 0;
  if (!isValidUtf8(input, &bad))
    throw Error(ErrorCode::kInvalidUtf8, "text is not valid UTF-8 (byte " + std::to_string(bad) + ")");

  SanitizedText out;
  out.text.reserve(input.size());
  out.offsets.reserve(input.size() + 1);
  size_t chars = 0;
  bool pendingSpace = false;
  size_t spaceAt = 0;
  for (size_t i = 0; i < input.size();) {
    const size_t n = utf8Length(static_cast<unsigned char>(input[i]));
    const std::u32string cp = decodeUtf8(input.substr(i, n));
    const char32_t c = cp.empty() ? 0 : cp[0];
    if (++chars > options.maxChars)
      throw Error(ErrorCode::kTextTooLong, "text is longer than the limit of " +
                                               std::to_string(options.maxChars) + " characters");
    if (isSpace(c) || isControl(c)) {
      // Controls become word breaks rather than vanishing, so "a\u0007b" does not fuse into "ab".
      if (!pendingSpace) spaceAt = i;
      pendingSpace = true;
    } else {
      if (pendingSpace && !out.text.empty()) {
        out.text.push_back(' ');
        out.offsets.push_back(static_cast<int32_t>(spaceAt));
      }
      pendingSpace = false;
      for (size_t k = 0; k < n; ++k) {
        out.text.push_back(input[i + k]);
        out.offsets.push_back(static_cast<int32_t>(i + k));
      }
    }
    i += n;
  }
  out.offsets.push_back(static_cast<int32_t>(input.size()));
  return out;
}

}  // namespace avatar_voice
