// One utterance on its way through a Piper model: the stream plans the text once, then hands out
// model inputs one at a time and turns each model output into a chunk. Inference itself runs
// outside the core (onnxruntime-web, driven by the web layer), between next() and finish().
//
//   SpeechOptions options;
//   options.speaker = "p239";                 // a name, a decimal id, or "" for the default
//   SpeechStream stream(voice, phonemizer, "Hello there. How are you?", options);
//   while (std::optional<ModelRequest> request = stream.next()) {
//     // run the model on request->ids with its scales and speakerId → audio, frames (Ceil output)
//     SpeechChunk chunk = stream.finish(request->sentence, std::move(audio), frames.data(),
//     frames.size());
//   }
//
// Everything that can refuse the utterance (scales, speaker, text or markup, ids) does so in the
// constructor, before any model input exists. One request covers one whole sentence, or one
// <break> pause of SSML (pauseSamples > 0: no model run, finish() makes the silence). A sentence's
// request carries the length scale of its run (÷ the <prosody> rate).
//
// Windowed decoding (a voice split into part A → z_p and part B → audio, issue #23): instead of
// finish(), hand part A's durations and frame count to beginWindows(), which fixes the sentence's
// whole timeline and cuts its frames into windows at word boundaries (sentence_windows.h); then
// decode each window with part B and hand its audio to finishWindow(), which returns that
// window's chunk. Windowed chunks get no peak normalisation (the peak of the sentence is not
// known before its last window): gain = volume, then clip to [-1, 1].
//
//   std::vector<FrameWindow> windows = stream.beginWindows(request->sentence, frames.data(),
//                                                          frames.size(), totalFrames);
//   for (size_t w = 0; w < windows.size(); ++w)
//     play(stream.finishWindow(request->sentence, w, decode(windows[w])));
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
#include "synth/sentence_windows.h"

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
  // The text is SSML (text/ssml_parser.h): parsed into runs, pauses and marks; offsets still
  // point into the SSML source.
  bool ssml = false;
  FinishOptions finish;
};

// One model input: run the voice's graph on `ids` with these scales (and speakerId when the model
// has a "sid" input; a single-speaker model has none).
struct ModelRequest {
  int32_t sentence = 0;      // index of the sentence in the utterance
  int64_t sampleOffset = 0;  // where this request's audio starts in its sentence
  bool endsSentence = true;  // this request's audio reaches the end of its sentence
  // A pause (<break>): no model run; finish() with empty audio makes its silence. ids is empty.
  int64_t pauseSamples = 0;
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

  // Part A's output for the request of `sentence` → its windows (the sentence is `totalFrames`
  // decoder frames, totalFrames × hop samples). Keeps the sentence's timeline for finishWindow()
  // until the next beginWindows(). `plan` is for the utterance's first sentence; later ones use
  // plan.continuing(frames before them) (longer windows: that audio is playing by then). An inexact
  // alignment (durations that do not add up to totalFrames) gives one window. Throws
  // Error(kInvalidArgument) for a sentence not handed out, missing durations or a negative frame
  // count, and alignPhonemes' errors.
  std::vector<FrameWindow> beginWindows(int32_t sentence, const float* frames, size_t frameCount,
                                        int64_t totalFrames, const WindowPlanOptions& plan = {});

  // Part B's audio of window `window` (exactly its frames × hop samples, margins already cropped)
  // → its chunk: samples × volume, clipped; the phonemes and visemes that start in it. Throws
  // Error(kInvalidArgument) when `sentence` is not the one of the last beginWindows() or `window`
  // is not one of its windows, Error(kInvalidModel) when the audio has the wrong length.
  SpeechChunk finishWindow(int32_t sentence, size_t window, std::vector<float> audio) const;

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

  // The sentence being decoded in windows (beginWindows → finishWindow).
  struct WindowedSentence {
    int32_t sentence = -1;
    SentenceTimeline timeline;
    std::vector<FrameWindow> windows;
    std::vector<ChunkMark> marks;  // sample: in the sentence
  };
  WindowedSentence windowed_;
  int64_t framesBefore_ = 0;  // decoder frames of the sentences windowed so far

  void checkHandedOut(int32_t sentence) const;
};

}  // namespace avatar_voice
