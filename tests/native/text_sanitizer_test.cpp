#include "text/text_sanitizer.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace avatar_voice {
namespace {

TEST(TextSanitizer, NormalisesWhitespaceAndStripsControls) {
  const std::string input = "  Hello,\t\tworld!\r\n\x07How\x1b are you?  ";
  const SanitizedText clean = sanitizeText(input);
  EXPECT_EQ(clean.text, "Hello, world! How are you?");
  ASSERT_EQ(clean.offsets.size(), clean.text.size() + 1);
  // Every kept byte maps back to the same byte in the input.
  for (size_t i = 0; i < clean.text.size(); ++i) {
    if (clean.text[i] != ' ') EXPECT_EQ(input[clean.offsets[i]], clean.text[i]) << i;
  }
  EXPECT_EQ(clean.offsets.back(), static_cast<int32_t>(input.size()));
}

TEST(TextSanitizer, EmptyInputIsEmptyNotAnError) {
  EXPECT_EQ(sanitizeText("").text, "");
  EXPECT_EQ(sanitizeText(" \t\n ").text, "");
}

TEST(TextSanitizer, KeepsMultibyteTextIntact) {
  const std::string input = "café 😀 中文 مرحبا";
  EXPECT_EQ(sanitizeText(input).text, input);
}

TEST(TextSanitizer, InvalidUtf8IsATypedErrorWithTheOffset) {
  try {
    sanitizeText("ok \xc3\x28");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidUtf8);
    EXPECT_NE(std::string(e.what()).find("byte 3"), std::string::npos) << e.what();
  }
}

TEST(TextSanitizer, LimitCountsCharactersNotBytes) {
  SanitizeOptions options;
  options.maxChars = 3;
  EXPECT_EQ(sanitizeText("😀😀😀", options).text, "😀😀😀");
  EXPECT_THROW(sanitizeText("😀😀😀😀", options), Error);
}

}  // namespace
}  // namespace avatar_voice
