#include "store/column_values.h"

#include "core/error.h"
#include "text/unicode_nfd.h"

namespace avatar_voice::store {

std::string jsonColumnText(const nlohmann::json& value, std::string_view field) {
  try {
    return value.dump();
  } catch (const nlohmann::json::type_error&) {
    // dump() throws type_error 316 for strings that are not UTF-8.
    throw Error(ErrorCode::kInvalidUtf8,
                std::string(field) + " contains a string that is not UTF-8");
  }
}

nlohmann::json jsonFromColumn(const std::string& text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorCode::kStore, std::string("stored JSON is malformed: ") + e.what());
  }
}

void requireJsonObject(const nlohmann::json& value, std::string_view field) {
  if (!value.is_object()) {
    throw Error(ErrorCode::kInvalidArgument, std::string(field) + " must be a JSON object");
  }
}

void requireText(std::string_view text, std::string_view field, bool allowEmpty) {
  if (!isValidUtf8(text)) {
    throw Error(ErrorCode::kInvalidUtf8, std::string(field) + " is not valid UTF-8");
  }
  if (!allowEmpty && text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw Error(ErrorCode::kInvalidArgument, std::string(field) + " must not be empty");
  }
}

}  // namespace avatar_voice::store
