#include "voice/onnx_timing_patch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "voice/protobuf_wire.h"

namespace avatar_voice {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr const char* kCeilOut = "/dp/Ceil_output_0";

// --- Tiny ONNX builders (field numbers from onnx/onnx.proto) -------------------------------

// Builds one message with `write`.
Bytes message(const std::function<void(WireWriter&)>& write) {
  Bytes out;
  WireWriter w(out);
  write(w);
  return out;
}

Bytes node(const std::string& op, std::vector<std::string> inputs, std::vector<std::string> outputs,
           const std::string& domain = "") {
  Bytes n;
  WireWriter w(n);
  for (const auto& in : inputs) w.bytesField(1, in);
  for (const auto& out : outputs) w.bytesField(2, out);
  w.bytesField(3, op + "_node");
  w.bytesField(4, op);
  if (!domain.empty()) w.bytesField(7, domain);
  return n;
}

// TypeProto for a float tensor of `rank` dims, each of size 1 or (known = false) unknown.
Bytes floatType(int rank, bool known = true) {
  const Bytes dim = message([&](WireWriter& w) {
    if (known) w.varintField(1, 1);
  });
  const Bytes shape = message([&](WireWriter& w) {
    for (int i = 0; i < rank; ++i) w.bytesField(1, dim);
  });
  const Bytes tensor = message([&](WireWriter& w) {
    w.varintField(1, 1);
    w.bytesField(2, shape);
  });
  return message([&](WireWriter& w) { w.bytesField(1, tensor); });
}

Bytes valueInfo(const std::string& name, const Bytes& type) {
  return message([&](WireWriter& w) {
    w.bytesField(1, name);
    w.bytesField(2, type);
  });
}

Bytes initializer(const std::string& name, size_t rawBytes) {
  Bytes t;
  WireWriter w(t);
  w.varintField(1, rawBytes / 4);  // dims
  w.varintField(2, 1);             // FLOAT
  w.bytesField(8, name);
  Bytes raw(rawBytes);
  for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<uint8_t>(i * 7);
  w.bytesField(9, raw);
  return t;
}

struct GraphSpec {
  std::vector<Bytes> nodes;
  std::vector<std::string> outputs = {"output"};
  std::vector<Bytes> valueInfos;
  size_t initializerBytes = 64;
};

Bytes graph(const GraphSpec& spec) {
  Bytes g;
  WireWriter w(g);
  for (const auto& n : spec.nodes) w.bytesField(1, n);
  w.bytesField(2, "tiny_piper");
  w.bytesField(5, initializer("emb.weight", spec.initializerBytes));
  w.bytesField(11, valueInfo("input", floatType(2)));
  for (const auto& out : spec.outputs) w.bytesField(12, valueInfo(out, floatType(4)));
  for (const auto& vi : spec.valueInfos) w.bytesField(13, vi);
  return g;
}

// ModelProto with fields before AND after the graph, so both copied slabs are exercised.
Bytes model(const Bytes& graphBytes) {
  Bytes m;
  WireWriter w(m);
  w.varintField(1, 8);  // ir_version
  Bytes opset;
  WireWriter(opset).varintField(2, 15);
  w.bytesField(8, opset);
  w.bytesField(2, "avatar-voice-test");
  w.bytesField(7, graphBytes);
  Bytes meta;
  WireWriter(meta).bytesField(1, "key");
  w.bytesField(14, meta);
  return m;
}

std::vector<Bytes> piperLikeNodes() {
  return {node("Exp", {"logw"}, {"w"}), node("Mul", {"w", "scale"}, {"w_scaled"}),
          node("Ceil", {"w_scaled"}, {kCeilOut}), node("ReduceSum", {kCeilOut}, {"frames"}),
          node("Conv", {"frames", "emb.weight"}, {"output"})};
}

Bytes oneCeilModel(size_t initializerBytes = 64) {
  GraphSpec spec;
  spec.nodes = piperLikeNodes();
  spec.initializerBytes = initializerBytes;
  return model(graph(spec));
}

// --- Re-parsing helpers ------------------------------------------------------------------

std::vector<WireField> fieldsOf(const WireReader& reader) {
  WireReader r = reader;
  std::vector<WireField> out;
  WireField f;
  while (r.next(f)) out.push_back(f);
  return out;
}

void expectError(ErrorCode code, const std::string& messagePart,
                 const std::function<void()>& body) {
  try {
    body();
    ADD_FAILURE() << "expected avatar_voice::Error containing \"" << messagePart << "\"";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(messagePart), std::string::npos) << e.what();
  }
}

TimingPatch patch(const Bytes& bytes) { return patchModelForTimings(bytes.data(), bytes.size()); }

