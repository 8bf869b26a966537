#include "store/database_image.h"

#include <sqlite3.h>

#include <cstring>
#include <map>
#include <set>
#include <string>

#include "store/imported_rows.h"
#include "store/migrations.h"

namespace avatar_voice::store {
namespace {

constexpr char kHeaderMagic[] = "SQLite format 3";  // 16 bytes with the terminating NUL
constexpr size_t kMinimumFileSize = 512;            // one page of the smallest page size
constexpr const char* kImportSchema = "av_import";

Error invalidImport(const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, "import rejected: " + why);
}

enum class ImageAccess {
  kOwnCopy,      // SQLite gets (and frees) its own writable, growable copy
  kReadInPlace,  // read-only, reading `bytes` directly
};

// Hands `bytes` to SQLite as schema `schema` of `db`. Unless copied, `bytes` must outlive the
// schema.
void deserialize(Database& db, const char* schema, const uint8_t* bytes, size_t size,
                 ImageAccess access) {
  unsigned char* buffer = const_cast<unsigned char*>(bytes);
  unsigned flags = access == ImageAccess::kReadInPlace ? SQLITE_DESERIALIZE_READONLY : 0;
  if (access == ImageAccess::kOwnCopy) {
    buffer = static_cast<unsigned char*>(sqlite3_malloc64(size));
    if (buffer == nullptr) throw Error(ErrorCode::kStore, "out of memory copying the import");
    std::memcpy(buffer, bytes, size);
    // Bytes 18/19 = 2 mark a WAL file; the in-memory VFS cannot open those, and a checkpointed WAL
    // file is otherwise identical to a rollback-journal one.
    if (buffer[18] == 2) buffer[18] = 1;
    if (buffer[19] == 2) buffer[19] = 1;
    flags = SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE;
  }
  const int rc = sqlite3_deserialize(db.handle(), schema, buffer, static_cast<sqlite3_int64>(size),
                                     static_cast<sqlite3_int64>(size), flags);
  if (rc != SQLITE_OK) throwSqliteError(db.handle(), rc, "deserialize");
}

// Schema objects and, per table, its columns (name, declared type, not null, primary key rank):
// what the copy into our tables relies on. (The SQL text is compared by requireSchemaSqlOfVersion.)
std::set<std::string> describeSchema(Database& db) {
  std::set<std::string> description;
  Statement objects = db.prepare("SELECT type, name, tbl_name FROM sqlite_schema");
  while (objects.step()) {
    description.insert(objects.columnText(0) + " " + objects.columnText(1) + " on " +
                       objects.columnText(2));
  }
  Statement columns = db.prepare(
      "SELECT m.name, c.name, c.type, c.\"notnull\", c.pk FROM sqlite_schema AS m,"
      " pragma_table_info(m.name) AS c WHERE m.type = 'table'");
  while (columns.step()) {
    description.insert("column " + columns.columnText(0) + "." + columns.columnText(1) + " " +
                       columns.columnText(2) + (columns.columnInt64(3) ? " not null" : "") + " pk" +
                       std::to_string(columns.columnInt64(4)));
  }
  return description;
}

// SQL text with every run of whitespace outside quotes collapsed to one space: the same schema
// written by another SQLite version may differ in whitespace, never in tokens.
std::string normalisedSql(const std::string& sql) {
  std::string out;
  char quote = 0;
  for (char c : sql) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (quote == 0 && space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    if (quote == 0 && (c == '\'' || c == '"' || c == '`' || c == '['))
      quote = c == '[' ? ']' : c;
    else if (quote != 0 && c == quote)
      quote = 0;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::set<std::string> schemaSql(Database& db) {
  std::set<std::string> sql;
  Statement objects = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema");
  while (objects.step()) {
    sql.insert(objects.columnText(0) + " " + objects.columnText(1) + " on " +
               objects.columnText(2) + ": " + normalisedSql(objects.columnText(3)));
  }
  return sql;
}

// What a database of one of our schema versions looks like, from a fresh in-memory database
// migrated to it. Built once per version and kept: the schemas of a build never change, and a
// failure to build one (an allocation in a heap many terminated workers left fragmented) is this
// engine's (STORE), never evidence against the file being checked.
struct ReferenceSchema {
  std::set<std::string> sql;          // schemaSql(): the CREATE statements
  std::set<std::string> description;  // describeSchema(): objects and columns
};

const ReferenceSchema& referenceSchema(int version) {
  static std::map<int, ReferenceSchema> built;
  auto found = built.find(version);
  if (found != built.end()) return found->second;
  try {
    Database reference(":memory:");
    migrate(reference, version);
    ReferenceSchema schema{schemaSql(reference), describeSchema(reference)};
    return built.emplace(version, std::move(schema)).first->second;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kOutOfMemory) throw;
    throw Error(ErrorCode::kStore, "could not build this engine's schema of version " +
                                       std::to_string(version) + " to compare with: " + e.what());
  }
}

void requireSchemaOfVersion(Database& candidate, int version, const ReferenceSchema& reference) {
  const std::set<std::string>& expected = reference.description;
  const std::set<std::string> actual = describeSchema(candidate);
  for (const std::string& item : actual) {
    if (expected.count(item) == 0) {
      throw invalidImport("unexpected schema object for version " + std::to_string(version) + ": " +
                          item);
    }
  }
  for (const std::string& item : expected) {
    if (actual.count(item) == 0) {
      throw invalidImport("missing schema object for version " + std::to_string(version) + ": " +
                          item);
    }
  }
}

// The file's own CREATE statements, compared with ours for its version before anything evaluates
// them: integrity_check runs a table's CHECK and index expressions, so a file could otherwise make
// our scratch connection evaluate any expression it likes under one of our table names.
void requireSchemaSqlOfVersion(Database& candidate, int version, const ReferenceSchema& reference) {
  const std::set<std::string>& expected = reference.sql;
  const std::set<std::string> actual = schemaSql(candidate);
  for (const std::string& item : actual) {
    if (expected.count(item) == 0) {
      throw invalidImport("unexpected schema object for version " + std::to_string(version) +
                          " (its SQL differs from ours): " + item.substr(0, 200));
    }
  }
  if (actual.size() != expected.size())
    throw invalidImport("schema of version " + std::to_string(version) + " is incomplete");
}

// Limits of the scratch connection that reads the untrusted file: no statement, string or
// expression tree in it may be larger than anything our own schema or rows need.
void limitScratchConnection(Database& scratch) {
  sqlite3* db = scratch.handle();
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 512 * 1024 * 1024);  // one row: an asset or an audio
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 64 * 1024);      // our largest CREATE is ~1.5 KB
  sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 64);
  sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 64);
  sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 8);
  sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 100000);
  sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 8);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 256);
  sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 32);
  sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 4);
}

