"""ONNX inference in the page with onnxruntime-web (wasm execution provider), numpy-free.

The app ships onnxruntime-web and its models itself, same-origin, through ``tempestweb.toml``
(the Mode B page loads the same scripts, and the Mode A service worker precaches them, so
inference runs offline)::

    [wasm]
    scripts = ["vendor/ort/ort.min.js"]
    assets = ["vendor/ort/*.wasm", "vendor/ort/*.mjs", "models/*.onnx"]

:func:`load` fetches the model, compiles an ``ort.InferenceSession`` with the ``wasm``
execution provider forced, and caches it in the page under a session id; :func:`run` feeds
it. Tensors cross the bridge as base64 of their little-endian bytes, with dims and dtype.

Example:
    >>> t = Tensor.from_values([1.0, 2.0, 3.0, 4.0], dims=[2, 2])
    >>> t.dtype, t.dims, t.values()
    ('float32', [2, 2], [1.0, 2.0, 3.0, 4.0])

"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping, Sequence
from typing import Final, Literal

from pydantic import Field, model_validator

from tempestweb.native._wire import WireModel, b64decode, b64encode
from tempestweb.native.constants import ONNX_LOAD_TIMEOUT_S, ONNX_RUN_TIMEOUT_S
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.plugins import Capability, register

__all__ = ["DType", "Model", "Tensor", "load", "run", "unload"]

CAPABILITY = register(Capability("onnx"))
"""The ``onnx`` capability handle (``client/native/onnx.js``)."""

DType = Literal["float32", "float64", "int8", "uint8", "int16", "int32", "int64", "bool"]
"""Element types that cross the bridge (``ort.Tensor`` type names)."""

_FORMAT: Final[dict[str, str]] = {
    "float32": "f", "float64": "d", "int8": "b", "uint8": "B",
    "int16": "h", "int32": "i", "int64": "q", "bool": "?",
}  # fmt: skip


class Tensor(WireModel):
    """A tensor: little-endian element bytes as base64, its dims and element type.

    Attributes:
        data_base64: Standard base64 of the elements in row-major order (bool: one byte each).
        dims: Shape; every entry >= 0.
        dtype: Element type.

    Raises:
        pydantic.ValidationError: The base64 is invalid or its length does not match
            ``dims`` x the size of ``dtype``.

    """

    data_base64: str
    dims: list[int] = Field(max_length=16)
    dtype: DType = "float32"

    @model_validator(mode="after")
    def _check_size(self) -> Tensor:
        if any(dim < 0 for dim in self.dims):
            raise ValueError(f"dims must be >= 0, got {self.dims}")
        expected = math.prod(self.dims) * struct.calcsize("<" + _FORMAT[self.dtype])
        actual = len(b64decode(self.data_base64))
        if actual != expected:
            raise ValueError(f"{self.dtype} {self.dims} needs {expected} bytes, data has {actual}")
        return self

    @classmethod
    def from_bytes(cls, data: bytes, /, *, dims: Sequence[int], dtype: DType = "float32") -> Tensor:
        """Build a tensor from its little-endian element bytes."""
        return cls(data_base64=b64encode(data), dims=list(dims), dtype=dtype)

    @classmethod
    def from_values(
        cls, values: Sequence[float | int | bool], /, *, dims: Sequence[int], dtype: DType = "float32"
    ) -> Tensor:
        """Build a tensor from a flat sequence of Python numbers (row-major).

        Raises:
            struct.error: A value does not fit ``dtype``.
            pydantic.ValidationError: ``len(values)`` does not match ``dims``.

        """
        data = struct.pack(f"<{len(values)}{_FORMAT[dtype]}", *values)
        return cls.from_bytes(data, dims=dims, dtype=dtype)

    def to_bytes(self) -> bytes:
        """Return the little-endian element bytes."""
        return b64decode(self.data_base64)

    def values(self) -> list[float] | list[int] | list[bool]:
        """Return the elements as a flat list of Python numbers (row-major)."""
        count = math.prod(self.dims)
        return list(struct.unpack(f"<{count}{_FORMAT[self.dtype]}", self.to_bytes()))


class Model(WireModel):
    """A model compiled in the page.

    Attributes:
        session_id: Id of the cached ``ort.InferenceSession``; pass it to :func:`run`.
        input_names: The model's input names, in order.
        output_names: The model's output names, in order.

    """

    session_id: str
    input_names: list[str]
    output_names: list[str]

    @property
    def input_name(self) -> str:
        """The first input's name (most models have one input).

        Raises:
            IndexError: The model has no input.

        """
        return self.input_names[0]


class _Outputs(WireModel):
    outputs: dict[str, Tensor]


async def load(
    url: str, /, *, session_id: str | None = None, timeout_s: float = ONNX_LOAD_TIMEOUT_S
) -> Model:
    """Fetch an ``.onnx`` model (same origin) and compile it with the wasm execution provider.

    Loading the same URL (or session id) again returns the cached session.

    Args:
        url: Model URL relative to the page, e.g. ``"./models/detect.onnx"``.
        session_id: Id to cache it under; ``None``: the URL.
        timeout_s: Seconds downloading and compiling may take.

    Returns:
        The compiled model's id and input/output names.

    Raises:
        NotSupportedError: onnxruntime-web is not loaded (declare it in ``[wasm].scripts``).
        NativeNotFoundError: The model URL answered 404.
        NativeNetworkError: The model could not be downloaded.
        InvalidArgumentError: The file is not a model onnxruntime-web can load.
        NoSessionError: Called outside a session.

    """
    args = {"url": str(url), "session_id": session_id}
    return await CAPABILITY.call("load", args, result=Model, timeout_s=timeout_s)


async def run(
    session_id: str, feeds: Mapping[str, Tensor], /, *, timeout_s: float = ONNX_RUN_TIMEOUT_S
) -> dict[str, Tensor]:
    """Run a loaded model (``InferenceSession.run``).

    Args:
        session_id: From :attr:`Model.session_id`.
        feeds: Input name -> tensor.
        timeout_s: Seconds the inference may take.

    Returns:
        Output name -> tensor (``.data_base64``, ``.dims``, ``.dtype``).

    Raises:
        NativeNotFoundError: No model is loaded under ``session_id``.
        InvalidArgumentError: A feed is missing or has the wrong type or shape.
        NoSessionError: Called outside a session.

    """
    if not all(isinstance(tensor, Tensor) for tensor in feeds.values()):
        raise InvalidArgumentError(
            "feeds maps input names to Tensor objects", capability="onnx", method="run"
        )
    args = {
        "session_id": session_id,
        "feeds": {name: tensor.model_dump(mode="json") for name, tensor in feeds.items()},
    }
    return (await CAPABILITY.call("run", args, result=_Outputs, timeout_s=timeout_s)).outputs


async def unload(session_id: str, /) -> None:
    """Release a loaded model (``InferenceSession.release``); nothing happens for an unknown id.

    Raises:
        NoSessionError: Called outside a session.

    """
    await CAPABILITY.call("unload", {"session_id": session_id}, result=type(None))


def __dir__() -> list[str]:
    return list(__all__)
