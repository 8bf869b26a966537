#include "phonemize/espeak_engine.h"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <memory>

#include "core/error.h"
#include "phonemize/espeak_clause_shim.h"

namespace avatar_voice {
namespace {

// espeak's clause values (translate.h in espeak-ng 1.52; not in its public header).
constexpr int kClauseTypeSentence = 0x00080000;
constexpr int kClausePeriod = 40 | 0x00000000 | kClauseTypeSentence;
constexpr int kClauseQuestion = 40 | 0x00002000 | kClauseTypeSentence;
constexpr int kClauseExclamation = 45 | 0x00003000 | kClauseTypeSentence;
constexpr int kClauseComma = 20 | 0x00001000 | 0x00040000;
constexpr int kClauseColon = 30 | 0x00000000 | 0x00040000;
constexpr int kClauseSemicolon = 30 | 0x00001000 | 0x00040000;

// Piper's rule, to the bit (piper1-gpl espeakbridge.c): mask to the low 20 bits and compare for
// equality, so e.g. a period with CLAUSE_OPTIONAL_SPACE_AFTER set is NOT restored as '.' there
// either. Matching Piper matters more than being "right": the voices were trained on its output.
char terminatorOf(int bits) {
  switch (bits & 0x000FFFFF) {
    case kClausePeriod: return '.';
    case kClauseQuestion: return '?';
    case kClauseExclamation: return '!';
    case kClauseComma: return ',';
    case kClauseColon: return ':';
    case kClauseSemicolon: return ';';
    default: return 0;
  }
}

std::unique_ptr<EspeakEngine>& engineSlot() {
  static std::unique_ptr<EspeakEngine> engine;
  return engine;
}

}  // namespace

EspeakEngine& EspeakEngine::initialize(const std::string& dataPath) {
  auto& slot = engineSlot();
  if (slot) {
    if (slot->dataPath_ != dataPath)
      throw Error(ErrorCode::kEspeakInit, "espeak-ng is already initialised from " +
                                              slot->dataPath_ + ", cannot switch to " + dataPath);
    return *slot;
  }
  // DONT_EXIT: without it a data error calls exit(1) and takes the worker down with it.
  const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, dataPath.c_str(),
                                     espeakINITIALIZE_DONT_EXIT);
  if (rate <= 0)
    throw Error(ErrorCode::kEspeakInit,
                "espeak-ng could not load its data from " + dataPath + " (missing or corrupt)");
  slot.reset(new EspeakEngine(dataPath));
  slot->setVoice("en-us");
  return *slot;
}

bool EspeakEngine::initialized() { return static_cast<bool>(engineSlot()); }

EspeakEngine& EspeakEngine::instance() {
  auto& slot = engineSlot();
  if (!slot) throw Error(ErrorCode::kEspeakInit, "espeak-ng is not initialised");
  return *slot;
}

void EspeakEngine::setVoice(const std::string& voice) {
  if (voice == voice_) return;
  if (voice.empty() || espeak_SetVoiceByName(voice.c_str()) != EE_OK)
    throw Error(ErrorCode::kLanguageUnavailable,
                "espeak-ng voice \"" + voice + "\" is not available (is its data pack loaded?)");
  voice_ = voice;
}

void EspeakEngine::rescanVoices() {
  espeak_ListVoices(nullptr);
  voice_.clear();  // force the next setVoice() to select again from the fresh list
}

std::vector<EspeakClause> EspeakEngine::clauses(const std::string& text) {
  std::vector<EspeakClause> out;
  const char* const begin = text.c_str();
  const auto size = static_cast<int32_t>(text.size());
  const char* cursor = begin;
  int32_t clauseStart = 0;
  avatarVoiceEspeakStartText();
  while (cursor != nullptr) {
    int bits = 0;
    const char* ipa = avatarVoiceEspeakNextClause(&cursor, espeakPHONEMES_IPA, &bits);
    if (ipa == nullptr) throw Error(ErrorCode::kInternal, "espeak-ng failed to decode the text");
    EspeakClause clause;
    clause.ipa = ipa;
    clause.terminator = terminatorOf(bits);
    clause.endOfSentence = ((bits & 0x000FFFFF) & kClauseTypeSentence) == kClauseTypeSentence;
    clause.textStart = clauseStart;
    clause.textEnd = cursor ? std::min(static_cast<int32_t>(cursor - begin), size) : size;
    // espeak reads ahead into the next word before it decides a clause has ended: give that
    // partial word back to the next clause (unless what was read holds the clause's punctuation).
    if (cursor != nullptr) {
      int32_t wordStart = clause.textEnd;
      while (wordStart > clause.textStart && text[wordStart - 1] != ' ') --wordStart;
      const std::string readAhead = text.substr(wordStart, clause.textEnd - wordStart);
      if (wordStart > clause.textStart && readAhead.find_first_of(".,?!;:") == std::string::npos)
        clause.textEnd = wordStart;
    }
    clauseStart = clause.textEnd;
    out.push_back(std::move(clause));
  }
  return out;
}

std::string EspeakEngine::version() const {
  const char* path = nullptr;
  const char* v = espeak_Info(&path);
  return v ? v : "";
}

}  // namespace avatar_voice
