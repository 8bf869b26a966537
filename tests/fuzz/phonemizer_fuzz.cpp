// libFuzzer target: arbitrary bytes as user text → Phonemizer::phonemize (text sanitizer, UTF-8
// and NFD code, espeak-ng's clause reader and translator, the [[ ]] raw-phoneme blocks).
// Needs the compiled espeak-ng data; tests/fuzz/CMakeLists.txt passes the native build's folder
// as AV_ESPEAK_DATA_ROOT.
//
// Contract checked: the only errors are INVALID_UTF8 and TEXT_TOO_LONG; every offset is -1 or a
// byte position inside the input, spans are ordered, symbols are non-empty valid UTF-8; and the
// engine still phonemizes a known sentence after any input (espeak keeps state in globals).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "byte_reader.h"
#include "core/error.h"
#include "phonemize/espeak_engine.h"
#include "phonemize/phonemizer.h"
#include "text/unicode_nfd.h"

namespace {

using namespace avatar_voice;

Phonemizer& phonemizer() {
  static Phonemizer instance(EspeakEngine::initialize(AV_ESPEAK_DATA_ROOT));
  return instance;
}

void checkSpan(int32_t start, int32_t end, size_t size) {
  if (start == -1 && end == -1) return;
  AV_FUZZ_REQUIRE(start >= 0 && start <= end && static_cast<size_t>(end) <= size);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)phonemizer();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  PhonemizeOptions options;
  options.maxChars = 2000;  // the limit path is reached by long inputs, the rest stays fast
  try {
    const PhonemizedText result = phonemizer().phonemize(text, options);
    for (const PhonemizedSentence& s : result.sentences) {
      AV_FUZZ_REQUIRE(!s.phonemes.empty());
      checkSpan(s.textStart, s.textEnd, size);
      for (const PhonemeToken& p : s.phonemes) {
        AV_FUZZ_REQUIRE(!p.symbol.empty() && isValidUtf8(p.symbol));
        checkSpan(p.textStart, p.textEnd, size);
      }
    }
  } catch (const Error& e) {
    AV_FUZZ_REQUIRE(e.code() == ErrorCode::kInvalidUtf8 || e.code() == ErrorCode::kTextTooLong);
  }
  // A hostile input must not leave espeak-ng unusable for the next caller.
  static unsigned calls = 0;
  if (++calls % 64 == 0) {
    const PhonemizedText probe = phonemizer().phonemize("Hello world.", options);
    AV_FUZZ_REQUIRE(probe.sentences.size() == 1 && probe.sentences[0].phonemes.size() > 5);
  }
  return 0;
}
