// Minimal protobuf wire-format reader and writer, just enough to look inside an ONNX model and
// append a field to it without a protobuf library (which would add ~1 MB to the wasm and a
// generated-code step to the build).
//
//   avatar_voice::WireReader model(bytes, size);
//   avatar_voice::WireField field;
//   while (model.next(field)) {
//     if (field.number == 7 && field.type == avatar_voice::WireType::kLengthDelimited) {
//       avatar_voice::WireReader graph = model.nested(field);  // one level deeper
//       ...
//     }
//   }
//
//   std::vector<uint8_t> out;
//   avatar_voice::WireWriter writer(out);
//   writer.bytesField(1, "name");
//   writer.varintField(2, 42);
//
// Ownership: the reader never copies or owns input bytes. A WireField's `bytes` and every nested
// reader point into the caller's buffer and are valid only while that buffer is alive and
// unchanged. The writer appends to a vector the caller owns.
//
// Untrusted input: every malformed byte sequence (truncated varint or field, length past the end,
// field number 0, group or unknown wire type, nesting deeper than kMaxWireNestingDepth) throws
// avatar_voice::Error with ErrorCode::kInvalidModel. Nothing here recurses; depth is only counted
// through nested(), so a consumer that walks a tree with nested() is bounded too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace avatar_voice {

// The wire types ONNX uses. Groups (3, 4) are deprecated and never written by ONNX exporters, so
// the reader rejects them instead of carrying code to skip them.
enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kFixed32 = 5,
};

// Same limit as the reference protobuf parser's default recursion limit.
constexpr int kMaxWireNestingDepth = 100;

// Largest field number protobuf allows (29 bits).
constexpr uint32_t kMaxWireFieldNumber = (1u << 29) - 1;

// One field of a message, as found on the wire.
struct WireField {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
  // kVarint: the decoded value. kFixed32/kFixed64: the little-endian value. Otherwise 0.
  uint64_t value = 0;
  // kLengthDelimited: the payload; kFixed32/kFixed64: the raw 4/8 bytes; kVarint: nullptr/0.
  const uint8_t* bytes = nullptr;
  size_t size = 0;
  // Offsets from the start of the outermost buffer (the root reader's data), so a caller can
  // splice the original bytes: [begin, tagEnd) tag, [tagEnd, valueBegin) length prefix (only for
  // kLengthDelimited), [valueBegin, end) payload.
  size_t begin = 0;
  size_t tagEnd = 0;
  size_t valueBegin = 0;
  size_t end = 0;

  // The payload of a length-delimited field as text (ONNX strings are not validated as UTF-8 here).
  std::string_view text() const {
    return std::string_view(reinterpret_cast<const char*>(bytes), size);
  }
};

class WireReader {
 public:
  // Reads the fields of one message held in [data, data + size). `data` may be null if size is 0.
  WireReader(const uint8_t* data, size_t size);

  // Reads the next field into `field`. Returns false at the clean end of the message; throws
  // Error(kInvalidModel) on malformed input (the reader is then unusable).
  bool next(WireField& field);

  // A reader over the payload of a length-delimited field read from this reader, one nesting
  // level deeper. Throws Error(kInvalidModel) if the field is not length-delimited or if the depth
  // would exceed kMaxWireNestingDepth.
  WireReader nested(const WireField& field) const;

  int depth() const { return depth_; }
  // Offset of the next unread byte, counted from the start of the outermost buffer.
  size_t offset() const { return base_ + pos_; }

 private:
  WireReader(const uint8_t* data, size_t size, size_t base, int depth);
  uint64_t readVarint(const char* what);

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  size_t base_;  // offset of data_[0] in the outermost buffer, for error messages and WireField
  int depth_;
};

// Number of bytes the varint encoding of `value` takes (1..10).
size_t varintSize(uint64_t value);

// Writes the varint encoding of `value` at `dst` (which must have varintSize(value) bytes) and
// returns the position just after it.
uint8_t* writeVarint(uint8_t* dst, uint64_t value);

// Size of a whole length-delimited field (tag + length prefix + payload) of `payloadSize` bytes.
size_t lengthDelimitedFieldSize(uint32_t number, size_t payloadSize);

// Appends fields to a vector the caller owns. Field numbers outside 1..kMaxWireFieldNumber throw
// Error(kInvalidArgument): they are a bug in the caller, not bad input.
class WireWriter {
 public:
  explicit WireWriter(std::vector<uint8_t>& out) : out_(out) {}

  void varint(uint64_t value);  // a bare varint, no tag
  void tag(uint32_t number, WireType type);
  void varintField(uint32_t number, uint64_t value);
  void fixed32Field(uint32_t number, uint32_t value);
  void fixed64Field(uint32_t number, uint64_t value);
  void bytesField(uint32_t number, const uint8_t* data, size_t size);
  void bytesField(uint32_t number, std::string_view text);
  void bytesField(uint32_t number, const std::vector<uint8_t>& payload);

 private:
  std::vector<uint8_t>& out_;
};

}  // namespace avatar_voice
