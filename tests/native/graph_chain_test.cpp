// chainGraph (src/voice/graph_chain.h) on a hand-built graph and, when generated, on the tiny test
// voices' part A: every node lands in exactly one link in order, each link reads only the graph's
// inputs and earlier links' outputs, declared with their element type and no shape, and no cut
// crosses a tensor whose type is unknown. Running the links and comparing part A's outputs is
// tests/js/model_split.test.ts (onnxruntime-web).
#include "voice/graph_chain.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "native_test_env.h"
#include "piper_like_model.h"
#include "voice/model_split.h"
#include "voice/onnx_elem_types.h"
#include "voice/onnx_graph.h"
#include "voice/onnx_proto.h"
#include "voice/protobuf_wire.h"

namespace avatar_voice {
namespace {

using namespace piper_like;

// Element type of a declared input/output and whether it has a shape.
struct Declared {
  int64_t elem = 0;
  bool shaped = false;
};
Declared declared(const OnnxNamedField& f) {
  Declared d;
  if (!f.type) return d;
  WireReader type(f.type, f.typeSize);
  WireField t;
  while (type.next(t)) {
    WireReader tensor = type.nested(t);
    WireField e;
    while (tensor.next(e)) {
      if (e.number == onnx_proto::kTensorElemType) d.elem = static_cast<int64_t>(e.value);
      if (e.number == onnx_proto::kTensorShape) d.shaped = true;
    }
  }
  return d;
}

// A Constant node's `value` (a float scalar), written by hand: GraphBuilder's attributes are ints.
Bytes constantNode(const std::string& out) {
  const Bytes value = tensor("k_value", {}, 1);
  const Bytes attr = message([&](WireWriter& w) {
    w.bytesField(1, "value");
    w.bytesField(5, value);
    w.varintField(20, 4);  // TENSOR
  });
  return message([&](WireWriter& w) {
    w.bytesField(2, out);
    w.bytesField(3, "constant");
    w.bytesField(4, "Constant");
    w.bytesField(5, attr);
  });
}

// x (float) and ids (int64) in; a bool tensor crossing cuts; an output made early; an op of an
// unknown domain whose output's type cannot be known.
Bytes handGraph() {
  GraphBuilder g;
  g.nodes.push_back(constantNode("k"));
  g.node("Add", {"x", "k"}, {"a1"});
  g.node("Equal", {"ids", "ids"}, {"eq"});
  g.node("Mul", {"a1", "k"}, {"a2"});
  g.node("Relu", {"a2"}, {"early"});
  g.nodes.push_back(message([&](WireWriter& w) {
    w.bytesField(1, "a2");
    w.bytesField(2, "m");
    w.bytesField(3, "mystery");
    w.bytesField(4, "Mystery");
    w.bytesField(7, "test.unknown");
  }));
  g.node("Add", {"m", "a2"}, {"a3"});
  g.node("Cast", {"eq"}, {"eqf"}, {one("to", 1)});
  g.node("Mul", {"a3", "eqf"}, {"a4"});
  g.node("Sigmoid", {"a4"}, {"a5"});
  g.node("Add", {"a5", "k"}, {"out"});
  g.inputs = {valueInfo("x", 1, 3), valueInfo("ids", 7, 2)};
  g.outputs = {valueInfo("early", 1, 3), valueInfo("out", 1, 3)};
  return g.model();
}

// The invariants every chain keeps; returns each link's node outputs (first output per node).
std::vector<std::vector<std::string>> checkChain(const Bytes& model, const GraphChain& chain) {
  const OnnxGraphView whole(model.data(), model.size());
  std::set<std::string> available;
  for (const OnnxNamedField& in : whole.inputs) available.insert(std::string(in.name));
  std::vector<std::string> order, chained;
  for (const OnnxNode& n : whole.nodes)
    if (!n.isOnnxOp("Constant") && !(n.isOnnxOp("Identity") && whole.isInitializer(n.inputs[0])))
      order.emplace_back(n.outputs[0]);
  std::vector<std::vector<std::string>> links;
  for (const ChainLink& link : chain.links) {
    const OnnxGraphView v(link.model.data(), link.model.size());
    EXPECT_EQ(names(v.inputs), link.inputs);
    EXPECT_EQ(names(v.outputs), link.outputs);
    for (const OnnxNamedField& in : v.inputs) {
      EXPECT_TRUE(available.count(std::string(in.name))) << in.name << " read before it is made";
      if (whole.graphInput(in.name)) continue;
      const Declared d = declared(in);
      EXPECT_NE(d.elem, 0) << in.name;
      EXPECT_FALSE(d.shaped) << in.name;
    }
    links.emplace_back();
    for (const OnnxNode& n : v.nodes) {
      if (n.isOnnxOp("Constant") || (n.isOnnxOp("Identity") && v.isInitializer(n.inputs[0]))) continue;
      chained.emplace_back(n.outputs[0]);
      links.back().emplace_back(n.outputs[0]);
    }
    for (const std::string& o : link.outputs) available.insert(o);
  }
  EXPECT_EQ(chained, order);  // each node once, in the graph's order
  for (const OnnxNamedField& out : whole.outputs) EXPECT_TRUE(available.count(std::string(out.name))) << out.name;
  return links;
}

TEST(GraphChain, CutsNearEqualSharesWhereTheCrossingTensorsAreTyped) {
  const Bytes model = handGraph();
  // 10 counted nodes (the Constant is copied, not counted); 3 per link: cuts after the 3rd and
  // 6th node, crossed by a2 (float) and eq (bool), then eq and a3.
  GraphChain chain = chainGraph(model.data(), model.size(), ChainOptions{3});
  ASSERT_EQ(chain.links.size(), 3u) << chain.reason;
  const auto links = checkChain(model, chain);
  EXPECT_EQ(links[0], (std::vector<std::string>{"a1", "eq", "a2"}));
  EXPECT_EQ(chain.links[0].outputs, (std::vector<std::string>{"eq", "a2"}));
  EXPECT_EQ(chain.links[1].inputs, (std::vector<std::string>{"a2"}));
  EXPECT_EQ(chain.links[1].outputs, (std::vector<std::string>{"early", "a3"}));
  EXPECT_EQ(chain.links[2].inputs, (std::vector<std::string>{"eq", "a3"}));
  const OnnxGraphView third(chain.links[2].model.data(), chain.links[2].model.size());
  EXPECT_EQ(declared(third.inputs[0]).elem, 9);  // Equal: bool
  EXPECT_EQ(declared(third.inputs[1]).elem, 1);  // typed past the unknown op: Add(m, a2) is a2's type
  // The constant is copied into each link that reads it.
  EXPECT_EQ(third.nodes.front().opType, "Constant");
  EXPECT_EQ(chain.links[2].outputs, (std::vector<std::string>{"out"}));
}

TEST(GraphChain, NeverCutsAcrossATensorOfUnknownType) {
  const Bytes model = handGraph();
  // One node per link: every position is a cut, except right after Mystery (its output m).
  GraphChain chain = chainGraph(model.data(), model.size(), ChainOptions{1});
  ASSERT_EQ(chain.links.size(), 9u) << chain.reason;
  const auto links = checkChain(model, chain);
  EXPECT_EQ(links[4], (std::vector<std::string>{"m", "a3"}));
  EXPECT_EQ(chain.links[4].inputs, (std::vector<std::string>{"a2"}));
}

TEST(GraphChain, AMalformedTypeDeclarationIsAnUnknownTypeNotAnError) {
  // Found by model_split_fuzz: a graph input whose TypeProto is not valid protobuf. The split
  // reads such graphs; the chain must leave the tensor untyped (and not cut across it).
  GraphBuilder g;
  for (int i = 0; i < 4; ++i) g.node("Relu", {i == 0 ? "x" : "r" + std::to_string(i - 1)}, {"r" + std::to_string(i)});
  g.node("Add", {"r3", "bad"}, {"out"});
  const Bytes badType = message([&](WireWriter& w) {
    w.bytesField(1, "bad");
    w.bytesField(2, Bytes{0x0a, 0x7f});  // a length past the end
  });
  g.inputs = {valueInfo("x", 1, 3), badType};
  g.outputs = {valueInfo("out", 1, 3)};
  const Bytes model = g.model();
  const OnnxGraphView view(model.data(), model.size());
  const ElemTypes types = inferElemTypes(view);
  EXPECT_EQ(types.count("bad"), 0u);
  EXPECT_EQ(types.at("r3"), 1);
  const GraphChain chain = chainGraph(model.data(), model.size(), ChainOptions{1});
  ASSERT_FALSE(chain.links.empty()) << chain.reason;
  checkChain(model, chain);
}

TEST(GraphChain, LeavesASmallGraphWhole) {
  const Bytes model = handGraph();
  const GraphChain chain = chainGraph(model.data(), model.size(), ChainOptions{6});
  EXPECT_TRUE(chain.links.empty());
  EXPECT_EQ(chain.reason, "10 nodes: small enough for one model");
}

TEST(GraphChain, ChainsTheGeneratedTinyVoicesPartA) {
  for (const char* name : {"test-tiny.onnx", "test-tiny-multi.onnx"}) {
    const std::string bytes = testenv::readFile(testenv::testVoicePath(name));
    if (bytes.empty()) GTEST_SKIP() << "no " << name << ": run scripts/make_test_voices.sh";
    const Bytes model(bytes.begin(), bytes.end());
    const ModelSplit s = splitPiperModel(model.data(), model.size());
    ASSERT_TRUE(s.ok()) << s.reason;
    ASSERT_GE(s.partAChain.size(), 3u) << s.partAChainReason;
    checkChain(s.partA, GraphChain{s.partAChain, ""});
    // The first link reads the voice's inputs only; the last makes the durations.
    for (const std::string& in : s.partAChain.front().inputs) EXPECT_TRUE(contains(s.partAInputs, in)) << in;
    EXPECT_TRUE(contains(s.partAChain.back().outputs, s.durationOutput));
    const ModelSplit unchained = splitPiperModel(model.data(), model.size(), SplitOptions{true, true, 0});
    EXPECT_TRUE(unchained.partAChain.empty());
    EXPECT_EQ(unchained.partA, s.partA);  // the chain is an addition, A itself is unchanged
  }
}

}  // namespace
}  // namespace avatar_voice
