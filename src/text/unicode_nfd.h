// Unicode NFD (canonical decomposition) and strict UTF-8 conversion, without ICU.
//
//   std::u32string ipa = avatar_voice::decodeUtf8(espeakOutput);   // throws on bad UTF-8
//   for (char32_t cp : avatar_voice::toNfd(ipa)) { ... look cp up in the voice's phoneme_id_map }
//
//   size_t bad = 0;
//   if (!avatar_voice::isValidUtf8(userText, &bad)) { ... report byte `bad` ... }
//   std::string utf8 = avatar_voice::encodeUtf8(avatar_voice::toNfd(ipa));
//
// Why: Piper maps phonemes to ids one codepoint at a time after Python's
// unicodedata.normalize("NFD", ...), so "ç" must become "c" + U+0327 here too or the ids differ.
// ICU would do it but adds megabytes to the wasm; the tables behind this (generated from the UCD
// by scripts/gen_unicode_nfd.py) are about 15 KB.
//
// Ownership: every function takes a view it only reads during the call and returns a new string
// the caller owns.
//
// Errors: ill-formed UTF-8 throws avatar_voice::Error with ErrorCode::kInvalidUtf8; a char32_t that
// is not a Unicode scalar value (a surrogate or above U+10FFFF) given to toNfd or encodeUtf8
// throws ErrorCode::kInvalidArgument. Nothing is silently replaced with U+FFFD.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace avatar_voice {

// Canonical decomposition (full, recursive, Hangul included) followed by canonical ordering:
// combining marks between two starters are stably sorted by combining class. Equal to Python's
// unicodedata.normalize("NFD", s) for every character both Unicode versions know.
std::u32string toNfd(std::u32string_view s);

// Strict UTF-8 decoding (Unicode Table 3-7): overlong forms, surrogates (ED A0..BF), values above
// U+10FFFF, stray continuation bytes and truncated sequences all throw
// Error(kInvalidUtf8, "invalid UTF-8 at byte N"), N being the offset of the first byte of the
// ill-formed sequence (the same position Python's UnicodeDecodeError reports as `start`).
std::u32string decodeUtf8(std::string_view utf8);

// Same rules as decodeUtf8 without building the result. On false, *errorOffset (when not null)
// receives the offset decodeUtf8 would put in its message; on true it is left untouched.
bool isValidUtf8(std::string_view utf8, size_t* errorOffset = nullptr);

// One scalar value as 1-4 bytes of UTF-8.
std::string encodeUtf8(char32_t codepoint);
std::string encodeUtf8(std::u32string_view codepoints);

}  // namespace avatar_voice
