// Embind surface of the core. Thin by design: it converts between JS values and core types and
// turns avatar_voice::Error into a plain {__error: {code, message}} value, which web/ rethrows as
// an AvatarVoiceError. Nothing here decides anything.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/limits.h"
#include "core/version.h"
#include "phonemize/espeak_data_pack.h"
#include "phonemize/espeak_engine.h"
#include "phonemize/phonemizer.h"
#include "timeline/viseme_map.h"
#include "wasm_values.h"

using emscripten::val;

namespace avatar_voice::wasm {
namespace {

// Bytes arrive as a JS Uint8Array, copied by checked code (wasm_values.h says why).
val installEspeakData(val packIn, const std::string& root) {
  return guarded([&] {
    const std::vector<uint8_t> pack =
        bytesIn(packIn, limits::kMaxEspeakDataPackBytes, ErrorCode::kInvalidArgument, "data pack");
    const int files = static_cast<int>(installEspeakDataPack(pack.data(), pack.size(), root));
    if (EspeakEngine::initialized()) EspeakEngine::instance().rescanVoices();
    return val(files);
  });
}

val initEspeak(const std::string& dataPath) {
  return guarded([&] {
    EspeakEngine& engine = EspeakEngine::initialize(dataPath);
    return val(engine.version());
  });
}

val phonemize(val textArg, const std::string& voice, double maxChars) {
  return guarded([&] {
    PhonemizeOptions options;
    options.voice = voice;
    if (maxChars > 0) options.maxChars = static_cast<size_t>(maxChars);
    const std::string text = textWithin(textArg, options.maxChars);
    Phonemizer phonemizer(EspeakEngine::instance());
    const PhonemizedText result = phonemizer.phonemize(text, options);
    val sentences = val::array();
    for (const PhonemizedSentence& s : result.sentences) {
      val symbols = val::array();
      val starts = val::array();
      val ends = val::array();
      for (const PhonemeToken& p : s.phonemes) {
        symbols.call<void>("push", p.symbol);
        starts.call<void>("push", p.textStart);
        ends.call<void>("push", p.textEnd);
      }
      val sentence = val::object();
      sentence.set("textStart", s.textStart);
      sentence.set("textEnd", s.textEnd);
      sentence.set("phonemes", symbols);
      sentence.set("phonemeTextStart", starts);
      sentence.set("phonemeTextEnd", ends);
      sentences.call<void>("push", sentence);
    }
    return sentences;
  });
}

// The numbers of core/limits.h, read once by the web layer so it can refuse an input before
// sending it to the worker (docs/security.md, "Limits").
val limitsValue() {
  val out = val::object();
  out.set("maxTextChars", static_cast<double>(limits::kMaxTextChars));
  out.set("defaultUtteranceChars", static_cast<double>(limits::kDefaultUtteranceChars));
  out.set("maxVoiceModelBytes", static_cast<double>(limits::kMaxVoiceModelBytes));
  out.set("maxVoiceConfigBytes", static_cast<double>(limits::kMaxVoiceConfigBytes));
  out.set("maxEspeakDataPackBytes", static_cast<double>(limits::kMaxEspeakDataPackBytes));
  out.set("maxStoreBytesIn", static_cast<double>(limits::kMaxStoreBytesIn));
  out.set("defaultMaxAssetBytes", static_cast<double>(limits::kDefaultMaxAssetBytes));
  out.set("maxSentenceSamples", static_cast<double>(limits::kMaxSentenceSamples));
  out.set("maxWasmHeapBytes", static_cast<double>(limits::kMaxWasmHeapBytes));
  out.set("synthesisTimeoutMs", limits::kSynthesisTimeoutMs);
  return out;
}

// Both viseme sets' names in id order, from the core's table (src/timeline/viseme_map.cpp): the
// web layer's only source for them (stored speech keeps names; ids are rebuilt from these).
val visemeSets() {
  auto names = [](VisemeSet set) {
    val list = val::array();
    for (int id = 0; id < visemeCount(set); ++id) list.call<void>("push", std::string(visemeName(set, id)));
    return list;
  };
  val out = val::object();
  out.set("oculus", names(VisemeSet::kOculus15));
  out.set("azure", names(VisemeSet::kAzure22));
  return out;
}

// Every code the core raises, from core/error.h: what web/'s CORE_ERROR_CODES (written from the
// same enum by the build) is checked against.
val errorCodes() {
  val list = val::array();
  for (ErrorCode code : kAllErrorCodes) list.call<void>("push", std::string(errorCodeName(code)));
  return list;
}

// Proves SQLite is linked and working: opens an in-memory database and runs a query.
val sqliteSelfCheck() {
  return guarded([&] {
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
      throw Error(ErrorCode::kStore, "sqlite3_open failed");
    sqlite3_stmt* stmt = nullptr;
    std::string versionText;
    int sum = 0;
    if (sqlite3_prepare_v2(db, "SELECT sqlite_version(), 20 + 22", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      versionText = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      sum = sqlite3_column_int(stmt, 1);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    val out = val::object();
    out.set("version", versionText);
    out.set("sum", sum);
    return out;
  });
}

std::string version() { return kVersion; }

}  // namespace

EMSCRIPTEN_BINDINGS(avatar_voice_core) {
  emscripten::function("version", &version);
  emscripten::function("installEspeakData", &installEspeakData);
  emscripten::function("initEspeak", &initEspeak);
  emscripten::function("phonemize", &phonemize);
  emscripten::function("sqliteSelfCheck", &sqliteSelfCheck);
  emscripten::function("limits", &limitsValue);
  emscripten::function("visemeSets", &visemeSets);
  emscripten::function("errorCodes", &errorCodes);
}

}  // namespace avatar_voice::wasm
