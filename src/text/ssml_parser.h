// A small SSML subset → SpeechScript (speech_script.h). Parsed here, never by espeak-ng's own SSML
// mode, so phonemes stay Piper's: text goes through the same phonemizer as plain text.
//
//   SpeechScript script = parseSsml("<speak>Hi <break time=\"300ms\"/> there.</speak>", {"en-us"});
//   // items: run "Hi ", pause 300 ms, run " there."
//
// The subset (README, "SSML"): <speak> (optional root), <p>, <s>, <break time|strength>,
// <prosody rate>, <say-as interpret-as>, <sub alias>, <phoneme alphabet="ipa" ph>, <mark name>;
// comments, an XML declaration and the five predefined and numeric character references.
// Unknown elements are spoken as their content, with a warning; markup that is not well formed
// (unclosed or mismatched tags, a bad attribute, an unknown entity, a bad value of a known
// attribute) throws Error(kInvalidSsml) whose offset() is the byte where it was found.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/limits.h"
#include "text/speech_script.h"

namespace avatar_voice {

struct SsmlOptions {
  // The espeak-ng voice the text is read in (from the Piper config): say-as rules that depend on
  // the language (ordinal suffixes, month names) apply to English voices ("en…") only.
  std::string language = "en-us";
  // Longest input, in codepoints of the raw markup (as PhonemizeOptions::maxChars).
  size_t maxChars = limits::kMaxTextChars;
};

// Throws Error(kInvalidSsml) (with offset), Error(kInvalidUtf8), Error(kTextTooLong).
SpeechScript parseSsml(std::string_view source, const SsmlOptions& options = {});

}  // namespace avatar_voice
