// Database, Statement and transactions: the layer every repository relies on.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "store/database.h"
#include "native_test_env.h"

namespace avatar_voice::store {
namespace {

template <typename Fn>
ErrorCode codeOf(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "expected avatar_voice::Error";
  return ErrorCode::kInternal;
}

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE, r REAL, b BLOB)");
  }
  int64_t rows() { return db.queryInt64("SELECT count(*) FROM t"); }
  void insert(const std::string& value) {
    db.prepare("INSERT INTO t(v) VALUES (?)").bindText(1, value).run();
  }

  Database db{":memory:"};
};

TEST_F(DatabaseTest, BindsAndReadsEveryType) {
  const std::vector<uint8_t> blob = {0, 1, 2, 255};
  Statement insert = db.prepare("INSERT INTO t(id, v, r, b) VALUES (?, ?, ?, ?)");
  insert.bindInt64(1, 7).bindText(2, std::string("h\0i", 3)).bindDouble(3, 2.5).bindBlob(4, blob);
  insert.run();
  insert.bindInt64(1, 8).bindText(2, "empty blob").bindNull(3).bindBlob(4, {}).run();

  Statement select = db.prepare("SELECT id, v, r, b, typeof(b) FROM t ORDER BY id");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.columnInt64(0), 7);
  EXPECT_EQ(select.columnText(1), std::string("h\0i", 3));  // embedded NUL survives
  EXPECT_DOUBLE_EQ(select.columnDouble(2), 2.5);
  EXPECT_EQ(select.columnBlob(3), blob);
  ASSERT_TRUE(select.step());
  EXPECT_TRUE(select.columnIsNull(2));
  EXPECT_EQ(select.columnOptionalInt64(2), std::nullopt);
  EXPECT_TRUE(select.columnBlob(3).empty());
  EXPECT_EQ(select.columnText(4), "blob");  // an empty vector is a zero-length blob, not NULL
  EXPECT_FALSE(select.step());
}

TEST_F(DatabaseTest, MapsSqliteErrorsToCodes) {
  insert("a");
  EXPECT_EQ(codeOf([&] { insert("a"); }), ErrorCode::kConstraint);
  EXPECT_EQ(codeOf([&] { db.prepare("SELEC nonsense"); }), ErrorCode::kStore);
  EXPECT_EQ(codeOf([&] { db.exec("INSERT INTO missing VALUES (1)"); }), ErrorCode::kStore);
  try {
    insert("a");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("UNIQUE constraint failed: t.v"), std::string::npos)
        << e.what();
  }
  // The failed statement released everything: the connection is still usable.
  insert("b");
  EXPECT_EQ(rows(), 2);
}

