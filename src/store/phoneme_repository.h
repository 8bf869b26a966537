// The phoneme timeline of an audio: one row per phoneme with its start/end and viseme, keyed by
// (audioId, idx). Written in batches right after synthesis, read whole for lip-sync playback.
//
//   PhonemeRepository phonemes(db);
//   phonemes.insertBatch(audio.id, {{0, "h", 0.0, 41.2, "sil"}, {1, "ə", 41.2, 90.0, "aa"}});
//   std::vector<Phoneme> timeline = phonemes.list(audio.id);
//
// Borrows the Database, which must outlive it. insertBatch is all-or-nothing (one transaction, one
// prepared statement reused for every row); a duplicate idx is kConstraint, a bad row is
// kInvalidArgument naming its position. An unknown audio id is kNotFound.
#pragma once

#include <vector>

#include "store/database.h"
#include "store/entities.h"

namespace avatar_voice::store {

class PhonemeRepository {
 public:
  explicit PhonemeRepository(Database& db) : db_(db) {}

  // Returns the number of rows inserted.
  int64_t insertBatch(int64_t audioId, const std::vector<NewPhoneme>& rows);
  Phoneme get(int64_t audioId, int64_t idx);
  // Every phoneme of the audio in idx order (no paging: playback needs the whole timeline).
  std::vector<Phoneme> list(int64_t audioId);
  Phoneme update(int64_t audioId, int64_t idx, const PhonemeUpdate& update);
  void remove(int64_t audioId, int64_t idx);
  // Returns the number of rows removed (0 if the audio has none).
  int64_t removeAll(int64_t audioId);
  int64_t count(int64_t audioId);
  int64_t countAll();

 private:
  void requireAudio(int64_t audioId);

  Database& db_;
};

}  // namespace avatar_voice::store
