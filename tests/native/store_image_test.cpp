// Export/import of the whole database, stats and health.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "error_of.h"
#include "native_test_env.h"
#include "store/database_image.h"
#include "store/migrations.h"
#include "store/sha256.h"
#include "store/store.h"

namespace avatar_voice::store {
namespace {

using nlohmann::json;

// One row in every table, plus a deleted avatar so the AUTOINCREMENT high-water mark matters.
void fill(Store& store) {
  store.avatars().remove(store.avatars().create("Deleted before export").id);
  const Avatar ada = store.avatars().create("Ada", {{"emotion", "calm"}});
  // The highest id deleted: only sqlite_sequence remembers that it was handed out.
  store.avatars().remove(store.avatars().create("Deleted last").id);
  NewSession fields;
  fields.avatarId = ada.id;
  fields.kind = "interview";
  fields.title = "Round 1";
  const Session session = store.sessions().create(fields);
  store.sessions().softDelete(store.sessions().create(fields).id);
  store.presets().create("question_set", "Basics", {{"questions", {"Why?"}}});
  NewRender render;
  render.avatarId = ada.id;
  render.kind = "thumbnail";
  render.mime = "image/png";
  render.width = render.height = 2;
  store.renders().create(render, {0x89, 'P', 'N', 'G'});
  NewAudio audio;
  audio.avatarId = ada.id;
  audio.sessionId = session.id;
  audio.text = "Hi.";
  audio.voiceId = "amy";
  audio.sampleRate = 22050;
  audio.durationMs = 100;
  audio.format = "pcm_f32";
  const Audio a = store.audios().create(audio, std::vector<uint8_t>(4096, 7));
  store.phonemes().insertBatch(a.id, {{0, "h", 0, 50, "sil"}, {1, "aɪ", 50, 100, "aa"}});
  store.assets().create("bg.png", "image/png", std::vector<uint8_t>(100000, 3));
  store.config().set("ui.theme", "dark");
}

std::string digest(const std::vector<uint8_t>& bytes) {
  return sha256Hex(bytes.data(), bytes.size());
}

// Everything a user would notice, as one comparable value (bytes as digests, to keep failure
// messages readable).
json snapshot(Store& store) {
  SessionFilter allSessions;
  allSessions.includeDeleted = true;
  json all;
  for (const Avatar& a : store.avatars().list())
    all["avatars"].push_back({a.id, a.name, a.state, a.createdAt});
  for (const Session& s : store.sessions().list(allSessions)) {
    all["sessions"].push_back({s.id, s.title, s.deletedAt ? *s.deletedAt : -1});
  }
  for (const Preset& p : store.presets().list()) all["presets"].push_back({p.id, p.name, p.data});
  for (const Render& r : store.renders().list())
    all["renders"].push_back({r.id, digest(store.renders().getBytes(r.id))});
  for (const Audio& a : store.audios().list()) {
    all["audios"].push_back({a.id, a.text, a.size, digest(store.audios().getBytes(a.id))});
    for (const Phoneme& p : store.phonemes().list(a.id))
      all["phonemes"].push_back({p.idx, p.phoneme, p.endMs});
  }
  for (const Asset& a : store.assets().list()) {
    all["assets"].push_back({a.id, a.name, a.sha256, digest(store.assets().getBytes(a.id))});
  }
  for (const ConfigEntry& c : store.config().list()) all["config"].push_back({c.key, c.value});
  return all;
}

TEST(DatabaseImageTest, ExportImportRoundTripsIntoAFreshStore) {
  Store source(":memory:");
  fill(source);
  const std::vector<uint8_t> bytes = source.exportDatabase();
  ASSERT_GT(bytes.size(), 100000u);
  EXPECT_EQ(std::memcmp(bytes.data(), "SQLite format 3", 16), 0);

  Store target(":memory:");
  target.avatars().create("Will be replaced");
  target.importDatabase(bytes);
  EXPECT_EQ(snapshot(target), snapshot(source));
  EXPECT_FALSE(target.avatars().findByName("Will be replaced").has_value());
  // Ids are never reused, across an export/import too.
  EXPECT_EQ(target.avatars().create("After import").id, source.avatars().create("After").id);
  EXPECT_TRUE(target.health().ok);
  // The imported store exports again to the same content.
  Store third(":memory:");
  third.importDatabase(target.exportDatabase());
  EXPECT_EQ(snapshot(third), snapshot(target));
}

TEST(DatabaseImageTest, FileStoreExportsAndImports) {
  const testenv::TempDir dir;
  const std::string path = dir.file("file.db");
  std::vector<uint8_t> bytes;
  json expected;
  {
    Store source(path);
    fill(source);
    bytes = source.exportDatabase();
    expected = snapshot(source);
  }
  const std::string targetPath = dir.file("target.db");
  {
    Store target(targetPath);
    target.importDatabase(bytes);
  }
  Store reopened(targetPath);
  EXPECT_EQ(snapshot(reopened), expected);
}

// Debian's sqlite3 CLI must accept the export as an ordinary, sound database file.
TEST(DatabaseImageTest, ExportPassesTheSqlite3CliIntegrityCheck) {
  if (std::system("command -v sqlite3 > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "sqlite3 CLI not installed";
  }
  Store source(":memory:");
  fill(source);
  const std::vector<uint8_t> bytes = source.exportDatabase();
  const testenv::TempDir dir;
  const std::string path = dir.file("cli.sqlite");
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  FILE* cli =
      popen(("sqlite3 -readonly '" + path +
             "' 'PRAGMA integrity_check; SELECT count(*) FROM phonemes; PRAGMA user_version;'")
                .c_str(),
            "r");
  ASSERT_NE(cli, nullptr);
  char buffer[256] = {};
  std::string output;
  while (fgets(buffer, sizeof buffer, cli) != nullptr) output += buffer;
  EXPECT_EQ(pclose(cli), 0);
  EXPECT_EQ(output, "ok\n2\n" + std::to_string(latestSchemaVersion()) + "\n");
}

class RejectedImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fill(store);
    before = snapshot(store);
  }
  // The import fails with kInvalidArgument and the current data is untouched.
  void expectRejected(const std::vector<uint8_t>& bytes, const std::string& because) {
    const Error error = errorOf([&] { store.importDatabase(bytes); });
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument) << error.what();
    EXPECT_NE(std::string(error.what()).find(because), std::string::npos) << error.what();
    EXPECT_EQ(snapshot(store), before);
    EXPECT_TRUE(store.health().ok);
    EXPECT_EQ(store.database().transactionDepth(), 0);
  }
  std::vector<uint8_t> validExport() {
    Store other(":memory:");
    other.avatars().create("Other");
    return other.exportDatabase();
  }

