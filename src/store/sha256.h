// SHA-256 (FIPS 180-4) of a byte buffer, as lowercase hex. Stored with every asset so that an
// exported/imported or re-uploaded file can be checked and deduplicated without reading it twice.
//
//   std::string digest = sha256Hex(bytes.data(), bytes.size());   // 64 hex characters
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace avatar_voice::store {

std::string sha256Hex(const uint8_t* data, size_t size);

}  // namespace avatar_voice::store
