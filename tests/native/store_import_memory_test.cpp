// An import that runs out of memory is the engine's failure, never the file's: whatever
// allocation fails, a valid image is not called "not a readable SQLite database" (the WebKit
// kill trials once refused a good image that way: the reference schema this side builds to
// compare with failed to allocate, inside the check of the file), and the store is untouched.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "error_of.h"
#include "store/store.h"

namespace avatar_voice::store {
namespace {

// SQLite's own allocator with a countdown: once `countdown` allocations have succeeded, every
// further one fails (a heap that cannot grow any more), until `countdown` is reset to -1.
sqlite3_mem_methods realMethods;
int64_t countdown = -1;
int64_t failures = 0;

bool exhausted() {
  if (countdown < 0) return false;
  if (countdown > 0) {
    --countdown;
    return false;
  }
  ++failures;
  return true;
}
void* failingMalloc(int n) { return exhausted() ? nullptr : realMethods.xMalloc(n); }
void* failingRealloc(void* p, int n) { return exhausted() ? nullptr : realMethods.xRealloc(p, n); }

class FailingAllocator {
 public:
  FailingAllocator() {
    sqlite3_shutdown();  // SQLITE_CONFIG_MALLOC is only accepted before initialisation
    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &realMethods);
    sqlite3_mem_methods wrapped = realMethods;
    wrapped.xMalloc = failingMalloc;
    wrapped.xRealloc = failingRealloc;
    installed_ = sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped) == SQLITE_OK;
    sqlite3_initialize();
  }
  ~FailingAllocator() {
    countdown = -1;
    sqlite3_shutdown();
    sqlite3_config(SQLITE_CONFIG_MALLOC, &realMethods);
    sqlite3_initialize();
  }
  bool installed() const { return installed_; }

 private:
  bool installed_ = false;
};

TEST(ImportOutOfMemory, NoFailedAllocationIsBlamedOnAValidImage) {
  FailingAllocator allocator;
  ASSERT_TRUE(allocator.installed());
  std::vector<uint8_t> image;
  {
    Store source(":memory:");
    source.avatars().create("Imported");
    image = source.exportDatabase();
  }
  Store store(":memory:");
  const int64_t kept = store.avatars().create("Kept").id;

  int64_t attempts = 0;
  bool imported = false;
  for (int64_t allowed = 0; !imported && allowed < 200000; allowed += 1 + allowed / 256) {
    ++attempts;
    countdown = allowed;
    try {
      store.importDatabase(image);
      imported = true;
    } catch (const Error& e) {
      countdown = -1;
      EXPECT_NE(e.code(), ErrorCode::kInvalidArgument)
          << "after " << allowed << " allocations: " << e.what();
      EXPECT_EQ(store.avatars().get(kept).name, "Kept") << "after " << allowed << " allocations";
      EXPECT_EQ(store.database().transactionDepth(), 0);
    }
    countdown = -1;
  }
  ASSERT_TRUE(imported) << "the import never succeeded";
  EXPECT_GT(attempts, 20);  // the sweep did reach into the import, not just its first allocation
  EXPECT_GT(failures, 0);
  EXPECT_TRUE(store.avatars().findByName("Imported").has_value());
  EXPECT_TRUE(store.health().ok);
}

}  // namespace
}  // namespace avatar_voice::store
