#include "store/migrations.h"

#include <string>

namespace avatar_voice::store {
namespace {

// Schema conventions: STRICT tables (a text in an INTEGER column is an error, not a silent
// conversion); timestamps are unix milliseconds; JSON documents are TEXT checked by json_valid
// (objects where the code merges into them); AUTOINCREMENT so an id is never reused after a
// delete and a stale id held by the page gets NOT_FOUND instead of somebody else's row.
// The object check uses CASE because json_type() raises an error on malformed JSON and SQLite
// does not promise to short-circuit AND.

// Version 1: the entities the Python service started with.
constexpr const char* kCoreTables = R"sql(
PRAGMA application_id = 1096177219;
CREATE TABLE avatars (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
  state TEXT NOT NULL DEFAULT '{}'
    CHECK (CASE WHEN json_valid(state) THEN json_type(state) = 'object' ELSE 0 END),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  avatar_id INTEGER NOT NULL REFERENCES avatars(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (length(trim(kind)) > 0),
  title TEXT NOT NULL DEFAULT '',
  metadata TEXT NOT NULL DEFAULT '{}'
    CHECK (CASE WHEN json_valid(metadata) THEN json_type(metadata) = 'object' ELSE 0 END),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_avatar ON sessions(avatar_id);
CREATE TABLE presets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (length(trim(kind)) > 0),
  name TEXT NOT NULL CHECK (length(trim(name)) > 0),
  data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (kind, name)
) STRICT;
CREATE TABLE config (
  key TEXT PRIMARY KEY NOT NULL CHECK (length(trim(key)) > 0),
  value TEXT NOT NULL CHECK (json_valid(value)),
  updated_at INTEGER NOT NULL
) STRICT;
)sql";

// Version 2: synthesized audio with its phoneme timeline, and rendered images of the avatar.
// Child rows go with their parent (CASCADE): purging a session or deleting an avatar removes what
// was produced in it. Every foreign key has an index, or each parent delete scans the child.
constexpr const char* kMediaTables = R"sql(
CREATE TABLE renders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  avatar_id INTEGER NOT NULL REFERENCES avatars(id) ON DELETE CASCADE,
  session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (length(trim(kind)) > 0),
  mime TEXT NOT NULL CHECK (length(trim(mime)) > 0),
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  bytes BLOB NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}'
    CHECK (CASE WHEN json_valid(metadata) THEN json_type(metadata) = 'object' ELSE 0 END),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX renders_by_avatar ON renders(avatar_id);
CREATE INDEX renders_by_session ON renders(session_id);
CREATE TABLE audios (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  avatar_id INTEGER REFERENCES avatars(id) ON DELETE CASCADE,
  session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  voice_id TEXT NOT NULL CHECK (length(trim(voice_id)) > 0),
  sample_rate INTEGER NOT NULL CHECK (sample_rate > 0),
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  format TEXT NOT NULL CHECK (format IN ('wav', 'pcm_f32')),
  bytes BLOB NOT NULL
    CHECK (format <> 'pcm_f32' OR length(bytes) % 4 = 0)
    CHECK (format <> 'wav' OR (length(bytes) >= 12 AND substr(bytes, 1, 4) = X'52494646'
                               AND substr(bytes, 9, 4) = X'57415645')),
  metadata TEXT NOT NULL DEFAULT '{}'
    CHECK (CASE WHEN json_valid(metadata) THEN json_type(metadata) = 'object' ELSE 0 END),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX audios_by_avatar ON audios(avatar_id);
CREATE INDEX audios_by_session ON audios(session_id);
CREATE TABLE phonemes (
  audio_id INTEGER NOT NULL REFERENCES audios(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL CHECK (idx >= 0),
  phoneme TEXT NOT NULL CHECK (length(phoneme) > 0),
  start_ms REAL NOT NULL CHECK (start_ms >= 0),
  end_ms REAL NOT NULL CHECK (end_ms >= start_ms),
  viseme TEXT NOT NULL,
  PRIMARY KEY (audio_id, idx)
) STRICT, WITHOUT ROWID;
)sql";

// Version 3: user-supplied files (backgrounds, avatar textures). The name is a file name, never a
// path; the full rule lives in AssetRepository, this CHECK is the backstop.
constexpr const char* kAssets = R"sql(
CREATE TABLE assets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE
    CHECK (length(name) BETWEEN 1 AND 255 AND name NOT GLOB '*[/\]*' AND name NOT GLOB '.*'),
  mime TEXT NOT NULL CHECK (length(trim(mime)) > 0),
  size INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (size = length(bytes))
) STRICT;
)sql";

// Version 4: sessions are soft-deleted (kept, hidden) before they are purged. The partial index
// serves the common listing, which only wants live sessions.
constexpr const char* kSessionSoftDelete = R"sql(
ALTER TABLE sessions ADD COLUMN deleted_at INTEGER;
CREATE INDEX sessions_live_by_avatar ON sessions(avatar_id, id) WHERE deleted_at IS NULL;
)sql";

