#include "store/store.h"

#include <sqlite3.h>

#include "store/database_image.h"
#include "store/migrations.h"

namespace avatar_voice::store {

Store::Store(const std::string& path, const std::string& vfsName, DatabaseOptions options)
    : Store(std::make_unique<Database>(path, vfsName, std::move(options))) {}

Store::Store(std::unique_ptr<Database> database)
    : database_(std::move(database)),
      avatars_(*database_),
      sessions_(*database_),
      presets_(*database_),
      renders_(*database_),
      audios_(*database_),
      phonemes_(*database_),
      assets_(*database_),
      config_(*database_) {
  migrate(*database_);
}

StoreStats Store::stats() {
  StoreStats stats;
  Database& db = *database_;
  Statement tables = db.prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      " ORDER BY name");
  while (tables.step()) {
    const std::string table = tables.columnText(0);
    // Table names come from sqlite_schema of our own schema, not from a caller.
    stats.rowCounts[table] = db.queryInt64("SELECT count(*) FROM \"" + table + "\"");
  }
  stats.deletedSessions =
      db.queryInt64("SELECT count(*) FROM sessions WHERE deleted_at IS NOT NULL");
  stats.pageCount = db.queryInt64("PRAGMA page_count");
  stats.pageSize = db.queryInt64("PRAGMA page_size");
  stats.bytes = stats.pageCount * stats.pageSize;
  stats.freelistCount = db.queryInt64("PRAGMA freelist_count");
  stats.schemaVersion = schemaVersion(db);
  storageUsage(stats.tableBytes, stats.audioFormats);
  return stats;
}

void Store::storageUsage(std::map<std::string, int64_t>& tableBytes,
                         std::map<std::string, FormatUsage>& audioFormats) {
  Database& db = *database_;
  // An index's pages count for its table; SQLite's internal tables keep their own names.
  Statement pages = db.prepare(
      "SELECT coalesce(CASE WHEN d.name = 'sqlite_schema' THEN '(schema)' END, s.tbl_name,"
      " d.name), sum(d.pgsize) FROM dbstat AS d LEFT JOIN sqlite_schema AS s ON s.name = d.name"
      " GROUP BY 1");
  while (pages.step()) tableBytes[pages.columnText(0)] = pages.columnInt64(1);
  Statement formats =
      db.prepare("SELECT format, count(*), sum(length(bytes)) FROM audios GROUP BY format");
  while (formats.step())
    audioFormats[formats.columnText(0)] =
        FormatUsage{formats.columnInt64(1), formats.columnInt64(2)};
}

StoreHealth Store::health() {
  StoreHealth health;
  Database& db = *database_;
  Statement check = db.prepare("PRAGMA quick_check");
  while (check.step()) health.quickCheck.push_back(check.columnText(0));
  health.schemaVersion = schemaVersion(db);
  health.latestSchemaVersion = latestSchemaVersion();
  Statement mode = db.prepare("PRAGMA journal_mode");
  if (mode.step()) health.journalMode = mode.columnText(0);
  health.sqliteVersion = sqlite3_libversion();
  health.ok = health.quickCheck == std::vector<std::string>{"ok"} &&
              health.schemaVersion == health.latestSchemaVersion;
  if (health.schemaVersion == health.latestSchemaVersion)
    storageUsage(health.tableBytes, health.audioFormats);
  return health;
}

std::vector<uint8_t> Store::exportDatabase() { return exportDatabaseImage(*database_); }

void Store::importDatabase(const std::vector<uint8_t>& bytes) {
  importDatabaseImage(*database_, bytes);
}

}  // namespace avatar_voice::store