// ModelProto.graph of `model`, with offsets into it.
WireField graphOf(const Bytes& model) {
  for (const WireField& f : fieldsOf(WireReader(model.data(), model.size()))) {
    if (f.number == 7) return f;
  }
  throw std::runtime_error("no graph");
}

// Checks a decision that must hand `original` back untouched.
void expectUnchanged(const Bytes& original, TimingSource timing, const std::string& name,
                     bool alreadyPatched) {
  const TimingPatch p = patch(original);
  EXPECT_EQ(p.timing, timing);
  EXPECT_EQ(p.durationOutput, name);
  EXPECT_EQ(p.alreadyPatched, alreadyPatched);
  EXPECT_EQ(p.model, original);
}

// --- Behaviour -----------------------------------------------------------------------------

// Checks that `patched` is `original` plus exactly one graph output named `name` with `type`.
void expectAppendedOutput(const Bytes& original, const Bytes& patched, const std::string& name,
                          const Bytes& type) {
  const WireField og = graphOf(original);
  const WireField ng = graphOf(patched);
  // Every byte outside the graph field (before its length prefix and after it) is unchanged.
  EXPECT_TRUE(og.tagEnd == ng.tagEnd &&
              std::equal(original.begin(), original.begin() + og.tagEnd, patched.begin()));
  EXPECT_EQ(Bytes(original.begin() + og.end, original.end()),
            Bytes(patched.begin() + ng.end, patched.end()));
  // The original graph payload (nodes, initializers, outputs, ...) is a byte-identical prefix of
  // the new one, followed by exactly one more field: output { name, type }.
  ASSERT_GT(ng.size, og.size);
  EXPECT_TRUE(std::equal(og.bytes, og.bytes + og.size, ng.bytes));
  const WireReader newGraph = WireReader(patched.data(), patched.size()).nested(ng);
  const auto newFields = fieldsOf(newGraph);
  ASSERT_EQ(newFields.size(),
            fieldsOf(WireReader(original.data(), original.size()).nested(og)).size() + 1);
  const WireField& added = newFields.back();
  EXPECT_EQ(added.number, 12u);
  EXPECT_EQ(added.begin, ng.valueBegin + og.size);
  const auto vi = fieldsOf(newGraph.nested(added));
  ASSERT_EQ(vi.size(), 2u);
  EXPECT_EQ(vi[0].number, 1u);
  EXPECT_EQ(vi[0].text(), name);
  EXPECT_EQ(vi[1].number, 2u);
  EXPECT_EQ(Bytes(vi[1].bytes, vi[1].bytes + vi[1].size), type);
}

// What the patch declares when the graph has no value_info for the tensor.
const Bytes kDefaultType = floatType(3, /*known=*/false);

TEST(OnnxTimingPatchTest, OneCeilAppendsItsOutput) {
  const Bytes original = oneCeilModel();
  const TimingPatch p = patch(original);
  EXPECT_EQ(p.timing, TimingSource::kModel);
  EXPECT_EQ(p.durationOutput, kCeilOut);
  EXPECT_FALSE(p.alreadyPatched);
  EXPECT_GT(p.model.size(), original.size());
  expectAppendedOutput(original, p.model, kCeilOut, kDefaultType);
}

TEST(OnnxTimingPatchTest, PatchingTwiceIsANoOp) {
  expectUnchanged(patch(oneCeilModel()).model, TimingSource::kModel, kCeilOut, true);
}

TEST(OnnxTimingPatchTest, AlreadyListedOutputIsLeftAlone) {
  GraphSpec spec;
  spec.nodes = piperLikeNodes();
  spec.outputs = {"output", kCeilOut};
  expectUnchanged(model(graph(spec)), TimingSource::kModel, kCeilOut, true);
}

TEST(OnnxTimingPatchTest, NoCeilMeansEstimatedAndUnchanged) {
  GraphSpec spec;
  spec.nodes = {node("Exp", {"x"}, {"y"}), node("Floor", {"y"}, {"output"})};
  expectUnchanged(model(graph(spec)), TimingSource::kEstimated, "", false);
}

TEST(OnnxTimingPatchTest, TwoCeilsAreAmbiguousSoEstimated) {
  GraphSpec spec;
  spec.nodes = piperLikeNodes();
  spec.nodes.push_back(node("Ceil", {"other"}, {"other_ceil"}));
  expectUnchanged(model(graph(spec)), TimingSource::kEstimated, "", false);
}

