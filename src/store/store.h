// The store module's public header: one SQLite database holding avatars, sessions, presets,
// renders, audios with their phonemes, assets and config, behind one repository per entity.
//
//   Store store(":memory:");                 // or (path), or (path, vfsName): "avatar-voice-opfs"
//                                            // in the worker (registerFilePoolVfs)
//   Avatar ada = store.avatars().getOrCreate("Ada");
//   store.database().transaction([&] {               // audio + its phonemes, all or nothing
//     Audio audio = store.audios().create(fields, bytes);
//     store.phonemes().insertBatch(audio.id, rows);
//   });
//   std::vector<uint8_t> backup = store.exportDatabase();
//
// Ownership: Store owns its Database (and so the sqlite3 connection) and its repositories; the
// references returned by avatars(), sessions(), ... are valid as long as the Store. Opening runs
// the schema migrations up to the latest version. Not thread-safe: one Store per thread/worker
// (SQLite is built with SQLITE_THREADSAFE=0).
// Errors: avatar_voice::Error — kNotFound for unknown ids, kConstraint for uniqueness, foreign key
// and size limits, kInvalidArgument/kInvalidUtf8 for unusable input, kQuotaExceeded when the files
// may not grow (a full OPFS quota), kStore for other SQLite failures.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/asset_repository.h"
#include "store/audio_repository.h"
#include "store/avatar_repository.h"
#include "store/config_repository.h"
#include "store/database.h"
#include "store/entities.h"
#include "store/phoneme_repository.h"
#include "store/preset_repository.h"
#include "store/render_repository.h"
#include "store/session_repository.h"

namespace avatar_voice::store {

// Stored audio of one format: how many rows and how many bytes of audio they hold.
struct FormatUsage {
  int64_t count = 0;
  int64_t bytes = 0;
};

struct StoreStats {
  std::map<std::string, int64_t> rowCounts;  // table name → rows (sessions include soft-deleted)
  // Table name → bytes of the database file its pages take, its indexes included (dbstat);
  // "(schema)" is SQLite's own schema table. With the free pages they add up to `bytes`.
  std::map<std::string, int64_t> tableBytes;
  std::map<std::string, FormatUsage> audioFormats;  // "pcm_f32", "wav", "opus" → usage
  int64_t deletedSessions = 0;
  int64_t pageCount = 0;
  int64_t pageSize = 0;
  int64_t bytes = 0;          // pageCount * pageSize: the size of the database file
  int64_t freelistCount = 0;  // unused pages, reclaimable by VACUUM
  int schemaVersion = 0;
};

struct StoreHealth {
  bool ok = false;                      // quickCheck == {"ok"} and schema at the latest version
  std::vector<std::string> quickCheck;  // PRAGMA quick_check output, "ok" when sound
  int schemaVersion = 0;
  int latestSchemaVersion = 0;
  std::string journalMode;
  std::string sqliteVersion;
  std::map<std::string, int64_t> tableBytes;        // as StoreStats
  std::map<std::string, FormatUsage> audioFormats;  // as StoreStats
};

class Store {
 public:
  explicit Store(const std::string& path, const std::string& vfsName = "",
                 DatabaseOptions options = {});
  // Takes an already open database (tests that prepare an older schema version first).
  explicit Store(std::unique_ptr<Database> database);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Database& database() { return *database_; }
  AvatarRepository& avatars() { return avatars_; }
  SessionRepository& sessions() { return sessions_; }
  PresetRepository& presets() { return presets_; }
  RenderRepository& renders() { return renders_; }
  AudioRepository& audios() { return audios_; }
  PhonemeRepository& phonemes() { return phonemes_; }
  AssetRepository& assets() { return assets_; }
  ConfigRepository& config() { return config_; }

  StoreStats stats();
  StoreHealth health();
  // Bytes of a complete SQLite file; see database_image.h.
  std::vector<uint8_t> exportDatabase();
  // Validates first; on any problem throws and leaves the current data untouched.
  void importDatabase(const std::vector<uint8_t>& bytes);

 private:
  // Bytes per table (dbstat) and per audio format, for stats() and health().
  void storageUsage(std::map<std::string, int64_t>& tableBytes,
                    std::map<std::string, FormatUsage>& audioFormats);

  std::unique_ptr<Database> database_;
  AvatarRepository avatars_;
  SessionRepository sessions_;
  PresetRepository presets_;
  RenderRepository renders_;
  AudioRepository audios_;
  PhonemeRepository phonemes_;
  AssetRepository assets_;
  ConfigRepository config_;
};

}  // namespace avatar_voice::store
