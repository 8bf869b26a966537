#include "store/config_repository.h"

#include <map>

#include "core/limits.h"
#include "store/column_values.h"

namespace avatar_voice::store {
namespace {

const ConfigDefault* findDefault(const std::string& key) {
  for (const ConfigDefault& entry : ConfigRepository::defaults()) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

void checkKey(const std::string& key) {
  requireText(key, "key");
  if (key.size() > 128) throw Error(ErrorCode::kInvalidArgument, "key is longer than 128 bytes");
}

}  // namespace

const std::vector<ConfigDefault>& ConfigRepository::defaults() {
  // Every documented key is a positive integer today; set() checks that for each of them.
  static const std::vector<ConfigDefault> entries = {
      {"assets.maxBytes", limits::kDefaultMaxAssetBytes, "largest asset accepted, in bytes"},
      {"text.maxChars", limits::kDefaultUtteranceChars,
       "longest text the voice accepts, in characters"},
  };
  return entries;
}

ConfigEntry ConfigRepository::get(const std::string& key) {
  Statement select = db_.prepare("SELECT value, updated_at FROM config WHERE key = ?");
  select.bindText(1, key);
  if (select.step()) {
    return ConfigEntry{key, jsonFromColumn(select.columnText(0)), false, select.columnInt64(1)};
  }
  if (const ConfigDefault* fallback = findDefault(key)) {
    return ConfigEntry{key, fallback->value, true, 0};
  }
  throw Error(ErrorCode::kNotFound, "config key '" + key + "' not found");
}

int64_t ConfigRepository::getInt64(const std::string& key) {
  const ConfigEntry entry = get(key);
  if (!entry.value.is_number_integer()) {
    throw Error(ErrorCode::kInvalidArgument, "config key '" + key + "' is not an integer");
  }
  return entry.value.get<int64_t>();
}

std::vector<ConfigEntry> ConfigRepository::list() {
  std::map<std::string, ConfigEntry> byKey;
  for (const ConfigDefault& entry : defaults()) {
    byKey[entry.key] = ConfigEntry{entry.key, entry.value, true, 0};
  }
  Statement select = db_.prepare("SELECT key, value, updated_at FROM config");
  while (select.step()) {
    const std::string key = select.columnText(0);
    byKey[key] =
        ConfigEntry{key, jsonFromColumn(select.columnText(1)), false, select.columnInt64(2)};
  }
  std::vector<ConfigEntry> entries;
  entries.reserve(byKey.size());
  for (auto& [key, entry] : byKey) entries.push_back(std::move(entry));
  return entries;
}

ConfigEntry ConfigRepository::set(const std::string& key, const nlohmann::json& value) {
  checkKey(key);
  if (findDefault(key) != nullptr && !(value.is_number_integer() && value.get<int64_t>() > 0)) {
    throw Error(ErrorCode::kInvalidArgument,
                "config key '" + key + "' must be a positive integer, got " + value.dump());
  }
  const int64_t now = db_.nowMs();
  Statement upsert = db_.prepare(
      "INSERT INTO config(key, value, updated_at) VALUES (?, ?, ?)"
      " ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
  upsert.bindText(1, key).bindText(2, jsonColumnText(value, "value")).bindInt64(3, now).run();
  return ConfigEntry{key, value, false, now};
}

void ConfigRepository::remove(const std::string& key) {
  Statement remove = db_.prepare("DELETE FROM config WHERE key = ?");
  remove.bindText(1, key).run();
  if (db_.changes() == 0) {
    throw Error(ErrorCode::kNotFound, "config key '" + key + "' has no stored value");
  }
}

}  // namespace avatar_voice::store