TEST(OnnxTimingPatchTest, CeilInACustomDomainIsNotOnnxCeil) {
  GraphSpec spec;
  spec.nodes = {node("Ceil", {"x"}, {"y"}, "com.example"), node("Exp", {"y"}, {"output"})};
  EXPECT_EQ(patch(model(graph(spec))).timing, TimingSource::kEstimated);
  spec.nodes = {node("Ceil", {"x"}, {"y"}, "ai.onnx"), node("Exp", {"y"}, {"output"})};
  EXPECT_EQ(patch(model(graph(spec))).timing, TimingSource::kModel);
}

TEST(OnnxTimingPatchTest, UsesTheGraphsOwnValueInfoTypeWhenPresent) {
  GraphSpec spec;
  spec.nodes = piperLikeNodes();
  const Bytes exact = floatType(3);  // [1,1,1] as an exporter's shape inference would write
  spec.valueInfos = {valueInfo("w", floatType(3)), valueInfo(kCeilOut, exact)};
  const Bytes original = model(graph(spec));
  const TimingPatch p = patch(original);
  ASSERT_EQ(p.timing, TimingSource::kModel);
  expectAppendedOutput(original, p.model, kCeilOut, exact);
}

TEST(OnnxTimingPatchTest, GraphLengthPrefixMayGrow) {
  // Find an initializer size that puts the graph payload just under 16384 (2-byte length
  // prefix), so the appended output pushes it to a 3-byte prefix.
  const Bytes original = oneCeilModel(16000 + 16383 - graphOf(oneCeilModel(16000)).size);
  const WireField g = graphOf(original);
  ASSERT_EQ(g.size, 16383u);
  ASSERT_EQ(g.valueBegin - g.tagEnd, 2u);
  const TimingPatch p = patch(original);
  EXPECT_EQ(graphOf(p.model).valueBegin - graphOf(p.model).tagEnd, 3u);
  expectAppendedOutput(original, p.model, kCeilOut, kDefaultType);
}

TEST(OnnxTimingPatchTest, RvalueOverloadKeepsTheBufferWhenUnchanged) {
  GraphSpec spec;
  spec.nodes = {node("Exp", {"x"}, {"output"})};
  Bytes original = model(graph(spec));
  const Bytes copy = original;
  const uint8_t* buffer = original.data();
  const TimingPatch p = patchModelForTimings(std::move(original));
  EXPECT_EQ(p.model.data(), buffer);  // moved, not copied
  EXPECT_EQ(p.model, copy);

  Bytes ceil = oneCeilModel();
  const Bytes ceilCopy = ceil;
  const TimingPatch q = patchModelForTimings(std::move(ceil));
  EXPECT_EQ(q.timing, TimingSource::kModel);
  EXPECT_EQ(q.model, patch(ceilCopy).model);
}

// A node attribute holding a deeply nested subgraph is opaque to the patch: it is copied, not
// walked, so no depth is reached and the result is still patched.
TEST(OnnxTimingPatchTest, DeepSubgraphsAreCopiedNotWalked) {
  Bytes deep;
  WireWriter(deep).varintField(1, 1);
  for (int i = 0; i < 5000; ++i) {
    Bytes outer;
    WireWriter(outer).bytesField(6, deep);  // AttributeProto.g / GraphProto-ish nesting
    deep.swap(outer);
  }
  Bytes ifNode = node("If", {"cond"}, {"branch_out"});
  WireWriter(ifNode).bytesField(5, deep);
  GraphSpec spec;
  spec.nodes = piperLikeNodes();
  spec.nodes.push_back(ifNode);
  const Bytes original = model(graph(spec));
  const TimingPatch p = patch(original);
  EXPECT_EQ(p.timing, TimingSource::kModel);
  expectAppendedOutput(original, p.model, kCeilOut, kDefaultType);
}

// --- Malformed input ---------------------------------------------------------------------

TEST(OnnxTimingPatchTest, NotOnnxAtAll) {
  expectError(ErrorCode::kInvalidModel, "not an ONNX model", [] { patch({}); });
  expectError(ErrorCode::kInvalidModel, "not an ONNX model",
              [] { patchModelForTimings(nullptr, 0); });
  const Bytes png = {0x89, 'P',  'N',  'G',  '\r', '\n', 0x1a, '\n', 0x00, 0x00, 0x00,
                     0x0d, 'I',  'H',  'D',  'R',  0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
                     0x01, 0x00, 0x08, 0x06, 0x00, 0x00, 0x00, 0x5c, 0x72, 0xa8, 0x66};
  expectError(ErrorCode::kInvalidModel, "not an ONNX model", [&] { patch(png); });
  const std::string text = "{\"audio\": {\"sample_rate\": 22050}}";
  expectError(ErrorCode::kInvalidModel, "not an ONNX model",
              [&] { patch(Bytes(text.begin(), text.end())); });
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    Bytes random(1 + rng() % 256);
    for (auto& b : random) b = static_cast<uint8_t>(rng());
    expectError(ErrorCode::kInvalidModel, "ONNX", [&] { patch(random); });
  }
}

