// The file-pool VFS under SQLite: persistence across connections, and atomic commits when the
// "disk" is frozen at every possible point of a transaction (a worker killed mid-write).
#include "store/file_pool_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

namespace avatar_voice::store {
namespace {

const char* kDb = "/test.sqlite3";
const char* kJournal = "/test.sqlite3-journal";

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
}

int64_t queryInt(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  int64_t v = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return v;
}

std::string queryText(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  std::string v;
  if (sqlite3_step(stmt) == SQLITE_ROW) v = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  return v;
}

sqlite3* open(const std::string& vfs) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(kDb, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs.c_str()), SQLITE_OK);
  return db;
}

// Forwards to a MemoryFile; before the N-th mutating call it copies what both files hold, i.e.
// what a reader would find if the worker died right there.
struct Disk {
  std::shared_ptr<MemoryFile> db = std::make_shared<MemoryFile>();
  std::shared_ptr<MemoryFile> journal = std::make_shared<MemoryFile>();
  int64_t opsUntilSnapshot = -1;
  std::vector<uint8_t> dbSnapshot, journalSnapshot;
  bool snapped = false;
  void beforeMutation() {
    if (opsUntilSnapshot-- == 0) {
      dbSnapshot = db->bytes();
      journalSnapshot = journal->bytes();
      snapped = true;
    }
  }
};

class CrashingFile final : public RandomAccessFile {
 public:
  CrashingFile(Disk* disk, MemoryFile* file) : disk_(disk), file_(file) {}
  int64_t read(uint8_t* d, size_t n, int64_t o) override { return file_->read(d, n, o); }
  FileWrite write(const uint8_t* d, size_t n, int64_t o) override {
    disk_->beforeMutation();
    return file_->write(d, n, o);
  }
  FileWrite truncate(int64_t s) override {
    disk_->beforeMutation();
    return file_->truncate(s);
  }
  int64_t size() override { return file_->size(); }
  FileWrite flush() override { return FileWrite::kDone; }

 private:
  Disk* disk_;
  MemoryFile* file_;
};

std::shared_ptr<FilePool> poolOver(Disk& disk) {
  auto pool = std::make_shared<FilePool>();
  pool->add(kDb, std::make_shared<CrashingFile>(&disk, disk.db.get()));
  pool->add(kJournal, std::make_shared<CrashingFile>(&disk, disk.journal.get()));
  return pool;
}

TEST(FilePoolVfs, PersistsAcrossConnections) {
  Disk disk;
  registerFilePoolVfs("pool-persist", poolOver(disk));
  sqlite3* db = open("pool-persist");
  exec(db, "CREATE TABLE t(x INTEGER PRIMARY KEY, y TEXT)");
  exec(db, "BEGIN; INSERT INTO t(y) SELECT 'row' FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL "
           "SELECT n+1 FROM c WHERE n < 500) SELECT n FROM c); COMMIT;");
  sqlite3_close(db);
  EXPECT_GT(disk.db->size(), 4096);
  EXPECT_EQ(disk.journal->size(), 0) << "DELETE journal mode empties the journal on commit";

  db = open("pool-persist");
  EXPECT_EQ(queryInt(db, "SELECT count(*) FROM t"), 500);
  EXPECT_EQ(queryText(db, "PRAGMA integrity_check"), "ok");
  sqlite3_close(db);
}

TEST(FilePoolVfs, UnpooledPersistentFilesCannotBeOpened) {
  Disk disk;
  registerFilePoolVfs("pool-closed", poolOver(disk));
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2("/other.sqlite3", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "pool-closed"),
            SQLITE_CANTOPEN);
  sqlite3_close(db);
}

// Every prefix of the second transaction's writes: the recovered database holds either the first
// transaction only or both, passes integrity_check, and never a partial second transaction.
TEST(FilePoolVfs, CommitsAreAtomicWhereverTheWriterDies) {
  int crashPoints = 0, sawOld = 0, sawNew = 0;
  for (int64_t crashAt = 0;; ++crashAt) {
    Disk disk;
    registerFilePoolVfs("pool-crash", poolOver(disk));
    sqlite3* db = open("pool-crash");
    exec(db, "PRAGMA cache_size=2");  // force page spills mid-transaction too
    exec(db, "CREATE TABLE t(x INTEGER PRIMARY KEY, payload BLOB)");
    exec(db, "BEGIN; INSERT INTO t(payload) SELECT randomblob(600) FROM (WITH RECURSIVE c(n) AS "
             "(SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 20) SELECT n FROM c); COMMIT;");
    disk.opsUntilSnapshot = crashAt;
    exec(db, "BEGIN; INSERT INTO t(payload) SELECT randomblob(600) FROM (WITH RECURSIVE c(n) AS "
             "(SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 20) SELECT n FROM c); "
             "UPDATE t SET payload = zeroblob(10) WHERE x <= 5; COMMIT;");
    sqlite3_close(db);
    // Past the last write every point was tried: what is left is the state after the commit.
    const bool finished = !disk.snapped;
    ++crashPoints;

    Disk recovered;
    recovered.db->bytes() = finished ? disk.db->bytes() : disk.dbSnapshot;
    recovered.journal->bytes() = finished ? disk.journal->bytes() : disk.journalSnapshot;
    registerFilePoolVfs("pool-recovered", poolOver(recovered));
    db = open("pool-recovered");
    EXPECT_EQ(queryText(db, "PRAGMA integrity_check"), "ok") << "crash at write " << crashAt;
    const int64_t rows = queryInt(db, "SELECT count(*) FROM t");
    const int64_t shrunk = queryInt(db, "SELECT count(*) FROM t WHERE length(payload) = 10");
    EXPECT_TRUE((rows == 20 && shrunk == 0) || (rows == 40 && shrunk == 5))
        << "crash at write " << crashAt << ": " << rows << " rows, " << shrunk << " updated";
    sawOld += rows == 20;
    sawNew += rows == 40;
    sqlite3_close(db);
    if (finished) {
      EXPECT_EQ(rows, 40) << "a finished commit must be durable";
      break;
    }
  }
  EXPECT_GT(crashPoints, 10);
  EXPECT_GT(sawOld, 0);
  EXPECT_GT(sawNew, 0);
  std::printf("[ vfs ] %d crash points: %d recovered the old state, %d the new\n", crashPoints, sawOld, sawNew);
}

}  // namespace
}  // namespace avatar_voice::store
