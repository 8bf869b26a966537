#include "text/speech_script.h"

#include <algorithm>

namespace avatar_voice {

SourceSpan ScriptRun::toSource(size_t spokenStart, size_t spokenEnd) const {
  if (sourceStart.empty()) {
    const auto at = [&](size_t spoken) {
      return base + static_cast<int32_t>(std::min(spoken, text.size()));
    };
    return {at(spokenStart), std::max(at(spokenStart), at(spokenEnd))};
  }
  const size_t size = sourceStart.size();
  if (spokenStart >= size) {
    const int32_t end = sourceEnd.back();
    return {end, end};
  }
  spokenEnd = std::min(spokenEnd, size);
  if (spokenEnd <= spokenStart) return {sourceStart[spokenStart], sourceStart[spokenStart]};
  SourceSpan span{sourceStart[spokenStart], sourceEnd[spokenStart]};
  for (size_t i = spokenStart + 1; i < spokenEnd; ++i) {
    span.start = std::min(span.start, sourceStart[i]);
    span.end = std::max(span.end, sourceEnd[i]);
  }
  return span;
}

SpeechScript speechScriptFromText(const std::string& text) {
  SpeechScript script;
  ScriptItem item;
  item.run.text = text;
  item.run.sourceBegin = 0;
  item.run.sourceEndOffset = static_cast<int32_t>(text.size());
  script.items.push_back(std::move(item));
  return script;
}

}  // namespace avatar_voice
