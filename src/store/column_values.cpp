#include "store/column_values.h"

#include "core/error.h"

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

bool isValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t codePoint = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      codePoint = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      codePoint = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      codePoint = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      codePoint = (codePoint << 6) | (next & 0x3F);
    }
    // Reject overlong forms, UTF-16 surrogates and values past U+10FFFF.
    static constexpr uint32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (codePoint < kMinimum[length] || codePoint > 0x10FFFF ||
        (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
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
