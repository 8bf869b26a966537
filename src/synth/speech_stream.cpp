#include "synth/speech_stream.h"

#include <utility>

#include "core/error.h"

namespace avatar_voice {

SpeechStream::SpeechStream(const PiperVoice& voice, Phonemizer& phonemizer,
                           const std::string& text, const SpeechOptions& options)
    : voice_(voice),
      finish_(options.finish),
      noiseScale_(options.noiseScale.value_or(voice.config().noiseScale)),
      lengthScale_(options.lengthScale.value_or(voice.config().lengthScale)),
      noiseW_(options.noiseW.value_or(voice.config().noiseW)) {
  // Both before any planning work (the speaker first: which error a caller sees is part of the API).
  speakerId_ = voice.config().speakerIdFor(options.speaker);
  PiperVoice::checkScales(noiseScale_, lengthScale_, noiseW_);
  plans_ = voice.plan(phonemizer, text, options.maxChars);
}

std::optional<ModelRequest> SpeechStream::next() {
  if (done()) return std::nullopt;
  const size_t index = nextSentence_++;
  ModelRequest request;
  request.sentence = static_cast<int32_t>(index);
  request.ids = plans_[index].ids.ids;
  request.noiseScale = noiseScale_;
  request.lengthScale = lengthScale_;
  request.noiseW = noiseW_;
  request.speakerId = speakerId_;
  return request;
}

SpeechChunk SpeechStream::finish(int32_t sentence, std::vector<float> audio, const float* frames,
                                 size_t frameCount) const {
  if (sentence < 0 || static_cast<size_t>(sentence) >= nextSentence_) {
    throw Error(ErrorCode::kInvalidArgument,
                "no model input was handed out for sentence " + std::to_string(sentence) +
                    " (" + std::to_string(nextSentence_) + " of " +
                    std::to_string(plans_.size()) + " so far)");
  }
  SpeechChunk chunk =
      voice_.finish(plans_[static_cast<size_t>(sentence)], std::move(audio), frames, frameCount, finish_);
  chunk.sentence = sentence;
  return chunk;
}

}  // namespace avatar_voice
