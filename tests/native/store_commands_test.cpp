// StoreCommands: the JSON entry point the wasm layer exposes.
#include "store/store_commands.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "error_of.h"

namespace avatar_voice::store {
namespace {

using nlohmann::json;

class CommandsTest : public ::testing::Test {
 protected:
  json call(const std::string& method, const json& params = json::object(),
            const std::vector<uint8_t>* in = nullptr, std::vector<uint8_t>* out = nullptr) {
    return commands.call(method, params, in, out);
  }
  // Expects kInvalidArgument whose message contains every one of `words`.
  void expectInvalid(const std::string& method, const json& params,
                     std::initializer_list<const char*> words,
                     const std::vector<uint8_t>* in = nullptr) {
    const Error error = errorOf([&] { call(method, params, in); });
    EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument) << error.what();
    for (const char* word : words) {
      EXPECT_NE(std::string(error.what()).find(word), std::string::npos)
          << "'" << word << "' not in: " << error.what();
    }
  }
  int64_t avatarCount() { return store.avatars().count(); }

  Store store{":memory:"};
  StoreCommands commands{store};
};

TEST_F(CommandsTest, AvatarMethodsReturnCamelCaseRows) {
  const json ada = call("avatars.create", {{"name", "Ada"}, {"state", {{"emotion", "calm"}}}});
  EXPECT_EQ(ada["name"], "Ada");
  EXPECT_TRUE(ada.contains("createdAt"));
  EXPECT_TRUE(ada.contains("updatedAt"));
  EXPECT_FALSE(ada.contains("created_at"));
  const json id = ada["id"];
  EXPECT_EQ(call("avatars.get", {{"id", id}}), ada);
  EXPECT_EQ(call("avatars.getOrCreate", {{"name", "Ada"}})["id"], id);
  EXPECT_EQ(call("avatars.patchState", {{"id", id}, {"patch", {{"emotion", "happy"}}}})["state"],
            json({{"emotion", "happy"}}));
  EXPECT_EQ(call("avatars.update", {{"id", id}, {"name", "Ada L."}})["name"], "Ada L.");
  EXPECT_EQ(call("avatars.list", {{"limit", 10}}).size(), 1u);
  EXPECT_TRUE(call("avatars.delete", {{"id", id}}).is_null());
  EXPECT_EQ(errorOf([&] { call("avatars.get", {{"id", id}}); }).code(), ErrorCode::kNotFound);
}

TEST_F(CommandsTest, ListsPageNewestFirstAndGetManyKeepsTheOrderOfIds) {
  const int64_t avatar = call("avatars.create", {{"name", "Ada"}})["id"].get<int64_t>();
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(call("sessions.create", {{"avatarId", avatar}, {"kind", "interview"}})["id"]
                      .get<int64_t>());
  call("sessions.softDelete", {{"id", ids[1]}});
  const auto idsOf = [](const json& rows) {
    std::vector<int64_t> out;
    for (const json& row : rows) out.push_back(row.is_null() ? -1 : row["id"].get<int64_t>());
    return out;
  };
  // Live sessions newest first, two per page; the deleted one only in its own list.
  EXPECT_EQ(idsOf(call("sessions.list", {{"order", "desc"}, {"limit", 2}})),
            (std::vector<int64_t>{ids[4], ids[3]}));
  EXPECT_EQ(idsOf(call("sessions.list", {{"order", "desc"}, {"limit", 2}, {"offset", 2}})),
            (std::vector<int64_t>{ids[2], ids[0]}));
  EXPECT_EQ(idsOf(call("sessions.list", {{"order", "asc"}, {"limit", 2}})),
            (std::vector<int64_t>{ids[0], ids[2]}));
  EXPECT_EQ(idsOf(call("sessions.list", {{"onlyDeleted", true}})), std::vector<int64_t>{ids[1]});
  expectInvalid("sessions.list", {{"order", "newest"}}, {"order", "\"asc\" or \"desc\"", "newest"});

  // getMany: in the order asked, null for an id that does not exist, soft-deleted ones included.
  EXPECT_EQ(idsOf(call("sessions.getMany", {{"ids", {ids[3], 999, ids[1], ids[3]}}})),
            (std::vector<int64_t>{ids[3], -1, ids[1], ids[3]}));
  EXPECT_EQ(call("sessions.getMany", {{"ids", {ids[0]}}})[0],
            call("sessions.get", {{"id", ids[0]}}));
  EXPECT_EQ(idsOf(call("avatars.getMany", {{"ids", {avatar, avatar + 1}}})),
            (std::vector<int64_t>{avatar, -1}));
  expectInvalid("sessions.getMany", {{"ids", json::array()}},
                {"'ids' must hold 1..1000 ids, got 0"});
  expectInvalid("audios.getMany", {{"ids", {1, "2"}}}, {"'ids'[1] must be an integer"});
  expectInvalid("audios.getMany", {{"ids", std::vector<int64_t>(1001, 1)}}, {"got 1001"});
}

TEST_F(CommandsTest, SessionMethodsAndSoftDelete) {
  const json ada = call("avatars.create", {{"name", "Ada"}});
  const json s = call(
      "sessions.create",
      {{"avatarId", ada["id"]}, {"kind", "interview"}, {"title", "One"}, {"metadata", {{"q", 1}}}});
  EXPECT_EQ(s["avatarId"], ada["id"]);
  EXPECT_TRUE(s["deletedAt"].is_null());
  EXPECT_EQ(call("sessions.update", {{"id", s["id"]}, {"title", "Two"}})["title"], "Two");
  EXPECT_FALSE(call("sessions.softDelete", {{"id", s["id"]}})["deletedAt"].is_null());
  EXPECT_TRUE(call("sessions.list").empty());
  EXPECT_EQ(call("sessions.list",
                 {{"includeDeleted", true}, {"avatarId", ada["id"]}, {"kind", "interview"}})
                .size(),
            1u);
  EXPECT_TRUE(call("sessions.restore", {{"id", s["id"]}})["deletedAt"].is_null());
  EXPECT_EQ(call("sessions.get", {{"id", s["id"]}})["title"], "Two");
  EXPECT_TRUE(call("sessions.purge", {{"id", s["id"]}}).is_null());
  EXPECT_EQ(errorOf([&] { call("sessions.get", {{"id", s["id"]}}); }).code(), ErrorCode::kNotFound);
}

TEST_F(CommandsTest, PresetAndConfigMethods) {
  const json p =
      call("presets.create",
           {{"kind", "question_set"}, {"name", "Basics"}, {"data", json::array({"Why?"})}});
  EXPECT_EQ(call("presets.get", {{"id", p["id"]}})["data"][0], "Why?");
  EXPECT_EQ(call("presets.list", {{"kind", "question_set"}}).size(), 1u);
  EXPECT_EQ(call("presets.update", {{"id", p["id"]}, {"data", 5}})["data"], 5);
  EXPECT_TRUE(call("presets.delete", {{"id", p["id"]}}).is_null());

  EXPECT_EQ(call("config.get", {{"key", "assets.maxBytes"}})["isDefault"], true);
  EXPECT_TRUE(call("config.get", {{"key", "assets.maxBytes"}})["updatedAt"].is_null());
  EXPECT_EQ(call("config.set", {{"key", "assets.maxBytes"}, {"value", 10}})["value"], 10);
  EXPECT_EQ(call("config.list").size(), 2u);
  EXPECT_TRUE(call("config.delete", {{"key", "assets.maxBytes"}}).is_null());
  EXPECT_EQ(call("config.get", {{"key", "assets.maxBytes"}})["value"], 10485760);
}

TEST_F(CommandsTest, AudioWithPhonemesBytesInAndOut) {
  const json ada = call("avatars.create", {{"name", "Ada"}});
  const std::vector<uint8_t> samples(400, 0);
  const json audio =
      call("audios.create",
           {{"avatarId", ada["id"]},
            {"text", "Hi."},
            {"voiceId", "amy"},
            {"sampleRate", 22050},
            {"durationMs", 5},
            {"format", "pcm_f32"},
            {"phonemes",
             {{{"phoneme", "h"}, {"startMs", 0}, {"endMs", 2.5}},
              {{"phoneme", "aɪ"}, {"startMs", 2.5}, {"endMs", 5}, {"viseme", "aa"}}}}},
           &samples);
  EXPECT_EQ(audio["phonemeCount"], 2);
  EXPECT_EQ(audio["size"], 400);
  EXPECT_EQ(audio["voiceId"], "amy");
  EXPECT_TRUE(audio["sessionId"].is_null());

  std::vector<uint8_t> out = {9, 9};  // overwritten, not appended to
  EXPECT_EQ(call("audios.getBytes", {{"id", audio["id"]}}, nullptr, &out)["format"], "pcm_f32");
  EXPECT_EQ(out, samples);

  const json phonemes = call("phonemes.list", {{"audioId", audio["id"]}});
  ASSERT_EQ(phonemes.size(), 2u);
  EXPECT_EQ(phonemes[1], json({{"audioId", audio["id"]},
                               {"idx", 1},
                               {"phoneme", "aɪ"},
                               {"startMs", 2.5},
                               {"endMs", 5.0},
                               {"viseme", "aa"}}));
  EXPECT_EQ(
      call("phonemes.insertBatch",
           {{"audioId", audio["id"]},
            {"rows", {{{"idx", 2}, {"phoneme", "t"}, {"startMs", 5}, {"endMs", 6}}}}})["inserted"],
      1);
  EXPECT_EQ(
      call("phonemes.update", {{"audioId", audio["id"]}, {"idx", 2}, {"viseme", "DD"}})["viseme"],
      "DD");
  EXPECT_EQ(call("phonemes.get", {{"audioId", audio["id"]}, {"idx", 2}})["viseme"], "DD");
  EXPECT_TRUE(call("phonemes.delete", {{"audioId", audio["id"]}, {"idx", 2}}).is_null());
  EXPECT_EQ(call("phonemes.deleteAll", {{"audioId", audio["id"]}})["deleted"], 2);

  EXPECT_EQ(call("audios.update", {{"id", audio["id"]}, {"metadata", {{"a", 1}}}})["metadata"]["a"],
            1);
  EXPECT_EQ(call("audios.get", {{"id", audio["id"]}})["metadata"]["a"], 1);
  EXPECT_EQ(call("audios.list", {{"avatarId", ada["id"]}}).size(), 1u);
  EXPECT_TRUE(call("audios.delete", {{"id", audio["id"]}}).is_null());
}

TEST_F(CommandsTest, AudioAndItsPhonemesAreAllOrNothing) {
  const std::vector<uint8_t> samples(8, 0);
  const json bad = {{"text", "Hi."},
                    {"voiceId", "amy"},
                    {"sampleRate", 22050},
                    {"durationMs", 5},
                    {"format", "pcm_f32"},
                    {"phonemes",
                     {{{"idx", 0}, {"phoneme", "h"}, {"startMs", 0}, {"endMs", 1}},
                      {{"idx", 0}, {"phoneme", "i"}, {"startMs", 1}, {"endMs", 2}}}}};
  EXPECT_EQ(errorOf([&] { call("audios.create", bad, &samples); }).code(), ErrorCode::kConstraint);
  EXPECT_EQ(store.audios().count(), 0);
  json wrongRow = bad;
  wrongRow["phonemes"][1]["startMs"] = "soon";
  expectInvalid("audios.create", wrongRow, {"rows[1]", "startMs", "number"}, &samples);
}

TEST_F(CommandsTest, RenderAndAssetMethods) {
  const json ada = call("avatars.create", {{"name", "Ada"}});
  const std::vector<uint8_t> png = {0x89, 'P', 'N', 'G'};
  const json r = call("renders.create",
                      {{"avatarId", ada["id"]},
                       {"kind", "thumbnail"},
                       {"mime", "image/png"},
                       {"width", 2},
                       {"height", 2}},
                      &png);
  std::vector<uint8_t> out;
  EXPECT_EQ(call("renders.getBytes", {{"id", r["id"]}}, nullptr, &out)["mime"], "image/png");
  EXPECT_EQ(out, png);
  EXPECT_EQ(call("renders.get", {{"id", r["id"]}})["width"], 2);
  EXPECT_EQ(call("renders.list", {{"avatarId", ada["id"]}, {"kind", "thumbnail"}}).size(), 1u);
  EXPECT_EQ(call("renders.update", {{"id", r["id"]}, {"kind", "frame"}})["kind"], "frame");
  EXPECT_TRUE(call("renders.delete", {{"id", r["id"]}}).is_null());

  const json a = call("assets.create", {{"name", "bg.png"}, {"mime", "image/png"}}, &png);
  EXPECT_EQ(a["size"], 4);
  EXPECT_EQ(call("assets.getByName", {{"name", "bg.png"}})["id"], a["id"]);
  EXPECT_EQ(errorOf([&] {
              call("assets.getByName", {{"name", "nope"}});
            }).code(),
            ErrorCode::kNotFound);
  const std::vector<uint8_t> bigger = {1, 2, 3, 4, 5, 6};
  const json updated =
      call("assets.update", {{"id", a["id"]}, {"name", "bg2.png"}}, &bigger);  // rename + bytes
  EXPECT_EQ(updated["name"], "bg2.png");
  EXPECT_EQ(updated["size"], 6);
  EXPECT_EQ(call("assets.getBytes", {{"id", a["id"]}}, nullptr, &out)["sha256"], updated["sha256"]);
  EXPECT_EQ(out, bigger);
  EXPECT_EQ(call("assets.get", {{"id", a["id"]}})["name"], "bg2.png");
  EXPECT_EQ(call("assets.list").size(), 1u);
  // The size limit is reported as a constraint and the failed update changes nothing.
  call("config.set", {{"key", "assets.maxBytes"}, {"value", 5}});
  EXPECT_EQ(errorOf([&] {
              call("assets.update", {{"id", a["id"]}, {"name", "x.png"}}, &bigger);
            }).code(),
            ErrorCode::kConstraint);
  EXPECT_EQ(call("assets.get", {{"id", a["id"]}})["name"], "bg2.png");
  EXPECT_TRUE(call("assets.delete", {{"id", a["id"]}}).is_null());
}

TEST_F(CommandsTest, DispatchErrorsNameTheProblem) {
  const Error unknown = errorOf([&] { call("avatars.explode"); });
  EXPECT_EQ(unknown.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(unknown.what()).find("avatars.explode"), std::string::npos);

  expectInvalid("avatars.get", {{"id", "7"}}, {"avatars.get", "'id'", "integer"});
  expectInvalid("avatars.get", {{"id", 1.5}}, {"'id'", "integer"});
  expectInvalid("avatars.get", json::object(), {"missing", "'id'"});
  expectInvalid("avatars.create", {{"name", 5}}, {"'name'", "string"});
  expectInvalid("avatars.create", {{"name", "x"}, {"state", "happy"}}, {"'state'", "object"});
  expectInvalid("avatars.patchState", {{"id", 1}}, {"'patch'"});
  expectInvalid("sessions.list", {{"avatarID", 1}}, {"unknown param 'avatarID'"});
  expectInvalid("sessions.list", {{"includeDeleted", "yes"}}, {"'includeDeleted'", "boolean"});
  expectInvalid("avatars.list", {{"limit", 0}}, {"limit"});
  expectInvalid("avatars.list", json::array({1}), {"params must be a JSON object"});
  expectInvalid("phonemes.insertBatch", {{"audioId", 1}, {"rows", "many"}}, {"'rows'", "array"});
  expectInvalid("phonemes.insertBatch", {{"audioId", 1}, {"rows", {{{"phoneme", "a"}}}}},
                {"rows[0]", "'startMs'"});
  expectInvalid("assets.create", {{"name", "a.bin"}, {"mime", "x/y"}}, {"blobIn"});
  expectInvalid("export", json::object(), {"blobOut"});
  EXPECT_EQ(avatarCount(), 0);
  // Integral floats are accepted (JSON from JavaScript has no integer type).
  call("avatars.create", {{"name", "Ada"}});
  EXPECT_EQ(call("avatars.get", {{"id", 1.0}})["name"], "Ada");
  EXPECT_EQ(call("avatars.list", nullptr).size(), 1u);  // null params mean {}
}

TEST_F(CommandsTest, TransactionCommitAndRollback) {
  const json tx = call("transaction.begin");
  EXPECT_EQ(tx["depth"], 1);
  call("avatars.create", {{"name", "Kept"}});
  call("transaction.commit", {{"txId", tx["txId"]}});
  EXPECT_EQ(avatarCount(), 1);

  const json tx2 = call("transaction.begin");
  call("avatars.create", {{"name", "Dropped"}});
  call("transaction.rollback", {{"txId", tx2["txId"]}});
  EXPECT_EQ(avatarCount(), 1);
  expectInvalid("transaction.commit", {{"txId", tx2["txId"]}}, {"not open"});
}

TEST_F(CommandsTest, NestedTransactions) {
  const json outer = call("transaction.begin");
  call("avatars.create", {{"name", "Outer"}});
  const json inner = call("transaction.begin");
  EXPECT_EQ(inner["depth"], 2);
  call("avatars.create", {{"name", "Inner"}});
  expectInvalid("transaction.commit", {{"txId", outer["txId"]}}, {"open inner transaction"});
  call("transaction.rollback", {{"txId", inner["txId"]}});
  EXPECT_EQ(avatarCount(), 1);  // only the inner level went
  const json inner2 = call("transaction.begin");
  call("avatars.create", {{"name", "Inner2"}});
  call("transaction.commit", {{"txId", inner2["txId"]}});
  // Export and import are refused while anything is open.
  std::vector<uint8_t> out;
  const Error exportError = errorOf([&] { call("export", json::object(), nullptr, &out); });
  EXPECT_EQ(exportError.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(std::string(exportError.what()).find("transaction is open"), std::string::npos);
  const json innerMost = call("transaction.begin");
  call("transaction.rollback", {{"txId", outer["txId"]}});  // takes innerMost along
  expectInvalid("transaction.commit", {{"txId", innerMost["txId"]}}, {"not open"});
  EXPECT_EQ(avatarCount(), 0);
  EXPECT_EQ(store.database().transactionDepth(), 0);
}

TEST_F(CommandsTest, RollbackAllAndDestructorCloseWhatIsOpen) {
  call("transaction.begin");
  call("transaction.begin");
  call("avatars.create", {{"name", "Dropped"}});
  EXPECT_EQ(call("transaction.rollbackAll")["rolledBack"], 2);
  EXPECT_EQ(call("transaction.rollbackAll")["rolledBack"], 0);
  EXPECT_EQ(avatarCount(), 0);
  {
    StoreCommands worker(store);
    worker.call("transaction.begin", json::object(), nullptr, nullptr);
    worker.call("avatars.create", {{"name", "Never committed"}}, nullptr, nullptr);
  }  // a disposed worker leaves no transaction behind
  EXPECT_EQ(store.database().transactionDepth(), 0);
  EXPECT_EQ(avatarCount(), 0);
}

TEST_F(CommandsTest, FailedCallInsideTransactionKeepsItOpen) {
  const json tx = call("transaction.begin");
  call("avatars.create", {{"name", "Ada"}});
  EXPECT_EQ(errorOf([&] {
              call("avatars.create", {{"name", "Ada"}});
            }).code(),
            ErrorCode::kConstraint);
  // Only the failed statement was undone; the caller decides about the rest.
  call("transaction.commit", {{"txId", tx["txId"]}});
  EXPECT_EQ(avatarCount(), 1);
}

TEST_F(CommandsTest, StatsHealthExportImport) {
  call("avatars.create", {{"name", "Ada"}});
  const json stats = call("stats");
  EXPECT_EQ(stats["rowCounts"]["avatars"], 1);
  EXPECT_EQ(stats["bytes"], stats["pageCount"].get<int64_t>() * stats["pageSize"].get<int64_t>());
  const json health = call("health");
  EXPECT_EQ(health["ok"], true);
  EXPECT_EQ(health["quickCheck"], json::array({"ok"}));

  std::vector<uint8_t> file;
  const json exported = call("export", json::object(), nullptr, &file);
  EXPECT_EQ(exported["size"], file.size());
  Store other(":memory:");
  StoreCommands otherCommands(other);
  const json imported = otherCommands.call("import", json::object(), &file, nullptr);
  EXPECT_EQ(imported["rowCounts"]["avatars"], 1);
  EXPECT_EQ(other.avatars().get(1).name, "Ada");

  const std::vector<uint8_t> garbage(8192, 1);
  EXPECT_EQ(
      errorOf([&] { otherCommands.call("import", json::object(), &garbage, nullptr); }).code(),
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(other.avatars().count(), 1);
}

// src/store/README.md documents every method with its params; keep them in step.
TEST_F(CommandsTest, ReadmeDocumentsEveryMethodAndParam) {
  std::string readmePath = __FILE__;
  readmePath = readmePath.substr(0, readmePath.rfind("tests/native/")) + "src/store/README.md";
  std::ifstream readme(readmePath);
  if (!readme.good()) {
    // Under node the wasm build sees only its virtual file system unless it mounts the host's.
    GTEST_SKIP() << readmePath << " is not readable from this build";
  }
  std::stringstream text;
  text << readme.rdbuf();
  const std::string content = text.str();

  // Rows look like: | `method` | `param`, `optional?` (notes) | returns |
  std::map<std::string, std::set<std::string>> documented;
  std::istringstream lines(content);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    const size_t methodEnd = line.find('`', 3);
    const size_t cellStart = line.find('|', methodEnd);
    const size_t cellEnd = line.find('|', cellStart + 1);
    std::set<std::string>& params = documented[line.substr(3, methodEnd - 3)];
    const std::string cell = line.substr(cellStart + 1, cellEnd - cellStart - 1);
    // Every `word` or `word?` in the params cell is a param name.
    for (size_t open = cell.find('`'); open != std::string::npos;) {
      const size_t close = cell.find('`', open + 1);
      std::string name = cell.substr(open + 1, close - open - 1);
      if (!name.empty() && name.back() == '?') name.pop_back();
      if (!name.empty() &&
          name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
              std::string::npos) {
        params.insert(name);
      }
      open = cell.find('`', close + 1);
    }
  }
  for (const auto& [method, params] : commands.methods()) {
    ASSERT_TRUE(documented.count(method)) << method << " missing from README.md";
    EXPECT_EQ(documented[method], std::set<std::string>(params.begin(), params.end())) << method;
  }
  EXPECT_EQ(documented.size(), commands.methods().size());
}

}  // namespace
}  // namespace avatar_voice::store
