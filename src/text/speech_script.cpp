#include "text/speech_script.h"

#include <algorithm>

namespace avatar_voice {

int32_t ScriptRun::toSourceStart(size_t spoken) const {
  if (sourceStart.empty()) return base + static_cast<int32_t>(std::min(spoken, text.size()));
  if (spoken >= sourceStart.size()) return sourceEnd.empty() ? sourceEndOffset : sourceEnd.back();
  return sourceStart[spoken];
}

int32_t ScriptRun::toSourceEnd(size_t spoken) const {
  if (sourceEnd.empty()) return base + static_cast<int32_t>(std::min(spoken, text.size()));
  if (spoken == 0) return sourceStart.front();
  return sourceEnd[std::min(spoken, sourceEnd.size()) - 1];
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