  Store store{":memory:"};
  json before;
};

TEST_F(RejectedImportTest, GarbageBytes) {
  expectRejected({}, "not a SQLite database file");
  expectRejected(std::vector<uint8_t>(4096, 0xAB), "not a SQLite database file");
  std::vector<uint8_t> headerOnly(4096, 0);
  std::memcpy(headerOnly.data(), "SQLite format 3", 16);
  expectRejected(headerOnly, "import rejected");
}

TEST_F(RejectedImportTest, TruncatedExport) {
  const std::vector<uint8_t> full = validExport();
  ASSERT_EQ(full.size() % 4096, 0u);
  expectRejected(std::vector<uint8_t>(full.begin(), full.end() - 4096), "truncated");  // a page
  expectRejected(std::vector<uint8_t>(full.begin(), full.end() - 100), "truncated");
  expectRejected(std::vector<uint8_t>(full.begin(), full.begin() + full.size() / 2), "truncated");
  expectRejected(std::vector<uint8_t>(full.begin(), full.begin() + 600), "truncated");
  // The same cut with a header that no longer vouches for the page count: integrity_check is
  // then what catches it.
  std::vector<uint8_t> halfNoCount(full.begin(), full.begin() + full.size() / 2);
  halfNoCount[95] ^= 1;  // version-valid-for != change counter
  expectRejected(halfNoCount, "import rejected");
}

