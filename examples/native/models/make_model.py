"""Write ``affine.onnx``: ``y = x * 2 + 1`` on a float32 ``[1, 4]`` tensor (opset 13).

The model the native example runs with onnxruntime-web; regenerate with
``python models/make_model.py`` (needs the ``onnx`` package, which the app itself never imports).
"""

from __future__ import annotations

from pathlib import Path

import onnx
from onnx import TensorProto, helper


def build() -> onnx.ModelProto:
    """Return the model."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    scale = helper.make_tensor("scale", TensorProto.FLOAT, [1], [2.0])
    shift = helper.make_tensor("shift", TensorProto.FLOAT, [1], [1.0])
    graph = helper.make_graph(
        [
            helper.make_node("Mul", ["x", "scale"], ["scaled"]),
            helper.make_node("Add", ["scaled", "shift"], ["y"]),
        ],
        "affine",
        [x],
        [y],
        [scale, shift],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tempestweb")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    onnx.save(build(), Path(__file__).with_name("affine.onnx"))
