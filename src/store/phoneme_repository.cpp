#include "store/phoneme_repository.h"

#include <cmath>

#include "store/column_values.h"

namespace avatar_voice::store {
namespace {

constexpr const char* kColumns = "audio_id, idx, phoneme, start_ms, end_ms, viseme";

Phoneme readPhoneme(const Statement& row) {
  Phoneme phoneme;
  phoneme.audioId = row.columnInt64(0);
  phoneme.idx = row.columnInt64(1);
  phoneme.phoneme = row.columnText(2);
  phoneme.startMs = row.columnDouble(3);
  phoneme.endMs = row.columnDouble(4);
  phoneme.viseme = row.columnText(5);
  return phoneme;
}

std::string notFound(int64_t audioId, int64_t idx) {
  return "phoneme " + std::to_string(idx) + " of audio " + std::to_string(audioId) + " not found";
}

void checkTiming(double startMs, double endMs, const std::string& where) {
  if (!std::isfinite(startMs) || !std::isfinite(endMs) || startMs < 0 || endMs < startMs) {
    throw Error(ErrorCode::kInvalidArgument, where + ": need 0 <= startMs <= endMs, got " +
                                                 std::to_string(startMs) + ".." +
                                                 std::to_string(endMs));
  }
}

void checkRow(const NewPhoneme& row, size_t position) {
  const std::string where = "rows[" + std::to_string(position) + "]";
  if (row.idx < 0) throw Error(ErrorCode::kInvalidArgument, where + ".idx must not be negative");
  if (row.phoneme.empty()) {
    throw Error(ErrorCode::kInvalidArgument, where + ".phoneme must not be empty");
  }
  // A word gap " " is one of Piper's phonemes: only emptiness is refused.
  requireText(row.phoneme, where + ".phoneme", /*allowEmpty=*/true);
  requireText(row.viseme, where + ".viseme", /*allowEmpty=*/true);
  checkTiming(row.startMs, row.endMs, where);
}

}  // namespace

void PhonemeRepository::requireAudio(int64_t audioId) {
  Statement exists = db_.prepare("SELECT 1 FROM audios WHERE id = ?");
  exists.bindInt64(1, audioId);
  if (!exists.step()) {
    throw Error(ErrorCode::kNotFound, "audio " + std::to_string(audioId) + " not found");
  }
}

int64_t PhonemeRepository::insertBatch(int64_t audioId, const std::vector<NewPhoneme>& rows) {
  // Validate everything before writing anything: a bad row 9999 should not cost 9998 inserts
  // and a rollback.
  for (size_t i = 0; i < rows.size(); ++i) checkRow(rows[i], i);
  return db_.transaction([&] {
    requireAudio(audioId);
    // One statement for the whole batch: SQLite compiles the INSERT once, each row only rebinds.
    Statement insert = db_.prepare(
        "INSERT INTO phonemes(audio_id, idx, phoneme, start_ms, end_ms, viseme)"
        " VALUES (?, ?, ?, ?, ?, ?)");
    insert.bindInt64(1, audioId);
    // On failure, name the row: SQLite only says which constraint failed.
    size_t i = 0;
    try {
      for (; i < rows.size(); ++i) {
        const NewPhoneme& row = rows[i];
        insert.bindInt64(2, row.idx).bindText(3, row.phoneme);
        insert.bindDouble(4, row.startMs).bindDouble(5, row.endMs).bindText(6, row.viseme);
        insert.run();
      }
    } catch (const Error& e) {
      throw Error(e.code(), "rows[" + std::to_string(i) + "] (idx " + std::to_string(rows[i].idx) +
                                "): " + e.what());
    }
    return static_cast<int64_t>(rows.size());
  });
}

Phoneme PhonemeRepository::get(int64_t audioId, int64_t idx) {
  Statement select = db_.prepare(std::string("SELECT ") + kColumns +
                                 " FROM phonemes WHERE audio_id = ? AND idx = ?");
  select.bindInt64(1, audioId).bindInt64(2, idx);
  if (!select.step()) throw Error(ErrorCode::kNotFound, notFound(audioId, idx));
  return readPhoneme(select);
}

std::vector<Phoneme> PhonemeRepository::list(int64_t audioId) {
  requireAudio(audioId);
  Statement select = db_.prepare(std::string("SELECT ") + kColumns +
                                 " FROM phonemes WHERE audio_id = ? ORDER BY idx");
  select.bindInt64(1, audioId);
  std::vector<Phoneme> phonemes;
  while (select.step()) phonemes.push_back(readPhoneme(select));
  return phonemes;
}

Phoneme PhonemeRepository::update(int64_t audioId, int64_t idx, const PhonemeUpdate& update) {
  return db_.transaction([&] {
    Phoneme phoneme = get(audioId, idx);
    if (update.phoneme) {
      if (update.phoneme->empty()) {
        throw Error(ErrorCode::kInvalidArgument, "phoneme must not be empty");
      }
      requireText(*update.phoneme, "phoneme", /*allowEmpty=*/true);
      phoneme.phoneme = *update.phoneme;
    }
    if (update.viseme) {
      requireText(*update.viseme, "viseme", /*allowEmpty=*/true);
      phoneme.viseme = *update.viseme;
    }
    if (update.startMs) phoneme.startMs = *update.startMs;
    if (update.endMs) phoneme.endMs = *update.endMs;
    checkTiming(phoneme.startMs, phoneme.endMs, "phoneme " + std::to_string(idx));
    Statement write = db_.prepare(
        "UPDATE phonemes SET phoneme = ?, start_ms = ?, end_ms = ?, viseme = ?"
        " WHERE audio_id = ? AND idx = ?");
    write.bindText(1, phoneme.phoneme).bindDouble(2, phoneme.startMs);
    write.bindDouble(3, phoneme.endMs).bindText(4, phoneme.viseme);
    write.bindInt64(5, audioId).bindInt64(6, idx).run();
    return phoneme;
  });
}

void PhonemeRepository::remove(int64_t audioId, int64_t idx) {
  Statement remove = db_.prepare("DELETE FROM phonemes WHERE audio_id = ? AND idx = ?");
  remove.bindInt64(1, audioId).bindInt64(2, idx).run();
  if (db_.changes() == 0) throw Error(ErrorCode::kNotFound, notFound(audioId, idx));
}

int64_t PhonemeRepository::removeAll(int64_t audioId) {
  return db_.transaction([&] {
    requireAudio(audioId);
    Statement remove = db_.prepare("DELETE FROM phonemes WHERE audio_id = ?");
    remove.bindInt64(1, audioId).run();
    return static_cast<int64_t>(db_.changes());
  });
}

int64_t PhonemeRepository::count(int64_t audioId) {
  Statement select = db_.prepare("SELECT count(*) FROM phonemes WHERE audio_id = ?");
  select.bindInt64(1, audioId);
  select.step();
  return select.columnInt64(0);
}

int64_t PhonemeRepository::countAll() { return db_.queryInt64("SELECT count(*) FROM phonemes"); }

}  // namespace avatar_voice::store
