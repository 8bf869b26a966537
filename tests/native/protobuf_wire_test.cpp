#include "voice/protobuf_wire.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"

namespace avatar_voice {
namespace {

using Bytes = std::vector<uint8_t>;

// Runs `body` and checks it throws avatar_voice::Error with `code`.
void expectError(ErrorCode code, const std::function<void()>& body) {
  try {
    body();
    ADD_FAILURE() << "expected an avatar_voice::Error, nothing was thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
  }
}

// Reads every field of `bytes`; throws whatever the reader throws.
std::vector<WireField> readAll(const Bytes& bytes) {
  WireReader reader(bytes.data(), bytes.size());
  std::vector<WireField> fields;
  WireField f;
  while (reader.next(f)) fields.push_back(f);
  return fields;
}

// Walks every length-delimited field as if it were a message, the way a careless recursive
// consumer would. Used to show that nested() bounds such a walk.
void walkTree(const WireReader& reader) {
  WireReader r = reader;
  WireField f;
  while (r.next(f)) {
    if (f.type == WireType::kLengthDelimited) walkTree(r.nested(f));
  }
}

Bytes nestedMessage(int depth) {
  Bytes inner;
  WireWriter(inner).varintField(1, 7);
  for (int i = 0; i < depth; ++i) {
    Bytes outer;
    WireWriter(outer).bytesField(1, inner);
    inner.swap(outer);
  }
  return inner;
}

TEST(ProtobufWireTest, VarintRoundTripsAndSizes) {
  const uint64_t values[] = {0, 1, 127, 128, 300, 16383, 16384, (1ull << 32), UINT64_MAX};
  const size_t sizes[] = {1, 1, 1, 2, 2, 2, 3, 5, 10};
  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); ++i) {
    Bytes out;
    WireWriter(out).varintField(1, values[i]);
    EXPECT_EQ(varintSize(values[i]), sizes[i]);
    EXPECT_EQ(out.size(), 1 + sizes[i]);
    const auto fields = readAll(out);
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_EQ(fields[0].number, 1u);
    EXPECT_EQ(fields[0].type, WireType::kVarint);
    EXPECT_EQ(fields[0].value, values[i]);
  }
}

TEST(ProtobufWireTest, KnownEncodings) {
  Bytes out;
  WireWriter writer(out);
  writer.varintField(1, 150);       // the protobuf documentation's example: 08 96 01
  writer.bytesField(2, "testing");  // 12 07 74 65 73 74 69 6e 67
  const Bytes expected = {0x08, 0x96, 0x01, 0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'};
  EXPECT_EQ(out, expected);
}

TEST(ProtobufWireTest, ReadsAllWireTypesWithOffsets) {
  Bytes out;
  WireWriter writer(out);
  writer.varintField(1, 5);
  writer.fixed64Field(2, 0x0102030405060708ull);
  writer.bytesField(3, "abc");
  writer.fixed32Field(4, 0xdeadbeef);
  writer.bytesField(kMaxWireFieldNumber, "");

  const auto f = readAll(out);
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0].type, WireType::kVarint);
  EXPECT_EQ(f[0].value, 5u);
  EXPECT_EQ(f[0].begin, 0u);
  EXPECT_EQ(f[0].end, 2u);
  EXPECT_EQ(f[1].type, WireType::kFixed64);
  EXPECT_EQ(f[1].value, 0x0102030405060708ull);
  EXPECT_EQ(f[1].size, 8u);
  EXPECT_EQ(f[2].type, WireType::kLengthDelimited);
  EXPECT_EQ(f[2].text(), "abc");
  EXPECT_EQ(f[2].tagEnd, f[2].begin + 1);
  EXPECT_EQ(f[2].valueBegin, f[2].tagEnd + 1);
  EXPECT_EQ(f[2].end, f[2].valueBegin + 3);
  EXPECT_EQ(f[2].bytes, out.data() + f[2].valueBegin);
  EXPECT_EQ(f[3].type, WireType::kFixed32);
  EXPECT_EQ(f[3].value, 0xdeadbeefu);
  EXPECT_EQ(f[4].number, kMaxWireFieldNumber);
  EXPECT_EQ(f[4].size, 0u);
  EXPECT_EQ(f[4].end, out.size());
}

TEST(ProtobufWireTest, EmptyMessageHasNoFields) {
  WireReader reader(nullptr, 0);
  WireField f;
  EXPECT_FALSE(reader.next(f));
}

TEST(ProtobufWireTest, NestedReaderReportsOuterOffsets) {
  Bytes inner;
  WireWriter(inner).bytesField(5, "xy");
  Bytes outer;
  WireWriter writer(outer);
  writer.varintField(1, 1);
  writer.bytesField(2, inner);

  WireReader root(outer.data(), outer.size());
  WireField f;
  ASSERT_TRUE(root.next(f));
  ASSERT_TRUE(root.next(f));
  WireReader child = root.nested(f);
  EXPECT_EQ(child.depth(), 1);
  WireField g;
  ASSERT_TRUE(child.next(g));
  EXPECT_EQ(g.text(), "xy");
  EXPECT_EQ(g.begin, f.valueBegin);
  EXPECT_EQ(outer.data() + g.valueBegin, g.bytes);
  EXPECT_FALSE(child.next(g));
}