TEST_F(RejectedImportTest, CorruptedPage) {
  std::vector<uint8_t> bytes = validExport();
  for (size_t i = 4096 + 8; i < 4096 + 200; ++i) bytes[i] ^= 0x5A;  // scribble over page 2
  expectRejected(bytes, "import rejected");
}

TEST_F(RejectedImportTest, ForeignSqliteFile) {
  Database foreign(":memory:");
  foreign.exec(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'x')");
  expectRejected(exportDatabaseImage(foreign), "not an avatar-voice database");
}

TEST_F(RejectedImportTest, OurApplicationIdWithAForeignSchema) {
  Database forged(":memory:");
  forged.exec("PRAGMA application_id = " + std::to_string(kApplicationId) +
              "; PRAGMA user_version = " + std::to_string(latestSchemaVersion()) +
              "; CREATE TABLE avatars (id INTEGER PRIMARY KEY)");
  expectRejected(exportDatabaseImage(forged), "schema object");
}

TEST_F(RejectedImportTest, OurSchemaWithAnExtraTrigger) {
  Database forged(":memory:");
  migrate(forged);
  forged.exec("CREATE TRIGGER sneaky AFTER INSERT ON avatars BEGIN DELETE FROM presets; END");
  expectRejected(exportDatabaseImage(forged), "unexpected schema object");
}

TEST_F(RejectedImportTest, NewerSchemaVersion) {
  Database newer(":memory:");
  migrate(newer);
  newer.exec("PRAGMA user_version = " + std::to_string(latestSchemaVersion() + 1));
  expectRejected(exportDatabaseImage(newer), "schema version");
}

TEST_F(RejectedImportTest, ForeignKeyViolation) {
  Database orphaned(":memory:");
  migrate(orphaned);
  orphaned.exec(
      "PRAGMA foreign_keys = OFF;"
      "INSERT INTO sessions(avatar_id, kind, created_at, updated_at) VALUES (99, 'x', 1, 1)");
  expectRejected(exportDatabaseImage(orphaned), "foreign key");
}

