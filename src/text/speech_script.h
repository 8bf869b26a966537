// What the core speaks, before phonemes: runs of text, pauses between them and marks inside them,
// each mapped back to the caller's string. Plain text is one run (speechScriptFromText); SSML
// becomes several (ssml_parser.h). PiperVoice::plan phonemizes each run on its own, so a sentence
// never spans two runs: a pause, a rate change, <s> or <p> ends one.
//
//   SpeechScript script = speechScriptFromText("Hello there.");
//   for (const ScriptItem& item : script.items)
//     if (item.kind == ScriptItem::Kind::kRun) phonemize(item.run.text);   // offsets via toSource*
//
// Offsets are UTF-8 bytes. A run's `text` is what espeak-ng reads (it may hold [[ ]] raw-phoneme
// blocks); sourceStart/sourceEnd give, for each byte of it, the bytes of the caller's string it
// stands for, so highlighting works on the SSML source (an alias's words map to the <sub>'s
// content, a spelled-out letter to that letter, an entity's character to the whole entity).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace avatar_voice {

// A named point in the audio (<mark name="…"/>): it fires where the next spoken word after it
// starts, or at the end of the speech before it when no word follows.
struct ScriptMark {
  std::string name;
  size_t spokenOffset = 0;   // byte offset in its run's text (0..text.size())
  int32_t sourceOffset = 0;  // byte offset of the <mark> element in the caller's string
};

struct SourceSpan {
  int32_t start = 0;
  int32_t end = 0;
};

struct ScriptRun {
  std::string text;
  // Per byte i of `text`: the caller's bytes [sourceStart[i], sourceEnd[i]) it stands for. Both
  // empty = identity shifted by `base` (plain text): byte i is the caller's byte base + i.
  std::vector<int32_t> sourceStart;
  std::vector<int32_t> sourceEnd;
  int32_t base = 0;
  // Speaking rate relative to the voice's: 2 = twice as fast (length scale ÷ rate). > 0, finite.
  double rate = 1.0;
  std::vector<ScriptMark> marks;  // in spokenOffset order
  // Where the run lies in the caller's string (for marks of a run that says nothing).
  int32_t sourceBegin = 0;
  int32_t sourceEndOffset = 0;

  // The caller's bytes that spoken bytes [spokenStart, spokenEnd) stand for: the smallest span
  // covering each byte's own span. Spoken order need not follow source order (a ymd date is
  // spoken month first), so this is a min/max over the range, not its two ends. An empty range
  // is the empty span where its next byte starts. Out-of-range offsets clamp to the run's ends.
  SourceSpan toSource(size_t spokenStart, size_t spokenEnd) const;
};

// Silence of `milliseconds` (<break>), at [sourceStart, sourceEnd) of the caller's string.
struct ScriptPause {
  double milliseconds = 0;
  int32_t sourceStart = 0;
  int32_t sourceEnd = 0;
};

struct ScriptItem {
  enum class Kind { kRun, kPause };
  Kind kind = Kind::kRun;
  ScriptRun run;      // kind == kRun
  ScriptPause pause;  // kind == kPause
};

struct SpeechScript {
  std::vector<ScriptItem> items;
  // What the markup asked for that is not done (unknown elements, ignored attributes), for the
  // caller to see; the speech goes on without it.
  std::vector<std::string> warnings;
};

// Plain text as one run (identity offsets, rate 1, no marks).
SpeechScript speechScriptFromText(const std::string& text);

}  // namespace avatar_voice
