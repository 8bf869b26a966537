// Imports whose rows pass our SQL CHECKs but would break the API on read, and files whose schema
// SQL differs from ours (issue #21, item 3). Each bad image is a real export edited with the
// sqlite3 C API (no DEFENSIVE flag, writable_schema where needed), as a hand-made file would be.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "error_of.h"
#include "store/imported_rows.h"
#include "store/store.h"

namespace avatar_voice::store {
namespace {

// A valid export (one avatar, one session, one config value) after `sql` ran on it.
std::vector<uint8_t> editedExport(const std::string& sql) {
  std::vector<uint8_t> bytes;
  {
    Store source(":memory:");
    const Avatar a = source.avatars().create("Ada", {{"mood", "calm"}});
    NewSession fields;
    fields.avatarId = a.id;
    fields.kind = "interview";
    source.sessions().create(fields);
    source.config().set("ui.theme", "dark");
    bytes = source.exportDatabase();
  }
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
  std::copy(bytes.begin(), bytes.end(), copy);
  EXPECT_EQ(sqlite3_deserialize(db, "main", copy, bytes.size(), bytes.size(),
                                SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE),
            SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "") << "\n" << sql;
  sqlite3_free(message);
  sqlite3_int64 size = 0;
  unsigned char* out = sqlite3_serialize(db, "main", &size, 0);
  std::vector<uint8_t> edited(out, out + size);
  sqlite3_free(out);
  sqlite3_close(db);
  return edited;
}

class ImportRowsTest : public ::testing::Test {
 protected:
  void SetUp() override { keptId = lastId = store.avatars().create("Kept", {{"x", 1}}).id; }
  // Rejected with kInvalidArgument naming `because`; the existing row is intact and the store
  // still creates rows (its sqlite_sequence was not replaced).
  void expectRejected(const std::string& sql, const std::string& because) {
    const Error error = errorOf([&] { store.importDatabase(editedExport(sql)); });
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument) << error.what();
    EXPECT_NE(std::string(error.what()).find(because), std::string::npos) << error.what();
    ASSERT_EQ(store.avatars().list().size(), 1u);
    EXPECT_EQ(store.avatars().get(keptId).name, "Kept");
    const int64_t next = store.avatars().create("Next").id;
    EXPECT_EQ(next, lastId + 1);  // the old high-water mark still rules
    lastId = next;
    store.avatars().remove(next);
    EXPECT_TRUE(store.health().ok);
  }
  Store store{":memory:"};
  int64_t keptId = 0;
  int64_t lastId = 0;
};

TEST_F(ImportRowsTest, TheUneditedExportIsAccepted) {
  store.importDatabase(editedExport("SELECT 1"));
  EXPECT_EQ(store.avatars().list().at(0).name, "Ada");
  EXPECT_GT(store.avatars().create("After").id, 1);
}

TEST_F(ImportRowsTest, InvalidUtf8InsideJson) {
  // {"mood":"\x80\xff"}: json_valid() accepts it; nlohmann (every list/get) does not.
  expectRejected("UPDATE avatars SET state = CAST(X'7B226D6F6F64223A2280FF227D' AS TEXT)",
                 "avatars.state is not valid UTF-8");
}

TEST_F(ImportRowsTest, InvalidUtf8InPlainText) {
  expectRejected("UPDATE avatars SET name = CAST(X'41C0' AS TEXT)",
                 "avatars.name is not valid UTF-8");
  expectRejected("UPDATE sessions SET title = CAST(X'EDA080' AS TEXT)",  // a UTF-16 surrogate
                 "sessions.title is not valid UTF-8");
}

TEST_F(ImportRowsTest, RunawaySqliteSequence) {
  expectRejected("UPDATE sqlite_sequence SET seq = 9223372036854775807 WHERE name = 'avatars'",
                 "sqlite_sequence");
  expectRejected("UPDATE sqlite_sequence SET seq = 9007199254740991 WHERE name = 'avatars'",
                 "sqlite_sequence");
  expectRejected("UPDATE sqlite_sequence SET seq = 'many' WHERE name = 'avatars'",
                 "sqlite_sequence");
  expectRejected("INSERT INTO sqlite_sequence VALUES ('avatars', 1)", "twice");
  expectRejected("INSERT INTO sqlite_sequence VALUES ('elsewhere', 1)", "unknown table");
}

TEST_F(ImportRowsTest, IdsAndTimestampsBeyondJavaScriptNumbers) {
  expectRejected(
      "INSERT INTO avatars(id, name, created_at, updated_at) VALUES (9007199254740993, 'B', 1, 1)",
      "avatars.id holds an integer beyond");
  expectRejected("UPDATE sessions SET created_at = -1152921504606846976",
                 "sessions.created_at holds an integer beyond");
  expectRejected("UPDATE avatars SET updated_at = 9007199254740992",
                 "avatars.updated_at holds an integer beyond");
}

TEST_F(ImportRowsTest, ConfigThatSwitchesALimitOff) {
  expectRejected("INSERT INTO config VALUES ('assets.maxBytes', '-1', 1)", "assets.maxBytes");
  expectRejected("INSERT INTO config VALUES ('text.maxChars', '\"lots\"', 1)", "text.maxChars");
  expectRejected("INSERT INTO config VALUES ('assets.maxBytes', '0.5', 1)", "assets.maxBytes");
}

// Same tables and columns, different CHECK: the structural comparison alone accepted it.
TEST_F(ImportRowsTest, SchemaSqlThatDiffersFromOurs) {
  expectRejected(
      "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql,"
      " 'CHECK (length(trim(name)) > 0)', 'CHECK (1)') WHERE name = 'avatars'",
      "its SQL differs from ours");
  // An expression integrity_check would evaluate (an integer-overflow error): the schema
  // comparison refuses the file first, without running it.
  expectRejected(
      "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql,"
      " 'CHECK (length(trim(kind)) > 0)', 'CHECK (abs(-9223372036854775807 - 1))')"
      " WHERE name = 'sessions'",
      "its SQL differs from ours");
}

}  // namespace
}  // namespace avatar_voice::store
