// libFuzzer target: arbitrary bytes → Store::importDatabase, the path a user-picked backup file
// takes. Contract checked: the only exception is avatar_voice::Error; a rejected import leaves
// every row of the store (and sqlite_sequence) exactly as it was; an accepted one leaves a
// healthy store at the latest schema version (which is then put back to the baseline).
//
// Seed: a small exported store, written by this target itself (tests/fuzz/corpus/README.md):
//   AV_FUZZ_WRITE_SEED=tests/fuzz/corpus/store_import_fuzz/small_store.sqlite \
//     build/asan/tests/fuzz/store_import_fuzz -runs=0
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "byte_reader.h"
#include "core/error.h"
#include "store/store.h"

namespace {

using namespace avatar_voice;
using namespace avatar_voice::store;

// Every row of every table, including SQLite's sqlite_sequence, as one comparable string.
std::string dumpRows(Database& db) {
  std::vector<std::string> tables;
  {
    Statement list =
        db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    while (list.step()) tables.push_back(list.columnText(0));
  }
  std::string out;
  for (const std::string& table : tables) {
    out += "[" + table + "]\n";
    sqlite3_stmt* stmt = nullptr;
    // A full scan returns rows in key order (rowid or, WITHOUT ROWID, primary key).
    const std::string sql = "SELECT * FROM \"" + table + "\"";
    AV_FUZZ_REQUIRE(sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, c));
        out += std::to_string(sqlite3_column_type(stmt, c)) + ":";
        if (bytes) out.append(bytes, static_cast<size_t>(sqlite3_column_bytes(stmt, c)));
        out += '|';
      }
      out += '\n';
    }
    sqlite3_finalize(stmt);
  }
  return out;
}

struct Baseline {
  std::unique_ptr<Store> store;
  std::vector<uint8_t> image;
  std::string rows;
};

Baseline& baseline() {
  static Baseline b = [] {
    Baseline out;
    // A fixed clock: timestamps are part of the rows compared above.
    DatabaseOptions options;
    options.clock = [] { return int64_t{1700000000000}; };
    // The smallest page size keeps the committed seed (this store's export) small.
    auto db = std::make_unique<Database>(":memory:", "", options);
    db->exec("PRAGMA page_size = 512");
    out.store = std::make_unique<Store>(std::move(db));
    Store& s = *out.store;
    // One row in the tables with foreign keys, and a deleted avatar so sqlite_sequence matters.
    s.avatars().remove(s.avatars().create("Deleted").id);
    const Avatar ada = s.avatars().create("Ada", {{"emotion", "calm"}});
    NewSession session;
    session.avatarId = ada.id;
    session.kind = "interview";
    session.title = "Round 1";
    s.sessions().create(session);
    s.assets().create("bg.png", "image/png", {0x89, 'P', 'N', 'G'});
    s.config().set("ui.theme", "dark");
    out.image = s.exportDatabase();
    out.rows = dumpRows(s.database());
    return out;
  }();
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Baseline& b = baseline();
  if (const char* path = std::getenv("AV_FUZZ_WRITE_SEED")) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.image.data()),
               static_cast<std::streamsize>(b.image.size()));
    std::fprintf(stderr, "wrote %zu bytes to %s\n", b.image.size(), path);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Baseline& b = baseline();
  Store& store = *b.store;
  const std::vector<uint8_t> bytes(data, data + size);
  bool accepted = false;
  try {
    store.importDatabase(bytes);
    accepted = true;
  } catch (const Error&) {
    // Rejected: nothing may have changed.
    AV_FUZZ_REQUIRE(dumpRows(store.database()) == b.rows);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "untyped exception from importDatabase: %s\n", e.what());
    std::abort();
  }
  AV_FUZZ_REQUIRE(store.database().transactionDepth() == 0);
  if (accepted) {
    AV_FUZZ_REQUIRE(store.health().ok);
    store.importDatabase(b.image);  // back to the baseline for the next input
    AV_FUZZ_REQUIRE(dumpRows(store.database()) == b.rows);
  }
  return 0;
}
