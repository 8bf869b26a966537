// A loaded Piper voice as the core sees it: text → id sentences before inference, model output →
// a speech chunk (samples, per-phoneme spans, visemes) after it. Inference itself runs outside
// the core (onnxruntime-web, driven by the worker), between plan() and finish(). One utterance
// normally goes through a SpeechStream (speech_stream.h), which holds its plans and options.
//
//   PiperVoice voice = PiperVoice::fromConfigJson(jsonText);
//   std::vector<SentencePlan> plans = voice.plan(phonemizer, "Hello there. How are you?");
//   for (const SentencePlan& s : plans) {
//     // run the model on s.ids.ids (+ scales, sid) → audio, frames (the Ceil output)
//     SpeechChunk chunk = voice.finish(s, std::move(audio), frames.data(), frames.size(), {});
//   }
//
// Ownership: plans and chunks are values owned by the caller. PiperVoice is immutable after
// construction; plan() uses the (process-wide) espeak engine behind the Phonemizer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audio/phoneme_alignment.h"
#include "core/limits.h"
#include "phonemize/phonemizer.h"
#include "text/speech_script.h"
#include "timeline/viseme_timeline.h"
#include "voice/phoneme_id_map.h"
#include "voice/voice_config.h"

namespace avatar_voice {

// A <mark> in a sentence's plan: it fires at the first phoneme whose text starts at or after
// `sourceOffset` (the next word), or at the sentence's end when `atEnd` or no such phoneme.
struct PlannedMark {
  std::string name;
  int32_t sourceOffset = 0;  // the <mark> element in the source text
  bool atEnd = false;
};

// One sentence to synthesize, or a pause (pauseSamples > 0: silence, no ids, no model run).
struct SentencePlan {
  std::vector<Phoneme> phonemes;  // Piper phonemes of the sentence (text offsets: UTF-8 bytes)
  PhonemeIds ids;                 // model input and the origin of every id
  int32_t textStart = 0;          // sentence span in the source text
  int32_t textEnd = 0;
  double rate = 1.0;         // speaking rate of its run: length scale ÷ rate
  int64_t pauseSamples = 0;  // a <break>: this many samples of silence
  std::vector<PlannedMark> marks;
};

// A mark placed in a chunk: `sample` relative to the chunk's first sample.
struct ChunkMark {
  std::string name;
  int64_t sample = 0;
  int32_t textOffset = 0;  // the <mark> element in the source text (UTF-8 bytes)
};

struct FinishOptions {
  bool normalize = true;  // Piper's peak normalisation per sentence (piper1-gpl normalize_audio)
  float volume = 1.0f;
  VisemeTimelineOptions visemes;
};

// The audio and timeline of one model output: a whole sentence (sampleOffset 0, endsSentence
// true), or with windowed decoding (SpeechStream::finishWindow) a window of one. Phoneme and
// viseme positions are relative to the chunk's first sample; a window's chunk carries those that
// start in it (their end may lie past the chunk's end).
struct SpeechChunk {
  int32_t sentence = 0;         // index of the sentence in its utterance (set by SpeechStream)
  int64_t sampleOffset = 0;     // where `samples` start in the sentence
  bool endsSentence = true;     // `samples` reach the end of the sentence
  int64_t sentenceSamples = 0;  // length of the whole sentence's audio
  int32_t textStart = 0;        // the sentence's span in the source text (UTF-8 bytes)
  int32_t textEnd = 0;
  std::vector<std::string> warnings;  // the sentence's id warnings (phonemes the voice lacks)
  std::vector<float> samples;
  int sampleRate = 0;
  PhonemeAlignment alignment;
  std::vector<VisemeEvent> visemes;
  VisemeSet visemeSet = VisemeSet::kOculus15;
  bool estimatedTiming = false;
  std::vector<ChunkMark> marks;  // the sentence's marks whose sample lies in this chunk
  bool pause = false;            // a <break>: silence, no phonemes
};

// A sentence's timeline before its audio exists: what part A's durations say about `samples`
// samples of audio (windowed decoding knows it before the first window is decoded).
struct SentenceTimeline {
  PhonemeAlignment alignment;
  VisemeTimeline visemes;
  bool estimatedTiming = false;
};

class PiperVoice {
 public:
  explicit PiperVoice(VoiceConfig config);
  // Parses a Piper .onnx.json; throws Error(kInvalidVoiceConfig) naming the bad field.
  static PiperVoice fromConfigJson(const std::string& json);

  const VoiceConfig& config() const { return config_; }

  // Text → sentences of ids (empty sentences dropped), each checked by checkIds. Throws the
  // phonemizer's typed errors.
  std::vector<SentencePlan> plan(Phonemizer& phonemizer, const std::string& text,
                                 size_t maxChars = limits::kMaxTextChars) const;
  // A script (plain text or parsed SSML) → its sentences and pauses in order: each run is
  // phonemized on its own (maxChars applies per run), offsets mapped back to the caller's string,
  // pauses become silence plans, marks are attached to the plan where they fire and the script's
  // warnings to the first plan.
  std::vector<SentencePlan> plan(Phonemizer& phonemizer, const SpeechScript& script,
                                 size_t maxChars) const;

  // Where each of `plan`'s marks fires in its audio of `samples` samples aligned as `alignment`.
  static std::vector<ChunkMark> placeMarks(const SentencePlan& plan,
                                           const PhonemeAlignment& alignment, int64_t samples);

  // Model output → chunk. `frames` may be null when the model has no timing output: spans are
  // then estimated. A pause plan needs no model run: its chunk is its silence whatever `audio`
  // holds. Throws Error(kInvalidModel) when the durations do not fit the ids.
  SpeechChunk finish(const SentencePlan& plan, std::vector<float> audio, const float* frames,
                     size_t frameCount, const FinishOptions& options) const;

  // The alignment and visemes of `audioSamples` samples of the sentence (finish() without the
  // audio). Same errors as finish().
  SentenceTimeline timeline(const SentencePlan& plan, const float* frames, size_t frameCount,
                            size_t audioSamples, const VisemeTimelineOptions& visemes) const;

  // The gain finish() applies: Piper's 1 / peak when `normalize` (0 for silence), times volume.
  // Non-finite samples become 0 first (they would poison the peak).
  static float sentenceGain(std::vector<float>& audio, const FinishOptions& options);
  // audio × gain, clipped to [-1, 1]; non-finite samples become 0.
  static void applyGain(std::vector<float>& audio, float gain);

  // Checks the inference scales of one synthesis (a caller's options or the voice's defaults)
  // before a plan is made (SpeechStream does): all finite, lengthScale > 0, noiseScale and noiseW
  // >= 0. An infinite length scale would ask the model for unbounded frames; NaN fails every
  // comparison. Throws Error(kInvalidArgument) naming the scale.
  static void checkScales(double noiseScale, double lengthScale, double noiseW);

  // Checks the ids fit the model's embedding table (num_symbols) before running it.
  void checkIds(const PhonemeIds& ids) const;

 private:
  VoiceConfig config_;
  PhonemeIdMap idMap_;

  // finish() of a pause plan: pauseSamples of silence (the model's audio, if any, is ignored).
  SpeechChunk finishPause(const SentencePlan& plan, SpeechChunk chunk,
                          const FinishOptions& options) const;
};

}  // namespace avatar_voice