TEST(OnnxTimingPatchTest, MissingPiecesOfAModelProto) {
  Bytes noGraph;
  WireWriter(noGraph).varintField(1, 8);
  expectError(ErrorCode::kInvalidModel, "no graph", [&] { patch(noGraph); });

  Bytes noIrVersion;
  WireWriter(noIrVersion).bytesField(7, graph(GraphSpec{}));
  expectError(ErrorCode::kInvalidModel, "not an ONNX model", [&] { patch(noIrVersion); });

  Bytes twoGraphs = oneCeilModel();
  WireWriter(twoGraphs).bytesField(7, graph(GraphSpec{}));
  expectError(ErrorCode::kInvalidModel, "more than one graph", [&] { patch(twoGraphs); });
}

TEST(OnnxTimingPatchTest, WrongWireTypes) {
  const Bytes graphAsVarint = message([](WireWriter& w) {
    w.varintField(1, 8);
    w.varintField(7, 3);
  });
  expectError(ErrorCode::kInvalidModel, "wrong wire type", [&] { patch(graphAsVarint); });
  const Bytes irAsString = message([](WireWriter& w) { w.bytesField(1, "8"); });
  expectError(ErrorCode::kInvalidModel, "wrong wire type", [&] { patch(irAsString); });

  const Bytes nodeAsVarint = message([](WireWriter& w) { w.varintField(1, 5); });
  expectError(ErrorCode::kInvalidModel, "malformed ONNX graph",
              [&] { patch(model(nodeAsVarint)); });
  const Bytes opTypeAsFixed32 = message([](WireWriter& w) {
    w.bytesField(1, message([](WireWriter& n) { n.fixed32Field(4, 0x6c696543); }));
  });
  expectError(ErrorCode::kInvalidModel, "NodeProto.op_type",
              [&] { patch(model(opTypeAsFixed32)); });
  const Bytes outputNameAsVarint = message(
      [](WireWriter& w) { w.bytesField(12, message([](WireWriter& v) { v.varintField(1, 1); })); });
  expectError(ErrorCode::kInvalidModel, "ValueInfoProto.name",
              [&] { patch(model(outputNameAsVarint)); });
}

TEST(OnnxTimingPatchTest, MalformedGraphs) {
  for (const auto& outputs : {std::vector<std::string>{"a", "b"}, std::vector<std::string>{}}) {
    GraphSpec spec;
    spec.nodes = {node("Ceil", {"x"}, outputs)};
    expectError(ErrorCode::kInvalidModel, "a Ceil node must have exactly one named output",
                [&] { patch(model(graph(spec))); });
  }
  // Truncated varint / length past the end inside the graph: the top level still parses.
  for (const Bytes& inner : {Bytes{0x0a, 0x05, 0x12}, Bytes{0x0a, 0x01, 0x80}, Bytes{0x80}}) {
    expectError(ErrorCode::kInvalidModel, "malformed ONNX graph", [&] { patch(model(inner)); });
  }
}

TEST(OnnxTimingPatchTest, EveryTruncationThrowsOrIsConsistent) {
  const Bytes original = oneCeilModel();
  const size_t graphEnd = graphOf(original).end;
  for (size_t n = 0; n < original.size(); ++n) {
    const Bytes prefix(original.begin(), original.begin() + n);
    if (n < graphEnd) {
      SCOPED_TRACE("prefix " + std::to_string(n));
      // "ONNX" matches both "not an ONNX model" and "ONNX model has no graph".
      expectError(ErrorCode::kInvalidModel, "ONNX", [&] { patch(prefix); });
    } else {
      // Cut after the graph: only metadata is lost, and it is still a valid model.
      try {
        EXPECT_EQ(patch(prefix).timing, TimingSource::kModel);
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
      }
    }
  }
}

TEST(OnnxTimingPatchTest, SingleByteCorruptionsNeverCrash) {
  const Bytes original = oneCeilModel();
  for (size_t i = 0; i < original.size(); ++i) {
    for (int v : {0x00, 0x02, 0x7f, 0x80, 0xff}) {
      Bytes copy = original;
      copy[i] = static_cast<uint8_t>(v);
      try {
        const TimingPatch p = patch(copy);
        if (p.timing == TimingSource::kModel && !p.alreadyPatched) {
          EXPECT_TRUE(patch(p.model).alreadyPatched);  // the output re-parses and is stable
        }
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kInvalidModel) << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace avatar_voice
