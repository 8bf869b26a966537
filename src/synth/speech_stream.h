// One utterance on its way through a Piper model: the stream plans the text once, then hands out
// model inputs one at a time and turns each model output into a chunk. Inference itself runs
// outside the core (onnxruntime-web, driven by the web layer), between next() and finish().
//
//   SpeechOptions options;
//   options.speaker = "p239";                 // a name, a decimal id, or "" for the default
//   SpeechStream stream(voice, phonemizer, "Hello there. How are you?", options);
//   while (std::optional<ModelRequest> request = stream.next()) {
//     // run the model on request->ids with its scales and speakerId → audio, frames (Ceil output)
//     SpeechChunk chunk = stream.finish(request->sentence, std::move(audio), frames.data(), frames.size());
//   }
//
// Everything that can refuse the utterance (scales, speaker, text, ids) does so in the
// constructor, before any model input exists. Today one request covers one whole sentence
// (sampleOffset 0, endsSentence true); the fields are there for windowed decoding (issue #23),
// where a request becomes a window of a sentence.
//
// Ownership: the stream owns its sentence plans and options; it keeps a reference to `voice`,
// which must outlive it. Requests and chunks are values owned by the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/limits.h"
#include "phonemize/phonemizer.h"
#include "synth/piper_voice.h"

namespace avatar_voice {

// The options of one synthesis. Absent scales are the voice's defaults.
struct SpeechOptions {
  std::optional<double> noiseScale;
  std::optional<double> lengthScale;
  std::optional<double> noiseW;
  // Resolved by VoiceConfig::speakerIdFor: a speaker_id_map name, a decimal id, or "" for the
  // voice's default speaker. A single-speaker voice accepts only "" and "0".
  std::string speaker;
  size_t maxChars = limits::kMaxTextChars;
  FinishOptions finish;
};

// One model input: run the voice's graph on `ids` with these scales (and speakerId when the model
// has a "sid" input; a single-speaker model has none).
struct ModelRequest {
  int32_t sentence = 0;      // index of the sentence in the utterance
  int64_t sampleOffset = 0;  // where this request's audio starts in its sentence
  bool endsSentence = true;  // this request's audio reaches the end of its sentence
  std::vector<int64_t> ids;
  double noiseScale = 0;
  double lengthScale = 0;
  double noiseW = 0;
  int64_t speakerId = 0;
};

class SpeechStream {
 public:
  // Checks the scales, resolves the speaker and plans the text. Throws Error(kInvalidArgument)
  // for a bad scale or an unknown speaker, and the phonemizer's and PiperVoice::plan's errors.
  SpeechStream(const PiperVoice& voice, Phonemizer& phonemizer, const std::string& text,
               const SpeechOptions& options);

  // The next model input, or nothing once every sentence has been handed out.
  std::optional<ModelRequest> next();

  // Every model input has been handed out (next() would return nothing).
  bool done() const { return nextSentence_ >= plans_.size(); }

  // Model output of the request for `sentence` → its chunk (PiperVoice::finish with the stream's
  // options). `frames` may be null when the model has no timing output. Throws
  // Error(kInvalidArgument) for a sentence that was not handed out by next().
  SpeechChunk finish(int32_t sentence, std::vector<float> audio, const float* frames,
                     size_t frameCount) const;

  size_t sentenceCount() const { return plans_.size(); }
  const SentencePlan& sentence(size_t index) const { return plans_.at(index); }
  int64_t speakerId() const { return speakerId_; }

 private:
  const PiperVoice& voice_;
  FinishOptions finish_;
  double noiseScale_;
  double lengthScale_;
  double noiseW_;
  int64_t speakerId_;
  std::vector<SentencePlan> plans_;
  size_t nextSentence_ = 0;
};

}  // namespace avatar_voice