uint32_t bigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// A cut-off file can still pass integrity_check when the missing tail held only empty or free
// pages, so compare the length with what the header promises: a whole number of pages and, when
// the header's page count is current (version-valid-for == change counter), exactly that many.
void requireCompleteFile(const std::vector<uint8_t>& bytes) {
  const uint32_t rawPageSize = (uint32_t{bytes[16]} << 8) | bytes[17];
  const uint64_t pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0) {
    throw invalidImport("header has an invalid page size " + std::to_string(pageSize));
  }
  if (bytes.size() % pageSize != 0) {
    throw invalidImport(std::to_string(bytes.size()) + " bytes is not a whole number of " +
                        std::to_string(pageSize) + "-byte pages (truncated?)");
  }
  const uint32_t changeCounter = bigEndian32(&bytes[24]);
  const uint32_t pageCount = bigEndian32(&bytes[28]);
  const uint32_t versionValidFor = bigEndian32(&bytes[92]);
  if (pageCount != 0 && versionValidFor == changeCounter && pageCount * pageSize != bytes.size()) {
    throw invalidImport("header says " + std::to_string(pageCount) + " pages of " +
                        std::to_string(pageSize) + " bytes but the file has " +
                        std::to_string(bytes.size()) + " bytes (truncated?)");
  }
}

