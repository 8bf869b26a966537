#include "synth/speech_stream.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "core/error.h"
#include "text/ssml_parser.h"

namespace avatar_voice {

SpeechStream::SpeechStream(const PiperVoice& voice, Phonemizer& phonemizer, const std::string& text,
                           const SpeechOptions& options)
    : voice_(voice),
      finish_(options.finish),
      noiseScale_(options.noiseScale.value_or(voice.config().noiseScale)),
      lengthScale_(options.lengthScale.value_or(voice.config().lengthScale)),
      noiseW_(options.noiseW.value_or(voice.config().noiseW)) {
  // Both before any planning work (the speaker first: which error a caller sees is part of the
  // API).
  speakerId_ = voice.config().speakerIdFor(options.speaker);
  PiperVoice::checkScales(noiseScale_, lengthScale_, noiseW_);
  if (options.ssml) {
    // The markup's length is checked by the parser; runs may be longer than their markup (say-as
    // spells out), so they are not held to maxChars again.
    const SpeechScript script =
        parseSsml(text, SsmlOptions{voice.config().espeakVoice, options.maxChars});
    plans_ = voice.plan(phonemizer, script, std::numeric_limits<size_t>::max());
  } else {
    plans_ = voice.plan(phonemizer, text, options.maxChars);
  }
}

std::optional<ModelRequest> SpeechStream::next() {
  if (done()) return std::nullopt;
  const size_t index = nextSentence_++;
  ModelRequest request;
  request.sentence = static_cast<int32_t>(index);
  const SentencePlan& plan = plans_[index];
  request.pauseSamples = plan.pauseSamples;
  if (plan.pauseSamples == 0) request.ids = plan.ids.ids;
  request.noiseScale = noiseScale_;
  request.lengthScale = lengthScale_ / plan.rate;
  request.noiseW = noiseW_;
  request.speakerId = speakerId_;
  return request;
}

void SpeechStream::checkHandedOut(int32_t sentence) const {
  if (sentence < 0 || static_cast<size_t>(sentence) >= nextSentence_) {
    throw Error(ErrorCode::kInvalidArgument, "no model input was handed out for sentence " +
                                                 std::to_string(sentence) + " (" +
                                                 std::to_string(nextSentence_) + " of " +
                                                 std::to_string(plans_.size()) + " so far)");
  }
}

SpeechChunk SpeechStream::finish(int32_t sentence, std::vector<float> audio, const float* frames,
                                 size_t frameCount) const {
  checkHandedOut(sentence);
  SpeechChunk chunk = voice_.finish(plans_[static_cast<size_t>(sentence)], std::move(audio), frames,
                                    frameCount, finish_);
  chunk.sentence = sentence;
  return chunk;
}

std::vector<FrameWindow> SpeechStream::beginWindows(int32_t sentence, const float* frames,
                                                    size_t frameCount, int64_t totalFrames,
                                                    const WindowPlanOptions& plan) {
  checkHandedOut(sentence);
  if (frames == nullptr)
    throw Error(ErrorCode::kInvalidArgument, "windowed decoding needs the model's durations");
  const int hop = voice_.config().hopLength;
  if (totalFrames < 0 ||
      static_cast<uint64_t>(totalFrames) > limits::kMaxSentenceSamples / static_cast<uint64_t>(hop))
    throw Error(ErrorCode::kInvalidArgument,
                "a sentence of " + std::to_string(totalFrames) + " frames is out of range");
  WindowedSentence next;
  next.sentence = sentence;
  next.timeline = voice_.timeline(plans_[static_cast<size_t>(sentence)], frames, frameCount,
                                  static_cast<size_t>(totalFrames * hop), finish_.visemes);
  // Cuts need the durations to be the audio's: otherwise one window, the timeline as finish()
  // would make it.
  const std::vector<int64_t> cuts = next.timeline.alignment.exact
                                        ? wordBoundaryFrames(next.timeline.alignment, hop)
                                        : std::vector<int64_t>{};
  next.windows =
      planWindows(cuts, totalFrames, framesBefore_ == 0 ? plan : plan.continuing(framesBefore_));
  next.marks = PiperVoice::placeMarks(plans_[static_cast<size_t>(sentence)],
                                      next.timeline.alignment, totalFrames * hop);
  framesBefore_ += totalFrames;
  windowed_ = std::move(next);
  return windowed_.windows;
}

SpeechChunk SpeechStream::finishWindow(int32_t sentence, size_t window,
                                       std::vector<float> audio) const {
  if (sentence != windowed_.sentence || window >= windowed_.windows.size())
    throw Error(ErrorCode::kInvalidArgument, "window " + std::to_string(window) + " of sentence " +
                                                 std::to_string(sentence) +
                                                 " was not planned (beginWindows)");
  const int hop = voice_.config().hopLength;
  const FrameWindow& w = windowed_.windows[window];
  const int64_t start = w.startFrame * hop;
  const int64_t end = w.endFrame * hop;
  if (static_cast<int64_t>(audio.size()) != end - start)
    throw Error(ErrorCode::kInvalidModel, "window audio has " + std::to_string(audio.size()) +
                                              " samples, expected " + std::to_string(end - start));
  const SentencePlan& plan = plans_[static_cast<size_t>(sentence)];
  const bool last = window + 1 == windowed_.windows.size();
  SpeechChunk chunk;
  chunk.sentence = sentence;
  chunk.sampleOffset = start;
  chunk.endsSentence = last;
  chunk.sentenceSamples = windowed_.windows.back().endFrame * hop;
  chunk.textStart = plan.textStart;
  chunk.textEnd = plan.textEnd;
  chunk.warnings = plan.ids.warnings;
  chunk.sampleRate = voice_.config().sampleRate;
  // No peak normalisation: the sentence's peak is not known yet (see the header).
  PiperVoice::applyGain(audio, finish_.volume);
  chunk.samples = std::move(audio);
  const SentenceTimeline& t = windowed_.timeline;
  WindowTimeline slice =
      windowTimeline(t.alignment, t.visemes.events(), chunk.sampleRate, start, end, last);
  chunk.alignment.phonemes = std::move(slice.phonemes);
  chunk.alignment.exact = t.alignment.exact;
  chunk.visemes = std::move(slice.visemes);
  chunk.visemeSet = t.visemes.visemeSet();
  chunk.estimatedTiming = t.estimatedTiming;
  // A mark at the sentence's very end goes with its last window.
  for (const ChunkMark& m : windowed_.marks)
    if (m.sample >= start && (m.sample < end || (last && m.sample == end)))
      chunk.marks.push_back(ChunkMark{m.name, m.sample - start, m.textOffset});
  return chunk;
}

}  // namespace avatar_voice
