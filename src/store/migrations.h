// Forward-only schema migrations, versioned by PRAGMA user_version.
//
//   Database db(path);
//   migrate(db);                      // applies every step above the file's version, up to latest
//   migrate(db, 2);                   // tests: stop at version 2 to exercise later steps on data
//
// Each step runs in its own transaction together with the user_version bump, so a file is always
// at exactly one version. Steps are frozen once released: never edit one, append a new one.
// A step must not need foreign_keys=OFF (that pragma is a no-op inside a transaction); a table
// rebuild would need its own code path.
#pragma once

#include <vector>

#include "store/database.h"

namespace avatar_voice::store {

struct Migration {
  int version;              // user_version after this step; steps are numbered 1, 2, 3, ...
  const char* description;  // why the step exists, for error messages
  const char* sql;          // one or more statements, run with Database::exec
};

// 'AVVC' in the header's application_id: how an imported file proves it was written by us.
inline constexpr int kApplicationId = 0x41565643;

const std::vector<Migration>& migrationSteps();
int latestSchemaVersion();
int schemaVersion(Database& db);

// Brings `db` to `targetVersion` (default: latest). Throws kStore if the file is newer than this
// build, kInvalidArgument if asked to go backwards, and the step's error (message prefixed with
// the step) if a step fails — that step is rolled back, earlier steps stay applied.
void migrate(Database& db, int targetVersion = -1);

}  // namespace avatar_voice::store
