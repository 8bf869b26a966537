#include "voice/part_digest.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace avatar_voice::voice {

struct PartDigest::State {
  XXH3_state_t xxh;
};

PartDigest::PartDigest() : state_(std::make_unique<State>()) {
  // XXH3_state_t asks for 64-byte alignment, which operator new honours (C++17 aligned new).
  XXH3_128bits_reset(&state_->xxh);
}

PartDigest::~PartDigest() = default;

void PartDigest::update(const uint8_t* data, size_t size) {
  if (size > 0) XXH3_128bits_update(&state_->xxh, data, size);
}

std::string PartDigest::hex() const {
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(&state_->xxh));
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof canonical.digest);
  for (unsigned char byte : canonical.digest) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 15]);
  }
  return out;
}

}  // namespace avatar_voice::voice
