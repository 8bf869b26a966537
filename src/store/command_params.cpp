#include "store/command_params.h"

#include "core/error.h"

namespace avatar_voice::store {
namespace {

const nlohmann::json& emptyObject() {
  static const nlohmann::json empty = nlohmann::json::object();
  return empty;
}

}  // namespace

CommandParams::CommandParams(std::string where, const nlohmann::json& params)
    : where_(std::move(where)), params_(params.is_null() ? emptyObject() : params) {
  if (!params_.is_object()) fail("params must be a JSON object");
}

void CommandParams::fail(const std::string& message) const {
  throw Error(ErrorCode::kInvalidArgument, where_ + ": " + message);
}

void CommandParams::wrongType(const char* name, const char* expected) const {
  fail(std::string("param '") + name + "' must be " + expected);
}

const nlohmann::json* CommandParams::find(const char* name) const {
  auto it = params_.find(name);
  return it == params_.end() ? nullptr : &*it;
}

int64_t CommandParams::requiredInt64(const char* name) const {
  std::optional<int64_t> value = optionalInt64(name);
  if (!value) fail(std::string("missing required param '") + name + "'");
  return *value;
}

std::optional<int64_t> CommandParams::optionalInt64(const char* name) const {
  const nlohmann::json* value = find(name);
  if (value == nullptr || value->is_null()) return std::nullopt;
  // JSON from JavaScript has no integer type: 3.0 arrives as 3, but 3.5 must not become 3.
  if (value->is_number_unsigned()) {
    if (value->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) wrongType(name, "an integer");
    return static_cast<int64_t>(value->get<uint64_t>());
  }
  if (value->is_number_integer()) return value->get<int64_t>();
  if (value->is_number_float()) {
    const double number = value->get<double>();
    if (number == static_cast<double>(static_cast<int64_t>(number)) && number < 9.2e18 &&
        number > -9.2e18) {
      return static_cast<int64_t>(number);
    }
  }
  wrongType(name, "an integer");
}

double CommandParams::requiredDouble(const char* name) const {
  std::optional<double> value = optionalDouble(name);
  if (!value) fail(std::string("missing required param '") + name + "'");
  return *value;
}

std::optional<double> CommandParams::optionalDouble(const char* name) const {
  const nlohmann::json* value = find(name);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_number()) wrongType(name, "a number");
  return value->get<double>();
}

std::string CommandParams::requiredString(const char* name) const {
  std::optional<std::string> value = optionalString(name);
  if (!value) fail(std::string("missing required param '") + name + "'");
  return *value;
}

std::optional<std::string> CommandParams::optionalString(const char* name) const {
  const nlohmann::json* value = find(name);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_string()) wrongType(name, "a string");
  return value->get<std::string>();
}

bool CommandParams::optionalBool(const char* name, bool fallback) const {
  const nlohmann::json* value = find(name);
  if (value == nullptr || value->is_null()) return fallback;
  if (!value->is_boolean()) wrongType(name, "a boolean");
  return value->get<bool>();
}

const nlohmann::json& CommandParams::requiredJson(const char* name) const {
  const nlohmann::json* value = find(name);
  if (value == nullptr) fail(std::string("missing required param '") + name + "'");
  return *value;
}

std::optional<nlohmann::json> CommandParams::optionalJson(const char* name) const {
  const nlohmann::json* value = find(name);
  if (value == nullptr) return std::nullopt;
  return *value;
}

std::optional<nlohmann::json> CommandParams::optionalObject(const char* name) const {
  const nlohmann::json* value = find(name);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_object()) wrongType(name, "an object");
  return *value;
}

const nlohmann::json& CommandParams::requiredArray(const char* name) const {
  const nlohmann::json& value = requiredJson(name);
  if (!value.is_array()) wrongType(name, "an array");
  return value;
}

Page CommandParams::page() const {
  Page page;
  if (std::optional<int64_t> limit = optionalInt64("limit")) page.limit = *limit;
  if (std::optional<int64_t> offset = optionalInt64("offset")) page.offset = *offset;
  if (std::optional<std::string> order = optionalString("order")) {
    if (*order != "asc" && *order != "desc")
      fail("param 'order' must be \"asc\" or \"desc\", got \"" + *order + "\"");
    page.newestFirst = *order == "desc";
  }
  return page;
}

std::vector<int64_t> CommandParams::requiredIds(const char* name, size_t max) const {
  const nlohmann::json& ids = requiredArray(name);
  if (ids.empty() || ids.size() > max)
    fail("param '" + std::string(name) + "' must hold 1.." + std::to_string(max) + " ids, got " +
         std::to_string(ids.size()));
  std::vector<int64_t> out;
  out.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!ids[i].is_number_integer())
      fail("param '" + std::string(name) + "'[" + std::to_string(i) + "] must be an integer");
    out.push_back(ids[i].get<int64_t>());
  }
  return out;
}

}  // namespace avatar_voice::store
