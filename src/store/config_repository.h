// Configuration: JSON values by key. Documented keys have a built-in default that a stored value
// overrides; other keys are free-form settings of the app.
//
//   ConfigRepository config(db);
//   int64_t limit = config.getInt64("assets.maxBytes");        // 10485760 until someone sets it
//   config.set("assets.maxBytes", 1 << 20);
//   config.remove("assets.maxBytes");                          // back to the default
//
// Documented keys (see ConfigRepository::defaults(); the defaults are in core/limits.h):
//   assets.maxBytes  positive integer, default 10485760 (10 MiB): largest asset accepted.
//   text.maxChars    positive integer, default 5000: longest text synthesized at once (the
//                    worker reads it and passes it to PiperVoice::plan as maxChars; the store
//                    only keeps it).
// Borrows the Database, which must outlive it. A key with neither a stored value nor a default is
// kNotFound; a documented key set to a value of the wrong type is kInvalidArgument.
#pragma once

#include <string>
#include <vector>

#include "store/database.h"
#include "store/entities.h"

namespace avatar_voice::store {

struct ConfigDefault {
  std::string key;
  nlohmann::json value;
  std::string description;
};

class ConfigRepository {
 public:
  explicit ConfigRepository(Database& db) : db_(db) {}

  static const std::vector<ConfigDefault>& defaults();

  ConfigEntry get(const std::string& key);
  // get(key).value as an integer; kInvalidArgument if the stored value is not one.
  int64_t getInt64(const std::string& key);
  // Stored values and the defaults not overridden, by key.
  std::vector<ConfigEntry> list();
  ConfigEntry set(const std::string& key, const nlohmann::json& value);
  // Removes the stored value (a documented key falls back to its default). kNotFound if none.
  void remove(const std::string& key);

 private:
  Database& db_;
};

}  // namespace avatar_voice::store
