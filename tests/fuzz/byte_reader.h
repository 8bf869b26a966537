// Reads a fuzzer's input front to back as little-endian numbers; zeros once it is exhausted, so a
// target never has to check the length before each field.
//
//   ByteReader in(data, size);
//   const int rate = in.i32();
//   std::vector<float> rest = in.floats();   // whatever is left, 4 bytes per float
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace avatar_voice::fuzz {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  size_t remaining() const { return empty() ? 0 : size_ - pos_; }
  uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint16_t u16() { return static_cast<uint16_t>(u8() | (u8() << 8)); }
  uint32_t u32() { return uint32_t{u16()} | (uint32_t{u16()} << 16); }
  int32_t i32() { return static_cast<int32_t>(u32()); }
  uint64_t u64() { return uint64_t{u32()} | (uint64_t{u32()} << 32); }
  float f32() {
    const uint32_t bits = u32();
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  std::vector<float> floats(size_t max) {
    std::vector<float> out;
    while (remaining() >= 4 && out.size() < max) out.push_back(f32());
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace avatar_voice::fuzz

// A broken invariant is a finding: say which one, then abort so libFuzzer saves the input.
#define AV_FUZZ_REQUIRE(condition)                                                           \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)
