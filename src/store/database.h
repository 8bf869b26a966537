// RAII connection to one SQLite database, prepared statements, and nestable transactions.
//
//   Database db(":memory:");          // or ("/data/app.db"), or (path, vfsName): the worker passes
//                                     // "avatar-voice-opfs" (wasm/store_bindings.cpp)
//   db.transaction([&] {
//     Statement insert = db.prepare("INSERT INTO avatars(name, state, created_at, updated_at)"
//                                   " VALUES (?, '{}', ?, ?)");
//     insert.bindText(1, "Ada").bindInt64(2, db.nowMs()).bindInt64(3, db.nowMs()).run();
//     db.transaction([&] { /* nested: a SAVEPOINT, rolled back alone if this lambda throws */ });
//   });  // COMMIT, or ROLLBACK if the lambda threw (the exception is rethrown)
//
// Ownership: Database owns the sqlite3* connection and closes it in its destructor. A Statement
// borrows the connection and must be destroyed before its Database. Database is neither copyable
// nor movable, because repositories and statements keep a reference to it.
// Errors: every SQLite failure throws avatar_voice::Error — kConstraint for constraint violations,
// kQuotaExceeded when a file may not grow (SQLITE_FULL, from the file-pool VFS at a full OPFS
// quota), kStore for everything else, all carrying SQLite's own message.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace avatar_voice::store {

struct DatabaseOptions {
  // How long a statement waits for another connection's lock before failing with kStore.
  int busyTimeoutMs = 5000;
  // Unix time in milliseconds used for created_at/updated_at. Injected so tests can control it;
  // empty means std::chrono::system_clock (Date.now() under Emscripten).
  std::function<int64_t()> clock;
};

// The code of a SQLite result code: kConstraint, kQuotaExceeded (SQLITE_FULL) or kStore.
ErrorCode errorCodeOfSqlite(int rc);

// Throws the Error matching SQLite result code `rc` (errorCodeOfSqlite) with the connection's
// message, prefixed by `context` when it is not empty.
[[noreturn]] void throwSqliteError(sqlite3* db, int rc, std::string_view context = {});

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text is copied by SQLite.
  Statement& bindInt64(int index, int64_t value);
  Statement& bindDouble(int index, double value);
  Statement& bindText(int index, std::string_view value);
  Statement& bindNull(int index);
  Statement& bindOptionalInt64(int index, const std::optional<int64_t>& value);
  // NOT copied (large audio/render blobs): `data` must stay valid until step()/run() returned.
  Statement& bindBlob(int index, const uint8_t* data, size_t size);
  Statement& bindBlob(int index, const std::vector<uint8_t>& bytes) {
    return bindBlob(index, bytes.data(), bytes.size());
  }

  // true when a row is available, false when done; throws on error (and resets the statement so
  // it does not keep a transaction or lock open).
  bool step();
  // Steps to completion, ignoring rows, then resets so the statement can be bound and run again.
  void run();
  // Ready to run again; bindings are kept (rebind what changes).
  void reset();

  // Columns are 0-based, as in SQLite.
  int64_t columnInt64(int index) const;
  double columnDouble(int index) const;
  std::string columnText(int index) const;
  std::vector<uint8_t> columnBlob(int index) const;
  bool columnIsNull(int index) const;
  std::optional<int64_t> columnOptionalInt64(int index) const;

  sqlite3_stmt* handle() const { return stmt_; }

 private:
  void check(int rc, const char* what) const;

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // `path` is a file name or ":memory:"; `vfsName` empty selects SQLite's default VFS, otherwise
  // it must already be registered (e.g. the OPFS VFS installed by the wasm layer).
  explicit Database(const std::string& path, const std::string& vfsName = "",
                    DatabaseOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  // Runs one or more statements that take no parameters (DDL, PRAGMAs).
  void exec(const std::string& sql);
  // First column of the first row as an integer (e.g. "PRAGMA user_version").
  int64_t queryInt64(std::string_view sql);

  int64_t lastInsertRowid() const;
  int changes() const;
  int64_t nowMs() const;

  // Runs fn() inside a transaction (BEGIN IMMEDIATE at the outermost level, a SAVEPOINT when
  // nested) and commits; if fn throws, rolls back exactly that level and rethrows.
  template <typename Fn>
  auto transaction(Fn&& fn) -> decltype(fn());

  // Explicit transaction control for callers whose transaction spans several calls (the JSON
  // command layer). Levels are 1-based and strictly nested: begin returns the new level; commit
  // must name the innermost level; rollback of level k also rolls back every level above k.
  int beginTransaction();
  void commitTransaction(int level);
  void rollbackTransaction(int level);
  // Number of open levels (0 = autocommit). Kept in sync with SQLite: if SQLite rolled the whole
  // transaction back by itself (e.g. after SQLITE_FULL), this drops to 0.
  int transactionDepth();

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  const std::string& vfsName() const { return vfsName_; }

 private:
  void syncDepthWithSqlite();

  sqlite3* db_ = nullptr;
  std::string path_;
  std::string vfsName_;
  DatabaseOptions options_;
  int depth_ = 0;
};

// Scoped transaction level: rolls back in its destructor unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db), level_(db.beginTransaction()) {}
  ~Transaction() {
    if (!finished_ && db_.transactionDepth() >= level_) {
      try {
        db_.rollbackTransaction(level_);
      } catch (...) {
        // A destructor must not throw; the exception that unwound us is the one to report.
      }
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    finished_ = true;  // even if COMMIT throws, SQLite keeps or drops the level, not us
    db_.commitTransaction(level_);
  }

 private:
  Database& db_;
  int level_;
  bool finished_ = false;
};

template <typename Fn>
auto Database::transaction(Fn&& fn) -> decltype(fn()) {
  Transaction tx(*this);
  if constexpr (std::is_void_v<decltype(fn())>) {
    fn();
    tx.commit();
  } else {
    auto result = fn();
    tx.commit();
    return result;
  }
}

}  // namespace avatar_voice::store
