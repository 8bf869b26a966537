// libFuzzer target: arbitrary bytes as a language pack's compiled dictionary (`xx_dict`) →
// requireValidEspeakDictionary, and every dictionary it accepts is then loaded and used by the
// real espeak-ng (voice "xx", the path a user's language pack takes). Under ASan this checks the
// validator's promise: an accepted file cannot make espeak-ng 1.52's LoadDictionary, InitGroups
// or the dictionary lookups read or write outside their buffers.
//
// Contract checked: the validator throws only Error(kInvalidArgument); with an accepted file the
// phonemizer throws only typed errors (a useless dictionary may yield LANGUAGE_UNAVAILABLE); and
// English still works afterwards. The engine runs on a private copy of the English data (a temp
// folder per process), so parallel runs do not share the file they rewrite.
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "byte_reader.h"
#include "core/error.h"
#include "phonemize/espeak_dictionary_layout.h"
#include "phonemize/espeak_engine.h"
#include "phonemize/phonemizer.h"

namespace {

using namespace avatar_voice;
namespace fs = std::filesystem;

fs::path dataDir() {
  static const fs::path dir =
      fs::temp_directory_path() / ("av_dict_fuzz_" + std::to_string(getpid())) / "espeak-ng-data";
  return dir;
}

Phonemizer& phonemizer() {
  static Phonemizer* instance = [] {
    const fs::path from = fs::path(AV_ESPEAK_DATA_ROOT) / "espeak-ng-data";
    fs::create_directories(dataDir() / "lang");
    for (const char* f : {"phontab", "phonindex", "phondata", "intonations", "en_dict"})
      fs::copy_file(from / f, dataDir() / f, fs::copy_options::overwrite_existing);
    fs::copy(from / "lang", dataDir() / "lang", fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    std::ofstream(dataDir() / "lang" / "xx") << "name xx\nlanguage xx\n";
    return new Phonemizer(EspeakEngine::initialize(dataDir().parent_path().string()));
  }();
  return *instance;
}

}  // namespace

// espeak-ng 1.52 leaks one voice_t (~1.3 KB) per voice switch when it only phonemizes:
// DoVoiceChange() queues a copy that only the waveform generator frees, and we never synthesize.
// This target switches voices twice per input, so LeakSanitizer would report that known leak
// (docs/security.md) instead of anything new; it is suppressed by name, nothing else is.
extern "C" const char* __lsan_default_suppressions() { return "leak:DoVoiceChange\n"; }

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)phonemizer();
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(dataDir().parent_path(), ec);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    requireValidEspeakDictionary(data, size, "xx_dict");
  } catch (const Error& e) {
    AV_FUZZ_REQUIRE(e.code() == ErrorCode::kInvalidArgument);
    return 0;
  }
  {
    std::ofstream out(dataDir() / "xx_dict", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  PhonemizeOptions xx;
  xx.voice = "xx";
  try {
    // Words that reach the hash lists, the rules, letter groups and the plural suffix.
    phonemizer().phonemize("The cats' dogs ran 42 times, quickly! Zebra-like things.", xx);
  } catch (const Error& e) {
    AV_FUZZ_REQUIRE(e.code() != ErrorCode::kInternal);
  }
  // Back to English: also makes the next input's "xx" load its dictionary again.
  const PhonemizedText probe = phonemizer().phonemize("Hello world.", PhonemizeOptions{});
  AV_FUZZ_REQUIRE(probe.sentences.size() == 1 && probe.sentences[0].phonemes.size() > 5);
  return 0;
}
