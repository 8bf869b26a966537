// The process-wide espeak-ng instance.
//
//   EspeakEngine& espeak = EspeakEngine::initialize("/espeak-ng-data");  // once per process/worker
//   espeak.setVoice("en-us");
//   for (const EspeakClause& c : espeak.clauses("Hello, world.")) use(c.ipa, c.terminator);
//
// espeak-ng keeps all state in globals and returns static buffers, so there is exactly one engine
// per process (one per Web Worker in the browser). Everything returned is copied out of espeak.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace avatar_voice {

// One clause as espeak-ng reads it: IPA phonemes (words separated by spaces) and its terminator.
struct EspeakClause {
  std::string ipa;          // espeak-ng IPA for the clause, exactly as espeak returned it
  char terminator = 0;      // '.', ',', '?', '!', ';', ':' or 0 when the clause had none
  bool endOfSentence = false;
  int32_t textStart = 0;    // byte span of the clause in the text passed to clauses()
  int32_t textEnd = 0;
};

class EspeakEngine {
 public:
  // Initialises espeak-ng from `dataPath` (a folder holding phontab, phondata, ..., or its parent).
  // Throws Error(kEspeakInit) when the data is missing or unreadable. Calling it again with the same
  // path returns the same engine; another path throws (espeak cannot hold two data sets).
  static EspeakEngine& initialize(const std::string& dataPath);
  static bool initialized();
  static EspeakEngine& instance();  // throws Error(kEspeakInit) before initialize()

  // Selects an espeak voice ("en-us", "de", ...). Throws Error(kLanguageUnavailable) naming it.
  void setVoice(const std::string& voice);
  const std::string& voice() const { return voice_; }

  // Re-reads the voice list from the data folder: needed after a data pack for another language
  // was installed, because espeak-ng lists voices once and then only looks at that list.
  void rescanVoices();

  // Splits `text` (valid UTF-8) into clauses the way espeak reads it and phonemizes each.
  std::vector<EspeakClause> clauses(const std::string& text);

  const std::string& dataPath() const { return dataPath_; }
  std::string version() const;

 private:
  explicit EspeakEngine(std::string dataPath) : dataPath_(std::move(dataPath)) {}
  std::string dataPath_;
  std::string voice_;
};

}  // namespace avatar_voice
