// Checks that the rows of an imported database can be read back through the store's API.
//
//   db.transaction([&] {
//     copyRowsFromImport(db);          // our CHECKs have already run on every row
//     requireApiReadableRows(db);      // throws: the transaction rolls back, nothing changed
//   });
//
// Our CHECK constraints guard what SQLite can evaluate; an import can still hold rows that pass
// them and break the API on read. This re-validates, on `db`'s main schema, what the API
// guarantees: every TEXT value is valid UTF-8, every JSON column parses (nlohmann, as on read),
// documented config keys hold positive integers, every integer (ids, foreign ids, timestamps,
// sizes) is within ±(2^53 − 1) so JavaScript numbers hold it exactly, every REAL is finite, and
// sqlite_sequence names only our AUTOINCREMENT tables with a high-water mark between the table's
// largest id and 2^53 − 1. Errors: Error(kInvalidArgument, "import rejected: ...").
#pragma once

#include <cstdint>

#include "store/database.h"

namespace avatar_voice::store {

// Largest integer a JavaScript number represents exactly (Number.MAX_SAFE_INTEGER).
inline constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

void requireApiReadableRows(Database& db);

}  // namespace avatar_voice::store
