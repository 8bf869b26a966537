// Checks and conversions for values on their way into or out of a column: JSON documents are
// stored as TEXT (validated again by CHECK(json_valid(...)) in the schema), text must be UTF-8.
//
//   statement.bindText(2, jsonColumnText(state, "state"));
//   avatar.state = jsonFromColumn(statement.columnText(2));
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace avatar_voice::store {

// Compact JSON text of `value`. Throws kInvalidUtf8 naming `field` if a string in it is not UTF-8.
std::string jsonColumnText(const nlohmann::json& value, std::string_view field);

// Parses a JSON column. The schema's CHECK makes failure impossible short of a corrupt file, so a
// failure is kStore, not a caller error.
nlohmann::json jsonFromColumn(const std::string& text);

// Throws kInvalidArgument naming `field` unless `value` is a JSON object.
void requireJsonObject(const nlohmann::json& value, std::string_view field);

// UTF-8 validation is text/unicode_nfd.h's isValidUtf8 (one implementation for the core).

// Throws kInvalidUtf8 / kInvalidArgument naming `field` unless `text` is UTF-8 and, when
// `allowEmpty` is false, has a non-whitespace character.
void requireText(std::string_view text, std::string_view field, bool allowEmpty = false);

}  // namespace avatar_voice::store
