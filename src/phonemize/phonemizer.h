// Text → Piper phonemes per sentence, the way Piper itself phonemizes with espeak-ng.
//
//   Phonemizer phonemizer(EspeakEngine::initialize("/espeak-ng-data"));
//   PhonemizedText result = phonemizer.phonemize("Hello, world. How are you?", {.voice = "en-us"});
//   for (const PhonemizedSentence& s : result.sentences)
//     for (const PhonemeToken& p : s.phonemes) use(p.symbol, p.textStart, p.textEnd);
//
// Procedure (OHF-Voice/piper1-gpl voice.py + phonemize_espeak.py, re-implemented):
// - `[[ ... ]]` blocks are raw phonemes, taken codepoint by codepoint (inner text stripped; a space
//   before/after the block in the text becomes a " " phoneme);
// - other text goes to espeak-ng clause by clause: language-switch flags "(en)" are removed, the
//   clause terminator is appended as a phoneme (", : ;" also append " "), the string is NFD
//   decomposed and split into codepoints; a sentence ends where espeak says the clause ends one.
// - text hygiene first (see text_sanitizer.h): offsets always refer to the caller's original text.
//
// Results are plain values owned by the caller.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/limits.h"
#include "phonemize/espeak_engine.h"

namespace avatar_voice {

struct PhonemeToken {
  std::string symbol;     // one codepoint (UTF-8), or a multi-codepoint unit from a [[ ]] block
  int32_t textStart = -1; // byte span in the original text of the word it came from; -1 for
                          // word gaps (" ") and when unknown
  int32_t textEnd = -1;
};

struct PhonemizedSentence {
  std::vector<PhonemeToken> phonemes;
  int32_t textStart = 0;  // byte span of the sentence in the original text
  int32_t textEnd = 0;
};

struct PhonemizedText {
  std::vector<PhonemizedSentence> sentences;
};

struct PhonemizeOptions {
  std::string voice = "en-us";  // espeak-ng voice, from the Piper config's espeak.voice
  size_t maxChars = limits::kMaxTextChars;  // longer input → Error(kTextTooLong)
};

class Phonemizer {
 public:
  explicit Phonemizer(EspeakEngine& engine) : engine_(engine) {}
  PhonemizedText phonemize(const std::string& text, const PhonemizeOptions& options = {});

 private:
  EspeakEngine& engine_;
};

// Joined IPA of the clauses, as espeak's own CLI prints it (for parity checks against the CLI).
std::string espeakIpa(EspeakEngine& engine, const std::string& text, const std::string& voice);

}  // namespace avatar_voice