TEST(ProtobufWireTest, MalformedInputThrowsInvalidModel) {
  const std::vector<Bytes> cases = {
      {0x80},                               // truncated tag varint
      {0x08},                               // tag without its varint value
      {0x08, 0xff, 0xff},                   // truncated varint value
      {0x08, 0xff, 0xff, 0xff, 0xff, 0xff,  // 11-byte varint
       0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
      {0x08, 0xff, 0xff, 0xff, 0xff, 0xff,  // 10th byte > 1: overflows 64 bits
       0xff, 0xff, 0xff, 0xff, 0x02},
      {0x12, 0x05, 'a', 'b'},                // length past the end
      {0x12, 0xff, 0xff, 0xff, 0xff, 0x0f},  // huge length
      {0x12, 0xff, 0xff, 0xff, 0xff, 0xff,   // length near 2^64 (must not wrap)
       0xff, 0xff, 0xff, 0xff, 0x01},
      {0x12},                                // missing length
      {0x09, 1, 2, 3},                       // truncated fixed64
      {0x0d, 1, 2},                          // truncated fixed32
      {0x00, 0x00},                          // field number 0
      {0x0b},                                // start group
      {0x0c},                                // end group
      {0x0e},                                // wire type 6
      {0x0f},                                // wire type 7
      {0x80, 0x80, 0x80, 0x80, 0x80, 0x01},  // tag wider than 32 bits
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i));
    expectError(ErrorCode::kInvalidModel, [&] { readAll(cases[i]); });
  }
}

TEST(ProtobufWireTest, NestedRequiresLengthDelimited) {
  Bytes out;
  WireWriter(out).varintField(3, 9);
  WireReader reader(out.data(), out.size());
  WireField f;
  ASSERT_TRUE(reader.next(f));
  expectError(ErrorCode::kInvalidModel, [&] { reader.nested(f); });
}

TEST(ProtobufWireTest, NestingDepthIsBounded) {
  const Bytes ok = nestedMessage(kMaxWireNestingDepth);
  EXPECT_NO_THROW(walkTree(WireReader(ok.data(), ok.size())));
  const Bytes deep = nestedMessage(kMaxWireNestingDepth + 1);
  expectError(ErrorCode::kInvalidModel, [&] { walkTree(WireReader(deep.data(), deep.size())); });
  // Far past the limit: the walk stops at kMaxWireNestingDepth instead of following it down.
  const Bytes veryDeep = nestedMessage(2000);
  expectError(ErrorCode::kInvalidModel,
              [&] { walkTree(WireReader(veryDeep.data(), veryDeep.size())); });
}

TEST(ProtobufWireTest, WriterRejectsBadFieldNumbers) {
  Bytes out;
  WireWriter writer(out);
  expectError(ErrorCode::kInvalidArgument, [&] { writer.varintField(0, 1); });
  expectError(ErrorCode::kInvalidArgument, [&] { writer.bytesField(kMaxWireFieldNumber + 1, ""); });
  expectError(ErrorCode::kInvalidArgument, [&] { lengthDelimitedFieldSize(0, 3); });
  EXPECT_EQ(lengthDelimitedFieldSize(12, 300), 1u + 2u + 300u);
}

TEST(ProtobufWireTest, NullDataWithSizeIsACallerBug) {
  expectError(ErrorCode::kInvalidArgument, [] { WireReader(nullptr, 3); });
}

// Every truncation and every single-byte corruption of a valid message either parses or throws
// kInvalidModel; under -fsanitize=address this also proves no read leaves the buffer.
TEST(ProtobufWireTest, TruncationsAndCorruptionsNeverReadOutOfBounds) {
  Bytes inner;
  WireWriter(inner).bytesField(1, "node");
  Bytes msg;
  WireWriter writer(msg);
  writer.varintField(1, 300);
  writer.bytesField(7, inner);
  writer.fixed32Field(3, 1);
  writer.fixed64Field(4, 2);
  auto tryWalk = [](const Bytes& bytes) {
    try {
      walkTree(WireReader(bytes.data(), bytes.size()));
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidModel) << e.what();
    }
  };
  for (size_t n = 0; n <= msg.size(); ++n) {
    Bytes prefix(msg.begin(), msg.begin() + n);  // exact-size copy so ASan sees overreads
    tryWalk(prefix);
  }
  for (size_t i = 0; i < msg.size(); ++i) {
    for (int v : {0x00, 0x7f, 0x80, 0xff}) {
      Bytes copy = msg;
      copy[i] = static_cast<uint8_t>(v);
      tryWalk(copy);
    }
  }
  std::mt19937 rng(1234);
  for (int round = 0; round < 2000; ++round) {
    Bytes random(rng() % 64);
    for (auto& b : random) b = static_cast<uint8_t>(rng());
    tryWalk(random);
  }
}

}  // namespace
}  // namespace avatar_voice
