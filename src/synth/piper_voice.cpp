#include "synth/piper_voice.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace avatar_voice {

PiperVoice::PiperVoice(VoiceConfig config) : config_(std::move(config)), idMap_(config_) {}

PiperVoice PiperVoice::fromConfigJson(const std::string& json) {
  return PiperVoice(VoiceConfig::parse(json));
}

void PiperVoice::checkScales(double noiseScale, double lengthScale, double noiseW) {
  auto check = [](const char* name, double v, bool allowZero) {
    if (!std::isfinite(v) || v < 0 || (!allowZero && v == 0)) {
      throw Error(ErrorCode::kInvalidArgument, std::string(name) + " must be a finite number " +
                                                   (allowZero ? ">= 0" : "> 0") + ", got " +
                                                   std::to_string(v));
    }
  };
  check("noiseScale", noiseScale, true);
  check("lengthScale", lengthScale, false);
  check("noiseW", noiseW, true);
}

std::vector<SentencePlan> PiperVoice::plan(Phonemizer& phonemizer, const std::string& text,
                                           size_t maxChars) const {
  if (config_.phonemeType != "espeak")
    throw Error(ErrorCode::kInvalidVoiceConfig,
                "phoneme_type \"" + config_.phonemeType + "\" is not supported (only \"espeak\")");
  PhonemizeOptions options;
  options.voice = config_.espeakVoice;
  options.maxChars = maxChars;
  const PhonemizedText phonemized = phonemizer.phonemize(text, options);
  std::vector<SentencePlan> plans;
  plans.reserve(phonemized.sentences.size());
  for (const PhonemizedSentence& sentence : phonemized.sentences) {
    SentencePlan plan;
    plan.textStart = sentence.textStart;
    plan.textEnd = sentence.textEnd;
    plan.phonemes.reserve(sentence.phonemes.size());
    for (const PhonemeToken& t : sentence.phonemes)
      plan.phonemes.push_back(Phoneme{t.symbol, t.textStart, t.textEnd});
    plan.ids = idMap_.toIds(plan.phonemes);
    // A sentence whose every phoneme is unknown to the voice would be BOS PAD EOS: nothing to say.
    const bool anyPhoneme =
        std::any_of(plan.ids.origins.begin(), plan.ids.origins.end(),
                    [](const IdOrigin& o) { return o.role == IdRole::kPhoneme; });
    if (!anyPhoneme) continue;
    checkIds(plan.ids);
    plans.push_back(std::move(plan));
  }
  return plans;
}

void PiperVoice::checkIds(const PhonemeIds& ids) const {
  if (config_.numSymbols <= 0) return;
  for (int64_t id : ids.ids)
    if (id < 0 || id >= config_.numSymbols)
      throw Error(ErrorCode::kInvalidVoiceConfig,
                  "phoneme id " + std::to_string(id) + " is outside the voice's " +
                      std::to_string(config_.numSymbols) + " symbols");
}

float PiperVoice::sentenceGain(std::vector<float>& audio, const FinishOptions& options) {
  float peak = 0.0f;
  for (float& s : audio) {
    if (!std::isfinite(s)) s = 0.0f;
    peak = std::max(peak, std::fabs(s));
  }
  // Piper: audio / max|audio| (silence stays silence), then volume, then clip.
  return (options.normalize ? (peak < 1e-8f ? 0.0f : 1.0f / peak) : 1.0f) * options.volume;
}

void PiperVoice::applyGain(std::vector<float>& audio, float gain) {
  for (float& s : audio) s = std::isfinite(s) ? std::clamp(s * gain, -1.0f, 1.0f) : 0.0f;
}

SentenceTimeline PiperVoice::timeline(const SentencePlan& plan, const float* frames,
                                      size_t frameCount, size_t audioSamples,
                                      const VisemeTimelineOptions& visemes) const {
  SentenceTimeline out;
  std::vector<float> estimated;
  if (frames == nullptr) {
    estimated = estimateFrames(plan.ids, plan.phonemes, config_.hopLength, audioSamples);
    frames = estimated.data();
    frameCount = estimated.size();
    out.estimatedTiming = true;
  }
  out.alignment =
      alignPhonemes(plan.ids, plan.phonemes, frames, frameCount, config_.hopLength, audioSamples);
  std::vector<TimedPhoneme> timed;
  timed.reserve(out.alignment.phonemes.size());
  for (const AlignedPhoneme& a : out.alignment.phonemes)
    timed.push_back(TimedPhoneme{a.phoneme, a.startSample, a.endSample});
  out.visemes = VisemeTimeline::build(timed, config_.sampleRate, visemes);
  return out;
}

SpeechChunk PiperVoice::finish(const SentencePlan& plan, std::vector<float> audio,
                               const float* frames, size_t frameCount,
                               const FinishOptions& options) const {
  SpeechChunk chunk;
  chunk.sampleRate = config_.sampleRate;
  chunk.textStart = plan.textStart;
  chunk.textEnd = plan.textEnd;
  chunk.warnings = plan.ids.warnings;
  if (plan.pauseSamples > 0) return finishPause(plan, std::move(chunk), options);
  applyGain(audio, sentenceGain(audio, options));
  SentenceTimeline t = timeline(plan, frames, frameCount, audio.size(), options.visemes);
  chunk.alignment = std::move(t.alignment);
  chunk.visemes = t.visemes.events();
  chunk.visemeSet = t.visemes.visemeSet();
  chunk.estimatedTiming = t.estimatedTiming;
  chunk.sentenceSamples = static_cast<int64_t>(audio.size());
  chunk.marks = placeMarks(plan, chunk.alignment, chunk.sentenceSamples);
  chunk.samples = std::move(audio);
  return chunk;
}

SpeechChunk PiperVoice::finishPause(const SentencePlan& plan, SpeechChunk chunk,
                                    const FinishOptions& options) const {
  // No model output: the silence is made here, to the sample, with one silent mouth shape.
  chunk.pause = true;
  chunk.samples.assign(static_cast<size_t>(plan.pauseSamples), 0.0f);
  chunk.sentenceSamples = plan.pauseSamples;
  const VisemeTimeline visemes = VisemeTimeline::build({TimedPhoneme{"_", 0, plan.pauseSamples}},
                                                       config_.sampleRate, options.visemes);
  chunk.visemes = visemes.events();
  chunk.visemeSet = visemes.visemeSet();
  chunk.marks = placeMarks(plan, chunk.alignment, chunk.sentenceSamples);
  return chunk;
}

}  // namespace avatar_voice