TEST_F(RejectedImportTest, InsideATransaction) {
  const std::vector<uint8_t> bytes = validExport();
  Transaction tx(store.database());
  EXPECT_EQ(errorOf([&] { store.importDatabase(bytes); }).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(errorOf([&] { store.exportDatabase(); }).code(), ErrorCode::kInvalidArgument);
}

TEST(DatabaseImageTest, OlderExportIsMigratedOnImport) {
  Database old(":memory:");
  migrate(old, 1);
  old.exec(
      "INSERT INTO avatars(id, name, state, created_at, updated_at) VALUES (7, 'Old', '{}', 1, 1);"
      "INSERT INTO sessions(avatar_id, kind, title, metadata, created_at, updated_at)"
      "  VALUES (7, 'interview', 't', '{}', 1, 1)");
  const std::vector<uint8_t> bytes = exportDatabaseImage(old);
  Store store(":memory:");
  store.importDatabase(bytes);
  EXPECT_EQ(store.avatars().get(7).name, "Old");
  ASSERT_EQ(store.sessions().list().size(), 1u);
  EXPECT_FALSE(store.sessions().list()[0].deletedAt.has_value());
  EXPECT_EQ(schemaVersion(store.database()), latestSchemaVersion());
}

TEST(DatabaseImageTest, WalFlaggedFileIsAccepted) {
  Store source(":memory:");
  fill(source);
  std::vector<uint8_t> bytes = source.exportDatabase();
  bytes[18] = bytes[19] = 2;  // as copied from a checkpointed WAL-mode file
  Store target(":memory:");
  target.importDatabase(bytes);
  EXPECT_EQ(snapshot(target), snapshot(source));
}

TEST(StoreStatsTest, CountsAndSizes) {
  Store store(":memory:");
  fill(store);
  const StoreStats stats = store.stats();
  EXPECT_EQ(stats.rowCounts.at("avatars"), 1);
  EXPECT_EQ(stats.rowCounts.at("sessions"), 2);
  EXPECT_EQ(stats.deletedSessions, 1);
  EXPECT_EQ(stats.rowCounts.at("phonemes"), 2);
  EXPECT_EQ(stats.rowCounts.at("assets"), 1);
  EXPECT_EQ(stats.rowCounts.at("config"), 1);
  EXPECT_EQ(stats.rowCounts.size(), 8u);  // our eight tables, nothing internal
  EXPECT_EQ(stats.bytes, stats.pageCount * stats.pageSize);
  EXPECT_EQ(static_cast<size_t>(stats.bytes), store.exportDatabase().size());
  EXPECT_EQ(stats.schemaVersion, latestSchemaVersion());
}

// Where the bytes are: per audio format (written here with known sizes) and per table, whose
// pages (dbstat) and the free ones add up to the file's size as PRAGMA page_count gives it.
TEST(StoreStatsTest, BytesPerTableAndPerAudioFormat) {
  Store store(":memory:");
  NewAudio fields;
  fields.text = "Hi.";
  fields.voiceId = "amy";
  fields.sampleRate = 22050;
  fields.durationMs = 100;
  fields.format = "pcm_f32";
  store.audios().create(fields, std::vector<uint8_t>(40000, 1));
  store.audios().create(fields, std::vector<uint8_t>(2000, 2));
  fields.format = "opus";
  std::vector<uint8_t> opus(1234, 0);
  opus[0] = 'A', opus[1] = 'V', opus[2] = 'O', opus[3] = 'P';
  store.audios().create(fields, opus);
  const StoreStats stats = store.stats();
  ASSERT_EQ(stats.audioFormats.size(), 2u);
  EXPECT_EQ(stats.audioFormats.at("pcm_f32").count, 2);
  EXPECT_EQ(stats.audioFormats.at("pcm_f32").bytes, 42000);
  EXPECT_EQ(stats.audioFormats.at("opus").count, 1);
  EXPECT_EQ(stats.audioFormats.at("opus").bytes, 1234);
  int64_t pages = 0;
  for (const auto& [table, bytes] : stats.tableBytes) pages += bytes;
  EXPECT_EQ(pages + stats.freelistCount * stats.pageSize, stats.bytes);
  EXPECT_GE(stats.tableBytes.at("audios"), 43234);  // the audio itself, at least
  EXPECT_LT(stats.tableBytes.at("avatars"), stats.tableBytes.at("audios"));
  EXPECT_GT(stats.tableBytes.at("(schema)"), 0);
  const StoreHealth health = store.health();
  EXPECT_EQ(health.tableBytes, stats.tableBytes);
  EXPECT_EQ(health.audioFormats.at("opus").bytes, 1234);
}

TEST(StoreHealthTest, ReportsQuickCheckAndVersion) {
  Store store(":memory:");
  const StoreHealth health = store.health();
  EXPECT_TRUE(health.ok);
  EXPECT_EQ(health.quickCheck, std::vector<std::string>{"ok"});
  EXPECT_EQ(health.schemaVersion, latestSchemaVersion());
  EXPECT_EQ(health.journalMode, "memory");  // ":memory:" keeps its journal in memory
  EXPECT_EQ(health.sqliteVersion, "3.53.2");
}

}  // namespace
}  // namespace avatar_voice::store

namespace avatar_voice::store {
namespace {

// store_import_fuzz found a UTF-16 database that validated, was attached for the copy, and then
// poisoned the connection (every statement failed, DETACH too). It must be refused up front.
TEST(ImportRegression, Utf16ImageIsRejectedAndTheStoreStaysUsable) {
  const std::string seed = testenv::readFile(
      testenv::fuzzSeedPath("store_import_fuzz", "regression_utf16_image.sqlite"));
  ASSERT_FALSE(seed.empty()) << "fuzz regression seed missing";
  const std::vector<uint8_t> bytes(seed.begin(), seed.end());
  Store store(":memory:");
  const int64_t id = store.avatars().getOrCreate("Kept").id;
  EXPECT_EQ(errorOf([&] { store.importDatabase(bytes); }).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.avatars().get(id).name, "Kept");
  EXPECT_TRUE(store.health().ok);
}

}  // namespace
}  // namespace avatar_voice::store
