// Schema migrations: from every older version to the latest, with the data left intact.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <set>
#include <string>

#include "store/migrations.h"
#include "store/store.h"
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

std::set<std::string> schemaOf(Database& db) {
  std::set<std::string> objects;
  Statement select =
      db.prepare("SELECT type || ' ' || name || ': ' || ifnull(sql, '') FROM sqlite_schema");
  while (select.step()) objects.insert(select.columnText(0));
  return objects;
}

// Rows written with plain SQL, as the build that shipped schema `version` would have written them.
void seed(Database& db, int version) {
  if (version >= 1) {
    db.exec(
        "INSERT INTO avatars(id, name, state, created_at, updated_at)"
        "  VALUES (1, 'Ada', '{\"emotion\":\"calm\"}', 100, 200);"
        "INSERT INTO sessions(id, avatar_id, kind, title, metadata, created_at, updated_at)"
        "  VALUES (5, 1, 'interview', 'First', '{\"lang\":\"en\"}', 110, 120);"
        "INSERT INTO presets(id, kind, name, data, created_at, updated_at)"
        "  VALUES (3, 'question_set', 'Basics', '[\"Why?\"]', 130, 140);"
        "INSERT INTO config(key, value, updated_at) VALUES ('assets.maxBytes', '2048', 150);");
  }
  if (version >= 2) {
    db.exec(
        "INSERT INTO audios(id, avatar_id, session_id, text, voice_id, sample_rate, duration_ms,"
        "  format, bytes, metadata, created_at)"
        "  VALUES (9, 1, 5, 'Hello.', 'amy', 22050, 500, 'pcm_f32', zeroblob(16), '{}', 160);"
        "INSERT INTO phonemes(audio_id, idx, phoneme, start_ms, end_ms, viseme)"
        "  VALUES (9, 0, 'h', 0, 40.5, 'sil'), (9, 1, 'ə', 40.5, 90, 'aa');"
        "INSERT INTO renders(id, avatar_id, session_id, kind, mime, width, height, bytes,"
        "  metadata, created_at)"
        "  VALUES (4, 1, NULL, 'thumbnail', 'image/png', 64, 32, X'89504E47', '{}', 170);");
  }
  if (version >= 3) {
    db.exec(
        "INSERT INTO assets(id, name, mime, size, bytes, sha256, created_at, updated_at)"
        "  VALUES (2, 'bg.png', 'image/png', 3, X'010203', "
        "  '039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81', 180, 190);");
  }
}

void expectSeedIntact(Store& store, int version) {
  if (version >= 1) {
    const Avatar ada = store.avatars().get(1);
    EXPECT_EQ(ada.name, "Ada");
    EXPECT_EQ(ada.state, nlohmann::json({{"emotion", "calm"}}));
    EXPECT_EQ(ada.createdAt, 100);
    const Session session = store.sessions().get(5);
    EXPECT_EQ(session.title, "First");
    EXPECT_EQ(session.metadata["lang"], "en");
    EXPECT_FALSE(session.deletedAt.has_value());  // column added by version 4, NULL = live
    EXPECT_EQ(store.sessions().list().size(), 1u);
    EXPECT_EQ(store.presets().get(3).data, nlohmann::json::array({"Why?"}));
    EXPECT_EQ(store.config().getInt64("assets.maxBytes"), 2048);
  }
  if (version >= 2) {
    EXPECT_EQ(store.audios().get(9).size, 16);
    const std::vector<Phoneme> phonemes = store.phonemes().list(9);
    ASSERT_EQ(phonemes.size(), 2u);
    EXPECT_EQ(phonemes[1].phoneme, "ə");
    EXPECT_DOUBLE_EQ(phonemes[0].endMs, 40.5);
    EXPECT_EQ(store.renders().getBytes(4), (std::vector<uint8_t>{0x89, 0x50, 0x4E, 0x47}));
  }
  if (version >= 3) {
    EXPECT_EQ(store.assets().get(2).sha256.size(), 64u);
    EXPECT_EQ(store.assets().getBytes(2), (std::vector<uint8_t>{1, 2, 3}));
  }
}

TEST(MigrationsTest, StepsAreNumberedConsecutivelyFromOne) {
  int expected = 1;
  for (const Migration& step : migrationSteps()) EXPECT_EQ(step.version, expected++);
  EXPECT_EQ(latestSchemaVersion(), static_cast<int>(migrationSteps().size()));
}

TEST(MigrationsTest, FreshDatabaseReachesLatest) {
  Store store(":memory:");
  EXPECT_EQ(schemaVersion(store.database()), latestSchemaVersion());
  EXPECT_EQ(store.database().queryInt64("PRAGMA application_id"), kApplicationId);
  migrate(store.database());  // idempotent
  EXPECT_EQ(schemaVersion(store.database()), latestSchemaVersion());
}

