#!/usr/bin/python3
"""Write two timing-test variants of a generated test voice, with the Python `onnx` package.

  <name>.ceil.onnx    the voice with its one Ceil node's output appended to the graph outputs,
                      so a test can read the model's own durations (frames per phoneme id)
                      without going through the project's protobuf patcher
                      (src/voice/onnx_timing_patch.cpp): an independent oracle for the spans.
  <name>.noceil.onnx  the same graph with Ceil(x) rewritten as Neg(Floor(Neg(x))): identical
                      numbers, but no Ceil node, so the package must fall back to timing
                      "estimated" (its documented behaviour for models it cannot patch).

Usage: /usr/bin/python3 scripts/make_timing_variants.py build/voices/test-tiny.onnx [...]
Skips a voice whose two variants are newer than it. Test fixtures only (build/voices), never
committed.
"""

import os
import sys

import onnx
from onnx import helper


def ceil_node(graph):
    nodes = [n for n in graph.node if n.op_type == "Ceil"]
    if len(nodes) != 1:
        raise SystemExit(f"expected exactly one Ceil node, found {len(nodes)}")
    return nodes[0]


def save(model, path):
    onnx.checker.check_model(model)
    tmp = path + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, path)


def with_ceil_output(model):
    ceil = ceil_node(model.graph)
    # [batch, 1, n_ids] float: decoder frames per phoneme id, length_scale already applied.
    shape = ["batch", 1, "phoneme_ids"]
    model.graph.output.append(helper.make_tensor_value_info(ceil.output[0], onnx.TensorProto.FLOAT, shape))
    return model


def without_ceil(model):
    graph = model.graph
    ceil = ceil_node(graph)
    x, y = ceil.input[0], ceil.output[0]
    replacement = [
        helper.make_node("Neg", [x], [y + "_neg"], name="timing_variant_neg_in"),
        helper.make_node("Floor", [y + "_neg"], [y + "_floor"], name="timing_variant_floor"),
        helper.make_node("Neg", [y + "_floor"], [y], name="timing_variant_neg_out"),
    ]
    # Same position in the node list keeps the graph topologically sorted.
    index = list(graph.node).index(ceil)
    nodes = list(graph.node)
    graph.ClearField("node")
    graph.node.extend(nodes[:index] + replacement + nodes[index + 1:])
    assert not any(n.op_type == "Ceil" for n in graph.node)
    return model


def main(paths):
    for path in paths:
        base = path[: -len(".onnx")]
        outputs = {base + ".ceil.onnx": with_ceil_output, base + ".noceil.onnx": without_ceil}
        source_time = os.path.getmtime(path)
        if all(os.path.exists(p) and os.path.getmtime(p) > source_time for p in outputs):
            print(f"up to date: {', '.join(os.path.basename(p) for p in outputs)}")
            continue
        for out, transform in outputs.items():
            save(transform(onnx.load(path)), out)
        print(f"made {', '.join(os.path.basename(p) for p in outputs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
