#include "store/audio_repository.h"

#include <cstring>

#include "store/column_values.h"
#include "store/queries.h"
#include "store/session_repository.h"

namespace avatar_voice::store {
namespace {

constexpr const char* kColumns =
    "id, avatar_id, session_id, text, voice_id, sample_rate, duration_ms, format, length(bytes),"
    " metadata, created_at";

Audio readAudio(const Statement& row) {
  Audio audio;
  audio.id = row.columnInt64(0);
  audio.avatarId = row.columnOptionalInt64(1);
  audio.sessionId = row.columnOptionalInt64(2);
  audio.text = row.columnText(3);
  audio.voiceId = row.columnText(4);
  audio.sampleRate = row.columnInt64(5);
  audio.durationMs = row.columnInt64(6);
  audio.format = row.columnText(7);
  audio.size = row.columnInt64(8);
  audio.metadata = jsonFromColumn(row.columnText(9));
  audio.createdAt = row.columnInt64(10);
  return audio;
}

std::string notFound(int64_t id) { return "audio " + std::to_string(id) + " not found"; }

// Same rules as the schema's CHECKs, checked first so the caller gets a sentence, not
// "CHECK constraint failed".
void checkAudioFields(const NewAudio& fields, const std::vector<uint8_t>& bytes) {
  requireText(fields.text, "text");
  requireText(fields.voiceId, "voiceId");
  requireJsonObject(fields.metadata, "metadata");
  if (fields.sampleRate <= 0) {
    throw Error(ErrorCode::kInvalidArgument, "sampleRate must be positive");
  }
  if (fields.durationMs < 0) {
    throw Error(ErrorCode::kInvalidArgument, "durationMs must not be negative");
  }
  if (fields.format == "pcm_f32") {
    if (bytes.size() % 4 != 0) {
      throw Error(ErrorCode::kInvalidArgument,
                  "pcm_f32 audio must be whole float32 samples (a multiple of 4 bytes), got " +
                      std::to_string(bytes.size()) + " bytes");
    }
  } else if (fields.format == "wav") {
    if (bytes.size() < 12 || std::memcmp(bytes.data(), "RIFF", 4) != 0 ||
        std::memcmp(bytes.data() + 8, "WAVE", 4) != 0) {
      throw Error(ErrorCode::kInvalidArgument, "wav audio must start with a RIFF/WAVE header");
    }
  } else if (fields.format == "opus") {
    if (bytes.size() < 16 || std::memcmp(bytes.data(), "AVOP", 4) != 0) {
      throw Error(ErrorCode::kInvalidArgument,
                  "opus audio must start with the package's \"AVOP\" header (web/opus_audio.ts)");
    }
  } else {
    throw Error(ErrorCode::kInvalidArgument,
                "format must be \"wav\", \"pcm_f32\" or \"opus\", got \"" + fields.format + "\"");
  }
}

}  // namespace

Audio AudioRepository::create(const NewAudio& fields, const std::vector<uint8_t>& bytes) {
  checkAudioFields(fields, bytes);
  return db_.transaction([&] {
    SessionRepository(db_).checkAttachable(fields.avatarId, fields.sessionId);
    Statement insert = db_.prepare(
        std::string("INSERT INTO audios(avatar_id, session_id, text, voice_id, sample_rate,"
                    " duration_ms, format, bytes, metadata, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ") +
        kColumns);
    insert.bindOptionalInt64(1, fields.avatarId).bindOptionalInt64(2, fields.sessionId);
    insert.bindText(3, fields.text).bindText(4, fields.voiceId);
    insert.bindInt64(5, fields.sampleRate).bindInt64(6, fields.durationMs);
    insert.bindText(7, fields.format).bindBlob(8, bytes);
    insert.bindText(9, jsonColumnText(fields.metadata, "metadata")).bindInt64(10, db_.nowMs());
    insert.step();
    Audio audio = readAudio(insert);
    insert.run();
    return audio;
  });
}

Audio AudioRepository::get(int64_t id) {
  Statement select = db_.prepare(std::string("SELECT ") + kColumns + " FROM audios WHERE id = ?");
  select.bindInt64(1, id);
  if (!select.step()) throw Error(ErrorCode::kNotFound, notFound(id));
  return readAudio(select);
}

std::vector<uint8_t> AudioRepository::getBytes(int64_t id) {
  Statement select = db_.prepare("SELECT bytes FROM audios WHERE id = ?");
  select.bindInt64(1, id);
  if (!select.step()) throw Error(ErrorCode::kNotFound, notFound(id));
  return select.columnBlob(0);
}

std::vector<Audio> AudioRepository::list(const AudioFilter& filter) {
  ListQuery query(std::string("SELECT ") + kColumns + " FROM audios");
  if (filter.avatarId) query.where("avatar_id = ?", *filter.avatarId);
  if (filter.sessionId) query.where("session_id = ?", *filter.sessionId);
  if (filter.voiceId) query.where("voice_id = ?", *filter.voiceId);
  Statement select = query.prepare(db_, filter.page);
  std::vector<Audio> audios;
  while (select.step()) audios.push_back(readAudio(select));
  return audios;
}

Audio AudioRepository::update(int64_t id, const AudioUpdate& update) {
  UpdateQuery query("audios");
  if (update.metadata) {
    requireJsonObject(*update.metadata, "metadata");
    query.set("metadata = ?", jsonColumnText(*update.metadata, "metadata"));
  }
  if (query.empty()) return get(id);
  return query.run(db_, id, kColumns, notFound(id), readAudio);
}

void AudioRepository::remove(int64_t id) {
  Statement remove = db_.prepare("DELETE FROM audios WHERE id = ?");
  remove.bindInt64(1, id).run();
  if (db_.changes() == 0) throw Error(ErrorCode::kNotFound, notFound(id));
}

int64_t AudioRepository::count() { return db_.queryInt64("SELECT count(*) FROM audios"); }

}  // namespace avatar_voice::store
