// XXH3-128 of bytes fed in pieces, as the 32 lowercase hex characters `xxh128sum` prints. The
// integrity digest of a cached voice's split parts (web/voice_parts_cache.ts): a returning visit
// checks ~60 MB of parts while their sessions are created, on a 2-core machine where SHA-256
// (WebCrypto, ~200 MB/s here) took CPU the sessions needed. The parts are origin-private files
// written by this library, so what the check must catch is damage (bit rot, a torn write), which a
// 128-bit non-cryptographic digest catches; it runs at memory speed.
//
//   PartDigest digest;
//   digest.update(chunk1.data(), chunk1.size());
//   digest.update(chunk2.data(), chunk2.size());
//   std::string hex = digest.hex();   // 32 hex characters; the digest can go on being fed
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace avatar_voice::voice {

class PartDigest {
 public:
  PartDigest();
  ~PartDigest();
  PartDigest(const PartDigest&) = delete;
  PartDigest& operator=(const PartDigest&) = delete;

  void update(const uint8_t* data, size_t size);
  // The digest of every byte fed so far (canonical, big-endian order: high then low 64 bits).
  std::string hex() const;

 private:
  struct State;  // xxHash's streaming state, kept out of this header (xxhash.h is private).
  std::unique_ptr<State> state_;
};

}  // namespace avatar_voice::voice