// Opens the bytes on a scratch connection and brings them to a trustworthy, latest-version state.
void validateAndMigrate(Database& scratch, const std::vector<uint8_t>& bytes) {
  limitScratchConnection(scratch);
  deserialize(scratch, "main", bytes.data(), bytes.size(), ImageAccess::kOwnCopy);
  int version = 0;
  try {
    // Header fields first, then the schema's SQL text: nothing of the file is evaluated until it
    // is known to be our own schema.
    const int64_t applicationId = scratch.queryInt64("PRAGMA application_id");
    if (applicationId != kApplicationId) {
      throw invalidImport("not an avatar-voice database (application_id " +
                          std::to_string(applicationId) + ")");
    }
    version = schemaVersion(scratch);
    if (version < 1 || version > latestSchemaVersion()) {
      throw invalidImport("schema version " + std::to_string(version) +
                          " is not between 1 and this build's " +
                          std::to_string(latestSchemaVersion()));
    }
  } catch (const Error& e) {
    // A file that cannot be read is rejected; memory that ran out is not the file's fault.
    if (e.code() == ErrorCode::kInvalidArgument || e.code() == ErrorCode::kOutOfMemory) throw;
    throw invalidImport(std::string("not a readable SQLite database: ") + e.what());
  }
  // Ours, outside the try below: only what the file's own reading fails on is held against it.
  const ReferenceSchema& ofItsVersion = referenceSchema(version);
  const ReferenceSchema& latest = referenceSchema(latestSchemaVersion());
  try {
    requireSchemaSqlOfVersion(scratch, version, ofItsVersion);
    Statement check = scratch.prepare("PRAGMA integrity_check");
    std::string problems;
    while (check.step()) {
      const std::string line = check.columnText(0);
      if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
    }
    if (!problems.empty()) throw invalidImport("integrity_check failed: " + problems);
  } catch (const Error& e) {
    // A file that cannot be read is rejected; memory that ran out is not the file's fault.
    if (e.code() == ErrorCode::kInvalidArgument || e.code() == ErrorCode::kOutOfMemory) throw;
    throw invalidImport(std::string("not a readable SQLite database: ") + e.what());
  }
  requireSchemaOfVersion(scratch, version, ofItsVersion);
  try {
    migrate(scratch);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kOutOfMemory) throw;
    throw invalidImport(e.what());
  }
  requireSchemaOfVersion(scratch, latestSchemaVersion(), latest);
  Statement violations = scratch.prepare("PRAGMA foreign_key_check");
  if (violations.step()) {
    throw invalidImport("foreign key violation: row " + std::to_string(violations.columnInt64(1)) +
                        " of " + violations.columnText(0) + " points to a missing " +
                        violations.columnText(2));
  }
}

