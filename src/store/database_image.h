// Whole-database export and import as the bytes of an ordinary SQLite file.
//
//   std::vector<uint8_t> file = exportDatabaseImage(db);    // e.g. offer as "avatar-voice.sqlite"
//   importDatabaseImage(otherDb, file);                     // replaces otherDb's contents
//
// Export uses sqlite3_serialize, which reads pages through the connection's pager, so it works on
// any VFS (memory, file, OPFS). Import validates the bytes on a separate in-memory connection
// (header, application_id, schema version not newer than ours, exactly our schema SQL, tables and
// columns for that version, then PRAGMA integrity_check, migrated to the latest version there and
// checked for foreign key violations); only then does it replace every table of `db` in one
// transaction, which also re-validates the rows (imported_rows.h: UTF-8, JSON, config rules,
// integers within ±2^53, sqlite_sequence). If
// anything fails, `db` is unchanged and the error says why (kInvalidArgument for bytes that are not
// an acceptable database). Both refuse to run inside an open transaction (kInvalidArgument):
// export would capture uncommitted rows, and ATTACH is impossible inside a transaction.
// The returned/passed vectors are owned by the caller; nothing keeps a pointer to them.
#pragma once

#include <cstdint>
#include <vector>

#include "store/database.h"

namespace avatar_voice::store {

std::vector<uint8_t> exportDatabaseImage(Database& db);
void importDatabaseImage(Database& db, const std::vector<uint8_t>& bytes);

}  // namespace avatar_voice::store