// Version 5: Opus audio (issue #20). SQLite cannot change a CHECK in place, so audios is rebuilt
// with the wider one and phonemes with it (a DROP of audios would cascade into phonemes). Ids and
// the AUTOINCREMENT sequence are kept, so a deleted id is never handed out again. "opus" bytes are
// the package's container (web/opus_audio.ts): magic "AVOP", then Opus packets.
constexpr const char* kOpusAudio = R"sql(
CREATE TABLE audios_v5 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  avatar_id INTEGER REFERENCES avatars(id) ON DELETE CASCADE,
  session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  voice_id TEXT NOT NULL CHECK (length(trim(voice_id)) > 0),
  sample_rate INTEGER NOT NULL CHECK (sample_rate > 0),
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  format TEXT NOT NULL CHECK (format IN ('wav', 'pcm_f32', 'opus')),
  bytes BLOB NOT NULL
    CHECK (format <> 'pcm_f32' OR length(bytes) % 4 = 0)
    CHECK (format <> 'wav' OR (length(bytes) >= 12 AND substr(bytes, 1, 4) = X'52494646'
                               AND substr(bytes, 9, 4) = X'57415645'))
    CHECK (format <> 'opus' OR (length(bytes) >= 16 AND substr(bytes, 1, 4) = X'41564F50')),
  metadata TEXT NOT NULL DEFAULT '{}'
    CHECK (CASE WHEN json_valid(metadata) THEN json_type(metadata) = 'object' ELSE 0 END),
  created_at INTEGER NOT NULL
) STRICT;
INSERT INTO audios_v5 SELECT id, avatar_id, session_id, text, voice_id, sample_rate, duration_ms,
  format, bytes, metadata, created_at FROM audios;
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'audios')
  WHERE name = 'audios_v5' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'audios');
CREATE TABLE phonemes_v5 (
  audio_id INTEGER NOT NULL REFERENCES audios_v5(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL CHECK (idx >= 0),
  phoneme TEXT NOT NULL CHECK (length(phoneme) > 0),
  start_ms REAL NOT NULL CHECK (start_ms >= 0),
  end_ms REAL NOT NULL CHECK (end_ms >= start_ms),
  viseme TEXT NOT NULL,
  PRIMARY KEY (audio_id, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO phonemes_v5 SELECT audio_id, idx, phoneme, start_ms, end_ms, viseme FROM phonemes;
DROP TABLE phonemes;
DROP TABLE audios;
ALTER TABLE audios_v5 RENAME TO audios;
ALTER TABLE phonemes_v5 RENAME TO phonemes;
CREATE INDEX audios_by_avatar ON audios(avatar_id);
CREATE INDEX audios_by_session ON audios(session_id);
)sql";

}  // namespace

const std::vector<Migration>& migrationSteps() {
  static const std::vector<Migration> steps = {
      {1, "core tables: avatars, sessions, presets, config", kCoreTables},
      {2, "media tables: renders, audios, phonemes", kMediaTables},
      {3, "assets", kAssets},
      {4, "soft delete of sessions", kSessionSoftDelete},
      {5, "opus audio format", kOpusAudio},
  };
  return steps;
}

int latestSchemaVersion() { return migrationSteps().back().version; }

int schemaVersion(Database& db) { return static_cast<int>(db.queryInt64("PRAGMA user_version")); }

void migrate(Database& db, int targetVersion) {
  const int latest = latestSchemaVersion();
  if (targetVersion < 0) targetVersion = latest;
  if (targetVersion > latest) {
    throw Error(ErrorCode::kInvalidArgument, "schema version " + std::to_string(targetVersion) +
                                                 " does not exist (latest is " +
                                                 std::to_string(latest) + ")");
  }
  const int current = schemaVersion(db);
  if (current > latest) {
    throw Error(ErrorCode::kStore, "database schema version " + std::to_string(current) +
                                       " is newer than this build supports (" +
                                       std::to_string(latest) + ")");
  }
  if (current > targetVersion) {
    throw Error(ErrorCode::kInvalidArgument,
                "migrations are forward-only: database is at version " + std::to_string(current) +
                    ", asked for " + std::to_string(targetVersion));
  }
  for (const Migration& step : migrationSteps()) {
    if (step.version <= current || step.version > targetVersion) continue;
    try {
      db.transaction([&] {
        // Re-read under the write lock: another connection to the same file may have migrated
        // between our first read and BEGIN IMMEDIATE.
        if (schemaVersion(db) >= step.version) return;
        db.exec(step.sql);
        db.exec("PRAGMA user_version = " + std::to_string(step.version));
      });
    } catch (const Error& e) {
      throw Error(e.code(), "migration to schema version " + std::to_string(step.version) + " (" +
                                step.description + ") failed: " + e.what());
    }
  }
}

}  // namespace avatar_voice::store
