#include "store/database.h"

#include <sqlite3.h>

#include <chrono>
#include <string>

namespace avatar_voice::store {

ErrorCode errorCodeOfSqlite(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return ErrorCode::kConstraint;
    case SQLITE_FULL:
      return ErrorCode::kQuotaExceeded;  // the VFS's file may not grow
    case SQLITE_NOMEM:
      return ErrorCode::kOutOfMemory;  // an allocation failed (the heap is full)
    default:
      return ErrorCode::kStore;
  }
}

void throwSqliteError(sqlite3* db, int rc, std::string_view context) {
  std::string message(context);
  if (!message.empty()) message += ": ";
  // errmsg describes the most recent failing call on this connection; if none (e.g. open failed
  // before a handle existed) fall back to the generic text of the code.
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  message += " (sqlite code " + std::to_string(rc) + ")";
  const ErrorCode code = errorCodeOfSqlite(rc);
  throw Error(code, message);
}

// ---------------------------------------------------------------- Statement

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    throwSqliteError(db, rc, "prepare");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

void Statement::check(int rc, const char* what) const {
  if (rc != SQLITE_OK) throwSqliteError(db_, rc, what);
}

Statement& Statement::bindInt64(int index, int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bindDouble(int index, double value) {
  check(sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::bindText(int index, std::string_view value) {
  check(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      "bind");
  return *this;
}

Statement& Statement::bindNull(int index) {
  check(sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

Statement& Statement::bindOptionalInt64(int index, const std::optional<int64_t>& value) {
  return value ? bindInt64(index, *value) : bindNull(index);
}

Statement& Statement::bindBlob(int index, const uint8_t* data, size_t size) {
  // sqlite3_bind_blob with a null pointer binds SQL NULL, which would turn an empty payload into a
  // NOT NULL violation; a zero-length blob is what an empty byte vector means.
  if (size == 0) {
    check(sqlite3_bind_zeroblob(stmt_, index, 0), "bind");
  } else {
    check(sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_STATIC), "bind");
  }
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Read the message before reset(), then reset so the failed statement releases its locks.
  std::string message = sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  const ErrorCode code = errorCodeOfSqlite(rc);
  throw Error(code, message + " (sqlite code " + std::to_string(rc) + ")");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() { sqlite3_reset(stmt_); }

int64_t Statement::columnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }

double Statement::columnDouble(int index) const { return sqlite3_column_double(stmt_, index); }

std::string Statement::columnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  const int size = sqlite3_column_bytes(stmt_, index);  // after _text: byte length of the UTF-8
  return text == nullptr ? std::string() : std::string(text, static_cast<size_t>(size));
}

std::vector<uint8_t> Statement::columnBlob(int index) const {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, index));
  const int size = sqlite3_column_bytes(stmt_, index);
  if (data == nullptr || size <= 0) return {};
  return std::vector<uint8_t>(data, data + size);
}

bool Statement::columnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

std::optional<int64_t> Statement::columnOptionalInt64(int index) const {
  if (columnIsNull(index)) return std::nullopt;
  return columnInt64(index);
}

// ---------------------------------------------------------------- Database

Database::Database(const std::string& path, const std::string& vfsName, DatabaseOptions options)
    : path_(path), vfsName_(vfsName), options_(std::move(options)) {
  if (!vfsName.empty() && sqlite3_vfs_find(vfsName.c_str()) == nullptr) {
    throw Error(ErrorCode::kInvalidArgument, "SQLite VFS '" + vfsName + "' is not registered");
  }
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db_, flags, vfsName.empty() ? nullptr : vfsName.c_str());
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(ErrorCode::kStore, "cannot open database '" + path + "': " + message);
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    // Imported files are untrusted: no SQL functions with side effects from triggers/views, and no
    // way for SQL to corrupt the file through writable_schema & co.
    sqlite3_db_config(db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_busy_timeout(db_, options_.busyTimeoutMs);
    exec("PRAGMA foreign_keys = ON");
    // Rollback journal, not WAL. WAL needs a shared-memory index (xShm* methods); the OPFS pool
    // VFS has none, so WAL would only work with locking_mode=EXCLUSIVE, which locks every other
    // connection out and keeps a -wal file growing until a checkpoint — and with one writer per
    // worker WAL's reader/writer concurrency buys us nothing. TRUNCATE rather than DELETE: ending
    // a transaction truncates the journal instead of deleting and recreating a file, which is
    // cheaper on disk and keeps the same OPFS pool slot.
    // For ":memory:" SQLite keeps its in-memory journal and answers "memory"; that is fine.
    Statement mode = prepare("PRAGMA journal_mode = TRUNCATE");
    const std::string journalMode = mode.step() ? mode.columnText(0) : "";
    mode.reset();
    if (journalMode != "truncate" && journalMode != "memory") {
      throw Error(ErrorCode::kStore, "cannot set journal_mode=TRUNCATE on '" + path +
                                         "' (SQLite answered '" + journalMode + "')");
    }
    // FULL: the journal and the database are synced on every commit, so a committed transaction
    // survives a crash or a closed tab.
    exec("PRAGMA synchronous = FULL");
    // Statement journals and temp tables stay in memory: the OPFS pool has a fixed number of file
    // slots, and temporary data has no reason to be persisted.
    exec("PRAGMA temp_store = MEMORY");
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Database::~Database() {
  // close_v2 defers the close if a Statement leaked, instead of failing with SQLITE_BUSY.
  sqlite3_close_v2(db_);
}

void Database::exec(const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    const ErrorCode code = errorCodeOfSqlite(rc);
    throw Error(code, message + " (sqlite code " + std::to_string(rc) + ")");
  }
}

int64_t Database::queryInt64(std::string_view sql) {
  Statement statement = prepare(sql);
  if (!statement.step()) {
    throw Error(ErrorCode::kInternal, "query returned no row: " + std::string(sql));
  }
  return statement.columnInt64(0);
}

int64_t Database::lastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

int64_t Database::nowMs() const {
  if (options_.clock) return options_.clock();
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void Database::syncDepthWithSqlite() {
  // SQLite rolls the whole transaction back by itself after some errors (SQLITE_FULL, IOERR,
  // NOMEM, ...). Then every level we think is open is gone.
  if (depth_ > 0 && sqlite3_get_autocommit(db_) != 0) depth_ = 0;
}

int Database::transactionDepth() {
  syncDepthWithSqlite();
  return depth_;
}

int Database::beginTransaction() {
  syncDepthWithSqlite();
  const int level = depth_ + 1;
  // IMMEDIATE takes the write lock up front, so a transaction cannot fail halfway with SQLITE_BUSY
  // when it upgrades from reading to writing.
  exec(level == 1 ? "BEGIN IMMEDIATE" : "SAVEPOINT av_level_" + std::to_string(level));
  depth_ = level;
  return level;
}

void Database::commitTransaction(int level) {
  syncDepthWithSqlite();
  if (depth_ < level) {
    throw Error(ErrorCode::kStore, "transaction level " + std::to_string(level) +
                                       " was already rolled back by SQLite after an error");
  }
  if (level != depth_) {
    throw Error(ErrorCode::kInternal, "commit of transaction level " + std::to_string(level) +
                                          " while level " + std::to_string(depth_) + " is open");
  }
  try {
    exec(level == 1 ? "COMMIT" : "RELEASE av_level_" + std::to_string(level));
  } catch (...) {
    // COMMIT can fail (deferred foreign key violated, SQLITE_BUSY, I/O). The contract is
    // "committed or rolled back", never "still open": roll this level back, then report.
    try {
      rollbackTransaction(level);
    } catch (...) {
    }
    throw;
  }
  depth_ = level - 1;
}

void Database::rollbackTransaction(int level) {
  syncDepthWithSqlite();
  if (level < 1) throw Error(ErrorCode::kInternal, "transaction level must be >= 1");
  while (depth_ >= level) {
    if (depth_ == 1) {
      exec("ROLLBACK");
    } else {
      // ROLLBACK TO keeps the savepoint open; RELEASE then drops it without committing anything
      // (its outer transaction decides).
      const std::string name = "av_level_" + std::to_string(depth_);
      exec("ROLLBACK TO " + name + "; RELEASE " + name);
    }
    --depth_;
    syncDepthWithSqlite();
  }
}

}  // namespace avatar_voice::store
