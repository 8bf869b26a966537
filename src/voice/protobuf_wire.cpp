#include "voice/protobuf_wire.h"

#include <string>

#include "core/error.h"

namespace avatar_voice {
namespace {

[[noreturn]] void fail(const std::string& what, size_t offset) {
  throw Error(ErrorCode::kInvalidModel,
              "malformed protobuf: " + what + " at byte " + std::to_string(offset));
}

void checkFieldNumber(uint32_t number) {
  if (number == 0 || number > kMaxWireFieldNumber) {
    throw Error(ErrorCode::kInvalidArgument,
                "protobuf field number out of range: " + std::to_string(number));
  }
}

uint64_t readLittleEndian(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

}  // namespace

WireReader::WireReader(const uint8_t* data, size_t size) : WireReader(data, size, 0, 0) {}

WireReader::WireReader(const uint8_t* data, size_t size, size_t base, int depth)
    : data_(data), size_(size), base_(base), depth_(depth) {
  if (data == nullptr && size != 0) {
    throw Error(ErrorCode::kInvalidArgument, "WireReader: null data with non-zero size");
  }
}

uint64_t WireReader::readVarint(const char* what) {
  const size_t start = pos_;
  uint64_t value = 0;
  // At most 10 bytes; the 10th may only carry the top bit of a 64-bit value. Anything longer is
  // either garbage or an attempt to make us loop, so it is rejected rather than truncated.
  for (int i = 0; i < 10; ++i) {
    if (pos_ >= size_) fail(std::string("truncated ") + what, base_ + start);
    const uint8_t byte = data_[pos_++];
    if (i == 9 && byte > 1) fail(std::string("varint overflows 64 bits in ") + what, base_ + start);
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) return value;
  }
  fail(std::string("varint longer than 10 bytes in ") + what, base_ + start);
}

bool WireReader::next(WireField& field) {
  if (pos_ >= size_) return false;
  field = WireField();
  field.begin = base_ + pos_;
  const uint64_t tag = readVarint("field tag");
  field.tagEnd = base_ + pos_;
  if (tag > UINT32_MAX) fail("field tag wider than 32 bits", field.begin);
  field.number = static_cast<uint32_t>(tag >> 3);
  if (field.number == 0) fail("field number 0", field.begin);
  const uint32_t wireType = static_cast<uint32_t>(tag & 7);

  switch (wireType) {
    case 0:
      field.type = WireType::kVarint;
      field.valueBegin = field.tagEnd;
      field.value = readVarint("varint field");
      break;
    case 1:
    case 5: {
      const size_t n = wireType == 1 ? 8 : 4;
      field.type = wireType == 1 ? WireType::kFixed64 : WireType::kFixed32;
      field.valueBegin = field.tagEnd;
      if (size_ - pos_ < n) fail("truncated fixed-width field", field.begin);
      field.bytes = data_ + pos_;
      field.size = n;
      field.value = readLittleEndian(field.bytes, n);
      pos_ += n;
      break;
    }
    case 2: {
      field.type = WireType::kLengthDelimited;
      const uint64_t length = readVarint("length prefix");
      field.valueBegin = base_ + pos_;
      // Compare against what is left (never pos_ + length, which can wrap on 32-bit wasm).
      if (length > static_cast<uint64_t>(size_ - pos_)) {
        fail("length " + std::to_string(length) + " runs past the end of its message (" +
                 std::to_string(size_ - pos_) + " bytes left)",
             field.begin);
      }
      field.bytes = data_ + pos_;
      field.size = static_cast<size_t>(length);
      pos_ += field.size;
      break;
    }
    case 3:
    case 4:
      fail("group wire type (not used by ONNX)", field.begin);
    default:
      fail("unknown wire type " + std::to_string(wireType), field.begin);
  }
  field.end = base_ + pos_;
  return true;
}

WireReader WireReader::nested(const WireField& field) const {
  if (field.type != WireType::kLengthDelimited) {
    fail("field " + std::to_string(field.number) + " should be a message but has wire type " +
             std::to_string(static_cast<int>(field.type)),
         field.begin);
  }
  if (depth_ + 1 > kMaxWireNestingDepth) {
    fail("messages nested deeper than " + std::to_string(kMaxWireNestingDepth), field.begin);
  }
  return WireReader(field.bytes, field.size, field.valueBegin, depth_ + 1);
}

size_t varintSize(uint64_t value) {
  size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

uint8_t* writeVarint(uint8_t* dst, uint64_t value) {
  while (value >= 0x80) {
    *dst++ = static_cast<uint8_t>(value | 0x80);
    value >>= 7;
  }
  *dst++ = static_cast<uint8_t>(value);
  return dst;
}

size_t lengthDelimitedFieldSize(uint32_t number, size_t payloadSize) {
  checkFieldNumber(number);
  return varintSize(static_cast<uint64_t>(number) << 3) + varintSize(payloadSize) + payloadSize;
}

void WireWriter::varint(uint64_t value) {
  uint8_t buffer[10];
  uint8_t* end = writeVarint(buffer, value);
  out_.insert(out_.end(), buffer, end);
}

void WireWriter::tag(uint32_t number, WireType type) {
  checkFieldNumber(number);
  varint((static_cast<uint64_t>(number) << 3) | static_cast<uint64_t>(type));
}

void WireWriter::varintField(uint32_t number, uint64_t value) {
  tag(number, WireType::kVarint);
  varint(value);
}

void WireWriter::fixed32Field(uint32_t number, uint32_t value) {
  tag(number, WireType::kFixed32);
  for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void WireWriter::fixed64Field(uint32_t number, uint64_t value) {
  tag(number, WireType::kFixed64);
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void WireWriter::bytesField(uint32_t number, const uint8_t* data, size_t size) {
  tag(number, WireType::kLengthDelimited);
  varint(size);
  if (size > 0) out_.insert(out_.end(), data, data + size);
}

void WireWriter::bytesField(uint32_t number, std::string_view text) {
  bytesField(number, reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

void WireWriter::bytesField(uint32_t number, const std::vector<uint8_t>& payload) {
  bytesField(number, payload.data(), payload.size());
}

}  // namespace avatar_voice
