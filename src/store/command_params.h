// Typed access to the JSON params of one StoreCommands call, with errors that name the method
// and the param ("sessions.list: param 'avatarId' must be an integer").
//
//   CommandParams params("avatars.get", json{{"id", 3}});
//   int64_t id = params.requiredInt64("id");
//
// Borrows the JSON it reads; both must outlive it. Every error is kInvalidArgument. Unknown
// params are rejected up front by StoreCommands (each method declares its param names).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/entities.h"

namespace avatar_voice::store {

class CommandParams {
 public:
  // `where` prefixes error messages: the method name, or e.g. "phonemes.insertBatch: rows[3]".
  // `params` must be an object (null counts as {}).
  CommandParams(std::string where, const nlohmann::json& params);

  int64_t requiredInt64(const char* name) const;
  std::optional<int64_t> optionalInt64(const char* name) const;  // absent or null → nullopt
  double requiredDouble(const char* name) const;                 // any JSON number
  std::optional<double> optionalDouble(const char* name) const;
  std::string requiredString(const char* name) const;
  std::optional<std::string> optionalString(const char* name) const;
  bool optionalBool(const char* name, bool fallback) const;
  const nlohmann::json& requiredJson(const char* name) const;          // any value, null included
  std::optional<nlohmann::json> optionalJson(const char* name) const;  // absent → nullopt
  std::optional<nlohmann::json> optionalObject(const char* name) const;
  const nlohmann::json& requiredArray(const char* name) const;
  Page page() const;  // "limit", "offset" and "order" ("asc" or "desc"), defaults from Page
  // An array of 1..max integer ids ("ids" of the getMany methods).
  std::vector<int64_t> requiredIds(const char* name, size_t max) const;

  [[noreturn]] void fail(const std::string& message) const;

 private:
  const nlohmann::json* find(const char* name) const;
  [[noreturn]] void wrongType(const char* name, const char* expected) const;

  std::string where_;
  const nlohmann::json& params_;
};

}  // namespace avatar_voice::store