// The core promise: a file written by any older build opens in this one with nothing lost, and
// ends with exactly the schema a fresh database gets.
TEST(MigrationsTest, FromEveryOlderVersionKeepsData) {
  Database fresh(":memory:");
  migrate(fresh);
  const std::set<std::string> latestSchema = schemaOf(fresh);

  for (int from = 0; from < latestSchemaVersion(); ++from) {
    SCOPED_TRACE("migrating from version " + std::to_string(from));
    auto db = std::make_unique<Database>(":memory:");
    migrate(*db, from);
    ASSERT_EQ(schemaVersion(*db), from);
    seed(*db, from);
    Store store(std::move(db));  // migrates to the latest version
    EXPECT_EQ(schemaVersion(store.database()), latestSchemaVersion());
    EXPECT_EQ(schemaOf(store.database()), latestSchema);
    expectSeedIntact(store, from);
    EXPECT_EQ(store.database().queryInt64("SELECT count(*) FROM pragma_foreign_key_check"), 0);
    // And the migrated store is fully usable.
    store.avatars().create("New after migration from " + std::to_string(from));
  }
}

// Version 5 rebuilds audios and phonemes for the "opus" format: rows, their phonemes and the
// AUTOINCREMENT sequence survive (a deleted id is not handed out again), and only then is an opus
// row accepted.
TEST(MigrationsTest, OpusFormatArrivesWithAudiosAndTheirIdsIntact) {
  auto db = std::make_unique<Database>(":memory:");
  migrate(*db, 4);
  seed(*db, 4);
  db->exec(
      "INSERT INTO audios(id, text, voice_id, sample_rate, duration_ms, format, bytes, created_at)"
      "  VALUES (12, 'Bye.', 'amy', 22050, 10, 'pcm_f32', zeroblob(8), 170);"
      "DELETE FROM audios WHERE id = 12;");
  const std::string opusRow =
      "INSERT INTO audios(text, voice_id, sample_rate, duration_ms, format, bytes, created_at)"
      "  VALUES ('Hi.', 'amy', 22050, 10, 'opus', X'41564F50000000000000000000000000', 180)";
  EXPECT_EQ(codeOf([&] { db->exec(opusRow); }), ErrorCode::kConstraint);  // version 4: no opus
  Store store(std::move(db));
  expectSeedIntact(store, 4);
  EXPECT_EQ(store.database().queryInt64("SELECT count(*) FROM phonemes WHERE audio_id = 9"), 2);
  NewAudio fields;
  fields.text = "Hello again.";
  fields.voiceId = "amy";
  fields.sampleRate = 22050;
  fields.durationMs = 10;
  fields.format = "opus";
  std::vector<uint8_t> bytes(16, 0);
  EXPECT_EQ(codeOf([&] { store.audios().create(fields, bytes); }), ErrorCode::kInvalidArgument);
  bytes[0] = 'A', bytes[1] = 'V', bytes[2] = 'O', bytes[3] = 'P';
  EXPECT_EQ(store.audios().create(fields, bytes).id, 13);  // after the deleted 12
  // Deleting an audio still takes its phonemes with it (the rebuilt foreign key).
  store.audios().remove(9);
  EXPECT_EQ(store.database().queryInt64("SELECT count(*) FROM phonemes"), 0);
}

TEST(MigrationsTest, FileWrittenByOlderBuildIsMigratedOnOpen) {
  const testenv::TempDir dir;
  const std::string path = dir.file("older.db");
  {
    Database old(path);
    migrate(old, 2);
    seed(old, 2);
  }
  {
    Store store(path);
    EXPECT_EQ(schemaVersion(store.database()), latestSchemaVersion());
    expectSeedIntact(store, 2);
  }
}

TEST(MigrationsTest, NewerDatabaseIsRefused) {
  auto db = std::make_unique<Database>(":memory:");
  db->exec("PRAGMA user_version = " + std::to_string(latestSchemaVersion() + 1));
  EXPECT_EQ(codeOf([&] { Store store(std::move(db)); }), ErrorCode::kStore);
}

TEST(MigrationsTest, ForwardOnly) {
  Database db(":memory:");
  migrate(db, 3);
  EXPECT_EQ(codeOf([&] { migrate(db, 2); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(codeOf([&] { migrate(db, latestSchemaVersion() + 1); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(schemaVersion(db), 3);
}

TEST(MigrationsTest, FailingStepIsRolledBackAndNamed) {
  Database db(":memory:");
  migrate(db, 2);
  seed(db, 2);
  db.exec("CREATE TABLE assets (squatter TEXT)");  // step 3 will collide with this
  try {
    migrate(db);
    FAIL() << "expected the migration to fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kStore);
    EXPECT_NE(std::string(e.what()).find("schema version 3"), std::string::npos) << e.what();
  }
  EXPECT_EQ(schemaVersion(db), 2);
  EXPECT_EQ(db.transactionDepth(), 0);
  EXPECT_EQ(db.queryInt64("SELECT count(*) FROM pragma_table_info('sessions')"),
            7);  // no v4 column
  EXPECT_EQ(db.queryInt64("SELECT count(*) FROM phonemes"), 2);
}

}  // namespace
}  // namespace avatar_voice::store
