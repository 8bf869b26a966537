// Synthesized audio: the spoken text, the voice, and the samples as a WAV file or raw float32 PCM.
// Its timed phonemes live in PhonemeRepository and are deleted with it.
//
//   AudioRepository audios(db);
//   NewAudio fields;
//   fields.avatarId = ada.id;
//   fields.text = "Hello.";
//   fields.voiceId = "en_US-amy-medium";
//   fields.sampleRate = 22050;
//   fields.durationMs = 640;
//   fields.format = "pcm_f32";
//   Audio a = audios.create(fields, samplesAsBytes);
//
// Borrows the Database, which must outlive it. create() copies the bytes into the database; rows
// returned by get/list carry the size but not the bytes. Unknown ids throw kNotFound; a format
// other than "wav"/"pcm_f32", pcm_f32 bytes that are not whole floats or wav bytes without a
// RIFF/WAVE header throw kInvalidArgument.
#pragma once

#include <vector>

#include "store/database.h"
#include "store/entities.h"

namespace avatar_voice::store {

class AudioRepository {
 public:
  explicit AudioRepository(Database& db) : db_(db) {}

  Audio create(const NewAudio& fields, const std::vector<uint8_t>& bytes);
  Audio get(int64_t id);
  std::vector<uint8_t> getBytes(int64_t id);
  std::vector<Audio> list(const AudioFilter& filter = {});
  Audio update(int64_t id, const AudioUpdate& update);
  // Also deletes the audio's phonemes (ON DELETE CASCADE).
  void remove(int64_t id);
  int64_t count();

 private:
  Database& db_;
};

}  // namespace avatar_voice::store