std::string quoted(const std::string& identifier) {
  std::string out = "\"";
  for (char c : identifier) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Replaces every row of db's tables with those of the attached import, in one transaction.
void copyFromImportSchema(Database& db) {
  std::vector<std::string> tables;
  Statement list = db.prepare(
      "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      " ORDER BY name");
  while (list.step()) tables.push_back(list.columnText(0));
  list.reset();

  db.transaction([&] {
    // Foreign keys are checked at COMMIT instead of per row, so the table order does not matter.
    db.exec("PRAGMA defer_foreign_keys = ON");
    for (const std::string& table : tables) db.exec("DELETE FROM main." + quoted(table));
    for (const std::string& table : tables) {
      std::string columns;
      Statement info = db.prepare("SELECT name FROM pragma_table_info(?, 'main')");
      info.bindText(1, table);
      while (info.step()) columns += (columns.empty() ? "" : ", ") + quoted(info.columnText(0));
      db.exec("INSERT INTO main." + quoted(table) + "(" + columns + ") SELECT " + columns +
              " FROM " + kImportSchema + "." + quoted(table));
    }
    // AUTOINCREMENT high-water marks, so ids deleted before the export are not handed out again.
    db.exec(std::string("DELETE FROM main.sqlite_sequence; INSERT INTO main.sqlite_sequence(name, "
                        "seq) SELECT name, seq FROM ") +
            kImportSchema + ".sqlite_sequence");
    // Rows that passed our CHECKs can still break the API on read (invalid UTF-8, JSON only
    // SQLite accepts, ids JavaScript rounds, a runaway sqlite_sequence): refuse them here, inside
    // the transaction, so a rejected import rolls back to the existing data.
    requireApiReadableRows(db);
  });
}

}  // namespace

std::vector<uint8_t> exportDatabaseImage(Database& db) {
  if (db.transactionDepth() != 0) {
    throw Error(ErrorCode::kInvalidArgument, "cannot export while a transaction is open");
  }
  sqlite3_int64 size = 0;
  unsigned char* data = sqlite3_serialize(db.handle(), "main", &size, 0);
  if (data == nullptr || size <= 0) {
    sqlite3_free(data);
    throw Error(ErrorCode::kStore,
                "sqlite3_serialize failed (out of memory or unreadable database)");
  }
  std::vector<uint8_t> bytes(data, data + size);
  sqlite3_free(data);
  // serialize zero-fills a page it cannot read instead of failing; a quick_check of the image
  // (read in place, no copy) turns that into an error rather than a silently broken backup.
  Database check(":memory:");
  deserialize(check, "main", bytes.data(), bytes.size(), ImageAccess::kReadInPlace);
  Statement quick = check.prepare("PRAGMA quick_check");
  if (!quick.step() || quick.columnText(0) != "ok") {
    throw Error(ErrorCode::kStore, "exported image failed quick_check: " + quick.columnText(0));
  }
  return bytes;
}

void importDatabaseImage(Database& db, const std::vector<uint8_t>& bytes) {
  if (db.transactionDepth() != 0) {
    throw Error(ErrorCode::kInvalidArgument, "cannot import while a transaction is open");
  }
  if (bytes.size() < kMinimumFileSize ||
      std::memcmp(bytes.data(), kHeaderMagic, sizeof kHeaderMagic) != 0) {
    throw invalidImport("not a SQLite database file (" + std::to_string(bytes.size()) +
                        " bytes without the \"SQLite format 3\" header)");
  }
  requireCompleteFile(bytes);
  Database scratch(":memory:");
  validateAndMigrate(scratch, bytes);

  // The attached image must own its memory: if it pointed into `scratch` (zero-copy) and a DETACH
  // failed, `scratch`'s destructor would leave the schema reading freed memory (found by
  // store_import_fuzz under ASan). sqlite3_serialize's copy is handed over with FREEONCLOSE.
  sqlite3_int64 size = 0;
  unsigned char* image = sqlite3_serialize(scratch.handle(), "main", &size, 0);
  if (image == nullptr) throw Error(ErrorCode::kStore, "sqlite3_serialize of the import failed");
  // An attached database must share main's text encoding (header bytes 56..59: 1 = UTF-8), or every
  // later statement on the connection fails and the DETACH too (found by store_import_fuzz with a
  // UTF-16 file): refuse it before attaching.
  const uint32_t encoding = size >= 60 ? (uint32_t(image[56]) << 24 | uint32_t(image[57]) << 16 |
                                          uint32_t(image[58]) << 8 | uint32_t(image[59]))
                                       : 0;
  if (encoding != 1) {
    sqlite3_free(image);
    throw invalidImport("text encoding is not UTF-8");
  }
  try {
    db.exec(std::string("ATTACH ':memory:' AS ") + kImportSchema);
  } catch (...) {
    sqlite3_free(image);
    throw;
  }
  try {
    // On failure SQLite frees `image` itself (FREEONCLOSE).
    const int rc =
        sqlite3_deserialize(db.handle(), kImportSchema, image, size, size,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
    if (rc != SQLITE_OK) throwSqliteError(db.handle(), rc, "deserialize");
    copyFromImportSchema(db);
  } catch (const Error& e) {
    try {
      db.exec(std::string("DETACH ") + kImportSchema);
    } catch (...) {
    }
    // The copy ran in one transaction that has been rolled back: say so, keep the code.
    throw Error(e.code(), std::string("import failed, database unchanged: ") + e.what());
  }
  db.exec(std::string("DETACH ") + kImportSchema);
}

}  // namespace avatar_voice::store