TEST_F(DatabaseTest, ConnectionSettings) {
  EXPECT_EQ(db.queryInt64("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(db.queryInt64("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(db.queryInt64("PRAGMA temp_store"), 2);   // MEMORY
}

TEST(DatabaseFileTest, FileDatabaseUsesTruncateJournalAndNamedVfs) {
  const testenv::TempDir dir;
  const std::string path = dir.file("test.db");
  {
    Database db(path, "unix");  // the default VFS on Linux, named explicitly
    {
      Statement mode = db.prepare("PRAGMA journal_mode");
      ASSERT_TRUE(mode.step());
      EXPECT_EQ(mode.columnText(0), "truncate");
    }  // a statement left on a row keeps its read open and would make COMMIT fail
    db.exec("CREATE TABLE t (x INTEGER)");
    db.transaction([&] { db.exec("INSERT INTO t VALUES (1)"); });
  }
  Database reopened(path);
  EXPECT_EQ(reopened.queryInt64("SELECT count(*) FROM t"), 1);
}

TEST(DatabaseFileTest, UnknownVfsIsInvalidArgument) {
  EXPECT_EQ(codeOf([] { Database db(":memory:", "opfs-not-registered"); }),
            ErrorCode::kInvalidArgument);
}

TEST(DatabaseFileTest, UnopenablePathIsStoreError) {
  EXPECT_EQ(codeOf([] { Database db("/nonexistent-dir/x/y.db"); }), ErrorCode::kStore);
}

TEST(DatabaseClockTest, InjectedClockIsUsed) {
  DatabaseOptions options;
  options.clock = [] { return int64_t{1234}; };
  Database db(":memory:", "", options);
  EXPECT_EQ(db.nowMs(), 1234);
  Database real(":memory:");
  EXPECT_GT(real.nowMs(), int64_t{1600000000000});  // 2020 in unix milliseconds
}

TEST_F(DatabaseTest, TransactionCommits) {
  const int result = db.transaction([&] {
    insert("a");
    return 42;
  });
  EXPECT_EQ(result, 42);
  EXPECT_EQ(rows(), 1);
  EXPECT_EQ(db.transactionDepth(), 0);
}

TEST_F(DatabaseTest, TransactionRollsBackOnThrow) {
  EXPECT_THROW(db.transaction([&] {
    insert("a");
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(rows(), 0);
  EXPECT_EQ(db.transactionDepth(), 0);
}

TEST_F(DatabaseTest, NestedTransactionRollsBackOnlyItsLevel) {
  db.transaction([&] {
    insert("outer");
    EXPECT_THROW(db.transaction([&] {
      insert("inner");
      EXPECT_EQ(db.transactionDepth(), 2);
      throw std::runtime_error("inner fails");
    }),
                 std::runtime_error);
    EXPECT_EQ(db.transactionDepth(), 1);
    db.transaction([&] { insert("inner2"); });  // a later savepoint still works
  });
  Statement values = db.prepare("SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY v)");
  ASSERT_TRUE(values.step());
  EXPECT_EQ(values.columnText(0), "inner2,outer");
}

TEST_F(DatabaseTest, OuterThrowRollsBackCommittedInnerLevels) {
  EXPECT_THROW(db.transaction([&] {
    db.transaction([&] { insert("inner, released"); });
    db.transaction([&] { db.transaction([&] { insert("deep"); }); });
    throw std::runtime_error("outer fails");
  }),
               std::runtime_error);
  EXPECT_EQ(rows(), 0);
  EXPECT_EQ(db.transactionDepth(), 0);
}

TEST_F(DatabaseTest, ConstraintErrorInsideTransactionRollsBackAll) {
  insert("taken");
  EXPECT_EQ(codeOf([&] {
              db.transaction([&] {
                insert("new");
                insert("taken");
              });
            }),
            ErrorCode::kConstraint);
  EXPECT_EQ(rows(), 1);
}

TEST_F(DatabaseTest, ExplicitLevels) {
  const int outer = db.beginTransaction();
  insert("a");
  const int inner = db.beginTransaction();
  insert("b");
  EXPECT_EQ(outer, 1);
  EXPECT_EQ(inner, 2);
  // Committing the outer level while the inner one is open is a bug in the caller.
  EXPECT_EQ(codeOf([&] { db.commitTransaction(outer); }), ErrorCode::kInternal);
  const int third = db.beginTransaction();
  insert("c");
  db.rollbackTransaction(inner);  // takes "third" with it
  EXPECT_EQ(third, 3);
  EXPECT_EQ(db.transactionDepth(), 1);
  db.commitTransaction(outer);
  EXPECT_EQ(rows(), 1);
}

TEST_F(DatabaseTest, FailedCommitRollsBack) {
  db.exec(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
  EXPECT_EQ(codeOf([&] {
              db.transaction([&] {
                insert("kept only if committed");
                db.exec("INSERT INTO child VALUES (99)");  // violation reported at COMMIT
              });
            }),
            ErrorCode::kConstraint);
  EXPECT_EQ(db.transactionDepth(), 0);
  EXPECT_EQ(rows(), 0);
  EXPECT_EQ(db.queryInt64("SELECT count(*) FROM child"), 0);
}

TEST_F(DatabaseTest, StatementIsReusableAfterRun) {
  Statement insertStatement = db.prepare("INSERT INTO t(v) VALUES (?)");
  for (int i = 0; i < 5; ++i) insertStatement.bindText(1, "v" + std::to_string(i)).run();
  EXPECT_EQ(rows(), 5);
  EXPECT_EQ(db.lastInsertRowid(), 5);
  Statement moved = std::move(insertStatement);
  moved.bindText(1, "moved").run();
  EXPECT_EQ(db.changes(), 1);
}

}  // namespace
}  // namespace avatar_voice::store
