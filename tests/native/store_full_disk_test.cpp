// The store when its "disk" fills up: the file-pool VFS over files that share a byte budget and
// refuse to grow past it, as an OPFS sync access handle does at a full origin quota (the same
// QUOTA_EXCEEDED through the package: tests/browser/store_quota.browser.test.ts, in Chromium).
// Here every budget from "nothing left" to "almost enough" is tried: the failing command must be
// Error(kQuotaExceeded) with the message the package passes on, keep nothing, leave a sound
// file, and the store must work again.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "error_of.h"
#include "store/file_pool_vfs.h"
#include "store/store.h"
#include "store/store_commands.h"

namespace avatar_voice::store {
namespace {

using nlohmann::json;

// Every file of the pool draws from one budget, like an origin's quota.
struct Budget {
  int64_t limit = INT64_MAX;
  std::vector<MemoryFile*> files;
  int64_t used() const {
    int64_t n = 0;
    for (MemoryFile* f : files) n += f->size();
    return n;
  }
};

class QuotaFile final : public RandomAccessFile {
 public:
  explicit QuotaFile(Budget* budget) : budget_(budget) { budget_->files.push_back(&file_); }
  int64_t read(uint8_t* data, size_t size, int64_t offset) override { return file_.read(data, size, offset); }
  // Past the budget the file reports kFull, as wasm/opfs_file.cpp does for a QuotaExceededError.
  FileWrite write(const uint8_t* data, size_t size, int64_t offset) override {
    if (!fits(offset + static_cast<int64_t>(size))) return FileWrite::kFull;
    return file_.write(data, size, offset);
  }
  FileWrite truncate(int64_t size) override {
    return fits(size) ? file_.truncate(size) : FileWrite::kFull;
  }
  int64_t size() override { return file_.size(); }
  FileWrite flush() override { return FileWrite::kDone; }

 private:
  bool fits(int64_t newSize) {
    const int64_t growth = newSize - file_.size();
    return growth <= 0 || budget_->used() + growth <= budget_->limit;
  }
  Budget* budget_;
  MemoryFile file_;
};

class FullDiskTest : public ::testing::Test {
 protected:
  FullDiskTest() {
    auto pool = std::make_shared<FilePool>();
    pool->add("/quota.sqlite3", std::make_shared<QuotaFile>(&budget));
    pool->add("/quota.sqlite3-journal", std::make_shared<QuotaFile>(&budget));
    registerFilePoolVfs("pool-quota", pool);
    store = std::make_unique<Store>("/quota.sqlite3", "pool-quota");
    commands = std::make_unique<StoreCommands>(*store);
  }
  json call(const std::string& method, const json& params = json::object(),
            const std::vector<uint8_t>* in = nullptr) {
    return commands->call(method, params, in, nullptr);
  }
  json rowCounts() { return call("stats")["rowCounts"]; }

  Budget budget;
  std::unique_ptr<Store> store;
  std::unique_ptr<StoreCommands> commands;
};

TEST_F(FullDiskTest, AFailedWriteKeepsNothingAtAnyBudget) {
  const int64_t avatarId = call("avatars.create", {{"name", "Ada"}})["id"];
  call("sessions.create", {{"avatarId", avatarId}, {"kind", "interview"}, {"title", "kept"}});
  const json before = rowCounts();
  std::vector<uint8_t> blob(200 * 1024);
  for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<uint8_t>(i * 2654435761u >> 24);

  int failures = 0;
  for (int64_t headroom : {0, 512, 4096, 16384, 65536, 131072, 196608}) {
    SCOPED_TRACE("headroom " + std::to_string(headroom));
    budget.limit = budget.used() + headroom;
    // One command: a row and its blob.
    const Error single = errorOf([&] { call("assets.create", {{"name", "big"}, {"mime", "x/y"}}, &blob); });
    EXPECT_EQ(single.code(), ErrorCode::kQuotaExceeded) << single.what();
    EXPECT_STREQ(single.what(), "storage quota exceeded during assets.create; the transaction was rolled back");
    // A transaction: a small row that fits, then the blob that does not, then a commit.
    const int64_t tx = call("transaction.begin")["txId"];
    const Error inTx = errorOf([&] {
      call("sessions.create", {{"avatarId", avatarId}, {"kind", "interview"}, {"title", "half"}});
      call("assets.create", {{"name", "big 2"}, {"mime", "x/y"}}, &blob);
      call("transaction.commit", {{"txId", tx}});
    });
    EXPECT_EQ(inTx.code(), ErrorCode::kQuotaExceeded) << inTx.what();
    call("transaction.rollbackAll");  // what the TS layer does after a failed callback
    failures++;

    // Nothing of either attempt, and a sound file, read while the disk is still full.
    EXPECT_EQ(rowCounts(), before);
    EXPECT_EQ(call("health")["quickCheck"], json::array({"ok"}));
  }
  EXPECT_EQ(failures, 7);

  // With room again the same connection works.
  budget.limit = INT64_MAX;
  const json asset = call("assets.create", {{"name", "big"}, {"mime", "x/y"}}, &blob);
  EXPECT_EQ(asset["name"], "big");
  EXPECT_EQ(rowCounts()["assets"], before["assets"].get<int64_t>() + 1);
  EXPECT_EQ(call("health")["ok"], true);
}

}  // namespace
}  // namespace avatar_voice::store
