// libFuzzer target: arbitrary bytes as SSML → parseSsml (the hand-written XML subset: tags,
// attributes, character references, comments, nesting, and the say-as rewriting).
//
// Contract checked: the only errors are INVALID_SSML (with an offset inside the input),
// INVALID_UTF8 and TEXT_TOO_LONG, and nothing else is thrown; on success every run maps each of
// its bytes to an ordered span inside the input, its marks point inside its text and the input,
// its rate is in [0.25, 4] and its text is valid UTF-8; pauses last 0 to 10 s.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "byte_reader.h"
#include "core/error.h"
#include "text/ssml_parser.h"
#include "text/unicode_nfd.h"

namespace {

using namespace avatar_voice;

void checkSpan(int64_t start, int64_t end, size_t size) {
  AV_FUZZ_REQUIRE(start >= 0 && start <= end && static_cast<size_t>(end) <= size);
}

void checkRun(const ScriptRun& run, size_t size) {
  AV_FUZZ_REQUIRE(run.sourceStart.size() == run.text.size());
  AV_FUZZ_REQUIRE(run.sourceEnd.size() == run.text.size());
  for (size_t i = 0; i < run.text.size(); ++i)
    checkSpan(run.sourceStart[i], run.sourceEnd[i], size);
  // Spoken ranges map to ordered spans inside the markup, whatever order say-as speaks in.
  for (size_t i = 0; i <= run.text.size(); ++i)
    for (size_t j = i; j <= i + 4; ++j) {
      const SourceSpan span = run.toSource(i, j);
      checkSpan(span.start, span.end, size);
    }
  const SourceSpan whole = run.toSource(0, run.text.size());
  checkSpan(whole.start, whole.end, size);
  checkSpan(run.sourceBegin, run.sourceEndOffset, size);
  AV_FUZZ_REQUIRE(std::isfinite(run.rate) && run.rate >= 0.25 && run.rate <= 4);
  AV_FUZZ_REQUIRE(run.base == 0);
  AV_FUZZ_REQUIRE(isValidUtf8(run.text));
  AV_FUZZ_REQUIRE(!run.text.empty() || !run.marks.empty());
  size_t previous = 0;
  for (const ScriptMark& mark : run.marks) {
    AV_FUZZ_REQUIRE(mark.spokenOffset <= run.text.size() && mark.spokenOffset >= previous);
    AV_FUZZ_REQUIRE(mark.sourceOffset >= 0 && static_cast<size_t>(mark.sourceOffset) < size);
    AV_FUZZ_REQUIRE(!mark.name.empty() && isValidUtf8(mark.name));
    previous = mark.spokenOffset;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  SsmlOptions options;
  options.maxChars = 4000;  // the limit path is reached by long inputs, the rest stays fast
  // The language picks say-as rules (English words or read as written); let the size choose.
  static const char* const kLanguages[] = {"en-us", "en-gb", "de"};
  options.language = kLanguages[size % 3];
  try {
    const SpeechScript script = parseSsml(text, options);
    for (const ScriptItem& item : script.items) {
      if (item.kind == ScriptItem::Kind::kRun) {
        checkRun(item.run, size);
      } else {
        AV_FUZZ_REQUIRE(item.pause.milliseconds >= 0 && item.pause.milliseconds <= 10000);
        checkSpan(item.pause.sourceStart, item.pause.sourceEnd, size);
      }
    }
    for (const std::string& warning : script.warnings)
      AV_FUZZ_REQUIRE(!warning.empty() && isValidUtf8(warning));
  } catch (const Error& e) {
    AV_FUZZ_REQUIRE(e.code() == ErrorCode::kInvalidSsml || e.code() == ErrorCode::kInvalidUtf8 ||
                    e.code() == ErrorCode::kTextTooLong);
    if (e.code() == ErrorCode::kInvalidSsml)
      AV_FUZZ_REQUIRE(e.offset() >= 0 && static_cast<size_t>(e.offset()) <= size);
    AV_FUZZ_REQUIRE(isValidUtf8(e.what()));
  } catch (...) {
    AV_FUZZ_REQUIRE(!"parseSsml threw something other than avatar_voice::Error");
  }
  return 0;
}
