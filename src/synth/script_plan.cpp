// PiperVoice::plan for a SpeechScript: runs phonemized one by one and mapped back to the caller's
// string, <break> pauses as silence plans, <mark>s attached where they fire. Plain text is one
// run with identity offsets, so its plans are exactly those of the text alone.
#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/limits.h"
#include "synth/piper_voice.h"

namespace avatar_voice {
namespace {

// A mark waiting for the plan it fires in, in document order.
struct PendingMark {
  std::string name;
  int32_t sourceOffset;
};

bool hasPhonemeFrom(const SentencePlan& plan, int32_t offset) {
  return std::any_of(plan.phonemes.begin(), plan.phonemes.end(),
                     [&](const Phoneme& p) { return p.textStart >= 0 && p.textStart >= offset; });
}

// Each mark goes to the first plan that has speech after it (a phoneme of a later word, or a
// pause that starts after it); a mark with nothing after it fires at the end of the last plan.
void attachMarks(std::vector<PendingMark> marks, std::vector<SentencePlan>& plans) {
  if (plans.empty()) return;
  size_t p = 0;
  for (PendingMark& mark : marks) {
    while (p < plans.size() &&
           !(plans[p].pauseSamples > 0 ? plans[p].textStart >= mark.sourceOffset
                                       : hasPhonemeFrom(plans[p], mark.sourceOffset)))
      ++p;
    if (p == plans.size()) {
      plans.back().marks.push_back(PlannedMark{std::move(mark.name), mark.sourceOffset, true});
      p = plans.size() - 1;  // later marks also fire at the end
      continue;
    }
    plans[p].marks.push_back(PlannedMark{std::move(mark.name), mark.sourceOffset, false});
  }
}

}  // namespace

std::vector<SentencePlan> PiperVoice::plan(Phonemizer& phonemizer, const SpeechScript& script,
                                           size_t maxChars) const {
  std::vector<SentencePlan> plans;
  std::vector<PendingMark> marks;
  double pausedMs = 0;
  for (const ScriptItem& item : script.items) {
    if (item.kind == ScriptItem::Kind::kPause) {
      pausedMs += item.pause.milliseconds;
      if (pausedMs > limits::kMaxPauseMsPerText)
        throw Error(ErrorCode::kInvalidSsml,
                    "the breaks add up to more than the limit of " +
                        std::to_string(static_cast<int64_t>(limits::kMaxPauseMsPerText / 1000)) +
                        " s of silence",
                    item.pause.sourceStart);
      const double samples = std::round(item.pause.milliseconds * config_.sampleRate / 1000.0);
      if (!(samples >= 1)) continue;
      SentencePlan pause;
      pause.pauseSamples = static_cast<int64_t>(samples);
      pause.textStart = item.pause.sourceStart;
      pause.textEnd = item.pause.sourceEnd;
      plans.push_back(std::move(pause));
      continue;
    }
    const ScriptRun& run = item.run;
    for (const ScriptMark& m : run.marks) marks.push_back(PendingMark{m.name, m.sourceOffset});
    for (SentencePlan& sentence : plan(phonemizer, run.text, maxChars)) {
      sentence.rate = run.rate;
      const SourceSpan span = run.toSource(static_cast<size_t>(sentence.textStart),
                                           static_cast<size_t>(sentence.textEnd));
      sentence.textStart = span.start;
      sentence.textEnd = span.end;
      for (Phoneme& p : sentence.phonemes) {
        if (p.textStart < 0) continue;
        const SourceSpan own =
            run.toSource(static_cast<size_t>(p.textStart), static_cast<size_t>(p.textEnd));
        p.textStart = own.start;
        p.textEnd = own.end;
      }
      // The ids keep copies of the phonemes' spans (their origins point into `phonemes`), so the
      // map is rebuilt from the mapped phonemes.
      sentence.ids = idMap_.toIds(sentence.phonemes);
      plans.push_back(std::move(sentence));
    }
  }
  attachMarks(std::move(marks), plans);
  if (!plans.empty() && !script.warnings.empty()) {
    std::vector<std::string>& w = plans.front().ids.warnings;
    w.insert(w.begin(), script.warnings.begin(), script.warnings.end());
  }
  return plans;
}

std::vector<ChunkMark> PiperVoice::placeMarks(const SentencePlan& plan,
                                              const PhonemeAlignment& alignment, int64_t samples) {
  std::vector<ChunkMark> out;
  for (const PlannedMark& mark : plan.marks) {
    int64_t at = samples;
    if (!mark.atEnd && plan.pauseSamples == 0) {
      for (const AlignedPhoneme& a : alignment.phonemes)
        if (a.textStart >= 0 && a.textStart >= mark.sourceOffset) {
          at = a.startSample;
          break;
        }
    } else if (!mark.atEnd) {
      at = 0;
    }
    out.push_back(ChunkMark{mark.name, at, mark.sourceOffset});
  }
  return out;
}

}  // namespace avatar_voice
